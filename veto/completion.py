"""What Tab offers for a command's parameter, for `veto shell` and for bash and zsh
(`veto --install-completion`), from one mapping.

`offered()` says which words a parameter takes: an enumeration of `veto.vocabulary` (its stored
values, and for a Finnish reader its Finnish names too, as the commands accept them), stored
names (client codes and names, coach and employer names: `veto.shell.read_names`, the one
source of names), or a `--format`. `attach()` gives every parameter of a command that takes
such words a Click `shell_complete`; `veto.cli.load_command` calls it for each command as it
is built, so no command file names its completions.

A Tab press in bash or zsh is a process of its own (`_VETO_COMPLETE=complete_bash veto`). It
reads the store only when a parameter takes stored names, on the stdlib sqlite3 driver on
SQLite (the ORM on PostgreSQL), and logs that read as `veto shell` does (action
`shell.complete`). It never creates, migrates, nor asks a key for a store: no store, an
encrypted one without VETO_KEY or a key in the keyring, or one that cannot be read gives no
names, and no message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from veto import vocabulary

# The enumeration (veto.vocabulary) an option takes, by the option's name.
_ENTRY = ("--disability", "--third-country", "--foreign-background", "--minority", "--homeless")
_RESULT = ("--job-searching", "--education", "--qualification", "--employed", "--improved")
OPTION_ENUMERATIONS: dict[str, str] = {
    "--gender": "gender",
    "--background": "background",
    "--outcome": "outcome",
    "--channel": "channel",
    "--stage": "stage",
    "--employment-form": "employment form",
    "--status": "labour-market status",
    "--isced": "education level",
    **dict.fromkeys((*_ENTRY, "--rural"), "entry answer"),
    **dict.fromkeys(_RESULT, "result answer"),
}
# `--kind` (and `phase start KIND`) take the kind of the command's group.
GROUP_KINDS: dict[str, str] = {
    "activity": "activity kind",
    "placement": "placement kind",
    "phase": "phase kind",
    "survey": "survey kind",
    "doc": "survey kind",  # doc kartoitus --kind
}
# The enumeration a positional argument takes, by the argument's name.
ARGUMENT_ENUMERATIONS: dict[str, str] = {"form": "EURA form"}  # esf done FORM
# What kind of stored name a parameter takes, by the option's or the argument's name.
NAMED: dict[str, str] = {
    "--client": "client",
    "--coach": "coach",
    "--employer": "employer",
    "client": "client",
    "client_arg": "client",
    "coach": "coach",
    "employer": "employer",
}
DOCUMENT_FORMATS = ("html", "md", "pdf")


def _formats(path: list[str]) -> tuple[str, ...]:
    if path[:1] == ["report"]:
        from veto.outputs.report import FORMATS as REPORT_FORMATS

        return REPORT_FORMATS
    if path[:1] == ["doc"]:
        return DOCUMENT_FORMATS
    from veto.outputs.render import FORMATS

    return FORMATS


def enumeration_words(enumeration: str) -> list[str]:
    """The words Tab offers for an enumeration: its stored values, which every command accepts,
    and for a Finnish reader also the Finnish names (`vocabulary.parse` accepts them too)."""
    from veto.i18n import language

    words = vocabulary.values(enumeration)
    if language() == "fi":
        words += [n for n in vocabulary.labels(enumeration).values() if n not in words]
    return words


def takes(param: Any, path: list[str]) -> tuple[str, str] | None:
    """What the parameter `param` of command `path` (['client', 'add']) takes: ('enumeration',
    name), ('names', 'client'|'coach'|'employer') or ('formats', ''); None for anything else."""
    if param.param_type_name == "option":
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            return None
        names = [o for o in param.opts if o.startswith("--")]
        if "--kind" in names and path[:1] and path[0] in GROUP_KINDS:
            return ("enumeration", GROUP_KINDS[path[0]])
        if "--format" in names:
            return ("formats", "")
        for name in names:
            if name in OPTION_ENUMERATIONS:
                return ("enumeration", OPTION_ENUMERATIONS[name])
            if name in NAMED:
                return ("names", NAMED[name])
        return None
    if param.name == "kind" and path[:1] and path[0] in GROUP_KINDS:
        return ("enumeration", GROUP_KINDS[path[0]])
    if param.name in ARGUMENT_ENUMERATIONS:
        return ("enumeration", ARGUMENT_ENUMERATIONS[param.name])
    if param.name in NAMED:
        return ("names", NAMED[param.name])
    return None


def offered(param: Any, path: list[str], names: Callable[[str], list[str]] | None) -> list[str]:
    """Every word the parameter takes (before matching what was typed); stored names only when
    `names` is given (`Names.of`)."""
    taken = takes(param, path)
    if taken is None:
        return list(getattr(param.type, "choices", None) or [])
    what, which = taken
    if what == "enumeration":
        return enumeration_words(which)
    if what == "formats":
        return list(_formats(path))
    return names(which) if names is not None else []


def matching(words: Iterable[str], typed: str) -> list[str]:
    """The words that begin with what was typed, ignoring case and accents ('tyo' offers
    'työpaikka'), sorted, each once."""
    start = vocabulary.fold(typed) if typed.strip() else ""
    return sorted({w for w in words if vocabulary.fold(w).startswith(start)})


# --- bash and zsh: Click's completion protocol (Typer's `_VETO_COMPLETE=complete_bash`).

_names = None  # this process's Names, read at most once (one Tab press is one process)


def _command_path(ctx: Any) -> list[str]:
    path = []
    while ctx.parent is not None:
        path.append(ctx.info_name)
        ctx = ctx.parent
    return path[::-1]


def _read_names_quietly(db: str | None) -> dict[str, list[str]]:
    """`read_names` on the store a completing command line names (its `--db`, else the
    environment), or nothing: no store is created or migrated, and no key is asked for. On
    SQLite one connection (an encrypted store's key is derived once: a third of a second)."""
    from veto.commands.common import Invocation, acting_user, set_invocation
    from veto.shell import names_in, read_names
    from veto.store import cipher
    from veto.store.direct import SqliteWork, _is_current
    from veto.store.sqlite import TIMEOUT_SECONDS, configure

    invocation = Invocation(db=db)
    path = invocation.location.path
    if path is None:  # PostgreSQL: through the ORM, as every command
        set_invocation(invocation)
        return read_names()
    if not path.is_file():
        return {}
    connection = cipher.connect(path, timeout=TIMEOUT_SECONDS)
    try:
        configure(connection)
        connection.execute("BEGIN IMMEDIATE")
        if not _is_current(connection):  # a Tab press never migrates
            return {}
        names = names_in(SqliteWork(connection, {"actor": acting_user()}))
        connection.execute("COMMIT")
        return names
    finally:
        connection.close()  # uncommitted: rolled back


def _stored_names(ctx: Any) -> Callable[[str], list[str]]:
    global _names
    if _names is None:
        from veto.shell import Names

        db = ctx.find_root().params.get("db")
        _names = Names(lambda: _without_terminal(lambda: _read_names_quietly(db)))
    return _names.of


def _without_terminal(read: Callable[[], dict[str, list[str]]]) -> dict[str, list[str]]:
    """`read()` with stdin not a terminal, so that an encrypted store's key is never prompted
    for in the middle of a Tab press."""
    import io
    import sys

    stdin = sys.stdin
    sys.stdin = io.StringIO()
    try:
        return read()
    finally:
        sys.stdin = stdin


def _shell_complete(ctx: Any, param: Any, incomplete: str) -> list[Any]:
    from typer._click.shell_completion import CompletionItem

    try:
        path = _command_path(ctx)
        words = offered(param, path, _stored_names(ctx))
        return [CompletionItem(w) for w in matching(words, incomplete)]
    except Exception:  # a Tab press never fails loudly: no candidates
        return []


def attach(command: Any) -> Any:
    """Give every parameter of `command` and its subcommands that takes words Tab can offer
    (`takes`) its shell completion; returns the command."""
    _attach(command, [command.name] if command.name and command.name != "veto" else [])
    return command


def _attach(command: Any, path: list[str]) -> None:
    for param in command.params:
        if takes(param, path) is not None:
            param._custom_shell_complete = _shell_complete
    for name, sub in getattr(command, "commands", {}).items():
        _attach(sub, [*path, name])
    if default_argument(command) is not None:
        _offer_default_argument(command)


def default_argument(group: Any) -> Any:
    """The argument a group takes in place of a subcommand (`veto survey CLIENT` is `veto
    survey new CLIENT`: `veto.commands.capture.DefaultsToNew`), or None."""
    import sys

    capture = sys.modules.get("veto.commands.capture")  # imported by every such group
    if capture is None or not isinstance(group, capture.DefaultsToNew):
        return None
    new = group.commands.get("new")
    arguments = [p for p in getattr(new, "params", ()) if p.param_type_name == "argument"]
    return arguments[0] if arguments else None


def _offer_default_argument(group: Any) -> None:
    subcommands = group.shell_complete

    def shell_complete(ctx: Any, incomplete: str) -> list[Any]:
        items = subcommands(ctx, incomplete)
        if not incomplete.startswith("-"):
            items += default_argument(group).shell_complete(ctx, incomplete)
        return items

    group.shell_complete = shell_complete


# What bash inserts is the word as printed: a name with a space or a quote must come escaped,
# or, after an opening quote the user typed, fit inside that quote (bash closes it).
_UNSAFE = re.compile(r"([^\w@%+=:,./-])")
_IN_DOUBLE_QUOTES = re.compile(r'(["$`\\])')


def plain(value: str) -> bool:
    """Whether `value` is one shell word as it is (letters with accents are)."""
    return _UNSAFE.search(value) is None


def bash_word(value: str, quote: str = "") -> str:
    """`value` as bash must insert it: 'Maija Meikäläinen' -> 'Maija\\ Meikäläinen'; after an
    opening `'` or `"`, the text inside that quote."""
    if quote == "'":
        return value.replace("'", "'\\''")
    if quote == '"':
        return _IN_DOUBLE_QUOTES.sub(r"\\\1", value)
    return _UNSAFE.sub(r"\\\1", value)


def _opening_quote() -> str:
    """The quote the word being completed opens, as typed (Typer's bash script joins
    COMP_WORDS with newlines)."""
    import os

    words = os.environ.get("COMP_WORDS", "").split("\n")
    try:
        typed = words[int(os.environ.get("COMP_CWORD", ""))]
    except (ValueError, IndexError):
        return ""
    return typed[:1] if typed[:1] in ("'", '"') else ""


def register() -> None:
    """Start a Tab press: names not read yet, and veto's bash completion class (Typer's, with
    each word quoted for bash)."""
    global _names
    _names = None
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete

    class VetoBashComplete(BashComplete):
        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            quote = _opening_quote()
            items = self.get_completions(args, incomplete)
            return "\n".join(bash_word(item.value, quote) for item in items)

    add_completion_class(VetoBashComplete, "bash")


# --- `veto --install-completion`: Typer's installation, with veto's words and file modes.

SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell(value: Any, doing: str) -> str:
    """The shell `--install-completion`/`--show-completion` is for: the one given, else the one
    it runs in; InputError (one line, exit 2) for none Typer knows."""
    from typer._completion_shared import _get_shell_name

    from veto.errors import InputError

    shell = value if isinstance(value, str) else _get_shell_name()
    if shell not in SHELLS:
        raise InputError(doing.format(shell=shell or "?"))
    return shell


def _install(ctx: Any, _param: Any, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    import os

    import typer
    from typer._completion_shared import install

    from veto.i18n import _

    refused = _("cannot install completion for the shell '{shell}': give bash or zsh")
    shell, path = install(shell=_shell(value, refused))
    os.chmod(path, 0o600)  # as every file veto writes
    typer.echo(_("{shell} completion installed in {path}").format(shell=shell, path=path))
    typer.echo(_("It takes effect in a new terminal."))
    raise typer.Exit()


def _show(ctx: Any, _param: Any, value: Any) -> Any:
    if not value or ctx.resilient_parsing:
        return value
    import typer
    from typer._completion_shared import get_completion_script

    from veto.i18n import _

    refused = _("no completion script for the shell '{shell}': give bash or zsh")
    shell = _shell(value, refused)
    typer.echo(get_completion_script(prog_name="veto", complete_var="_VETO_COMPLETE", shell=shell))
    raise typer.Exit()


def own_install(root: Any) -> None:
    """Let `--install-completion` and `--show-completion` of the root command speak the
    reader's language (and write their file mode 0600)."""
    for param in root.params:
        if param.name == "install_completion":
            param.callback = _install
        elif param.name == "show_completion":
            param.callback = _show

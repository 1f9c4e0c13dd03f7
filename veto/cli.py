"""The `veto` command: global options, the nouns, and the one place where errors become exits.

Any `VetoError` (bad input, unknown record, workflow rule) becomes one line on stderr and exit 2;
anything unexpected, one line and exit 1 (`--debug` or VETO_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import errno
import functools
import inspect
import os
import sys
from collections.abc import MutableMapping, Sequence
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperGroup

if TYPE_CHECKING:
    from typer._click import Command

from veto import __version__, click_words, completion
from veto.commands.common import (
    Invocation,
    add_wide_option,
    changes_stored,
    forget_stored,
    invocation,
    set_invocation,
)
from veto.errors import InputError, VetoError
from veto.i18n import _, language, translate_help


def _fail(code: int, message: str) -> int:
    from veto.outputs.render import visible

    # Messages quote what the user typed: nothing in them that a terminal would act on (an
    # import's list of problems keeps its line breaks).
    print(_("Error: {message}").format(message=visible(message)), file=sys.stderr)
    return code


def _debugging(args: list[str]) -> bool:
    return "--debug" in args or os.environ.get("VETO_DEBUG", "") not in ("", "0")


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0]


def _unexpected(exc: Exception) -> int:
    """A failure that is not a user mistake by type; the database's own refusals are. Errors
    come wrapped by SQLAlchemy, or straight from the sqlite3 driver (`veto.store.direct`)."""
    import sqlite3

    from sqlalchemy import exc as sa

    if isinstance(exc, sa.DBAPIError):
        if getattr(exc.orig, "sqlstate", None) == "42501":  # PostgreSQL: the role may not
            return _fail(2, _("the store refused: {reason}").format(reason=_first_line(exc.orig)))
        refused = isinstance(exc, sa.IntegrityError)
        unusable = type(exc) in (sa.OperationalError, sa.DatabaseError)
        exc = exc.orig if isinstance(exc.orig, Exception) else exc
    else:
        # sqlite3, or the sqlcipher3 binding of an encrypted store (the same classes by name)
        drivers = [sqlite3] + [m for m in [sys.modules.get("sqlcipher3.dbapi2")] if m]
        refused = any(isinstance(exc, d.IntegrityError) for d in drivers)
        unusable = any(type(exc) in (d.OperationalError, d.DatabaseError) for d in drivers)
    if refused:
        return _fail(2, _("the store refused the change: {reason}").format(reason=_first_line(exc)))
    if unusable:
        return _fail(1, _("the store could not be used: {reason}").format(reason=_first_line(exc)))
    message = _("unexpected {name}: {reason} (run with --debug for the traceback)")
    return _fail(1, message.format(name=type(exc).__name__, reason=_first_line(exc)))


# --- what the command line refuses before any command runs: arguments that are not UTF-8
# text, and an option whose value is another option (`client add --name --gender female` would
# name the client "--gender").

# Typer's commands and options (Click's, vendored by Typer 0.28 as typer._click), duck-typed.
ArgCommand = Any


def _options(command: ArgCommand) -> list[Any]:
    return [p for p in command.params if p.param_type_name == "option"]


def _takes_a_value(command: ArgCommand, token: str) -> bool:
    for option in _options(command):
        if token in (*option.opts, *option.secondary_opts):
            return not (option.is_flag or option.count)
    return False


def _names(command: ArgCommand) -> set[str]:
    return {name for option in _options(command) for name in (*option.opts, *option.secondary_opts)}


def _looks_like_an_option(command: ArgCommand, value: str) -> bool:
    if value.startswith("--") and len(value) > 2 and value[2].isalpha():
        return True
    return value in _names(command)  # a short one such as -f; a number such as -5 is a value


def check_arguments(root: ArgCommand, argv: Sequence[str]) -> None:
    """Raise `InputError` (one line) for an argument that is not valid UTF-8 (the bytes Python
    could not decode arrive as surrogates) or an option given another option as its value."""
    for position, arg in enumerate(argv, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            message = _(
                "argument {position} is not valid UTF-8 text: type it again, or save the file "
                "it came from as UTF-8"
            )
            raise InputError(message.format(position=position)) from None
    command = root
    tokens = iter(argv)
    for token in tokens:
        if token == "--":
            return
        subcommands = getattr(command, "commands", None)
        if subcommands is not None and not token.startswith("-"):
            try:
                command = subcommands[token]
            except KeyError:  # an unknown command: Click says so
                return
            continue
        if not _takes_a_value(command, token):
            continue
        value = next(tokens, None)
        if value is not None and _looks_like_an_option(command, value):
            if token.startswith("--"):
                message = _(
                    "{option} needs a value, not the option '{value}': give the value right "
                    "after {option} (or write {option}=VALUE for a value that starts with -)"
                )
            else:
                message = _(
                    "{option} needs a value, not the option '{value}': give the value right "
                    "after {option}"
                )
            raise InputError(message.format(option=token, value=value))


# What writing to stdout raises when the reader went away or the disk is full.
_OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT}


# What a file name the user gave can raise wherever it is first looked at.
_BAD_PATH = {errno.ENAMETOOLONG, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ELOOP,
             errno.EACCES}  # fmt: skip


def _output_failed(exc: OSError) -> bool:
    return exc.errno in _OUTPUT_ERRORS and exc.filename is None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail once more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def _output_lost(exc: OSError) -> int:
    """stdout failed. A committed change stays committed, and the exit status says so."""
    _silence_stdout()
    reason = exc.strerror or type(exc).__name__
    if changes_stored():
        message = _(
            "warning: the change was stored, but its output could not be written ({reason})"
        )
        print(message.format(reason=reason), file=sys.stderr)
        return 0
    if isinstance(exc, BrokenPipeError):  # `veto client list | head -1`: the reader had enough
        return 130
    message = _("the output could not be written ({reason}); nothing was changed")
    return _fail(1, message.format(reason=reason))


# The commands, by name: the module that defines each and what in it (a Typer app is a group of
# subcommands, a function one command), plus commands that module's group takes from other
# modules. A command's module is imported only when the command is used (or listed by --help),
# so `veto client add` does not import the modules, nor build the options, of 80 others.
COMMANDS: dict[str, tuple[str, str]] = {
    "audit": ("veto.commands.audit", "audit"),  # single commands first, as Typer lists them
    "batch": ("veto.commands.batch", "batch"),
    "demo": ("veto.commands.reports", "demo"),
    "history": ("veto.commands.history", "history"),
    "undo": ("veto.commands.undo", "undo"),
    "today": ("veto.commands.today", "today"),
    "shell": ("veto.commands.shell", "shell"),
    "init": ("veto.commands.database", "init"),  # `veto init [--encrypt]`, as `veto db init`
    "coach": ("veto.commands.coaches", "app"),
    "client": ("veto.commands.clients", "app"),
    "phase": ("veto.commands.phases", "app"),
    "employer": ("veto.commands.employers", "app"),
    "contact": ("veto.commands.contacts", "app"),
    "placement": ("veto.commands.placements", "app"),
    "activity": ("veto.commands.activities", "app"),
    "note": ("veto.commands.notes", "app"),
    "survey": ("veto.commands.surveys", "app"),
    "plan": ("veto.commands.plans", "app"),
    "doc": ("veto.commands.documents", "app"),
    "db": ("veto.commands.database", "app"),
    "retention": ("veto.commands.privacy", "app"),
    "report": ("veto.commands.reports", "app"),
    "esf": ("veto.commands.esf", "app"),
    "export": ("veto.commands.workbook", "export_app"),
    "import": ("veto.commands.workbook", "import_app"),
}
# Other names of a command, accepted but not listed (the command's help names them).
ALIASES = {"tänään": "today"}
# Modules that add commands to another module's group when imported (`@clients.app.command`).
EXTENDED_BY: dict[str, tuple[str, ...]] = {"client": ("veto.commands.privacy",)}
SUBCOMMANDS: dict[str, dict[str, tuple[str, str]]] = {
    "report": {
        "fidelity": ("veto.commands.fidelity", "fidelity"),
        "esf": ("veto.commands.esf", "report_esf"),
    },
}


def _attribute(where: tuple[str, str]):
    import importlib

    module, name = where
    return getattr(importlib.import_module(module), name)


def load_command(name: str) -> Command:
    """The Click command `veto NAME`, built from its module (see COMMANDS) once per process and
    language (its help is translated when it is built), so that rebuilding the root
    (`CliRunner.invoke(app)`, a `veto shell` line) costs nothing."""
    return _build_command(name, language())


@functools.cache
def _build_command(name: str, lang: str) -> Command:
    import importlib

    target = _attribute(COMMANDS[name])
    for module in EXTENDED_BY.get(name, ()):
        importlib.import_module(module)
    if isinstance(target, typer.Typer):
        for sub, where in SUBCOMMANDS.get(name, {}).items():
            if not any(info.name == sub for info in target.registered_commands):
                target.command(sub)(_attribute(where))
        command: Command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    add_wide_option(command)
    completion.attach(command)
    return flow_help(translate_help(command))


def flow_help(command: Command) -> Command:
    """`command` (and its subcommands) with each help paragraph on one line: docstrings break
    their lines for the source's width, and Typer's rich help keeps single line breaks, so an
    80-column terminal showed them as ragged half-lines. Paragraphs (blank lines) stay."""
    for attr in ("help", "short_help"):
        text = getattr(command, attr)
        if text:
            paragraphs = inspect.cleandoc(text).split("\n\n")
            setattr(command, attr, "\n\n".join(" ".join(p.split("\n")) for p in paragraphs))
    for sub in getattr(command, "commands", {}).values():
        flow_help(sub)
    return command


class _LazyCommands(MutableMapping):
    """A group's `commands` that builds each command on first use."""

    def __init__(self, loaded: MutableMapping[str, Command]) -> None:
        self._loaded = dict(loaded)

    def __getitem__(self, name: str) -> Command:
        if name not in self._loaded:
            if name not in COMMANDS:
                raise KeyError(name)
            self._loaded[name] = load_command(name)
        return self._loaded[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._loaded[name]

    def __iter__(self):
        yield from COMMANDS
        yield from (name for name in self._loaded if name not in COMMANDS)

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self._loaded))


class VetoGroup(TyperGroup):
    """Runs the command and maps every failure to one line and an exit status."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _LazyCommands(self.commands)
        translate_help(self, subcommands=False)  # each command is translated when it is loaded

    def get_command(self, ctx, cmd_name: str):
        return super().get_command(ctx, ALIASES.get(cmd_name, cmd_name))

    def shell_complete(self, ctx, incomplete: str):
        # bash shows no help beside the names: name the commands without building them all
        if os.environ.get("_VETO_COMPLETE") == "complete_bash" and not incomplete.startswith("-"):
            from typer._click.shell_completion import CompletionItem

            return [CompletionItem(name) for name in COMMANDS if name.startswith(incomplete)]
        return super().shell_complete(ctx, incomplete)

    def _main_shell_completion(self, ctx_args, prog_name, complete_var=None) -> None:
        # A Tab press in bash or zsh (`veto --install-completion`): veto's words, quoted.
        if os.environ.get(complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()):
            completion.register()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:  # a line of `veto batch`: the outer invocation handles errors
            check_arguments(self, argv)
            return super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        set_invocation(Invocation())  # a fresh invocation never inherits an earlier one's store
        click_words.install()
        completion.own_install(self)
        forget_stored()
        code = self._run(argv, prog_name, complete_var, extra)
        sys.exit(code)

    def _run(self, argv, prog_name, complete_var, extra) -> int:
        try:
            check_arguments(self, argv)
            result = super().main(
                argv, prog_name or "veto", complete_var, standalone_mode=False, **extra
            )
            sys.stdout.flush()  # here, where a full disk or a closed pipe can still be told
            return result if isinstance(result, int) else 0
        except VetoError as exc:
            return _fail(2, str(exc))
        except typer.Exit as exc:
            return exc.exit_code
        except typer.Abort:
            return _fail(1, _("aborted"))
        except typer.TyperException as exc:
            ctx = getattr(exc, "ctx", None)
            if ctx is None:
                return _fail(exc.exit_code, click_words.message(exc))
            hint = _("{message} (see '{command} --help')")
            message = hint.format(message=click_words.message(exc), command=ctx.command_path)
            return _fail(exc.exit_code, message)
        except KeyboardInterrupt:
            return 130
        except SystemExit:
            # Click's own answer to a closed stdout (EPIPE): it wraps stdout and exits 1.
            if type(sys.stdout).__name__ == "PacifyFlushWrapper":
                return _output_lost(BrokenPipeError(errno.EPIPE, "Broken pipe"))
            raise
        except OSError as exc:
            if _output_failed(exc):
                return _output_lost(exc)
            if exc.errno in _BAD_PATH and exc.filename is not None and not _debugging(argv):
                message = _("cannot use '{path}': {reason}")
                return _fail(2, message.format(path=exc.filename, reason=exc.strerror))
            if _debugging(argv):
                raise
            return _unexpected(exc)
        except Exception as exc:
            if _debugging(argv):
                raise
            return _unexpected(exc)


app = typer.Typer(
    cls=VetoGroup,
    name="veto",
    help="Client records, forms and funder reports for supported-employment coaching (VETO+).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"veto {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(
        None, "--db", help="SQLite store file (else VETO_DB, VETO_DATABASE_URL, default)."
    ),
    # Read from argv by VetoGroup, which must know it before parsing can fail.
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Client records, forms and funder reports for supported-employment coaching (VETO+)."""
    # Inside `veto batch`, a line without --db keeps the store of the batch.
    set_invocation(Invocation(db=db or invocation().db))


def main() -> None:
    """Entry point of the `veto` script (and of `python -m veto`): a whole process."""
    try:
        typer.main.get_command(app).main()
    finally:
        _end_of_process()


def _end_of_process() -> None:
    """Close the connections the command left open to its store, as the interpreter's clean-up
    would have, then freeze every object so that the interpreter's last garbage collections,
    at exit, walk none of them. They walked every object of SQLAlchemy, SQLModel and the tables
    only to free memory the process gives back anyway: ~0,1-0,2 s CPU of a ~0,5 s `coach list`
    (benchmarks/bench_cli.py). Closing first keeps what the clean-up did that counts: SQLite
    moves the WAL into the file when the last connection closes, PostgreSQL sees a proper
    goodbye. Only here, in a whole process: a test's in-process run keeps its garbage
    collected."""
    import gc

    database = sys.modules.get("veto.store.database")
    if database is not None:
        database.dispose_all()  # the engines' pools, and `veto shell`'s held connection
    sqlite = sys.modules.get("veto.store.sqlite")
    if sqlite is not None:
        sqlite.release_held()
    gc.freeze()

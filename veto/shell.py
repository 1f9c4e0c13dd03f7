"""`veto shell`: veto commands typed one per line in one process, each in its own transaction.

Unlike `veto batch` (one transaction for every line, all or none), a line of the shell is a
command of its own: it commits when it succeeds, and a failing line prints its error exactly as
the command would and leaves the shell running. The process imports the libraries and opens the
store once, so a line costs what the command itself does.

In a terminal the shell keeps a history (stdlib readline; file mode 0600; VETO_HISTORY names
the file, empty for none) and completes with Tab: commands, options, enumerations (genders,
kinds, outcomes, channels, stages…), client codes and names, coach and employer names. The
names come from the store when Tab first needs them after a change, and that read is logged.
"""

from __future__ import annotations

import os
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from veto import completion
from veto.i18n import N_, _

PROMPT = "veto> "
LEAVE = ("exit", "quit")
# What shlex says of a line it cannot split, for the catalogue.
SPLIT_ERRORS = (N_("No closing quotation"), N_("No escaped character"))


def _root():
    import typer.main

    from veto.cli import app

    return typer.main.get_command(app)


class Names:
    """Client codes and names, coach and employer names, read from the store when needed."""

    def __init__(self, read: Callable[[], dict[str, list[str]]]) -> None:
        self._read = read
        self._names: dict[str, list[str]] | None = None

    def stale(self) -> None:
        self._names = None

    def of(self, kind: str) -> list[str]:
        if self._names is None:
            try:
                self._names = self._read()
            except Exception:  # no store yet, or it cannot be read: complete without names
                self._names = {}
        return self._names.get(kind, [])


def read_names() -> dict[str, list[str]]:
    """The names completion offers, in one transaction that logs the read."""
    from veto.commands.common import sql_store

    with sql_store() as work:
        return names_in(work)


def names_in(work) -> dict[str, list[str]]:
    """Client codes and names (not the anonymous stubs erased clients leave), coach and employer
    names, read in `work` (a `veto.store.direct.Work`) and logged as one read."""
    from veto.domain.audit import log_access_direct

    # An erased client leaves an anonymous stub row for statistics: never offer it.
    clients = work.rows(
        "SELECT code, name FROM client"
        " WHERE id NOT IN (SELECT client_id FROM anonymous_stub) ORDER BY code"
    )
    coaches = work.rows("SELECT name FROM coach ORDER BY name")
    employers = work.rows("SELECT name FROM employer ORDER BY name")
    log_access_direct(work, action="shell.complete", record=f"clients:{len(clients)}")
    names = {c.name for c in clients}
    return {
        "client": [c.code for c in clients] + sorted(names),
        "coach": [c.name for c in coaches],
        "employer": [e.name for e in employers],
    }


def _quoted(value: str) -> str:
    return value if completion.plain(value) else shlex.quote(value)


def _words(line: str) -> list[str]:
    """The words of a line being typed (an unclosed quote counts as closed)."""
    for end in ("", "'", '"'):
        try:
            return shlex.split(line + end)
        except ValueError:
            continue
    return line.split()


def complete(line: str, names: Names | None = None, root=None) -> list[str]:
    """What Tab offers for the last word of `line` (the text before the cursor): commands,
    subcommands, options, option values; each a whole word, shell-quoted if it must be."""
    root = root or _root()
    words = _words(line)
    ends_word = line == "" or line[-1].isspace()
    done, text = (words, "") if ends_word else (words[:-1], words[-1])
    if done and done[0] == "veto":
        done = done[1:]
    command, rest = root, list(done)
    path: list[str] = []
    while rest and hasattr(command, "commands") and not rest[0].startswith("-"):
        ctx = command.context_class(command)
        sub = command.get_command(ctx, rest[0])
        if sub is None:
            return []
        command, path = sub, [*path, rest.pop(0)]
    if hasattr(command, "commands") and not rest:
        ctx = command.context_class(command)
        offered: Iterable[str] = command.list_commands(ctx)
        if not path:
            offered = [*offered, *LEAVE]
        if text.startswith("-"):
            offered = _options(command)
        offered = sorted({_quoted(o) for o in offered if o.startswith(text)})
        default = completion.default_argument(command)  # `survey CLIENT`, `plan CLIENT`
        if default is not None and not text.startswith("-"):
            offered += sorted({_quoted(o) for o in _offered(default, path, text, names)})
        return offered
    return sorted({_quoted(o) for o in _values(command, path, rest, text, names)})


def _options(command) -> list[str]:
    given = [opt for p in command.params for opt in (*p.opts, *p.secondary_opts)]
    return [opt for opt in (*given, "--help") if opt[:1] == "-"]


def _values(command, path: list[str], rest: list[str], text: str, names) -> list[str]:
    previous = rest[-1] if rest else None
    option = next((p for p in command.params if previous in (*p.opts, *p.secondary_opts)), None)
    if option is not None and not getattr(option, "is_flag", False) and previous in option.opts:
        return _offered(option, path, text, names)
    if text.startswith("-"):
        return [o for o in _options(command) if o.startswith(text)]
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    given = _positionals(command, rest)
    if given < len(arguments):
        return _offered(arguments[given], path, text, names)
    return []


def _offered(param, path: list[str], text: str, names) -> list[str]:
    """What the parameter takes (veto.completion, as bash and zsh offer it), matching `text`."""
    words = completion.offered(param, path, names.of if names is not None else None)
    return completion.matching(words, text)


def _positionals(command, words: list[str]) -> int:
    """How many positional arguments `words` already give."""
    takes_value = {opt for p in command.params if not getattr(p, "is_flag", True) for opt in p.opts}
    count, skip = 0, False
    for word in words:
        if skip:
            skip = False
        elif word.startswith("-"):
            skip = word in takes_value
        else:
            count += 1
    return count


class Shell:
    """Runs lines as veto commands on one store (the shell's `--db`, else the environment)."""

    def __init__(self) -> None:
        from veto.commands.common import invocation

        self.root = _root()
        self.db = invocation().db
        self.names = Names(read_names)

    def _hold_store_open(self) -> None:
        """Keep an idle connection to the shell's SQLite store between lines
        (`veto.store.sqlite.hold_open`); not for an encrypted store (its key is the command's
        to ask for) nor PostgreSQL."""
        from veto.store import cipher
        from veto.store.location import resolve
        from veto.store.sqlite import hold_open

        path = resolve(self.db).path
        if path is not None and path.exists() and not cipher.is_encrypted(path):
            hold_open(path)

    def close(self) -> None:
        """Close what the shell held open between lines."""
        from veto.store.sqlite import release_held

        release_held()

    def run(self, line: str) -> int | None:
        """Run one line; its exit status, or None when the line says to leave."""
        from veto.cli import _fail
        from veto.commands.common import Invocation, set_invocation

        try:
            args = shlex.split(line, comments=True)
        except ValueError as exc:
            reason = _(str(exc)) if str(exc) in SPLIT_ERRORS else str(exc)
            return _fail(2, _("cannot split the line: {reason}").format(reason=reason))
        if args and args[0] == "veto":
            args = args[1:]
        if not args:
            return 0
        if args[0] in LEAVE and len(args) == 1:
            return None
        if args[0] == "help" and len(args) == 1:
            args = ["--help"]
        if args[0] == "shell":
            return _fail(2, _("already in veto shell (type exit or press Ctrl-D to leave)"))
        set_invocation(Invocation(db=self.db))  # a line's --db lasts for that line only
        try:
            self._hold_store_open()
        except Exception:  # a store it cannot open: the line itself says so, as the CLI would
            pass
        try:
            code = self.root._run(args, "veto", None, {})
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            sys.stdout.flush()
            self.names.stale()
        return code


def _history_file() -> Path | None:
    chosen = os.environ.get("VETO_HISTORY")
    if chosen == "":
        return None
    if chosen:
        return Path(chosen).expanduser()
    from veto.store.location import default_path

    return default_path().with_name("shell_history")


def _private(path: Path) -> None:
    """The history file exists with mode 0600 (it holds what was typed: names too)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW, 0o600))
    os.chmod(path, 0o600)


def _with_readline(shell: Shell) -> Callable[[], None]:
    """Set up history and Tab completion; returns what saves the history at the end."""
    import readline

    def completer(text: str, state: int) -> str | None:
        line = readline.get_line_buffer()[: readline.get_endidx()]
        matches = complete(line, shell.names, shell.root)
        return matches[state] if state < len(matches) else None

    readline.set_completer(completer)
    readline.set_completer_delims(" \t\n")
    readline.parse_and_bind("tab: complete")
    history = _history_file()
    if history is None:
        return lambda: None
    try:
        _private(history)
        readline.read_history_file(history)
    except OSError:
        return lambda: None
    readline.set_history_length(1000)

    def save() -> None:
        try:
            _private(history)
            readline.write_history_file(history)
            os.chmod(history, 0o600)
        except OSError:
            pass

    return save


def interact(stdin=None) -> int:
    """The shell's loop: a prompt and history in a terminal, plain lines from a pipe. Its exit
    status is the last line's."""
    stdin = stdin or sys.stdin
    shell = Shell()
    terminal = stdin.isatty() and sys.stdout.isatty()
    save = _with_readline(shell) if terminal else (lambda: None)
    if terminal:
        print(_("veto shell: one command a line, Tab completes, help lists them, Ctrl-D leaves."))
    status = 0
    try:
        while True:
            try:
                line = input(PROMPT) if terminal else stdin.readline()
            except KeyboardInterrupt:
                print()
                continue
            except EOFError:
                break
            if not terminal and line == "":
                break
            code = shell.run(line.rstrip("\n"))
            if code is None:
                break
            status = code
    finally:
        if terminal:
            print()
        save()
        shell.close()
    return status


def time_lines(lines: list[str], runs: int) -> dict[str, tuple[float, float]]:
    """Median milliseconds of each line in one shell, wall and CPU (user + system of the
    process), each line run `runs` times after a warm-up round (benchmarks/bench_cli.py);
    output discarded."""
    import io
    from contextlib import redirect_stderr, redirect_stdout

    shell = Shell()
    samples: dict[str, list[tuple[float, float]]] = {line: [] for line in lines}
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()) as errors:
        for round_ in range(runs + 1):
            for line in lines:
                start, cpu = time.perf_counter(), time.process_time()
                code = shell.run(line)
                took = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
                if code != 0:
                    raise RuntimeError(f"{line}: exit {code}: {errors.getvalue()}")
                if round_:
                    samples[line].append(took)
    shell.close()
    return {
        line: (statistics.median(t[0] for t in times), statistics.median(t[1] for t in times))
        for line, times in samples.items()
    }

"""veto batch: many veto commands, one per line, in one process and one transaction."""

from __future__ import annotations

import io
import shlex
import sys
from contextlib import redirect_stdout
from pathlib import Path

import typer

from veto import click_words
from veto.commands.common import acting_user, committed, invocation, note, watch_changes
from veto.errors import InputError, VetoError
from veto.i18n import _, ngettext


class BatchLineError(VetoError):
    """A batch line failed; nothing of the batch was stored."""


def read_lines(source: str) -> list[tuple[int, list[str]]]:
    """(line number, arguments) for every command line; blank lines and # comments skipped."""
    if source == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(
                _("cannot read batch file '{source}': {reason}").format(
                    source=source, reason=exc.strerror
                )
            ) from None
    commands = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            args = shlex.split(line, comments=True)
        except ValueError as exc:
            raise InputError(
                _("line {number}: cannot split '{text}': {exc}").format(
                    number=number, text=line.strip(), exc=exc
                )
            ) from None
        if not args:
            continue
        if args[0] == "veto":
            args = args[1:]
        if args and args[0] in ("batch", "--db"):
            raise InputError(
                _("line {number}: '{command}' cannot be used inside a batch").format(
                    number=number, command=args[0]
                )
            )
        commands.append((number, args))
    return commands


def batch(source: str = typer.Argument("-", help="File of veto commands, or - for stdin.")) -> None:
    """Run veto commands one per line (shell quoting, # comments), all or none."""
    from veto.cli import app
    from veto.store.database import transaction

    commands = read_lines(source)
    root = typer.main.get_command(app)
    # Lines print into a buffer shown only after the commit: a failed batch prints no reference.
    printed = io.StringIO()
    with (
        transaction(invocation().location, actor=acting_user()) as session,
        redirect_stdout(printed),
    ):
        watch_changes(session)
        for number, args in commands:
            try:
                code = root.main(
                    args=args, prog_name="veto", standalone_mode=False, obj=invocation()
                )
            except VetoError as exc:
                raise BatchLineError(
                    _("line {number}: {exc}; nothing was stored").format(number=number, exc=exc)
                ) from None
            except typer.TyperException as exc:
                raise BatchLineError(
                    _("line {number}: {exc}; nothing was stored").format(
                        number=number, exc=click_words.message(exc)
                    )
                ) from None
            if code not in (None, 0):
                raise BatchLineError(
                    _("line {number}: exit status {code}; nothing was stored").format(
                        number=number, code=code
                    )
                )
    committed(session)
    sys.stdout.write(printed.getvalue())
    stored = ngettext("{count} command stored", "{count} commands stored", len(commands))
    note(stored.format(count=len(commands)))

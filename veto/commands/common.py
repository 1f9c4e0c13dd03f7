"""What every command shares: the store of this invocation, the acting user, output options."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from veto.i18n import N_, _
from veto.store.location import StoreLocation, resolve

if TYPE_CHECKING:
    from sqlmodel import Session

    from veto.store.direct import Work


@dataclass
class Invocation:
    """Set by the root callback: where the store is and who is acting."""

    db: str | None = None

    @property
    def location(self) -> StoreLocation:
        return resolve(self.db)


def acting_user() -> str:
    """VETO_USER (checked: `veto.domain.audit.check_user_name`), else the OS login name."""
    if user := os.environ.get("VETO_USER"):
        from veto.domain.audit import check_user_name

        return check_user_name(user)
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


_invocation: ContextVar[Invocation | None] = ContextVar("veto_invocation", default=None)


def set_invocation(value: Invocation) -> None:
    """Called by the root callback of every invocation (and every line of a batch)."""
    _invocation.set(value)


def invocation() -> Invocation:
    return _invocation.get() or Invocation()


# Whether this invocation has committed a change to the records (more than access-log rows): if
# its output then cannot be written, the exit status must still say the change was stored.
_stored: ContextVar[bool] = ContextVar("veto_stored", default=False)


def changes_stored() -> bool:
    return _stored.get()


def mark_stored() -> None:
    """A command that wrote records on the stdlib driver (`veto.store.direct`) and committed."""
    _stored.set(True)


def running_command_path() -> str | None:
    """The command as the user typed it (`veto client add`), for the change history."""
    context = _running_command()
    return context.command_path if context is not None else None


def forget_stored() -> None:
    """Called when an invocation starts."""
    _stored.set(False)


def watch_changes(session: Session) -> None:
    """Note in `session.info["changed"]` when the session writes anything but the access log,
    through the ORM or a statement it executes."""
    if session.info.get("watching"):
        return
    from sqlalchemy import event

    session.info["watching"] = True

    def before_flush(flushing, _context, _instances) -> None:
        touched = (*flushing.new, *flushing.dirty, *flushing.deleted)
        if any(getattr(o, "__tablename__", None) != "audit_log" for o in touched):
            flushing.info["changed"] = True

    def do_orm_execute(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if getattr(table, "name", None) != "audit_log":
                state.session.info["changed"] = True

    event.listen(session, "before_flush", before_flush)
    event.listen(session, "do_orm_execute", do_orm_execute)


def committed(session: Session) -> None:
    """After a transaction ended well: if it was the outermost and changed records, remember."""
    if session.info.get("changed") and not session.in_transaction():
        _stored.set(True)


def _running_command():
    """The running command's Click context (None outside one)."""
    try:  # Typer 0.2x carries its own copy of Click
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - older Typer over Click itself
        from click import get_current_context

    return get_current_context(silent=True)


def _begin_command(session: Session) -> None:
    """Name the command in the change history as the user typed it (`veto activity edit`); a
    `veto batch` line is a command of its own (its
    own command id, so `veto undo` takes back one line), and what the line before it left to
    write is written as that line's."""
    context = _running_command()
    if session.info.get("context") is not context:
        if session.info.get("context") is not None:
            session.flush()
        session.info.update(context=context, command_id=None)
    session.info["command"] = context.command_path if context is not None else None


@contextmanager
def store(*, purpose: str | None = None) -> Iterator[Session]:
    """The command's one transaction on the chosen store."""
    from veto.store.database import transaction

    with transaction(invocation().location, actor=acting_user()) as session:
        watch_changes(session)
        _begin_command(session)
        if purpose:
            session.info["purpose"] = purpose
        yield session
    committed(session)


@contextmanager
def sql_store(*, purpose: str | None = None, orm: bool = False) -> Iterator[Work]:
    """The command's one transaction, for a command whose work is hand-written SQL
    (`veto.store.direct`: on SQLite, without importing SQLAlchemy). With `orm`, through the
    session of `store()` (for a command that also needs the ORM, such as a sensitive read)."""
    from veto.store.direct import SessionWork, direct_transaction

    if orm:
        with store(purpose=purpose) as session:
            yield SessionWork(session)
        return
    with direct_transaction(invocation().location, actor=acting_user()) as work:
        if purpose:
            work.info["purpose"] = purpose
        yield work


def store_file() -> Path | None:
    """The SQLite file of this invocation's store (None on PostgreSQL): no `--out` may be it."""
    return invocation().location.path


def reference(value: object) -> None:
    """A create command's whole stdout: the new record's reference, one line."""
    typer.echo(str(value))


def note(message: str) -> None:
    """A message for the human, on stderr, so stdout stays clean for scripts."""
    print(message, file=sys.stderr)


# What `whose_coach` may say it shows, for the catalogue.
LISTINGS = (N_("clients"), N_("follow-ups"))


def whose_coach(work: Work, *, coach: str | None, everyone: bool, listing: str):
    """The coach (a row: id, name) whose `listing` a command shows: `--coach COACH`, nobody's
    with `--all`, else the coach the acting user is (with a note, and everyone's, when the user
    is no coach)."""
    from veto.domain.direct import coach_named, user_coach
    from veto.errors import InputError

    if everyone and coach:
        raise InputError(_("give either --all or --coach, not both"))
    if coach:
        return coach_named(work, coach)
    if everyone:
        return None
    user = acting_user()
    whose = user_coach(work, user)
    if whose is None:
        message = _(
            "The acting user '{user}' is no coach: showing every coach's {listing} "
            "(set VETO_USER to a coach's name, or give --coach COACH)."
        )
        note(message.format(user=user, listing=_(listing)))
    return whose


def _checked_format(value: str) -> str:
    # Checked before the store is opened, so a bad --format leaves no trace at all.
    from veto.outputs.render import check_format

    return check_format(value)


FormatOption = typer.Option(
    "table", "--format", "-f", callback=_checked_format, help="Output format: table, json or csv."
)
PeriodOption = typer.Option(
    None,
    "--period",
    help="2025, 2024-2025 or 2024-02-01..2025-11-30 (Finnish dates too); default: all time.",
)
MAX_SUPPRESS_BELOW = 1000


def _checked_suppress_below(value: int | None) -> int | None:
    # Checked while parsing, before the store is opened; 2 is the least that hides anything.
    from veto.errors import InputError

    if value is not None and not 2 <= value <= MAX_SUPPRESS_BELOW:
        raise InputError(
            _("invalid --suppress-below {value}: give 2 or more, at most {most} (e.g. 5)").format(
                value=value, most=MAX_SUPPRESS_BELOW
            )
        )
    return value


SuppressBelowOption = typer.Option(
    None,
    "--suppress-below",
    metavar="N",
    callback=_checked_suppress_below,
    help="For sharing outside the project: hide counts 1…N-1 (and cells that reveal them).",
)
ReportFormatOption = typer.Option(
    "table", "--format", "-f", help="Output format: table, json, csv, md, html or pdf."
)
OutOption = typer.Option(None, "--out", "-o", help="Write to FILE (pdf needs it); else stdout.")
WideOption = typer.Option(
    False, "--wide", help="The full table even when it is wider than the terminal."
)


def _wide_tables(_ctx, _param, value: bool) -> bool:
    from veto.outputs.fit import set_wide

    set_wide(value)
    return value


def add_wide_option(command) -> None:
    """Give `command` and its subcommands that print tables (a `--format` whose default is
    `table`) the option `--wide`, once, here: the renderer reads it (veto.outputs.fit), so
    no command has to pass it on. Commands with a `--wide` of their own (reports) keep it."""
    from typer.core import TyperOption

    for sub in getattr(command, "commands", {}).values():
        add_wide_option(sub)
    options = {name for p in command.params for name in getattr(p, "opts", ())}
    formats = [p for p in command.params if "--format" in getattr(p, "opts", ())]
    if "--wide" in options or not formats or formats[0].default != "table":
        return
    command.params.append(
        TyperOption(
            param_decls=["--wide"],
            is_flag=True,
            default=False,
            expose_value=False,
            callback=_wide_tables,
            help=WideOption.help,
        )
    )


DateOption = typer.Option(None, "--on", help="Date (2024-08-01 or 1.8.2024); default: today.")
ForceOption = typer.Option(
    False, "--force", help="Replace the output file if it exists (never the store itself)."
)

YesOption = typer.Option(False, "--yes", "-y", help="Do it without asking (needed off a terminal).")


def confirm_removal(question: str, yes: bool, command: str) -> None:
    """Ask in a terminal; off one (a script, a pipe) refuse unless --yes was given."""
    from veto.errors import InputError

    if yes:
        return
    if not sys.stdin.isatty():
        raise InputError(
            # {line}: the whole command line ('veto ' and the command), for a translation
            _("{command} removes a record: add --yes to confirm (not a terminal)").format(
                command=command, line=command if command.startswith("veto ") else f"veto {command}"
            )
        )
    from veto.click_words import confirm

    confirm(question)

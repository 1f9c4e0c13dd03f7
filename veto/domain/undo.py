"""`veto undo`: take back the acting user's last command, from the change history (issue 12).

The history keeps every row a command inserted and the previous version of every row it updated
or deleted, under one command id. Undoing a command is the reverse of its rows, newest first:
an inserted row is removed, an updated one gets its old values back, a deleted one is put back
with its id. It works from the history alone, for any table.

Each undo goes one command further back: an undo is itself a command (its rows name the command
it took back, `undoes`, and `veto history` shows them), but never the one the next undo takes
back. It is refused (one line, nothing changed) when

- the user has nothing to undo, or only rows kept before commands had ids (schema 0009);
- the command was an erasure (`client erase`, `retention purge`), or it changed a client who
  was erased since: the person's rows and history are gone for good;
- a later command that is not itself undone depends on it: it changed the same row since, or a
  row refers to a row the undo would remove, or a row the undo would put back refers to one
  that is gone; or the row is no longer as the command left it;
- it added a client (erasure is the one way a person goes: `veto client erase`);
- the timeline rule (`veto.domain.workflow.timelines_change`) breaks where it did not before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import func, text
from sqlalchemy import types as sa_types
from sqlmodel import Session, SQLModel, col, select

from veto.domain.audit import log_access
from veto.domain.dates import finnish
from veto.domain.wording import number
from veto.domain.workflow import timelines_change
from veto.errors import WorkflowError
from veto.i18n import NC_, _, pgettext
from veto.models import ChangeEntry, Client

# What an undo does with each kind of kept row.
DOES = {"insert": "remove", "update": "set back", "delete": "put back"}


class UndoRefused(WorkflowError):
    """The last command cannot be taken back; the message says why and what depends on it."""


@dataclass
class Command:
    """One command's kept rows, oldest first."""

    id: int
    name: str
    actor: str
    at: datetime
    entries: list[ChangeEntry] = field(default_factory=list)

    @property
    def removes(self) -> list[ChangeEntry]:
        """The rows the command inserted: the undo removes them."""
        return [e for e in self.entries if e.operation == "insert"]

    def describe(self) -> str:
        local = self.at.astimezone()
        return _("{name} (command {id}, {day} {time})").format(
            name=self.name, id=self.id, day=finnish(local.date()), time=f"{local:%H:%M}"
        )


def history_actor(session: Session) -> str:
    """Who the history names for this session: on PostgreSQL the server's `session_user` (a
    trigger writes it, as in the access log), on SQLite VETO_USER."""
    if session.get_bind().dialect.name == "postgresql":
        return session.execute(text("SELECT session_user")).scalar_one()
    return session.info.get("actor") or "unknown"


def _undone() -> Any:
    return select(ChangeEntry.undoes).where(col(ChangeEntry.undoes).is_not(None))


def last_command(session: Session, actor: str) -> Command:
    """The actor's latest command that is no undo and not undone yet (UndoRefused if none, or if
    it cannot be taken back at all)."""
    latest = session.execute(
        select(func.max(ChangeEntry.command_id)).where(
            ChangeEntry.actor == actor,
            col(ChangeEntry.undoes).is_(None),
            col(ChangeEntry.command_id).not_in(_undone()),
        )
    ).scalar()
    erased = _erased_since(session, actor, latest or 0)
    if erased:
        raise UndoRefused(erased)
    if latest is None:
        earlier = session.execute(
            select(func.count()).where(
                ChangeEntry.actor == actor, col(ChangeEntry.command_id).is_(None)
            )
        ).scalar_one()
        if earlier:
            raise UndoRefused(
                _(
                    "nothing to undo: the changes of '{actor}' were kept before veto undo existed "
                    "(schema 0009); correct them with the edit and remove commands"
                ).format(actor=actor)
            )
        raise UndoRefused(
            _(
                "nothing to undo: '{actor}' has changed nothing in this store "
                "(veto history CLIENT shows who changed what)"
            ).format(actor=actor)
        )
    entries = list(
        session.exec(
            select(ChangeEntry)
            .where(ChangeEntry.command_id == latest)
            .order_by(col(ChangeEntry.id))
        )
    )
    first = entries[0]
    command = Command(latest, first.command or _("a command"), first.actor, first.at, entries)
    if any(e.operation == "erase" for e in entries):
        raise UndoRefused(
            _(
                "your last command, {command}, erased a person's data and its history "
                "for good: it cannot be undone"
            ).format(command=command.describe())
        )
    return command


def _erased_since(session: Session, actor: str, after: int) -> str | None:
    """Why the actor's latest command cannot be undone if it changed a client erased since (the
    erasure's row lists the commands whose rows went; see veto.store.history.record_erasure)."""
    markers = session.exec(
        select(ChangeEntry)
        .where(ChangeEntry.operation == "erase", col(ChangeEntry.command_id) > after)
        .order_by(col(ChangeEntry.id).desc())
    )
    undone = set(session.execute(_undone()).scalars())
    for marker in markers:
        gone = [c for a, c in marker.old.get("commands", []) if a == actor and c > after]
        if [c for c in gone if c not in undone]:
            erasure = Command(marker.command_id or 0, marker.command or "", marker.actor, marker.at)
            return _(
                "your last command changed client {client}, whose data and history "
                "{erasure} erased for good: it cannot be undone"
            ).format(client=marker.row_id, erasure=erasure.describe())
    return None


# --- the rows -------------------------------------------------------------------------------


def _model(table: str) -> type[SQLModel]:
    for mapper in SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        if getattr(mapper.local_table, "name", None) == table:
            return mapper.class_
    raise UndoRefused(
        _("cannot undo: the history names a table '{table}' this veto does not have").format(
            table=table
        )
    )


def _value(model: type[SQLModel], key: str, plain: Any) -> Any:
    """A kept value (as JSON holds it, veto.store.history._plain) as the column takes it."""
    if plain is None:
        return None
    table = model.__table__  # type: ignore[attr-defined]
    if key not in table.c:
        return plain
    kind = table.c[key].type
    kind = getattr(kind, "impl_instance", kind)  # a TypeDecorator (UTCDateTime, AutoString)
    if isinstance(kind, sa_types.DateTime):
        return datetime.fromisoformat(plain)
    if isinstance(kind, sa_types.Date):
        return date.fromisoformat(plain)
    if isinstance(kind, sa_types.Numeric):
        return Decimal(plain)
    return plain


# The tables a change-history row may name, as a message names their rows ('activity 5').
TABLES = (
    NC_("table", "coach"),
    NC_("table", "client"),
    NC_("table", "phase"),
    NC_("table", "employer"),
    NC_("table", "placement"),
    NC_("table", "activity"),
    NC_("table", "client_note"),
    NC_("table", "survey"),
    NC_("table", "job_search_plan"),
    NC_("table", "contact_person"),
    NC_("table", "contact"),
    NC_("table", "participant"),
)


def row_name(table: str, row_id: object) -> str:
    """A row as a message names it: 'activity 5' ('tuntikirjaus 5' in Finnish)."""
    return _("{table} {id}").format(table=pgettext("table", table), id=row_id)


def _name(entry: ChangeEntry) -> str:
    return row_name(entry.table_name, entry.row_id)


def _later_changes(session: Session, command: Command) -> None:
    """Refuse when a later command that is not undone (nor an undo) changed one of the rows."""
    undone = set(session.execute(_undone()).scalars())
    for entry in reversed(command.entries):
        later = session.exec(
            select(ChangeEntry)
            .where(
                ChangeEntry.table_name == entry.table_name,
                ChangeEntry.row_id == entry.row_id,
                col(ChangeEntry.command_id) > command.id,
                col(ChangeEntry.undoes).is_(None),
            )
            .order_by(col(ChangeEntry.id).desc())
        )
        for change in later:
            if change.command_id not in undone:
                by = Command(change.command_id or 0, change.command or "", change.actor, change.at)
                # SQLite gives the id of the newest removed row to the next new one.
                if change.operation == "insert":
                    message = _(
                        "cannot undo {command}: {row} was given to a new record since by "
                        "{by} of '{actor}'; take that back or correct it first"
                    )
                else:
                    message = _(
                        "cannot undo {command}: {row} was changed since by "
                        "{by} of '{actor}'; take that back or correct it first"
                    )
                raise UndoRefused(
                    message.format(
                        command=command.describe(),
                        row=_name(entry),
                        by=by.describe(),
                        actor=by.actor,
                    )
                )


def _as_left(session: Session, command: Command, entry: ChangeEntry) -> Any:
    """The row as the command left it (None if it deleted it); refuse if it is not so now."""
    model = _model(entry.table_name)
    row = session.get(model, entry.row_id)
    what = {"command": command.describe(), "row": _name(entry)}
    if entry.operation == "delete":
        if row is not None:
            raise UndoRefused(
                _("cannot undo {command}: {row} is there again; remove it first").format(**what)
            )
        return None
    if row is None:
        raise UndoRefused(
            _("cannot undo {command}: {row} is gone since; nothing to take back").format(**what)
        )
    left = entry.new or {}
    for key, plain in left.items():
        if key != "id" and _plain(getattr(row, key)) != plain:
            raise UndoRefused(
                _(
                    "cannot undo {command}: {row} was changed since outside the change history "
                    "({key}); correct it with the edit commands"
                ).format(key=key, **what)
            )
    return row


def _plain(value: Any) -> Any:
    from veto.store.history import _plain as plain

    return plain(value)


def _references(session: Session, command: Command) -> None:
    """Refuse when the undo would remove a row another row still refers to, or put back a row
    (or an old value) that refers to a row that is gone."""
    removed = {(e.table_name, e.row_id) for e in command.removes}
    restored = {(e.table_name, e.row_id) for e in command.entries if e.operation == "delete"}
    for entry in command.removes:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                for key in column.foreign_keys:
                    if key.column.table.name != entry.table_name or table.name == "change_history":
                        continue
                    key_column = list(table.primary_key.columns)[0]
                    ids = session.execute(
                        select(key_column).where(column == entry.row_id).limit(5)
                    ).scalars()
                    for row_id in ids:
                        if (table.name, row_id) not in removed:
                            raise UndoRefused(
                                _(
                                    "cannot undo {command}: {row} refers to {target}, which the "
                                    "undo would remove; remove it first"
                                ).format(
                                    command=command.describe(),
                                    row=row_name(table.name, row_id),
                                    target=_name(entry),
                                )
                            )
    for entry in command.entries:
        values = entry.old if entry.operation == "delete" else {}
        if entry.operation == "update":
            values = {k: entry.old.get(k) for k in entry.new or {}}
        table = SQLModel.metadata.tables[entry.table_name]
        for key, value in values.items():
            if value is None or key not in table.c:
                continue
            for foreign in table.c[key].foreign_keys:
                parent = foreign.column.table
                if (parent.name, value) in restored:
                    continue
                found = session.execute(
                    select(foreign.column).where(foreign.column == value)
                ).first()
                if found is None:
                    raise UndoRefused(
                        _(
                            "cannot undo {command}: {row} would refer to {target}, which is gone"
                        ).format(
                            command=command.describe(),
                            row=_name(entry),
                            target=row_name(parent.name, value),
                        )
                    )


def _within(on: date, span: dict[str, Any] | None) -> bool:
    if not span or span.get("start_on") is None:
        return False
    end = span.get("end_on")
    return date.fromisoformat(span["start_on"]) <= on and (
        end is None or on <= date.fromisoformat(end)
    )


def _hours_on_phases(session: Session, command: Command) -> None:
    """Refuse when hours logged by a later command lie on a phase the undo removes, or on the
    days an undone phase edit takes from it."""
    from veto.models import Activity

    undone = set(session.execute(_undone()).scalars())
    for entry in command.entries:
        if entry.table_name != "phase" or entry.operation == "delete":
            continue
        left = entry.new if entry.operation == "insert" else {**entry.old, **(entry.new or {})}
        after = None if entry.operation == "insert" else entry.old
        logged = session.exec(
            select(ChangeEntry).where(
                ChangeEntry.table_name == "activity",
                ChangeEntry.client_id == entry.client_id,
                col(ChangeEntry.command_id) > command.id,
                col(ChangeEntry.undoes).is_(None),
                col(ChangeEntry.operation).in_(["insert", "update"]),
            )
        )
        for change in logged:
            hours = session.get(Activity, change.row_id)
            if change.command_id in undone or hours is None:
                continue
            if _within(hours.on_date, left) and not _within(hours.on_date, after):
                raise UndoRefused(
                    _(
                        "cannot undo {command}: activity {id} ({hours} h on {day}) was logged "
                        "since on phase {phase}; remove or move it first"
                    ).format(
                        command=command.describe(),
                        id=hours.id,
                        hours=number(_plain(hours.hours)),
                        day=finnish(hours.on_date),
                        phase=entry.row_id,
                    )
                )


def _take_back(session: Session, command: Command, entry: ChangeEntry) -> None:
    model = _model(entry.table_name)
    row = _as_left(session, command, entry)
    if entry.operation == "insert":
        session.delete(row)
    elif entry.operation == "update":
        for key in entry.new or {}:
            setattr(row, key, _value(model, key, entry.old.get(key)))
        session.add(row)
    else:
        values = {k: _value(model, k, v) for k, v in entry.old.items()}
        session.add(model(**values))
    session.flush()  # one row at a time, newest first: the command's own order, reversed


def _clients(session: Session, command: Command) -> list[Client]:
    ids = sorted({e.client_id for e in command.entries if e.client_id is not None})
    return [c for c in (session.get(Client, i) for i in ids) if c is not None]


def take_back(session: Session, command: Command) -> None:
    """Undo `command` in the session's transaction (UndoRefused, nothing written, if it cannot
    be)."""
    for entry in command.removes:
        if entry.table_name == "client":
            # Erasure is the one way a person goes: it takes their history along, where an undo
            # would leave their name in the history under an id SQLite may give out again.
            raise UndoRefused(
                _(
                    "cannot undo {command}: it added client {client}, and a client "
                    "is removed only by erasure (veto client erase {client} --yes)"
                ).format(command=command.describe(), client=entry.row_id)
            )
    _later_changes(session, command)
    _references(session, command)
    _hours_on_phases(session, command)
    clients = _clients(session, command)
    session.info["undoes"] = command.id
    nested = session.begin_nested()
    try:
        with timelines_change(session, clients):
            for entry in reversed(command.entries):
                _take_back(session, command, entry)
    except sa_exc.IntegrityError as exc:
        nested.rollback()
        reason = str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__
        raise UndoRefused(
            _("cannot undo {command}: the store refused: {reason}").format(
                command=command.describe(), reason=reason
            )
        ) from None
    except WorkflowError as exc:
        nested.rollback()
        raise UndoRefused(
            _("cannot undo {command}: {reason}").format(command=command.describe(), reason=exc)
        ) from None
    finally:
        session.info["undoes"] = None
    nested.commit()
    ids: list[int | None] = [c.id for c in clients]
    for client_id in sorted(set(ids), key=lambda i: i or 0) or [None]:
        log_access(session, action="undo", client_id=client_id, record=f"command:{command.id}")


def check(session: Session, command: Command) -> str | None:
    """Why `take_back` would refuse `command` (None: it would go through); changes nothing."""
    nested = session.begin_nested()
    try:
        take_back(session, command)
    except UndoRefused as exc:
        return str(exc)
    finally:
        if nested.is_active:
            nested.rollback()
    return None

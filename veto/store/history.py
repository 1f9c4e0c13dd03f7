"""The change history (issue 12): every row a command inserts, and the previous version of every
row it updates or deletes, each under the command's id so that `veto undo` takes them back
together.

One place: `before_flush` (updates, deletes) and `after_flush` (inserts, once they have their
ids) are attached to every unit of work (`veto.store.database.transaction`), and
`insert_rows`/`record_bulk_updates` cover the paths that write by statement (the workbook
import). Rows the access log, the history itself and interrupted-form drafts hold are not a
coach's entries and are not kept. An erasure leaves one row that says so (`record_erasure`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# SQLAlchemy is imported where it is used: `encode_entry` serves the stdlib write path too.
NOT_KEPT = frozenset({"audit_log", "change_history", "capture_draft", "anonymous_stub"})
# PostgreSQL hands out command ids without making writers wait for one another; SQLite holds the
# write lock from BEGIN, so the next free number is safe there.
COMMAND_SEQUENCE = "change_history_command_seq"
CHUNK = 5000  # rows per executemany: bounds the parameters held at once


def clock() -> datetime:
    """When a change is kept (tools/readme.py pins it, so the README's transcripts stay true)."""
    return datetime.now(UTC)


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates ISO, decimals as text (exact, no trailing zeros)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value


# Values `_plain` returns as they are, told by their exact type (most values of a row): tested
# inline, they skip a call per value.
_AS_IS = frozenset({str, int, float, bool, type(None)})


def _plain_row(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v if type(v) in _AS_IS else _plain(v) for k, v in values.items()}


def _history_table():
    from veto.models import ChangeEntry

    return ChangeEntry.__table__


def command_id(session: Session) -> int:
    """The id of the command the session is running, given out when it first writes history."""
    if session.info.get("command_id") is None:
        from sqlalchemy import func, select, text

        conn = session.connection()
        if conn.dialect.name == "postgresql":
            found = conn.execute(text(f"SELECT nextval('{COMMAND_SEQUENCE}')")).scalar_one()
        else:
            column = _history_table().c.command_id
            found = conn.execute(select(func.coalesce(func.max(column), 0) + 1)).scalar_one()
        session.info["command_id"] = int(found)
    return session.info["command_id"]


def encode_entry(
    info: Mapping[str, Any],
    command: int,
    table: str,
    operation: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """One row of the change history, as both write paths store it (pure: no session, no
    driver). `info` holds the command's 'actor', 'command' and 'undoes' (a Session's info),
    `command` its id; `old`/`new` are the row's versions as column values."""
    return encode_entries(info, command, table, operation, [(old, new)])[0]


def encode_entries(
    info: Mapping[str, Any],
    command: int,
    table: str,
    operation: str,
    versions: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]],
) -> list[dict[str, Any]]:
    """The change history's rows of one command's `operation` on many rows of `table`, each
    `(old, new)` as `encode_entry` takes them: what is the same for every row is read once."""
    actor = info.get("actor") or "unknown"
    name, undoes = info.get("command"), info.get("undoes")
    client_key = "id" if table == "client" else "client_id"  # the client a row belongs to
    entries = []
    for old, new in versions:
        record = new if operation == "insert" and new is not None else old
        entries.append(
            {
                "at": clock(),
                "actor": actor,
                "command": name,
                "command_id": command,
                "undoes": undoes,
                "operation": operation,
                "table_name": table,
                "row_id": record.get("id"),
                "client_id": record.get(client_key),
                "old": _plain_row(old),
                "new": None if new is None else _plain_row(new),
            }
        )
    return entries


def _entry(
    session: Session, table: str, operation: str, old: dict, new: dict | None
) -> dict[str, Any]:
    return encode_entry(session.info, command_id(session), table, operation, old, new)


def _write(session: Session, entries: list[dict[str, Any]]) -> None:
    if entries:
        execute_many(session, _history_table(), entries)


def execute_many(session: Session, table, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` (all with the first row's keys) into `table` as SQLAlchemy would, but by
    one driver-level executemany per chunk: the statement is compiled once and each value goes
    through its column type's bind processor once (so what is stored is identical: JSON text,
    UTC timestamps), without SQLAlchemy's per-row parameter machinery, which cost an import of
    10 000 clients (33 446 history rows) some 2 s."""
    from sqlalchemy import insert

    conn = session.connection()
    keys = list(rows[0])
    compiled = _compiled_insert(conn.dialect, table, tuple(keys))
    if compiled.insert_prefetch:
        conn.execute(insert(table), rows)  # Python-side defaults to fill in: SQLAlchemy's way
        return
    processors: Mapping[str, Any] = compiled._bind_processors
    names = compiled.positiontup or list(compiled.bind_names.values())
    binds = [(name, compiled.binds[name].key, processors.get(name)) for name in names]
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        # column by column: one bind processor over a column's values, then rows by zip
        columns = []
        for _, key, process in binds:
            values = [r[key] for r in chunk]
            columns.append(values if process is None else list(map(process, values)))
        params: list[Any]
        if compiled.positional:
            params = list(zip(*columns, strict=True))
        else:
            named = [name for name, _, _ in binds]
            params = [
                dict(zip(named, values, strict=True)) for values in zip(*columns, strict=True)
            ]
        conn.exec_driver_sql(compiled.string, params)


# The INSERTs `execute_many` compiled, by dialect (one per engine) and (table, column keys):
# most flushes write a few history rows, and compiling the statement took longer than that.
_INSERTS: WeakKeyDictionary[Any, dict[tuple[Any, tuple[str, ...]], Any]] = WeakKeyDictionary()


def _compiled_insert(dialect: Any, table: Any, keys: tuple[str, ...]) -> Any:
    from sqlalchemy import insert

    known = _INSERTS.setdefault(dialect, {})
    if (table, keys) not in known:
        known[table, keys] = insert(table).compile(dialect=dialect, column_keys=list(keys))
    return known[table, keys]


def _versions(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The object's committed values and the changed columns' new values."""
    from sqlalchemy import inspect

    state = inspect(obj)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for column in state.mapper.column_attrs:
        history = state.attrs[column.key].history
        if history.deleted:
            old[column.key] = history.deleted[0]
            new[column.key] = history.added[0] if history.added else None
        else:
            old[column.key] = getattr(obj, column.key)
    return old, new


def _kept(obj: Any) -> str | None:
    table = getattr(obj, "__tablename__", None)
    return None if table in NOT_KEPT else table


def before_flush(session: Session, _context, _instances) -> None:
    entries = []
    for obj in session.dirty:
        table = _kept(obj)
        if table is None or not session.is_modified(obj):
            continue
        old, new = _versions(obj)
        changed = {k: v for k, v in new.items() if _plain(v) != _plain(old[k])}
        if changed:
            entries.append(_entry(session, table, "update", old, changed))
    for obj in session.deleted:
        table = _kept(obj)
        if table is not None:
            entries.append(_entry(session, table, "delete", _versions(obj)[0], None))
    _write(session, entries)


def after_flush(session: Session, _context) -> None:
    """The rows the flush inserted, as written (their ids are known only now)."""
    from sqlalchemy import inspect

    entries = []
    for obj in session.new:
        table = _kept(obj)
        if table is None:
            continue
        state = inspect(obj)
        values = {
            c.key: state.dict[c.key] for c in state.mapper.column_attrs if c.key in state.dict
        }
        entries.append(_entry(session, table, "insert", {}, values))
    _write(session, entries)


def insert_rows(session: Session, table, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` by statement (one executemany) and keep each as the command's insert.

    The rows get their ids before the INSERT (`_reserve_ids`): asking them back by RETURNING in
    parameter order makes SQLAlchemy send one statement per row on SQLite, which cost an import
    of 10 000 clients some 2 s of its 5."""
    if not rows:
        return
    from sqlalchemy import insert

    if table.name in NOT_KEPT:
        session.execute(insert(table), rows)
        return
    ids = iter(_reserve_ids(session, table, sum(r.get("id") is None for r in rows)))
    rows = [r if r.get("id") is not None else {**r, "id": next(ids)} for r in rows]
    execute_many(session, table, rows)
    entries = encode_entries(
        session.info, command_id(session), table.name, "insert", [({}, r) for r in rows]
    )
    _write(session, entries)


def _reserve_ids(session: Session, table, count: int) -> list[int]:
    """`count` ids for new rows of `table`: from its sequence on PostgreSQL (concurrent writers
    never get the same), after the highest id on SQLite (which holds the write lock from BEGIN,
    as `command_id` relies on too)."""
    from sqlalchemy import func, select, text

    conn = session.connection()
    if conn.dialect.name == "postgresql":
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar_one()
        reserved = conn.execute(
            text("SELECT nextval(:sequence) FROM generate_series(1, :count)"),
            {"sequence": sequence, "count": count},
        )
        return [int(i) for i in reserved.scalars()]
    first = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
    return list(range(first, first + count))


def record_bulk_updates(session: Session, table, rows: list[dict[str, Any]]) -> None:
    """Before an UPDATE by primary key of `rows` (each with its `id`): keep their old versions."""
    if not rows or table.name in NOT_KEPT:
        return
    from sqlalchemy import select

    entries = []
    chunk = 500
    by_id = {row["id"]: row for row in rows}
    ids = list(by_id)
    for start in range(0, len(ids), chunk):
        query = select(table).where(table.c.id.in_(ids[start : start + chunk]))
        for stored in session.connection().execute(query).mappings():
            old = dict(stored)
            changed = {
                k: v
                for k, v in by_id[old["id"]].items()
                if k != "id" and _plain(v) != _plain(old.get(k))
            }
            if changed:
                entries.append(_entry(session, table.name, "update", old, changed))
    _write(session, entries)


def record_erasure(session: Session, client_id: int | None) -> None:
    """Before a client's history is erased: one row (numbers and the actors' names only, no
    client) that says so and which commands' rows go, so that `veto undo` can tell why it cannot
    take them back. The database keeps it: it belongs to no client."""
    from sqlalchemy import select

    history = _history_table()
    gone = session.connection().execute(
        select(history.c.actor, history.c.command_id)
        .where(history.c.client_id == client_id, history.c.command_id.is_not(None))
        .distinct()
    )
    commands = sorted([actor, command] for actor, command in gone)
    entry = _entry(session, "client", "erase", {"commands": commands}, None)
    _write(session, [{**entry, "row_id": client_id, "client_id": None}])

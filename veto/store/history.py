"""The change history (issue 12): the previous version of every row a command updates or deletes.

One place: a `before_flush` listener on every unit of work (`veto.store.database.transaction`)
reads the committed values of the dirty and deleted instances, and `record_bulk_updates` covers
the one path that updates by statement (the workbook import). Rows the access log, the history
itself and interrupted-form drafts hold are not a coach's entries and are not kept.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, inspect

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

NOT_KEPT = frozenset({"audit_log", "change_history", "capture_draft", "anonymous_stub"})


def _plain(value: Any) -> Any:
    """A value as JSON holds it: dates ISO, decimals as text (exact, no trailing zeros)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return value


def _client_of(table: str, values: dict[str, Any]) -> int | None:
    return values.get("id") if table == "client" else values.get("client_id")


def _entry(info: dict[str, Any], table: str, operation: str, old: dict, new: dict | None):
    return {
        "at": datetime.now(UTC),
        "actor": info.get("actor") or "unknown",
        "command": info.get("command"),
        "operation": operation,
        "table_name": table,
        "row_id": old.get("id"),
        "client_id": _client_of(table, old),
        "old": {k: _plain(v) for k, v in old.items()},
        "new": None if new is None else {k: _plain(v) for k, v in new.items()},
    }


def _versions(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The object's committed values and the changed columns' new values."""
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


def before_flush(session: Session, _context, _instances) -> None:
    entries = []
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table in NOT_KEPT or table is None or not session.is_modified(obj):
            continue
        old, new = _versions(obj)
        changed = {k: v for k, v in new.items() if _plain(v) != _plain(old[k])}
        if changed:
            entries.append(_entry(session.info, table, "update", old, changed))
    for obj in session.deleted:
        table = getattr(obj, "__tablename__", None)
        if table in NOT_KEPT or table is None:
            continue
        entries.append(_entry(session.info, table, "delete", _versions(obj)[0], None))
    if entries:
        from veto.models import ChangeEntry

        session.connection().execute(insert(ChangeEntry.__table__), entries)


def record_bulk_updates(session: Session, table, rows: list[dict[str, Any]]) -> None:
    """Before an UPDATE by primary key of `rows` (each with its `id`): keep their old versions."""
    if not rows or table.name in NOT_KEPT:
        return
    from sqlalchemy import select

    from veto.models import ChangeEntry

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
                entries.append(_entry(session.info, table.name, "update", old, changed))
    if entries:
        session.connection().execute(insert(ChangeEntry.__table__), entries)

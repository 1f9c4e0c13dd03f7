"""How a workbook row finds the stored record it is: by its id, else by its natural key.

Every exported row carries its record's id in the hidden Tunniste column, and the workbook
carries the mark of the store it came from (a custom document property, which Excel and
LibreOffice keep). In a workbook of this store a row with an id *is* that record, whatever its
cells now say, so a corrected cell updates it. A row without an id (typed by a coach, or from a
workbook exported before ids) is paired by its natural key, identical rows in order, as before.
In a workbook of another store the ids name nothing here: rows are paired by natural key, and
the ids only tell two identical rows apart (two records, not one typed twice).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from veto.workbook.layout import RECORD_ID

# The custom document property that names the store a workbook was exported from.
STORE_PROPERTY = "veto-store"


def store_mark(session: Session) -> str | None:
    """A mark of this store that never changes: from its first access-log row, which is
    append-only (None while the store has none; an export writes one first)."""
    from veto.models import AuditEntry

    first = session.execute(
        select(col(AuditEntry.id), col(AuditEntry.at)).order_by(col(AuditEntry.id)).limit(1)
    ).first()
    if first is None:
        return None
    at = first.at
    if isinstance(at, datetime) and at.tzinfo is not None:  # PostgreSQL: in the session's zone
        at = at.astimezone(UTC).replace(tzinfo=None)
    text = f"{first.id}|{at.isoformat() if isinstance(at, datetime) else at}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def snapshot(model):
    """Every stored row of `model` without its creation time, which nothing here compares
    and which costs a third of reading a big table on SQLite (text to datetime)."""
    return select(*(c for c in model.__table__.c if c.name != "created_at"))


def stored_value(value: Any) -> Any:
    """A stored value as the workbook would give it back (text stripped, '' as nothing)."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def hours_key(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


def by_key(rows: Iterable[dict], key: Callable[[dict], tuple]) -> dict[tuple, list[dict]]:
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


class Pool:
    """The stored records of one sheet, to pair the sheet's rows with: each record once."""

    def __init__(self, rows: Iterable[dict], key: Callable[[dict], tuple]) -> None:
        self.rows = list(rows)
        self.by_id = {row["id"]: row for row in self.rows}
        self.key = key
        self.free = by_key(self.rows, key)
        self.taken: set[int] = set()

    def claim(self, record_id: int) -> dict | None:
        """The record of `record_id` (None: no such record), no longer free for a natural key."""
        row = self.by_id.get(record_id)
        if row is not None and row["id"] not in self.taken:
            self.taken.add(row["id"])
            bucket = self.free.get(self.key(row), [])
            bucket[:] = [r for r in bucket if r["id"] != row["id"]]
        return row

    def pair(self, key: tuple) -> dict | None:
        """The next free stored record with natural `key`."""
        bucket = self.free.get(key)
        if not bucket:
            return None
        row = bucket.pop(0)
        self.taken.add(row["id"])
        return row

    def missing(self) -> list[dict]:
        """The stored records no row was paired with, in id order."""
        return [row for row in self.rows if row["id"] not in self.taken]


def record_id(values: dict[str, Any]) -> int | None:
    return values.get(RECORD_ID)

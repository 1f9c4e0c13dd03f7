"""Hand-written SQL in the command's one transaction, for the reports that read the whole store.

Importing SQLAlchemy, SQLModel and the models takes a Python process about 0.6 s, longer than
the pilot report's query over 100,000 clients. A report whose figures are one SQL statement
does not need them: on a SQLite store it runs on the stdlib driver, with the same pragmas, the
same `BEGIN IMMEDIATE` and the same all-or-nothing commit as every other command (an encrypted
store through the sqlcipher3 binding, `veto.store.cipher`, which is the same driver). On PostgreSQL,
and inside a `veto batch` (whose lines share one session), the same SQL runs through the
SQLAlchemy session instead. Either way the caller sees one `Work`: `dialect`, `rows()` and
`append()`.

SQL given to `rows()` names its parameters `:name`; both paths accept that form.
"""

from __future__ import annotations

import sqlite3
import sys
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from veto.store import cipher
from veto.store.location import StoreLocation
from veto.store.sqlite import TIMEOUT_SECONDS, configure

if TYPE_CHECKING:
    from sqlmodel import Session


class Work(Protocol):
    """One command's unit of work on the store, at the level of SQL."""

    dialect: str  # 'sqlite' or 'postgresql'
    info: dict[str, Any]  # 'actor' and 'purpose', as on a Session

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
        """The rows of a query, each a named tuple of its columns (`row.label`)."""
        ...

    def append(self, table: str, values: Mapping[str, Any]) -> None:
        """Insert one row."""
        ...


class SessionWork:
    """A `Work` over a SQLAlchemy session (PostgreSQL, a batch, the demo, the workbook)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.dialect = session.get_bind().dialect.name
        self.info = session.info

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
        from sqlalchemy import text

        self.session.flush()  # what this unit of work added through the ORM is seen here too
        values = dict(params or {})
        if self.dialect == "sqlite":  # as the stdlib path binds them (no deprecated adapters)
            values = {k: _sqlite_value(v) for k, v in values.items()}
        return self.session.execute(text(sql), values).all()

    def append(self, table: str, values: Mapping[str, Any]) -> None:
        from sqlmodel import SQLModel

        import veto.models  # noqa: F401 (defines the tables in SQLModel.metadata)

        self.session.execute(SQLModel.metadata.tables[table].insert().values(**values))


def session_of(work: Work) -> Session:
    """The SQLAlchemy session under `work`, for a step that needs the ORM (`orm=True`)."""
    if not isinstance(work, SessionWork):
        raise TypeError("this work runs on the stdlib driver: open it with orm=True")
    return work.session


def as_date(value: date | str | None) -> date | None:
    """A date column of a row from `rows()`: SQLite gives its ISO text, PostgreSQL a date."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def as_datetime(value: datetime | str) -> datetime:
    """A time column (stored as UTC, naive) of a row from `rows()`, as an aware UTC time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _sqlite_value(value: Any) -> Any:
    """A parameter as SQLAlchemy stores it in SQLite: dates and times as ISO text."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's DateTime, naive
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):  # SQLAlchemy's Numeric on SQLite
        return float(value)
    return value


class SqliteWork:
    """A `Work` over a stdlib sqlite3 connection in an immediate transaction."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection, info: dict[str, Any]) -> None:
        self.connection = connection
        self.info = info

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
        values = {k: _sqlite_value(v) for k, v in (params or {}).items()}
        cursor = self.connection.execute(sql, values)
        row = _row_type(tuple(d[0] for d in cursor.description))
        return [row._make(record) for record in cursor]

    def append(self, table: str, values: Mapping[str, Any]) -> None:
        columns = ", ".join(values)
        marks = ", ".join(f":{c}" for c in values)
        self.connection.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            {k: _sqlite_value(v) for k, v in values.items()},
        )


@lru_cache(maxsize=256)
def _row_type(columns: tuple[str, ...]) -> Any:
    """The named tuple of a query's columns, made once (making one takes ~0,1 ms)."""
    return namedtuple("Row", columns)  # type: ignore[misc]


def _outer_session() -> Session | None:
    # A `veto batch` keeps its session in veto.store.database; if that module was never
    # imported, there is no session to join (and no reason to import SQLAlchemy to find out).
    database = sys.modules.get("veto.store.database")
    return database._current.get() if database is not None else None


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except cipher.driver_of(connection).OperationalError:  # no such table: not yet a store
        return None
    return row[0] if row else None


def _is_current(connection: sqlite3.Connection) -> bool:
    """Stamped HEAD and holding every table of HEAD (a stamp alone can claim tables it lacks)."""
    from veto.store.migrations import HEAD, HEAD_TABLES, TABLE_NAMES_SQL

    if _revision(connection) != HEAD:
        return False
    return HEAD_TABLES <= {r[0] for r in connection.execute(TABLE_NAMES_SQL["sqlite"])}


@contextmanager
def direct_transaction(location: StoreLocation, *, actor: str) -> Iterator[Work]:
    """The command's one transaction, as a `Work`: committed when the block succeeds, rolled
    back on any error."""
    outer = _outer_session()
    if outer is not None or location.path is None:
        from veto.store.database import transaction

        with transaction(location, actor=actor) as session:
            yield SessionWork(session)
        return
    if not location.path.exists():
        _prepare(location)
    connection = cipher.connect(location.path, timeout=TIMEOUT_SECONDS)
    try:
        configure(connection)
        connection.execute("BEGIN IMMEDIATE")
        if not _is_current(connection):
            connection.execute("ROLLBACK")
            _prepare(location)
            connection.execute("BEGIN IMMEDIATE")
        try:
            yield SqliteWork(connection, {"actor": actor})
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:  # SQLite may have rolled back on its own (disk full)
                connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


def _prepare(location: StoreLocation) -> None:
    """Create the private file or migrate it, as every command's engine does on open."""
    from veto.store.database import engine_for

    engine_for(location)


def writes_directly(location: StoreLocation) -> bool:
    """Whether a write command runs on the stdlib driver: a SQLite store, outside `veto batch`
    (whose lines share one session) and PostgreSQL (which keep the ORM path)."""
    return _outer_session() is None and location.path is not None


def insert_kept(work: SqliteWork, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """INSERT `row` (every column of `table`, in the table's order; `id` None for a new one) and
    keep it in the change history under the command's id, as the ORM's `after_flush` does: the
    row as written, encoded by `veto.store.history.encode_entry`. Returns the row with its id."""
    import json

    from veto.store.history import encode_entry

    values = {k: v for k, v in row.items() if not (k == "id" and v is None)}
    cursor = work.connection.execute(
        f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join(':' + c for c in values)})",
        {k: _sqlite_value(v) for k, v in values.items()},
    )
    written = {**row, "id": cursor.lastrowid}
    if work.info.get("command_id") is None:  # SQLite holds the write lock from BEGIN
        found = work.rows("SELECT coalesce(max(command_id), 0) + 1 AS n FROM change_history")
        work.info["command_id"] = found[0].n
    entry = encode_entry(work.info, work.info["command_id"], table, "insert", {}, written)
    entry["old"] = json.dumps(entry["old"])  # as SQLAlchemy's JSON type stores it
    entry["new"] = json.dumps(entry["new"])
    work.append("change_history", entry)
    return written

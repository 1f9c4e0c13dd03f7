"""Opening the store: a private SQLite file (or PostgreSQL), pragmas, migrations, transactions.

Every command runs inside exactly one `transaction()`: it commits when the command succeeds and
rolls back on any error, so a refused command leaves the store unchanged. `veto batch` opens one
outer transaction and every line joins it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from veto.store.location import StoreLocation

_engines: dict[str, Engine] = {}
_current: ContextVar[Session | None] = ContextVar("veto_session", default=None)


def _create_private_file(path: Path) -> None:
    """Create the SQLite file with mode 0600 (and its folder 0700) before SQLite opens it;
    SQLite gives its -wal and -shm files the same mode as the database file."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # veto issues BEGIN itself (below), so the driver must not open transactions of its own.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _begin_immediate(conn) -> None:
    """Take the write lock when the command starts: every command writes (at least its access-log
    row), and a deferred transaction that reads first could not wait for another coach's write."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def engine_for(location: StoreLocation) -> Engine:
    """The engine for a store, created once per process, migrated to the current schema."""
    if location.url in _engines:
        return _engines[location.url]
    if location.path is not None:
        _create_private_file(location.path)
        engine = create_engine(location.url, connect_args={"timeout": 5.0})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    else:
        engine = create_engine(location.url, pool_pre_ping=False)
    from veto.store.migrations import migrate

    migrate(engine)
    _engines[location.url] = engine
    return engine


def dispose_all() -> None:
    """Close every engine (tests and `veto db` commands that replace the file)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()


@contextmanager
def transaction(location: StoreLocation, *, actor: str) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on error.

    Inside an outer transaction (a `veto batch`), join it instead of opening another.
    """
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    session = Session(engine_for(location), expire_on_commit=False)
    session.info["actor"] = actor
    token = _current.set(session)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _current.reset(token)
        session.close()

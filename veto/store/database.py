"""Opening the store: a private SQLite file (or PostgreSQL), pragmas, migrations, transactions.

Every command runs inside exactly one `transaction()`: it commits when the command succeeds and
rolls back on any error, so a refused command leaves the store unchanged. `veto batch` opens one
outer transaction and every line joins it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from veto.store import cipher
from veto.store.history import after_flush as keep_inserts
from veto.store.history import before_flush as keep_previous_versions
from veto.store.location import StoreLocation
from veto.store.sqlite import TIMEOUT_SECONDS, configure, create_private_file, release_held

_engines: dict[str, Engine] = {}
_current: ContextVar[Session | None] = ContextVar("veto_session", default=None)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    configure(dbapi_connection)


def _begin_immediate(conn) -> None:
    """Take the write lock when the command starts: every command writes (at least its access-log
    row), and a deferred transaction that reads first could not wait for another coach's write."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_engine(location: StoreLocation, *, encrypt: bool) -> Engine:
    path = location.path
    assert path is not None
    if not (encrypt or cipher.is_encrypted(path)):
        return create_engine(location.url, connect_args={"timeout": TIMEOUT_SECONDS})
    key = cipher.key_for(path, new=encrypt)

    def keyed_connection():
        return cipher.open_encrypted(path, key, timeout=TIMEOUT_SECONDS)

    # SQLAlchemy's SQLite dialect over the sqlcipher3 module: its exceptions are wrapped (and
    # reported) exactly as the stdlib driver's are.
    return create_engine(location.url, module=cipher.sqlcipher_module(), creator=keyed_connection)


def engine_for(location: StoreLocation, *, encrypt: bool = False) -> Engine:
    """The engine for a store, created once per process, migrated to the current schema. With
    `encrypt`, a new SQLite store is created encrypted (`veto init --encrypt`)."""
    if location.url in _engines:
        return _engines[location.url]
    if location.path is not None:
        create_private_file(location.path)
        engine = _sqlite_engine(location, encrypt=encrypt)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    else:
        engine = create_engine(location.url, pool_pre_ping=False)
    from veto.store.migrations import migrate

    migrate(engine)
    _engines[location.url] = engine
    return engine


def take_turns(session: Session, name: str) -> None:
    """Make commands that reach this point with the same `name` take turns until their
    transactions end, so that a value read here (the highest client number) cannot be read
    twice. SQLite needs nothing: every command holds the write lock from its BEGIN."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": name})


def dispose_all() -> None:
    """Close every engine, and the connections `veto shell` holds (tests and `veto db` commands
    that replace the file)."""
    for engine in _engines.values():
        engine.dispose()
    _engines.clear()
    release_held()


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
    event.listen(session, "before_flush", keep_previous_versions)
    event.listen(session, "after_flush", keep_inserts)
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

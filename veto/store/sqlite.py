"""What a SQLite store needs from every connection, whoever opens it: SQLAlchemy's engine
(`veto.store.database`) or the stdlib driver directly (`veto.store.direct`). Imports no
SQLAlchemy."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# WAL lets coaches read while one writes; FULL makes a commit survive a power cut; the busy
# timeout makes a second writer wait for the first instead of failing.
PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
)
TIMEOUT_SECONDS = 5.0


def create_private_file(path: Path) -> None:
    """Create the SQLite file with mode 0600 (and its folder 0700) before SQLite opens it;
    SQLite gives its -wal and -shm files the same mode as the database file."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def configure(dbapi_connection) -> None:
    """Set the pragmas on a new connection of the stdlib driver. veto issues BEGIN itself
    (`BEGIN IMMEDIATE`), so the driver must not open transactions of its own."""
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    for pragma in PRAGMAS:
        cur.execute(pragma)
    cur.close()


# Idle connections a long-lived process holds to its stores (`hold_open`), by file.
_held: dict[Path, Any] = {}


def hold_open(path: Path) -> None:
    """Keep one idle stdlib connection to the plain SQLite store at `path` (`veto shell`, between
    its lines). SQLite empties the WAL into the database file, and syncs it, whenever the last
    connection to a store closes; each command opens and closes its own connection, so without
    this each line of a shell paid that. The held connection reads nothing after opening and
    holds no lock, as an ORM engine's pooled connection does, and like those it is closed by
    `release_held()` (called by `veto.store.database.dispose_all`) before a command replaces or
    removes the file."""
    if path in _held:
        return
    import sqlite3

    connection = sqlite3.connect(path, timeout=TIMEOUT_SECONDS)
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # opens the WAL index
    except BaseException:
        connection.close()
        raise
    _held[path] = connection


def release_held() -> None:
    """Close every connection `hold_open` keeps."""
    while _held:
        _, connection = _held.popitem()
        connection.close()

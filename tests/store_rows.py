"""A new store in every example of a property test, without building it again (`fresh_store`)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

_BUILT: dict[tuple, bytes] = {}


def fresh_store(path: Path, key: tuple, build: Callable[[], object] = lambda: None) -> None:
    """Make the SQLite store at `path` new, holding what `build()` (commands or library calls on
    that store) leaves in a new store there; for a property test that wants a fresh store in
    every example. The first call with `key` runs `build` on a new file (veto creates it, from
    the session's template) and keeps the file's bytes; each later one puts those bytes back in
    the file: the same rows, ids and history, without running `build` again. `key` names
    everything `build` depends on (the acting user, for one).

    The process's engine for `path` is kept (its pool closed first, so no connection has the old
    file open): a new engine per example, with SQLAlchemy's statement caches empty again, cost
    more than the example's own commands. The store's -wal and -shm go with the old file."""
    from veto.store.database import _engines
    from veto.store.location import sqlite_location

    url = sqlite_location(path, "test").url
    if url in _engines:
        _engines[url].dispose()  # the pool's connections closed; the engine and its caches stay
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if key not in _BUILT:
        # A store made from nothing, as veto makes one: by a new engine on a new file.
        _engines.pop(url, None)
        path.unlink(missing_ok=True)
        build()
        if url in _engines:
            _engines[url].dispose()  # the last connection's close folds the write-ahead log in
        _BUILT[key] = path.read_bytes()
        return
    fd = os.open(path, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(_BUILT[key])

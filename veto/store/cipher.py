"""Encrypted SQLite stores (SQLCipher): telling one from a plain file, finding its key, opening it.

A plain SQLite file begins with the 16 bytes "SQLite format 3\\0"; an SQLCipher file begins with
its random salt. Every way veto opens a store file (SQLAlchemy's engine, the reports' stdlib
path, backups and checks) asks `connect()` here, which opens a plain file with the stdlib driver
and an encrypted one with the `sqlcipher3` binding and its key. The key is a passphrase
(SQLCipher derives the page key from it with PBKDF2): VETO_KEY, else the OS keyring (service
"veto", user the store's path), else a prompt when veto runs in a terminal. Imports no
SQLAlchemy.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from veto.errors import InputError
from veto.i18n import _
from veto.store.location import sqlite_uri

PLAIN_HEADER = b"SQLite format 3\x00"
KEYRING_SERVICE = "veto"

_keys: dict[Path, str] = {}  # asked once per process, whatever opens the store next


def is_encrypted(path: Path) -> bool:
    """True when `path` is a store file that is not plain SQLite (an empty file is plain: SQLite
    writes its header with the first page)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return False
    return len(head) > 0 and head != PLAIN_HEADER


def sqlcipher_module() -> ModuleType:
    from sqlcipher3 import dbapi2

    return dbapi2


def driver_of(connection: Any) -> ModuleType:
    """The DB-API module of a connection from `connect()`, for its exception classes."""
    return sqlcipher_module() if type(connection).__module__.startswith("sqlcipher3") else sqlite3


def database_errors() -> tuple[type[Exception], ...]:
    """`DatabaseError` of every driver loaded in this process (sqlite3, and sqlcipher3 if used)."""
    errors: list[type[Exception]] = [sqlite3.DatabaseError]
    if (loaded := sys.modules.get("sqlcipher3.dbapi2")) is not None:
        errors.append(loaded.DatabaseError)
    return tuple(errors)


def _from_keyring(path: Path) -> str | None:
    """The key kept in the OS keyring for this store, or None when there is no keyring (no
    backend, no session bus, a locked or refusing keyring: none of them stops veto)."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, str(path)) or None
    except Exception:
        return None


def _prompt(path: Path, *, new: bool) -> str | None:
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    import getpass

    key = getpass.getpass(_("Key for {path}: ").format(path=path), stream=sys.stderr)
    again = _("The same key again: ")
    if new and key and getpass.getpass(again, stream=sys.stderr) != key:
        raise InputError(_("the two keys differ: nothing was changed"))
    return key


def key_for(path: Path, *, new: bool = False) -> str:
    """The key of the store at `path` (for `new`, the key to encrypt it with): VETO_KEY, the OS
    keyring, or a prompt in a terminal. Raises InputError when there is none."""
    path = Path(path)
    if path in _keys:
        return _keys[path]
    key = os.environ.get("VETO_KEY") or _from_keyring(path) or _prompt(path, new=new)
    if not key:
        where = _(
            "set VETO_KEY, keep it in the OS keyring (service '{service}', user "
            "the store's path) or type it in a terminal"
        ).format(service=KEYRING_SERVICE)
        if new:
            raise InputError(
                _("no key to encrypt {path} with: {where}").format(path=path, where=where)
            )
        raise InputError(
            _("{path} is not plain SQLite: if it is an encrypted store, {where}").format(
                path=path, where=where
            )
        )
    _keys[path] = key
    return key


def forget_keys() -> None:
    """Forget the keys asked for so far, and the page keys derived from them (tests, and after
    `db decrypt`)."""
    _keys.clear()
    _page_key.cache_clear()


def _literal(key: str) -> str:
    return "'" + key.replace("'", "''") + "'"


# SQLCipher 4's key derivation (its defaults, which veto's stores use): the page key is
# PBKDF2-HMAC-SHA512 of the passphrase with the store's salt (its first 16 bytes).
KDF_ROUNDS = 256_000
_raw_keys = [True]  # False once a raw key failed where the passphrase worked: stop trying them


@lru_cache(maxsize=16)
def _page_key(key: str, salt: bytes) -> str:
    """The page key SQLCipher derives from the passphrase `key` for the store with `salt`, as
    hex: derived once per process here, so that every further connection to the store is keyed
    with it directly (SQLCipher spends ~0,1 s CPU deriving it on each connection)."""
    return hashlib.pbkdf2_hmac("sha512", key.encode("utf-8"), salt, KDF_ROUNDS, 32).hex()


def _salt(path: Path) -> bytes | None:
    """The salt an encrypted store begins with; None for a new (empty) or plain file."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return None
    return head if len(head) == 16 and head != PLAIN_HEADER else None


def _readable(connection: Any) -> bool:
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher_module().DatabaseError:
        return False
    return True


def open_encrypted(
    path: Path, key: str, *, timeout: float = 5.0, read_only: bool = False, check: bool = True
) -> Any:
    """A sqlcipher3 connection to `path`, keyed. With `check`, proves the key by reading the
    schema and raises InputError for a wrong key (or a file that is no database at all).

    An existing store is keyed with the page key derived from the passphrase (`_page_key`),
    once per process; if that does not open it, with the passphrase, as SQLCipher derives it."""
    sqlcipher = sqlcipher_module()
    target = sqlite_uri(Path(path), mode="ro") if read_only else str(path)

    def connected() -> Any:
        connection = sqlcipher.connect(target, timeout=timeout, uri=read_only)
        # SQLCipher writes its own error lines on stderr for a wrong key; veto says one itself.
        connection.execute("PRAGMA cipher_log_level = NONE")
        return connection

    salt = _salt(Path(path)) if check and _raw_keys[0] else None
    if salt is not None:
        connection = connected()
        connection.execute(f"PRAGMA key = \"x'{_page_key(key, salt)}'\"")
        if _readable(connection):
            return connection
        connection.close()
    connection = connected()
    connection.execute(f"PRAGMA key = {_literal(key)}")
    if check:
        if not _readable(connection):
            connection.close()
            _keys.pop(Path(path), None)
            raise InputError(
                _(
                    "wrong key for the encrypted store {path} (or the file is not a veto store): "
                    "give the key it was encrypted with in VETO_KEY, the OS keyring or the prompt"
                ).format(path=path)
            ) from None
        if salt is not None:  # the passphrase opened it, its page key did not
            _raw_keys[0] = False
    return connection


def connect(path: Path, *, timeout: float = 5.0, read_only: bool = False) -> Any:
    """A DB-API connection to the store file: stdlib sqlite3 for a plain file, sqlcipher3 with
    its key for an encrypted one."""
    if is_encrypted(path):
        return open_encrypted(path, key_for(path), timeout=timeout, read_only=read_only)
    if read_only:
        return sqlite3.connect(sqlite_uri(Path(path), mode="ro"), uri=True)
    return sqlite3.connect(path, timeout=timeout)


def _tables(connection: Any, schema: str) -> dict[str, int]:
    names = [
        r[0]
        for r in connection.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        n: connection.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0] for n in names
    }


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rewrite(path: Path, *, old_key: str | None, new_key: str | None) -> dict[str, int]:
    """Rewrite the store at `path` with another key (None: plain SQLite) and return the row
    count of every table, the same before and after.

    SQLCipher's `sqlcipher_export` copies schema and rows into a new private file beside the
    store, which then replaces the store in one rename; the old file's -wal and -shm are gone
    first, because the store is switched out of WAL mode, which SQLite allows only when no
    other connection has it open."""
    sqlcipher = sqlcipher_module()
    path = Path(path)
    if old_key is not None:
        source = open_encrypted(path, old_key)
    else:
        source = sqlcipher.connect(str(path), timeout=5.0)
    temporary = path.with_name(f".{path.name}.rewrite-{os.getpid()}")
    try:
        source.isolation_level = None
        try:
            mode = source.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except sqlcipher.OperationalError:
            mode = None
        if mode != "delete":
            raise InputError(
                _(
                    "{path} is in use by another veto or program: close it and run this again"
                ).format(path=path)
            )
        before = _tables(source, "main")
        temporary.unlink(missing_ok=True)
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        source.execute("ATTACH DATABASE ? AS rewritten KEY ?", (str(temporary), new_key or ""))
        source.execute("SELECT sqlcipher_export('rewritten')")
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA rewritten.user_version = {int(version)}")
        after = _tables(source, "rewritten")
        source.execute("DETACH DATABASE rewritten")
        if after != before:  # never replace the store with a copy that lost a row
            raise InputError(
                _("the rewritten copy of {path} differs from it: nothing was changed").format(
                    path=path
                )
            )
        _fsync(temporary)
        os.replace(temporary, path)
        _fsync(path.parent)
    finally:
        source.close()
        temporary.unlink(missing_ok=True)
    _keys.pop(path, None)
    if new_key is not None:
        _keys[path] = new_key
    return before


def create_encrypted(path: Path, key: str) -> None:
    """Write the first page of a new, empty encrypted store at `path` (an empty or missing
    file), so that every later open knows it is encrypted."""
    from veto.store.sqlite import create_private_file

    create_private_file(path)
    connection = open_encrypted(path, key)
    try:
        connection.execute("PRAGMA user_version = 0")
    finally:
        connection.close()
    _keys[Path(path)] = key

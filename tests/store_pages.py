"""The bytes a SQLite store keeps on disk, readable: for a plain store the files themselves, for
an SQLCipher store every page of the file and of each -wal frame decrypted with its key, free
pages and superseded frames included. A test that greps these for a name proves the name is
gone from the disk, not just from the rows (`sqlcipher_export` would copy live rows only)."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from veto.store import cipher

# SQLCipher 4 keeps, at the end of every page, a 16-byte IV and a 64-byte HMAC-SHA512 (80
# bytes, already a multiple of the AES block); page 1 starts with the 16-byte salt instead of
# SQLite's header. WAL: a 32-byte header, then frames of a 24-byte header and one page.
_IV, _HMAC, _SALT = 16, 64, 16
_WAL_HEADER, _FRAME_HEADER = 32, 24


def _settings(path: Path) -> tuple[bytes, int]:
    """The page key (PBKDF2-HMAC-SHA512 of the passphrase over the file's salt) and page size."""
    connection = cipher.connect(path)
    try:
        assert connection.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0] == "HMAC_SHA512"
        assert (
            connection.execute("PRAGMA cipher_kdf_algorithm").fetchone()[0] == "PBKDF2_HMAC_SHA512"
        )
        rounds = int(connection.execute("PRAGMA kdf_iter").fetchone()[0])
        size = int(connection.execute("PRAGMA cipher_page_size").fetchone()[0])
    finally:
        connection.close()
    salt = path.read_bytes()[:_SALT]
    passphrase = cipher.key_for(path).encode()
    return hashlib.pbkdf2_hmac("sha512", passphrase, salt, rounds, 32), size


def _page(data: bytes, key: bytes, *, first: bool) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    end = len(data) - _IV - _HMAC
    decryptor = Cipher(algorithms.AES(key), modes.CBC(data[end : end + _IV])).decryptor()
    return decryptor.update(data[_SALT if first else 0 : end]) + decryptor.finalize()


def readable_bytes(db: Path) -> bytes:
    """The store's -wal and -shm included, decrypted where the store is encrypted."""
    files = [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm")]
    if not cipher.is_encrypted(db):
        return b"".join(f.read_bytes() for f in files if f.exists())
    key, size = _settings(db)
    data = db.read_bytes()
    pages = [_page(data[o : o + size], key, first=o == 0) for o in range(0, len(data), size)]
    wal, shm = files[1], files[2]
    if wal.exists():
        frames = wal.read_bytes()
        offset = _WAL_HEADER
        while offset + _FRAME_HEADER + size <= len(frames):
            (number,) = struct.unpack(">I", frames[offset : offset + 4])
            start = offset + _FRAME_HEADER
            pages.append(_page(frames[start : start + size], key, first=number == 1))
            offset = start + size
    if shm.exists():  # the WAL index: page numbers, no page content, never encrypted
        pages.append(shm.read_bytes())
    return b"".join(pages)

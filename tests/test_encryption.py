"""Encrypted stores (SQLCipher): `veto db encrypt|decrypt`, `veto init --encrypt`, the key from
VETO_KEY, the keyring or a prompt, and every path of the store on an encrypted file. The whole
suite also runs encrypted (VETO_TEST_ENCRYPTED=1, see conftest)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from tests.conftest import encrypted_run, snapshot
from veto.store import cipher, database, sqlite
from veto.store.cipher import PLAIN_HEADER

NAME = "Sanna Salainenxq"
KEY = "kahvi ja pulla 1.8.2024"


def files_of(path: Path) -> bytes:
    """The bytes of the store and of its -wal and -shm, whichever exist."""
    return b"".join(
        Path(f"{path}{s}").read_bytes() for s in ("", "-wal", "-shm") if Path(f"{path}{s}").exists()
    )


@pytest.fixture
def plain_store(ok, private_store, monkeypatch):
    """A plain store with one client, one coach and hours (the suite's store when it is plain)."""
    if encrypted_run():  # this test's store starts plain
        monkeypatch.setattr(database, "create_private_file", sqlite.create_private_file)
        monkeypatch.delenv("VETO_KEY")
    ok("coach", "add", "Liisa Laine")
    ok("client", "add", "--name", NAME, "--gender", "female", "--background", "native")
    ok("phase", "start", "placement", "A0001", "--on", "2025-01-02")
    ok("activity", "log", "A0001", "--hours", "2,5", "--on", "2025-01-03")
    assert private_store.read_bytes()[:16] == PLAIN_HEADER
    return private_store


def encrypt(veto, monkeypatch, key: str = KEY):
    monkeypatch.setenv("VETO_KEY", key)
    return veto("db", "encrypt")


def test_encrypt_keeps_every_row_and_leaves_no_name_in_the_files(
    veto, ok, plain_store, monkeypatch
):
    assert NAME.encode() in files_of(plain_store)  # the search finds it while plain
    before = snapshot()
    result = encrypt(veto, monkeypatch)
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith(f"{plain_store} is encrypted (")
    assert stat.S_IMODE(plain_store.stat().st_mode) == 0o600
    assert plain_store.read_bytes()[:16] != PLAIN_HEADER
    after = snapshot()
    assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
    assert {t: rows for t, rows in after.items() if t != "audit_log"} == {
        t: rows for t, rows in before.items() if t != "audit_log"
    }
    # A write through the engine leaves a -wal beside the store while its connection is open.
    ok("client", "add", "--name", "Toinen Salainenxq", "--gender", "male", "--background", "native")
    assert Path(f"{plain_store}-wal").exists()
    everything = files_of(plain_store)
    assert b"Salainenxq" not in everything and "Salainen".encode("utf-16-le") not in everything
    assert [c["name"] for c in json.loads(ok("client", "list", "-f", "json"))] == [
        NAME,
        "Toinen Salainenxq",
    ]


def test_a_wrong_or_missing_key_is_one_line_and_exit_2(veto, plain_store, monkeypatch):
    from veto.store.database import dispose_all

    assert encrypt(veto, monkeypatch).exit_code == 0
    dispose_all()
    cipher.forget_keys()
    monkeypatch.setenv("VETO_KEY", "väärä avain")
    for args in (["client", "list"], ["report", "pilot"], ["db", "check"], ["db", "decrypt"]):
        result = veto(*args)
        assert (result.exit_code, result.stdout) == (2, ""), args
        assert result.stderr == (
            f"Error: wrong key for the encrypted store {plain_store} (or the file is not a veto "
            "store): give the key it was encrypted with in VETO_KEY, the OS keyring or the "
            "prompt\n"
        )
    monkeypatch.delenv("VETO_KEY")
    result = veto("client", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"Error: {plain_store} is not plain SQLite: if it is an")


def test_decrypt_gives_back_the_plain_store_with_every_row(veto, ok, plain_store, monkeypatch):
    before = snapshot()
    assert encrypt(veto, monkeypatch).exit_code == 0
    result = veto("db", "decrypt")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith(f"{plain_store} is no longer encrypted (")
    monkeypatch.delenv("VETO_KEY")
    cipher.forget_keys()
    assert plain_store.read_bytes()[:16] == PLAIN_HEADER
    assert stat.S_IMODE(plain_store.stat().st_mode) == 0o600
    after = snapshot()
    assert {t: rows for t, rows in after.items() if t != "audit_log"} == {
        t: rows for t, rows in before.items() if t != "audit_log"
    }
    actions = [r["action"] for r in json.loads(ok("audit", "-f", "json"))][-2:]
    assert actions == ["db.encrypt", "db.decrypt"]


def test_encrypt_and_decrypt_refuse_the_wrong_kind_of_store(veto, plain_store, monkeypatch):
    result = veto("db", "decrypt")
    assert (result.exit_code, result.stderr) == (2, f"Error: {plain_store} is not encrypted\n")
    result = veto("db", "encrypt")  # no key anywhere
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: no key to encrypt {plain_store} with: set VETO_KEY")
    assert encrypt(veto, monkeypatch).exit_code == 0
    result = veto("db", "encrypt")
    assert (result.exit_code, result.stderr) == (2, f"Error: {plain_store} is encrypted already\n")


def test_init_encrypt_makes_a_new_encrypted_store(veto, ok, tmp_path, monkeypatch):
    path = tmp_path / "uusi.db"
    monkeypatch.setenv("VETO_KEY", KEY)
    result = veto("--db", str(path), "init", "--encrypt")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith(f"store ready at {path} (schema ")
    assert result.stderr.endswith(", encrypted)\n")
    assert path.read_bytes()[:16] != PLAIN_HEADER
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    ok(
        "--db",
        str(path),
        "client",
        "add",
        "--name",
        NAME,
        "--gender",
        "f",
        "--background",
        "native",
    )
    assert NAME.encode() not in files_of(path)
    result = veto("--db", str(path), "db", "init", "--encrypt")
    assert (result.exit_code, result.stderr) == (
        2,
        f"Error: {path} exists already: encrypt it with veto db encrypt\n",
    )


def test_every_store_path_works_on_an_encrypted_store(veto, ok, plain_store, monkeypatch, tmp_path):
    assert encrypt(veto, monkeypatch).exit_code == 0
    # The reports' stdlib path (veto.store.direct) and the engine agree.
    pilot = json.loads(ok("report", "pilot", "-f", "json"))
    assert pilot["clients"]["total"] == 1
    checks = ok("db", "check", "-f", "csv").splitlines()
    assert checks[1:3] == ["integrity,ok,true", "foreign keys,ok,true"]
    # A backup of an encrypted store is encrypted with the same key, and restores.
    copy = tmp_path / "varmuuskopio.db"
    ok("db", "backup", str(copy))
    assert copy.read_bytes()[:16] != PLAIN_HEADER
    assert NAME.encode() not in copy.read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    names = [c["name"] for c in json.loads(ok("--db", str(copy), "client", "list", "-f", "json"))]
    assert names == [NAME]
    # Erasure with VACUUM on an encrypted store.
    ok("client", "erase", "A0001", "--yes")
    assert ok("client", "list", "-f", "json") == "[]"
    assert ok("db", "check", "-f", "csv").splitlines()[1] == "integrity,ok,true"


def test_an_encrypted_store_at_an_old_revision_is_migrated(veto, ok, plain_store, monkeypatch):
    from alembic import command

    from veto.commands.common import Invocation
    from veto.store.database import dispose_all, engine_for
    from veto.store.migrations import HEAD, alembic_config, current_revision

    assert encrypt(veto, monkeypatch).exit_code == 0
    command.downgrade(alembic_config(engine_for(Invocation().location)), "0005_esf")
    dispose_all()
    ok("report", "pilot")  # the direct path sees the old revision and migrates
    assert current_revision(engine_for(Invocation().location)) == HEAD


def test_the_key_may_come_from_the_keyring(veto, ok, plain_store, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class Kept(KeyringBackend):
        priority = 1
        kept: dict[tuple[str, str], str] = {}

        def get_password(self, service, username):
            return self.kept.get((service, username))

        def set_password(self, service, username, password):
            self.kept[(service, username)] = password

        def delete_password(self, service, username):
            self.kept.pop((service, username), None)

    keyring.set_keyring(Kept())
    try:
        keyring.set_password("veto", str(plain_store), KEY)
        result = veto("db", "encrypt")
        assert result.exit_code == 0, result.stderr
        from veto.store.database import dispose_all

        dispose_all()
        cipher.forget_keys()
        assert json.loads(ok("client", "list", "-f", "json"))[0]["name"] == NAME
    finally:
        keyring.set_keyring(keyring.backends.fail.Keyring())

"""Safe copies and checks: `veto db backup` with SQLite's online backup API while another process
writes, a restore drill, and `veto db check` on healthy and damaged stores."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import snapshot
from veto.store import cipher

ROOT = Path(__file__).resolve().parent.parent

# Each transaction adds one client, their phase and one coaching hour for them (and their three
# log rows), so a consistent copy always has as many activities as clients.
WRITER = """
import sys
import time
from datetime import date
from veto.domain.activities import log_activity
from veto.domain.clients import add_client
from veto.store.database import transaction
from veto.store.location import sqlite_location
from veto.domain.workflow import start_phase

location = sqlite_location(sys.argv[1], "test")
n = 0
while True:
    with transaction(location, actor="writer") as session:
        client = add_client(session, name=f"Kirjoittaja {n}", gender="male", background="native")
        start_phase(session, client=client, kind="coaching", on=date(2024, 5, 1))
        log_activity(session, client=client, hours="1", on=date(2024, 5, 1))
    n += 1
    print(n, flush=True)
    time.sleep(0.005)  # a writer that never pauses starves SQLite's busy wait of the others
"""


def counts(path: Path) -> tuple[int, int, int]:
    conn = cipher.connect(path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("client", "activity", "audit_log")
        )
    finally:
        conn.close()


def test_backup_while_another_process_writes_restores_to_a_consistent_point(
    ok, private_store, tmp_path
):
    ok("db", "init")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(private_store)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert int(writer.stdout.readline()) >= 1  # it is writing
        backups = []
        for i in range(4):
            backups.append(tmp_path / f"backup-{i}.db")
            ok("db", "backup", str(backups[-1]))
            time.sleep(0.05)
    finally:
        writer.terminate()
        writer.wait(timeout=10)
    seen = []
    for backup in backups:
        assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
        assert not Path(f"{backup}-wal").exists()  # one self-contained file
        restored = tmp_path / f"restored-{backup.name}"
        shutil.copyfile(backup, restored)
        clients, activities, log_rows = counts(restored)
        assert clients == activities
        # the writer's three rows per transaction, and the backups logged before this one
        assert log_rows == 3 * clients + backups.index(backup)
        listed = json.loads(ok("--db", str(restored), "client", "list", "-f", "json"))
        assert len(listed) == clients
        assert ok("--db", str(restored), "db", "check", "-f", "csv").endswith("true")
        seen.append(clients)
    # Every copy is a later point than the one before: the writer went on during the backups.
    assert seen == sorted(set(seen)) and seen[0] >= 1
    assert counts(private_store)[0] >= seen[-1]


def test_backup_is_private_and_refuses_to_overwrite(ok, refused, tmp_path):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    target = tmp_path / "copy.db"
    os.umask(0o022)
    result = ok("db", "backup", str(target))
    assert result == ""
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    refused(
        "db", "backup", str(target),
        message=f"'{target}' exists: give another file name, or --force to replace it",
    )  # fmt: skip
    ok("client", "add", "--name", "Bertta", "--gender", "f", "--background", "native")
    ok("db", "backup", str(target), "--force")
    assert counts(target)[0] == 2
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    actions = [r["action"] for r in json.loads(ok("audit", "-f", "json"))]
    assert actions.count("db.backup") == 2
    refused("db", "backup", str(tmp_path / "no" / "such.db"))


def test_backup_on_postgresql_says_use_pg_dump(ok, backend, refused, tmp_path):
    ok("db", "init")
    if backend == "sqlite":
        ok("db", "backup", str(tmp_path / "x.db"))
        assert counts(tmp_path / "x.db")[0] == 0
        return
    refused(
        "db", "backup", str(tmp_path / "x.db"),
        message="veto db backup works on a SQLite store only; for PostgreSQL use its own tools "
        "(pg_dump, pg_amcheck)",
    )  # fmt: skip
    assert not (tmp_path / "x.db").exists()


def test_check_reports_a_healthy_store(ok, backend):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    rows = json.loads(ok("db", "check", "-f", "json"))
    expected_integrity = (
        "ok" if backend == "sqlite" else "checked by PostgreSQL itself (see pg_amcheck)"
    )
    foreign = "ok" if backend == "sqlite" else "enforced"
    assert rows == [
        {"check": "integrity", "result": expected_integrity, "ok": True},
        {"check": "foreign keys", "result": foreign, "ok": True},
        {"check": "schema", "result": "0010_history_commands (current)", "ok": True},
        {"check": "access log", "result": "append-only (triggers in place)", "ok": True},
        {"check": "change history", "result": "append-only (triggers in place)", "ok": True},
        {"check": "timelines", "result": "ok", "ok": True},
    ]


def test_check_finds_broken_foreign_keys_and_missing_triggers(ok, veto, private_store):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    conn = cipher.connect(private_store)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO phase (client_id, kind, start_on) VALUES (99, 'coaching', '2024-01-01')"
    )
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DROP TRIGGER change_history_no_update")
    conn.commit()
    conn.close()
    result = veto("db", "check", "-f", "csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "integrity,ok,true",
        "foreign keys,1 broken: phase row 1 -> client,false",
        "schema,0010_history_commands (current),true",
        "access log,triggers missing: the log can be edited,false",
        "change history,triggers missing: the history can be edited,false",
    ]
    assert "damaged" in result.stderr


def test_check_finds_a_corrupted_file(ok, veto, private_store):
    from veto.store.database import dispose_all

    for i in range(30):
        ok("client", "add", "--name", f"Asiakas {i}", "--gender", "f", "--background", "native")
    dispose_all()
    conn = cipher.connect(private_store)
    # Every page must be in the main file, or a copy in the WAL would hide the damage.
    assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    conn.execute("PRAGMA journal_mode=DELETE")
    page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'client'").fetchone()[0]
    size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    conn.close()
    with open(private_store, "r+b") as f:
        f.seek((page - 1) * size + 8)
        f.write(b"\xff" * (size - 8))
    result = veto("db", "check", "-f", "json")
    assert result.exit_code == 1
    integrity = json.loads(result.stdout)[0]
    assert integrity["check"] == "integrity" and integrity["ok"] is False
    # Depending on which bytes a page's damage hits, SQLite reports it from the integrity check
    # itself or refuses to read the page at all; both are a failed check.
    assert "database main" in integrity["result"] or "malformed" in integrity["result"]


def test_check_of_a_missing_store_is_refused(veto, tmp_path):
    result = veto("--db", str(tmp_path / "none.db"), "db", "check")
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: no store at {tmp_path / 'none.db'}"
    assert not (tmp_path / "none.db").exists()


def test_db_check_changes_nothing(ok):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    before = snapshot()
    ok("db", "check")
    assert snapshot() == before

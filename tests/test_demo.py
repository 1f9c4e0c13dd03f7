"""`veto demo`: a fictional store in its own file, and its pilot report."""

from __future__ import annotations

import json
import sqlite3

from veto.store import cipher
from veto.store.database import dispose_all


def test_demo_builds_its_own_store_and_prints_the_report(veto, tmp_path, private_store):
    demo = tmp_path / "demo.db"
    result = veto("demo", "--out", str(demo), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["clients"]["total"] == 23
    assert report["clients"]["by_gender"] == {"female": 13, "male": 10, "other": 0}
    assert report["ended"]["total"] == 15
    assert set(report["coaches"]["by_coach"]) == {
        "Elina Koskela",
        "Petri Ylinen",
        "Sanna Lehtimäki",
    }
    assert result.stderr.startswith(f"Demo store: {demo} (3 coaches, 25 clients, 8 employers")
    with sqlite3.connect(demo) as conn:
        assert conn.execute("SELECT COUNT(*) FROM client").fetchone() == (25,)
        years = conn.execute("SELECT MIN(start_on), MAX(start_on) FROM phase").fetchone()
    assert years[0] >= "2024-01-01" and years[1] <= "2025-11-30"
    assert not private_store.exists()  # the user's store was never opened


def test_demo_is_the_same_every_time(veto, tmp_path):
    first = veto("demo", "--out", str(tmp_path / "a.db"), "--format", "csv").stdout
    again = veto("demo", "--out", str(tmp_path / "a.db"), "--format", "csv").stdout
    other = veto("demo", "--out", str(tmp_path / "b.db"), "--format", "csv").stdout
    assert first == again == other


def test_demo_reads_like_the_pilot_report(ok, tmp_path):
    out = ok("demo", "--out", str(tmp_path / "demo.db"), "--format", "md")
    assert out.startswith("# Työhönvalmennuksen tulokset koko aika")
    assert "| naisia | 13 |" in out
    assert " kk |" in out and "," in out


def test_demo_never_replaces_a_real_store(ok, veto, tmp_path, private_store, monkeypatch):
    ok("coach", "add", "Oikea Valmentaja")
    result = veto("demo", "--out", str(private_store))
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"Error: {private_store} is your store: give the demo its own file with --out\n"
    )
    ok("client", "add", "--name", "Iida Oikea", "--gender", "female", "--background", "native")
    other = tmp_path / "other.db"
    dispose_all()  # close the store so its write-ahead log is folded in before the move
    private_store.rename(other)
    monkeypatch.setenv("VETO_DB", str(tmp_path / "elsewhere.db"))
    result = veto("demo", "--out", str(other))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {other} exists and is not a veto demo store: give another file with --out\n"
    )
    conn = cipher.connect(other)  # the real store, encrypted when the suite runs encrypted
    assert conn.execute("SELECT name FROM client").fetchall() == [("Iida Oikea",)]
    conn.close()

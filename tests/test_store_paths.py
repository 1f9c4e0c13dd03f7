"""`--db` and VETO_DB are file paths taken literally, never URIs: `?`, `#` and `%41` are part of
the name, and `db path` prints the file that holds the data."""

from __future__ import annotations

import json
import os
import stat

import pytest

NAMES = ["d?.db", "c%41.db", "x#y.db", "a b@c:d.db", "ä?mode=ro.db"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("how", ["--db", "VETO_DB"])
def test_the_store_is_the_file_named(ok, tmp_path, monkeypatch, name, how):
    folder = tmp_path / "stores"
    folder.mkdir()
    monkeypatch.chdir(folder)
    if how == "--db":
        run = lambda *args: ok("--db", name, *args)  # noqa: E731
    else:
        monkeypatch.setenv("VETO_DB", name)
        run = ok
    assert run("db", "path") == str(folder / name)
    run("client", "add", "--name", "Aino Esimerkki", "--gender", "female", "--background",
        "native", "--code", "S1")  # fmt: skip
    run("phase", "start", "placement", "S1", "--on", "1.5.2024")
    report = json.loads(run("report", "pilot", "-f", "json"))  # the stdlib sqlite3 path
    assert report["clients"]["total"] == 1
    run("db", "backup", f"backup-{name}")
    checks = run("db", "check", "-f", "csv").splitlines()
    assert checks[1:] == [
        "integrity,ok,true",
        "foreign keys,ok,true",
        f"schema,{checks[3].split(',')[1]},true",
        "access log,append-only (triggers in place),true",
        "change history,append-only (triggers in place),true",
        "timelines,ok,true",
    ]
    assert sorted(os.listdir(folder)) == sorted(
        [name, f"{name}-shm", f"{name}-wal", f"backup-{name}"]
    )
    for file in os.listdir(folder):
        assert stat.S_IMODE(os.stat(folder / file).st_mode) == 0o600, file
    assert "Aino Esimerkki" in ok("--db", str(folder / f"backup-{name}"), "client", "list")


def test_a_sqlite_url_is_a_url(ok, tmp_path, monkeypatch):
    """VETO_DATABASE_URL is a URL: there %41 is 'A'."""
    monkeypatch.delenv("VETO_DB")
    monkeypatch.setenv("VETO_DATABASE_URL", f"sqlite:///{tmp_path}/c%41.db")
    assert ok("db", "path") == str(tmp_path / "cA.db")


def test_a_store_path_that_is_not_utf8_is_refused(veto, monkeypatch, tmp_path):
    monkeypatch.setenv("VETO_DB", f"{tmp_path}/\udcff.db")
    result = veto("client", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: the store path of VETO_DB is not valid UTF-8 text: give a file name in UTF-8\n"
    )
    assert os.listdir(tmp_path) == []

"""Where the data lives, how the store file is opened, and the migrations."""

import json
import os
import stat
import subprocess
import sys

import pytest
from sqlalchemy import text

from tests.conftest import imported_by
from veto.store.database import engine_for
from veto.store.location import resolve
from veto.store.migrations import HEAD, alembic_config, current_revision


def test_db_path_follows_the_contract_order(ok, tmp_path, monkeypatch):
    assert ok("db", "path") == str(tmp_path / "veto.db")
    assert ok("--db", str(tmp_path / "other.db"), "db", "path") == str(tmp_path / "other.db")
    monkeypatch.delenv("VETO_DB")
    monkeypatch.setenv("VETO_DATABASE_URL", "postgresql+psycopg://coach:secret@db.example/veto")
    assert ok("db", "path") == "postgresql+psycopg://coach:***@db.example/veto"
    monkeypatch.delenv("VETO_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ok("db", "path") == str(tmp_path / "xdg" / "veto" / "veto.db")


def test_a_new_store_is_private(ok, private_store):
    ok("coach", "add", "Liisa Laine")
    for path in private_store.parent.glob("veto.db*"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_sqlite_connections_are_set_for_safety():
    engine = engine_for(resolve())
    with engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
        }
    assert pragmas == {
        "foreign_keys": 1,
        "journal_mode": "wal",
        "busy_timeout": 5000,
        "synchronous": 2,
    }


def test_head_is_the_last_revision():
    from alembic.script import ScriptDirectory

    engine = engine_for(resolve())
    assert ScriptDirectory.from_config(alembic_config(engine)).get_current_head() == HEAD
    assert current_revision(engine) == HEAD


def test_revisions_build_exactly_the_models(backend):
    """The schema built by the migrations matches the SQLModel tables, column for column."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = engine_for(resolve() if backend == "sqlite" else _url_location())
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == []


def _url_location():
    from veto.store.location import StoreLocation

    return StoreLocation(url=os.environ["VETO_DATABASE_URL"], path=None, source="test")


def test_no_alembic_import_when_the_store_is_current(ok, private_store):
    ok("coach", "add", "Liisa Laine")  # creates and migrates
    assert "alembic" not in imported_by(["coach", "list", "-f", "json"], private_store)


def test_the_database_checks_enumerations_too(ok):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    engine = engine_for(resolve())
    with pytest.raises(Exception, match="CHECK constraint failed"), engine.begin() as conn:
        conn.execute(text("UPDATE client SET gender = 'unknown'"))


def test_a_store_from_an_older_schema_is_migrated_on_open_keeping_every_row(tmp_path, ok):
    """Open a store at the first revision with rows in it: every row is still there at HEAD."""
    from alembic import command
    from sqlmodel import create_engine

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001_core")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO client (code, name, gender, background, created_at) "
            "VALUES ('OLD1', 'Vanha Asiakas', 'female', 'native', '2024-01-01 00:00:00')"
        ))  # fmt: skip
    engine.dispose()
    assert (
        ok("--db", str(path), "client", "list", "-f", "csv")
        .splitlines()[1]
        .startswith("1,OLD1,Vanha Asiakas")
    )
    assert current_revision(create_engine(f"sqlite:///{path}")) == HEAD


def test_coaches_writing_at_the_same_time_all_succeed(ok, private_store):
    """Three processes write to one SQLite store at once: each waits its turn, none fails."""
    ok("db", "init")
    script = (
        "import sys\nfrom veto.cli import main\nwho = sys.argv[1]\n"
        "for i in range(4):\n"
        "    sys.argv = ['veto', 'coach', 'add', f'{who}-{i}']\n"
        "    try:\n        main()\n    except SystemExit as e:\n        assert e.code == 0, e.code\n"
    )
    env = {**os.environ, "VETO_DB": str(private_store)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, f"W{w}"], env=env, stdout=subprocess.DEVNULL
        )
        for w in range(3)
    ]
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    assert len(ok("coach", "list", "-f", "csv").splitlines()) == 1 + 12


def test_clients_added_at_the_same_time_all_get_their_own_code(ok, backend):
    """Three coaches add clients at once, letting veto number them: every add succeeds, and no
    two clients share a code (PostgreSQL does not serialise writers the way SQLite does)."""
    ok("db", "init")
    script = (
        "import sys\nfrom veto.cli import main\n"
        "for i in range(5):\n"
        "    sys.argv = ['veto', 'client', 'add', '--name', f'Asiakas {sys.argv[1]}{i}',\n"
        "                '--gender', 'f', '--background', 'native']\n"
        "    try:\n        main()\n    except SystemExit as e:\n        assert e.code == 0, e.code\n"
    )
    workers = [
        subprocess.Popen([sys.executable, "-c", script, f"W{w}"], stdout=subprocess.DEVNULL)
        for w in range(3)
    ]
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    codes = [c["code"] for c in json.loads(ok("client", "list", "-f", "json"))]
    assert sorted(codes) == [f"A{n:04d}" for n in range(1, 16)]

"""The report path that runs hand-written SQL on the stdlib driver (`veto.store.direct`): the same
store, the same transaction and the same access log as every other command, without SQLAlchemy."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import imported_by
from tests.store_rows import fresh_store
from tests.test_workbook_roundtrip import build, client_plan
from veto.domain.dates import Period
from veto.store.direct import direct_transaction
from veto.store.location import resolve, sqlite_location


@pytest.mark.parametrize(
    "args",
    [
        ["report", "pilot", "--format", "json"],
        ["report", "esf"],
        ["esf", "pending"],
        ["report", "fidelity"],
    ],
    ids=" ".join,
)
def test_the_reports_on_sqlite_import_no_sqlalchemy(ok, private_store, args):
    ok("coach", "add", "Liisa Laine")  # creates and migrates the store
    imported = imported_by(args, private_store)
    assert not imported & {"sqlalchemy", "sqlmodel", "pydantic", "alembic"}
    assert "veto" in imported


def test_the_report_logs_its_read_like_every_command(ok):
    ok("coach", "add", "Liisa Laine")
    before = datetime.now(UTC).replace(microsecond=0)
    ok("report", "pilot", "--period", "2025", "--format", "json")
    entry = json.loads(ok("audit", "--format", "json"))[-1]
    at = datetime.fromisoformat(entry.pop("at"))
    assert before <= at <= datetime.now(UTC)
    assert entry == {
        "id": 2,
        "user": "tester",
        "action": "report.pilot",
        "client_id": None,
        "client": None,
        "record": "period:1.1.2025–31.12.2025",
        "purpose": "report",
        "sensitive": False,
    }


def test_the_access_log_row_reads_back_through_the_models(ok):
    """What the stdlib driver writes is what SQLAlchemy would have written: the model reads it."""
    from sqlmodel import Session, select

    from veto.models import AuditEntry
    from veto.store.database import engine_for

    ok("report", "pilot")
    with Session(engine_for(resolve())) as session:
        entry = session.exec(select(AuditEntry)).one()
    assert isinstance(entry.at, datetime)
    assert (entry.actor, entry.action, entry.sensitive) == ("tester", "report.pilot", False)


def test_a_new_store_is_created_private_and_at_the_current_schema(ok, private_store):
    assert not private_store.exists()
    assert json.loads(ok("report", "pilot", "-f", "json"))["clients"]["total"] == 0
    assert stat.S_IMODE(private_store.stat().st_mode) == 0o600


def test_an_old_store_is_migrated_before_the_report_reads_it(tmp_path, ok):
    from alembic import command
    from sqlmodel import create_engine

    from veto.store.migrations import HEAD, alembic_config

    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    command.upgrade(alembic_config(engine), "0001_core")
    engine.dispose()
    ok("--db", str(path), "report", "pilot")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)


def test_an_error_in_the_block_leaves_the_store_unchanged(ok, private_store):
    ok("coach", "add", "Liisa Laine")
    location = sqlite_location(private_store, "test")
    with pytest.raises(ValueError), direct_transaction(location, actor="tester") as work:
        work.append("coach", {"name": "Pekka Toinen", "created_at": datetime.now(UTC)})
        assert [r.name for r in work.rows("SELECT name FROM coach ORDER BY id")] == [
            "Liisa Laine",
            "Pekka Toinen",
        ]
        raise ValueError("a command failed half-way")
    assert ok("coach", "list", "-f", "csv").splitlines()[1:] == ["1,Liisa Laine,,,,0,0"]


def test_a_rollback_sqlite_already_did_does_not_hide_the_error(ok, private_store):
    """SQLite ends a transaction by itself on some errors (a full disk); the original error is
    what the user must see, not 'cannot rollback - no transaction is active'."""
    ok("coach", "add", "Liisa Laine")
    location = sqlite_location(private_store, "test")
    with pytest.raises(ValueError, match="half-way"):
        with direct_transaction(location, actor="tester") as work:
            work.connection.execute("ROLLBACK")  # as SQLite does on SQLITE_FULL
            raise ValueError("a command failed half-way")


def test_parameters_are_bound_not_spliced(ok, private_store):
    ok("coach", "add", "Liisa Laine")
    location = sqlite_location(private_store, "test")
    with direct_transaction(location, actor="tester") as work:
        rows = work.rows("SELECT COUNT(*) AS n FROM coach WHERE name = :name", {"name": "' OR 1"})
    assert rows[0].n == 0


def test_a_report_line_of_a_batch_sees_the_lines_before_it(ok):
    lines = [
        'coach add "Liisa Laine"',
        'client add --name "Aino Testinen" --gender f --background native',
        "phase start placement A0001 --on 2025-01-02",
        "report pilot --format csv",
    ]
    out = ok("batch", "-", input="\n".join(lines) + "\n")
    assert "clients,all,total,1" in out.splitlines()


@pytest.mark.parametrize("args", [["coach", "list"], ["report", "pilot"]])
def test_a_file_that_is_no_store_gets_one_line_from_either_driver(
    veto, tmp_path, monkeypatch, args
):
    monkeypatch.delenv("VETO_KEY", raising=False)
    path = tmp_path / "notes.db"
    path.write_bytes(b"Muistiinpanot, ei tietokanta.\n" * 200)
    result = veto("--db", str(path), *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: {path} is not plain SQLite: if it is an encrypted store, set VETO_KEY, keep it "
        "in the OS keyring (service 'veto', user the store's path) or type it in a terminal\n"
    )


@pytest.mark.parametrize("args", [["coach", "list"], ["report", "pilot"]])
def test_a_file_that_is_no_store_with_a_key_gets_one_line_from_either_driver(
    veto, tmp_path, monkeypatch, args
):
    path = tmp_path / "notes.db"
    path.write_bytes(b"Muistiinpanot, ei tietokanta.\n" * 200)
    monkeypatch.setenv("VETO_KEY", "avain")
    result = veto("--db", str(path), *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: wrong key for the encrypted store {path} (or the file is not a veto store): "
        "give the key it was encrypted with in VETO_KEY, the OS keyring or the prompt\n"
    )


@pytest.mark.parametrize("batch", [False, True], ids=["command", "batch"])
def test_a_report_alone_in_a_fresh_process(ok, backend, batch):
    """Each path writes its access-log row even when nothing imported the models before it."""
    ok("db", "init")
    args, stdin = (
        (["batch", "-"], "report pilot --format csv\n")
        if batch
        else (["report", "pilot", "--format", "csv"], None)
    )
    out = subprocess.run(
        [sys.executable, "-m", "veto", *args], input=stdin, capture_output=True, text=True
    )
    assert (out.returncode, out.stderr) == (0, "1 command stored\n" if batch else "")
    assert "clients,all,total,0" in out.stdout.splitlines()
    assert json.loads(ok("audit", "--format", "json"))[-1]["action"] == "report.pilot"


def test_the_driver_and_the_session_give_the_same_report(ok):
    """The stdlib path (the command) and the SQLAlchemy path (batch, PostgreSQL, workbook) run
    one SQL text; on the hand-worked store of test_report_pilot they agree to the last figure."""
    from tests.test_report_pilot import _store
    from veto.domain.dates import parse_period
    from veto.reports.pilot import pilot_report
    from veto.store.database import transaction
    from veto.store.direct import SessionWork

    _store(ok)
    for args in ([], ["--period", "2025"]):
        by_command = json.loads(ok("report", "pilot", "--format", "json", *args))
        with transaction(resolve(), actor="tester") as session:
            by_session = pilot_report(
                SessionWork(session), period=parse_period(args[-1] if args else None)
            )
        assert json.loads(json.dumps(by_session, default=str)) == by_command


PERIODS = st.sampled_from(
    [
        Period(None, None),
        Period(date(2024, 1, 1), date(2024, 12, 31)),
        Period(date(2025, 3, 1), None),
    ]
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plans=st.lists(client_plan, min_size=1, max_size=5), period=PERIODS)
def test_both_paths_agree_on_generated_stores(tmp_path, plans, period):
    """The generated stores of the workbook round trip: the stdlib path and the session path
    give the same pilot report, for all time and for periods that cut through them."""
    from veto.reports.pilot import pilot_report
    from veto.store.database import engine_for, transaction
    from veto.store.direct import SessionWork

    location = sqlite_location(tmp_path / "g.db", "test")
    fresh_store(location.path, ("new store",), lambda: engine_for(location))
    with transaction(location, actor="hypothesis") as session:
        build(session, plans, ["Yksi Oy", "Kaksi Oy", "Kolme Oy"], [])
    with transaction(location, actor="hypothesis") as session:
        by_session = pilot_report(SessionWork(session), period=period)
    with direct_transaction(location, actor="hypothesis") as work:
        assert pilot_report(work, period=period) == by_session

"""The schema is what its stamp says: `db check` compares the live schema with the models, and a
store stamped while revisions 0002-0005 were empty placeholders (`upgrade(): pass`) is repaired
when it is opened, keeping every row. Invented people only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from tests.conftest import snapshot
from veto.store.location import resolve
from veto.store.migrations import HEAD, HEAD_TABLES, alembic_config

ROWS = [
    "INSERT INTO coach (id, name, created_at) VALUES (1, 'Liisa Laine', '2024-01-01 00:00:00')",
    "INSERT INTO employer (id, name, created_at) VALUES (1, 'Kahvila Aamu Oy', "
    "'2024-01-01 00:00:00')",
    "INSERT INTO client (id, code, name, gender, background, coach_id, created_at) "
    "VALUES (1, 'OLD1', 'Vanha Asiakasxq', 'female', 'native', 1, '2024-01-01 00:00:00')",
    "INSERT INTO phase (id, client_id, kind, start_on) VALUES (1, 1, 'placement', '2024-02-01')",
    "INSERT INTO placement (id, client_id, employer_id, kind, start_on, created_at) "
    "VALUES (1, 1, 1, 'work-trial', '2024-02-05', '2024-01-01 00:00:00')",
    "INSERT INTO activity (id, client_id, on_date, hours, kind, note, created_at) "
    "VALUES (1, 1, '2024-02-06', 2.5, 'meeting', 'Ensitapaaminen', '2024-01-01 00:00:00')",
    "INSERT INTO audit_log (id, at, actor, action, client_id, record, sensitive) "
    "VALUES (1, '2024-01-01 00:00:00', 'liisa', 'client.add', 1, 'client:1', false)",
]

# Each stamp a store may carry from the placeholder era; "0006" is such a store that newer code
# then upgraded by running 0006 only, so that it claimed to be current.
STAMPS = ["0002_documents", "0003_employers", "0004_privacy", "0005_esf", HEAD]
# (HEAD: stamped 0005, then every later revision run, as the code of the time did.)


def _placeholder_store(stamp: str) -> None:
    """The 0001 schema with rows, stamped `stamp` without the tables of 0002 ... `stamp`."""
    from alembic import command

    engine = create_engine(resolve().url)
    try:
        command.upgrade(alembic_config(engine), "0001_core")
        with engine.begin() as conn:
            for statement in ROWS:
                conn.execute(text(statement))
            if engine.dialect.name == "postgresql":  # the ids above were given by hand
                for table in (
                    "coach",
                    "employer",
                    "client",
                    "phase",
                    "placement",
                    "activity",
                    "audit_log",
                ):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))
            conn.execute(
                text("UPDATE alembic_version SET version_num = :v"),
                {"v": "0005_esf" if stamp == HEAD else stamp},
            )
        if stamp == HEAD:  # what the code of the time did: run the one pending revision
            command.upgrade(alembic_config(engine), "head")
    finally:
        engine.dispose()


def _rows() -> dict[str, list[tuple]]:
    """Every row of every table, read without opening the store as veto does (no migration)."""
    from sqlalchemy import inspect

    engine = create_engine(resolve().url)
    try:
        with engine.connect() as conn:
            return {
                t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
                for t in sorted(inspect(conn).get_table_names())
            }
    finally:
        engine.dispose()


def _check(ok_or_veto, *args):
    return {r["check"]: (r["result"], r["ok"]) for r in json.loads(ok_or_veto(*args))}


@pytest.mark.parametrize("stamp", STAMPS)
def test_a_placeholder_era_store_is_repaired_on_open_keeping_every_row(ok, veto, backend, stamp):
    _placeholder_store(stamp)
    before = _rows()
    assert {"survey", "contact", "contact_person", "participant"}.isdisjoint(before)
    # db check reads the store as it is (no migration) and calls the missing tables damage.
    result = veto("db", "check", "-f", "json")
    assert result.exit_code == 1
    schema = {r["check"]: r for r in json.loads(result.stdout)}["schema"]
    assert schema["ok"] is False
    assert schema["result"].startswith(f"{stamp}, but missing table ")
    assert "missing table survey" in schema["result"]
    assert _rows() == before

    # Any command opens the store and repairs it (the reports on the stdlib path too); every row
    # is still there, unchanged.
    ok(*(["report", "fidelity", "-f", "json"] if stamp == HEAD else ["client", "list"]))
    after = snapshot()
    assert set(after) == HEAD_TABLES
    for table, rows in before.items():
        if table == "alembic_version":
            assert after[table] == [(HEAD,)]
        elif table == "audit_log":
            assert after[table][: len(rows)] == rows
        else:
            assert after[table] == rows, table
    assert _check(ok, "db", "check", "-f", "json") == {
        "integrity": ("ok", True) if backend == "sqlite"
        else ("checked by PostgreSQL itself (see pg_amcheck)", True),
        "foreign keys": ("ok" if backend == "sqlite" else "enforced", True),
        "schema": (f"{HEAD} (current)", True),
        "access log": ("append-only (triggers in place)", True),
        "change history": ("append-only (triggers in place)", True),
        "timelines": ("ok", True),
    }  # fmt: skip

    # The commands that said "no such table" work, and opening again changes nothing.
    ok("contact", "log", "Kahvila Aamu Oy", "--channel", "phone", "--stage", "contact",
       "--client", "OLD1", "--on", "1.3.2024")  # fmt: skip
    ok("esf", "entry", "OLD1", "--status", "unemployed", "--isced", "3-4")
    ok("report", "fidelity", "-f", "json")
    ok("client", "erase", "OLD1", "--yes")
    again = snapshot()
    ok("db", "check")
    assert snapshot() == again


@pytest.mark.plain_file
def test_a_store_missing_a_table_it_cannot_rebuild_is_refused_with_one_line(ok, veto, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    from veto.store.database import dispose_all

    dispose_all()
    engine = create_engine(resolve().url)
    with engine.begin() as conn:  # contact goes, contact_person (same revision) stays
        conn.execute(text("DROP TABLE contact"))
    engine.dispose()
    before = _rows()
    result = veto("employer", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: the store is stamped schema {HEAD} but has no table contact, and veto cannot "
        "rebuild it without losing rows: restore it from a backup\n"
    )
    assert _rows() == before


@pytest.mark.plain_file
def test_db_check_names_every_difference_from_the_models(ok, veto, private_store):
    import sqlite3

    ok("coach", "add", "Liisa Laine")
    from veto.store.database import dispose_all

    dispose_all()
    conn = sqlite3.connect(private_store)
    conn.execute("DROP INDEX ix_contact_next_on")
    conn.execute("ALTER TABLE coach ADD COLUMN nickname TEXT")
    conn.execute("CREATE TABLE scratch (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    result = veto("db", "check", "-f", "csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[3] == (
        f'schema,"{HEAD}, but extra table scratch; extra column coach.nickname; '
        'missing index ix_contact_next_on on contact",false'
    )


def test_head_tables_are_the_models_tables():
    import veto.models  # noqa: F401

    assert set(SQLModel.metadata.tables) | {"alembic_version"} == HEAD_TABLES


def test_the_tables_of_each_revision_are_found_from_the_revisions():
    from veto.store.maintenance import tables_by_revision

    assert tables_by_revision() == {
        "0001_core": {"audit_log", "coach", "employer", "client", "activity", "phase",
                      "placement"},
        "0002_documents": {"survey", "job_search_plan"},
        "0003_employers": {"contact_person", "contact"},
        "0004_privacy": {"anonymous_stub"},
        "0005_esf": {"participant"},
        "0006_report_indexes": set(),
        "0007_notes_drafts": {"client_note", "capture_draft"},
        "0008_server_actor": set(),
        "0009_change_history": {"change_history"},
        HEAD: set(),
    }  # fmt: skip

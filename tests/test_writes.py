"""Writes on the stdlib driver (`veto.store.direct.insert_kept`, `veto.domain.new_client`) store
exactly what the ORM path stores: the same columns, rows, access log and change history, so that
`veto history` and `veto undo` cannot tell them apart."""

from __future__ import annotations

import json
from datetime import date

import pytest

from veto.domain.activity_log import ACTIVITY_COLUMNS
from veto.domain.new_client import CLIENT_COLUMNS
from veto.models import Activity, Client
from veto.store.database import dispose_all

ADD = [
    ["coach", "add", "Liisa Laine"],
    [
        "client",
        "add",
        "--name",
        " Aino Esimerkki ",
        "--gender",
        "f",
        "--background",
        "native",
        "--coach",
        "Liisa Laine",
        "--birth-date",
        "1.8.1990",
        "--municipality",
        " Ähtäri ",
        "--phone",
        "040 123",
        "--email",
        "aino@example.fi",
    ],
    ["client", "add", "--name", "Bo", "--gender", "m", "--background", "native", "--code", "X-1"],
]
LOG = [
    ["phase", "start", "placement", "A0001", "--on", "1.1.2026"],
    ["activity", "log", "A0001", "--hours", "17,25", "--on", "2.1.2026", "--note", " a note "],
    ["activity", "log", "aino esimerkki", "--hours", "1", "--on", "3.1.2026", "--kind", "phone"],
    ["phase", "start", "coaching", "X-1", "--on", "1.1.2026"],
    ["activity", "log", "X-1", "--hours", "2", "--on", "1.1.2026", "--coach", "1"],
]
CLOCKS = {"at", "created_at"}


def test_the_stdlib_inserts_write_the_models_columns_in_their_order():
    assert list(CLIENT_COLUMNS) == [c.name for c in Client.__table__.columns]
    assert list(ACTIVITY_COLUMNS) == [c.name for c in Activity.__table__.columns]


def _stored(ok) -> dict[str, list]:
    """Every table's rows after the commands, the clocks blanked (in the history's JSON too)."""
    outputs = [ok(*args) for args in [*ADD, *LOG]]
    tables = {}
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    with engine_for(Invocation().location).connect() as conn:
        for table in ("coach", "client", "phase", "activity", "audit_log", "change_history"):
            query = text(f"SELECT * FROM {table} ORDER BY id")
            rows = [dict(r) for r in conn.execute(query).mappings()]
            for row in rows:
                for key in CLOCKS & row.keys():
                    row[key] = "clock"
                for key in ("old", "new"):
                    if isinstance(row.get(key), str):
                        row[key] = json.loads(row[key])
                    if isinstance(row.get(key), dict) and "created_at" in row[key]:
                        row[key] = {**row[key], "created_at": "clock"}
            tables[table] = rows
    tables["outputs"] = outputs
    return tables


def test_client_add_and_activity_log_store_the_same_on_both_paths(
    backend, ok, tmp_path, monkeypatch
):
    import veto.store.direct as direct

    if backend == "sqlite":
        monkeypatch.setenv("VETO_DB", str(tmp_path / "stdlib.db"))
    assert direct.writes_directly(_location()) is (backend == "sqlite")
    first = _stored(ok)
    dispose_all()
    if backend == "postgresql":
        from tests.conftest import _reset_postgres

        _reset_postgres("postgresql+psycopg://")
    else:
        monkeypatch.setenv("VETO_DB", str(tmp_path / "orm.db"))
    monkeypatch.setattr(direct, "writes_directly", lambda _location: False)
    second = _stored(ok)
    assert first == second
    history = first["change_history"]
    assert [(r["command"], r["operation"], r["table_name"], r["command_id"]) for r in history] == [
        ("veto coach add", "insert", "coach", 1),
        ("veto client add", "insert", "client", 2),
        ("veto client add", "insert", "client", 3),
        ("veto phase start", "insert", "phase", 4),
        ("veto activity log", "insert", "activity", 5),
        ("veto activity log", "insert", "activity", 6),
        ("veto phase start", "insert", "phase", 7),
        ("veto activity log", "insert", "activity", 8),
    ]
    assert first["outputs"] == ["1", "A0001", "X-1", "1", "1", "2", "2", "3"]
    assert history[4]["new"]["hours"] == "17.25"
    assert history[1]["new"]["municipality"] == "Ähtäri"


def _location():
    from veto.commands.common import Invocation

    return Invocation().location


YEAR = date.today().year


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--code", "X 1"],
            "invalid client code 'X 1': 1–32 letters, digits, '-', '_' or '.', no spaces",
        ),
        (
            ["--code", "12"],
            "invalid client code '12': all digits would be read as an id; add a letter",
        ),
        (["--code", "A0001"], "client code 'A0001' is already in use; choose another"),
        (["--name", " "], "a client needs a name: give --name 'First Last'"),
        (["--birth-year", "1800"], f"invalid birth year 1800: give a year from 1900 to {YEAR}"),
        (
            ["--coach", "Nobody"],
            "unknown coach 'Nobody': give a coach id or exact name (veto coach list)",
        ),
    ],
)
def test_client_add_refusals_change_nothing(backend, ok, refused, args, message):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    base = ["client", "add", "--name", "Bo", "--gender", "m", "--background", "native"]
    refused(*base, *args, message=message)


def test_activity_log_warns_and_refuses_as_before(backend, ok, veto, refused):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    ok("phase", "start", "placement", "A0001", "--on", "1.1.2026")
    first = veto("activity", "log", "A0001", "--hours", "17", "--on", "2.1.2026")
    assert (first.exit_code, first.out, first.stderr) == (
        0,
        "1",
        "Note: A0001 has used 17 h of the 18 h placement budget, 1 h left "
        "(hours since the placement started 1.1.2026).\n",
    )
    over = veto("activity", "log", "A0001", "--hours", "1,5", "--on", "3.1.2026")
    assert (over.exit_code, over.out, over.stderr) == (
        0,
        "2",
        "Warning: A0001 has used 18,5 h of the 18 h placement budget "
        "(hours since the placement started 1.1.2026).\n",
    )
    log = ["activity", "log", "A0001", "--on", "3.1.2026"]
    refused(*log, "--hours", "1,555", message="invalid hours '1,555': at most 2 decimals")
    refused(*log, "--hours", "25", message="invalid hours '25': must be from 0.01 to 24")
    refused(*log, "--hours", "1", "--kind", "party")
    refused(*log, "--hours", "1", "--coach", "Nobody")
    refused(
        "activity",
        "log",
        "A0001",
        "--hours",
        "1",
        "--on",
        "31.12.2025",
        message="the new hours is dated 31.12.2025, before the first phase of A0001 starts "
        "(1.1.2026): accepted: 1.1.2026 or later, or a phase starting on 31.12.2025 or earlier",
    )

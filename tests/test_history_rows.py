"""The change history a bulk import writes, pinned row by row on both back ends (issue 16: the
rows go by one driver-level executemany; what is stored must not change)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.conftest import invoke

CSV = (
    "Nimi;Sukupuoli;Tausta;Syntymävuosi;Kunta;Valmentaja;Aloitus;Päättyi;Tulos;"
    "Työkokeilu;Työkokeilu alkoi\r\n"
    "Aino Virtanen;N;kantasuomalainen;1990;Tampere;Maija;5.8.2024;20.12.2024;Työpaikka;"
    "Kahvila;14.10.2024\r\n"
)
AT = datetime(2024, 9, 1, 8, 30, tzinfo=UTC)
STAMP = re.compile(r'"created_at": "[^"]+"')


def _history() -> list[tuple]:
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    engine = engine_for(Invocation().location)
    query = (
        "SELECT id, at, actor, command, operation, table_name, row_id, client_id,"
        " CAST(old AS TEXT), CAST(new AS TEXT), command_id, undoes"
        " FROM change_history ORDER BY id"
    )
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(query))]
        if conn.dialect.name == "postgresql":  # the server names the actor (0008_server_actor)
            assert {r[2] for r in rows} == {conn.execute(text("SELECT session_user")).scalar()}
            rows = [(*r[:2], "maija", *r[3:]) for r in rows]
    # created_at is the models' own clock, not the history's: the one value not pinned here.
    return [(*r[:9], r[9] and STAMP.sub('"created_at": "T"', r[9]), *r[10:]) for r in rows]


def test_an_import_keeps_exactly_these_history_rows(backend, monkeypatch, tmp_path):
    monkeypatch.setattr("veto.store.history.clock", lambda: AT)
    monkeypatch.setenv("VETO_USER", "maija")
    path = tmp_path / "seuranta.csv"
    path.write_bytes(CSV.encode("cp1252"))
    result = invoke("import", "table", path, "--into", "clients")
    assert result.exit_code == 0, result.stderr
    at = "2024-09-01 08:30:00.000000" if backend == "sqlite" else AT
    assert _history() == [
        (
            1,
            at,
            "maija",
            "veto import table",
            "insert",
            "coach",
            1,
            None,
            "{}",
            '{"name": "Maija", "email": null, "phone": null, "area": null, "created_at": "T", "id": 1}',
            1,
            None,
        ),
        (
            2,
            at,
            "maija",
            "veto import table",
            "insert",
            "employer",
            1,
            None,
            "{}",
            '{"name": "Kahvila", "business_id": null, "sector": null, "municipality": null, "address": null, "created_at": "T", "id": 1}',
            1,
            None,
        ),
        (
            3,
            at,
            "maija",
            "veto import table",
            "insert",
            "client",
            1,
            1,
            "{}",
            '{"code": "A0001", "name": "Aino Virtanen", "gender": "female", "background": "native", "birth_year": 1990, "birth_date": null, "municipality": "Tampere", "phone": null, "email": null, "ended_on": "2024-12-20", "outcome": "employed", "outcome_field": null, "created_at": "T", "coach_id": 1, "id": 1}',
            1,
            None,
        ),
        (
            4,
            at,
            "maija",
            "veto import table",
            "insert",
            "phase",
            1,
            1,
            "{}",
            '{"kind": "coaching", "start_on": "2024-08-05", "end_on": "2024-12-20", "client_id": 1, "id": 1}',
            1,
            None,
        ),
        (
            5,
            at,
            "maija",
            "veto import table",
            "insert",
            "placement",
            1,
            1,
            "{}",
            '{"kind": "work-trial", "start_on": "2024-10-14", "end_on": null, "title": null, "tasks": null, "supervisor_name": null, "supervisor_contact": null, "employment_form": null, "employment_other": null, "hours_per_month": null, "full_time": null, "pay_per_hour": null, "pay_per_month": null, "wage_subsidy": null, "arrangement_support": null, "created_at": "T", "client_id": 1, "employer_id": 1, "id": 1}',
            1,
            None,
        ),
    ]

"""The reporter role on PostgreSQL: every figure of `report pilot|esf|fidelity` from the store's
report functions, none from a table. Each report runs as the admin (its own SQL over the tables)
and as the reporter (the SECURITY DEFINER functions) on the same invented store, and the two
outputs are the same to the byte; the reporter is refused every table that holds a person.
Runs under pg_virtualenv (PGHOST set); skipped otherwise."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import _reset_postgres, invoke
from tests.test_roles import PASSWORD, ROLES, _drop_roles, as_role, connect_as, refused_by_server
from veto.store.database import dispose_all
from veto.store.migrations import HEAD_TABLES


def _records(ok) -> None:
    """Seven invented clients of two coaches, with phases, outcomes, work trials, hours,
    employer contacts and ESF+ answers."""
    ok("coach", "add", "Anna")
    ok("coach", "add", "Ville")
    ok("employer", "add", "Kahvila Aamu Oy", "--sector", "kahvila-ala")
    ok("employer", "add", "Huolto Oy", "--sector", "kiinteistöhuolto")
    people = [
        ("R1", "female", "native", "Anna", "1990"),
        ("R2", "male", "immigrant", "Anna", "1998"),
        ("R3", "female", "immigrant", "Ville", "1965"),
        ("R4", "other", "native", "Ville", "2001"),
        ("R5", "male", "native", "Anna", "1980"),
        ("R6", "female", "native", "Ville", "1975"),
        ("R7", "male", "immigrant", None, "1999"),
    ]
    for code, gender, background, coach, born in people:
        about = ["--coach", coach] if coach else []
        ok("client", "add", "--name", f"Testi {code}", "--gender", gender,
           "--background", background, "--code", code, "--birth-year", born, *about)  # fmt: skip
    for code, coached, placed in (
        ("R1", "2.1.2025", "3.3.2025"), ("R2", "15.1.2025", "10.3.2025"),
        ("R3", None, "1.2.2025"), ("R4", "1.10.2024", "5.1.2025"),
        ("R5", "3.2.2025", "1.4.2025"), ("R6", "1.3.2025", None), ("R7", None, "20.5.2025"),
    ):  # fmt: skip
        if coached:
            ok("phase", "start", "coaching", code, "--on", coached)
        if placed:
            ok("phase", "start", "placement", code, "--on", placed)
    agreement = ["--title", "Kahvilatyöntekijä", "--supervisor", "Esimies Esimerkki",
                 "--employment-form", "other", "--hours-per-month", "80"]  # fmt: skip
    for code, employer, kind, start, extra in (
        ("R1", "Kahvila Aamu Oy", "work-trial", "10.3.2025", agreement),
        ("R1", "Huolto Oy", "work-trial", "1.5.2025", []),
        ("R2", "Huolto Oy", "job", "24.3.2025", ["--title", "Huoltomies"]),
        ("R3", "Kahvila Aamu Oy", "work-trial", "15.2.2025", agreement),
        ("R4", "Kahvila Aamu Oy", "work-trial", "1.2.2025", []),
    ):
        ok("placement", "add", code, "--employer", employer, "--kind", kind, "--start", start,
           *extra)  # fmt: skip
    for code, on, hours in (
        ("R1", "1.2.2025", "2"), ("R1", "5.3.2025", "10"), ("R1", "20.3.2025", "9,5"),
        ("R2", "12.3.2025", "4"), ("R3", "6.2.2025", "6,5"), ("R4", "10.1.2025", "12,25"),
        ("R5", "2.4.2025", "3"), ("R7", "21.5.2025", "1,5"),
    ):  # fmt: skip
        ok("activity", "log", code, "--hours", hours, "--on", on)
    for coach, employer, channel, on, client in (
        ("Anna", "Kahvila Aamu Oy", "visit", "4.3.2025", "R1"),
        ("Anna", "Huolto Oy", "phone", "5.3.2025", None),
        ("Anna", "Huolto Oy", "email", "20.3.2025", "R2"),
        ("Ville", "Kahvila Aamu Oy", "event", "3.2.2025", "R3"),
        ("Ville", "Huolto Oy", "visit", "25.3.2025", None),
    ):
        about = ["--client", client] if client else []
        ok("contact", "log", employer, "--channel", channel, "--stage", "contact",
           "--on", on, "--coach", coach, *about)  # fmt: skip
    for code, outcome, field, on in (
        ("R1", "employed", "IT", "30.9.2025"), ("R2", "employed", "kiinteistöhuolto", "1.8.2025"),
        ("R3", "education", "hoiva-ala", "30.6.2025"), ("R4", "returned", None, "1.12.2025"),
    ):  # fmt: skip
        ok("client", "end", code, "--outcome", outcome, "--on", on,
           *(["--field", field] if field else []))  # fmt: skip
    ok("esf", "entry", "R1", "--status", "long-term-unemployed", "--isced", "3-4",
       "--birth-date", "15.6.1990", "--disability", "yes", "--rural", "not-told")  # fmt: skip
    ok("esf", "entry", "R2", "--status", "unemployed", "--isced", "0-2", "--third-country", "yes")
    ok("esf", "entry", "R3", "--status", "employed", "--isced", "5-8", "--minority", "not-told")
    ok("esf", "exit", "R1", "--employed", "yes", "--job-searching", "no", "--education", "no",
       "--qualification", "no", "--on", "10.10.2025")  # fmt: skip
    ok("esf", "exit", "R3", "--employed", "no", "--job-searching", "yes", "--on", "15.8.2025")
    ok("esf", "followup", "R3", "--employed", "yes", "--improved", "yes", "--on", "5.1.2026")


@pytest.fixture
def roles(ok, monkeypatch):
    """The invented store on PostgreSQL, a login role of each kind."""
    if not os.environ.get("PGHOST"):
        pytest.skip("needs PostgreSQL (PGHOST): run under pg_virtualenv")
    dispose_all()
    _drop_roles()
    _reset_postgres("postgresql+psycopg://")
    monkeypatch.delenv("VETO_DB", raising=False)
    monkeypatch.setenv("VETO_DATABASE_URL", "postgresql+psycopg://")
    _records(ok)
    monkeypatch.setenv("VETO_ROLE_PASSWORD", PASSWORD)
    for kind, role in ROLES.items():
        ok("db", "role", "add", role, f"--{kind}")
    yield ROLES
    dispose_all()
    _drop_roles()


REPORTS = [
    ("report", "pilot", "-f", "json"),
    ("report", "pilot", "--period", "2025", "-f", "table", "--wide"),
    ("report", "pilot", "--period", "2025-02-01..2025-03-31", "-f", "csv"),
    ("report", "pilot", "--project", "--suppress-below", "3", "-f", "json"),
    ("report", "pilot", "--period", "2025", "--suppress-below", "2", "-f", "md"),
    ("report", "esf", "-f", "json"),
    ("report", "esf", "--period", "2025", "-f", "csv"),
    ("report", "esf", "--period", "2025", "--suppress-below", "3", "-f", "table", "--wide"),
    ("report", "fidelity", "-f", "json"),
    ("report", "fidelity", "--period", "2025", "-f", "table", "--wide"),
    ("report", "fidelity", "--period", "2025-03-01..2025-03-31", "-f", "csv"),
]


def _run_as(monkeypatch, role: str, args: tuple[str, ...]) -> str:
    as_role(monkeypatch, role)
    result = invoke(*args)
    assert (result.exit_code, result.stderr) == (0, ""), (role, args, result.stderr)
    return result.stdout


def test_every_report_reads_the_same_for_the_reporter_as_for_the_admin(roles, monkeypatch):
    for args in REPORTS:
        admin = _run_as(monkeypatch, roles["admin"], args)
        reporter = _run_as(monkeypatch, roles["reporter"], args)
        assert reporter == admin, args
    # The figures compared are the store's, not empty reports.
    pilot = json.loads(_run_as(monkeypatch, roles["reporter"], REPORTS[0]))
    assert pilot["clients"]["by_gender"] == {"female": 2, "male": 3, "other": 1}
    assert pilot["ended"]["fields"] == {
        "employed": {"IT": 1, "kiinteistöhuolto": 1},
        "education": {"hoiva-ala": 1},
        "work-trial": {},
        "returned": {},
        "other": {},
    }
    assert (
        pilot["hours"]["total"] == 46.75
    )  # 19,5 + 4 + 6,5 + 12,25 + 3 + 1,5: from each placement start on
    esf = json.loads(_run_as(monkeypatch, roles["reporter"], REPORTS[5]))
    disability = next(r for r in esf["output_indicators"] if r["code"] == "EECO12")
    assert (disability["women"], disability["total"]) == (1, 1)
    fidelity = json.loads(_run_as(monkeypatch, roles["reporter"], REPORTS[8]))
    started = [(r["coach"], r["value"]) for r in fidelity["measures"] if r["measure"] == "started"]
    assert started == [
        ("Anna", 3),
        ("Ville", 2),
        ("(ei valmentajaa)", 1),
        (None, 6),
    ]


def test_the_reporter_reads_no_table_that_holds_a_person(roles):
    reporter = roles["reporter"]
    with connect_as(reporter) as conn:
        for table in sorted(HEAD_TABLES - {"alembic_version"}):
            refusal = refused_by_server(conn, f'SELECT * FROM "{table}"')
            assert refusal == f"permission denied for table {table}"
        for statement in (
            "SELECT gender, birth_year, outcome FROM client",
            "SELECT COUNT(*) FROM client",
            "SELECT disability, minority FROM participant",
            "SELECT hours, on_date FROM activity",
            "SELECT kind, start_on FROM phase",
            "SELECT title, supervisor_name FROM placement",
            "SELECT actor, action FROM audit_log",
            "CREATE FUNCTION oma() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "CREATE VIEW kaikki AS SELECT 1 AS a",
        ):
            assert refused_by_server(conn, statement).startswith("permission denied"), statement
        # What it may call (trigger functions aside, which only a trigger can call): the report
        # functions, each one report query's aggregates.
        functions = conn.execute(
            "SELECT p.proname, p.prosecdef, pg_get_userbyid(p.proowner) FROM pg_proc p"
            " WHERE has_function_privilege(p.oid, 'EXECUTE') AND p.prorettype <> 'trigger'::regtype"
            " AND p.pronamespace = 'public'::regnamespace ORDER BY 1"
        ).fetchall()
    assert [name.rsplit("_", 1)[0] for name, _, _ in functions] == [
        "veto_report_esf_entry",
        "veto_report_esf_exit",
        "veto_report_fidelity_budget_by_coach",
        "veto_report_fidelity_budget_total",
        "veto_report_fidelity_caseload_by_coach",
        "veto_report_fidelity_caseload_total",
        "veto_report_fidelity_coaches",
        "veto_report_fidelity_contacts_by_coach",
        "veto_report_fidelity_contacts_total",
        "veto_report_fidelity_first_contact_by_coach",
        "veto_report_fidelity_first_contact_total",
        "veto_report_fidelity_first_records",
        "veto_report_fidelity_placements_by_coach",
        "veto_report_fidelity_placements_total",
        "veto_report_pilot",
    ]
    assert {(definer, owner) for _, definer, owner in functions} == {(True, "veto_admin")}
    with connect_as(roles["coach"]) as conn:  # the coach reads the tables; no function of its own
        assert refused_by_server(
            conn, f"SELECT * FROM {functions[0][0]}('2025-01-01', '2025-12-31')"
        )


def test_stale_report_functions_are_one_line_until_an_admin_refreshes(roles, monkeypatch, ok):
    with connect_as(roles["admin"]) as conn:
        (pilot,) = conn.execute(
            "SELECT proname FROM pg_proc WHERE proname LIKE 'veto_report_pilot_%'"
        ).fetchone()
        conn.execute(f"DROP FUNCTION {pilot}")
    as_role(monkeypatch, roles["reporter"])
    result = invoke("report", "pilot", "-f", "json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: this store's report functions are not those of this version of veto: an admin"
        " runs `veto db role refresh`\n"
    )
    as_role(monkeypatch, roles["reporter"])
    assert invoke("db", "role", "refresh").exit_code == 2  # not the reporter's to do
    as_role(monkeypatch, roles["admin"])
    ok("db", "role", "refresh")
    as_role(monkeypatch, roles["reporter"])
    assert json.loads(ok("report", "pilot", "-f", "json"))["clients"]["total"] == 6


def test_role_refresh_on_sqlite_is_refused(refused):
    refused(
        "db", "role", "refresh",
        message="veto db role refresh works on a PostgreSQL store only (VETO_DATABASE_URL)",
    )  # fmt: skip

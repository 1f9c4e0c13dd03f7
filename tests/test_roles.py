"""Real roles on PostgreSQL (`veto db role add`): each role tries what it must not do and the
server refuses it; the access log names the authenticated role, whatever VETO_USER claims.
Runs under pg_virtualenv (PGHOST set); skipped otherwise."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import _reset_postgres
from veto.domain.questions import SURVEY_QUESTIONS
from veto.store.database import dispose_all

PASSWORD = "salasana-vain-testiin"
REFUSALS = ("permission denied", "must be owner")
ROLES = {"coach": "t_valmentaja", "reporter": "t_raportoija", "admin": "t_paakayttaja"}


def url_of(role: str) -> str:
    return f"postgresql+psycopg://{role}:{PASSWORD}@{os.environ['PGHOST']}/{os.environ.get('PGDATABASE', 'postgres')}"


def connect_as(role: str):
    import psycopg

    return psycopg.connect(
        host=os.environ["PGHOST"],
        dbname=os.environ.get("PGDATABASE", "postgres"),
        user=role,
        password=PASSWORD,
        autocommit=True,
    )


def _drop_roles() -> None:
    import psycopg

    with psycopg.connect(autocommit=True) as conn:
        for role in ROLES.values():
            conn.execute(f"DROP OWNED BY {role}" if _has(conn, role) else "SELECT 1")
            conn.execute(f"DROP ROLE IF EXISTS {role}")


def _has(conn, role: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is not None


@pytest.fixture
def roles(ok, monkeypatch):
    """A PostgreSQL store with one client's records, and a login role of each kind."""
    if not os.environ.get("PGHOST"):
        pytest.skip("needs PostgreSQL (PGHOST): run under pg_virtualenv")
    dispose_all()
    _drop_roles()
    _reset_postgres("postgresql+psycopg://")
    monkeypatch.delenv("VETO_DB", raising=False)
    monkeypatch.setenv("VETO_DATABASE_URL", "postgresql+psycopg://")
    ok("coach", "add", "Liisa Laine")
    ok("client", "add", "--name", "Sanna Salainen", "--gender", "f", "--background", "native")
    ok("phase", "start", "placement", "A0001", "--on", "2025-01-02")
    ok("activity", "log", "A0001", "--hours", "3", "--on", "2025-01-03")
    ok("esf", "entry", "A0001", "--status", "unemployed", "--isced", "3-4")
    answers = {q.key: "" for q in SURVEY_QUESTIONS}
    answers.update(worries="Jännittää", medication="Melatoniini")
    ok("survey", "A0001", "--on", "3.1.2025", input="\n".join(answers.values()) + "\n")
    monkeypatch.setenv("VETO_ROLE_PASSWORD", PASSWORD)
    for kind, role in ROLES.items():
        ok("db", "role", "add", role, f"--{kind}")
    yield ROLES
    dispose_all()
    _drop_roles()


def as_role(monkeypatch, role: str) -> None:
    dispose_all()
    monkeypatch.setenv("VETO_DATABASE_URL", url_of(role))


def refused_by_server(conn, statement: str) -> str:
    import psycopg

    with pytest.raises(psycopg.errors.InsufficientPrivilege) as refusal:
        conn.execute(statement)
    return str(refusal.value).splitlines()[0]


def test_the_log_names_the_authenticated_role_not_veto_user(ok, roles, monkeypatch):
    coach = roles["coach"]
    as_role(monkeypatch, coach)
    monkeypatch.setenv("VETO_USER", "pomo")  # a claim the server does not believe
    ok("client", "show", "A0001")
    with connect_as(coach) as conn:
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, sensitive) VALUES (now(), 'pomo', 'x', false)"
        )
        rows = conn.execute(
            "SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 2"
        ).fetchall()
    assert rows == [(coach, "x"), (coach, "client.show")]


def test_a_coach_works_on_records_but_cannot_touch_the_log(ok, roles, monkeypatch):
    coach = roles["coach"]
    as_role(monkeypatch, coach)
    ok("client", "add", "--name", "Uusi Asiakas", "--gender", "m", "--background", "native")
    ok("phase", "start", "coaching", "A0002", "--on", "2025-01-02")
    ok("activity", "log", "A0002", "--hours", "1", "--on", "2025-01-03")
    ok("activity", "edit", "2", "--hours", "2")
    assert len(json.loads(ok("client", "list", "-f", "json"))) == 2
    # The change history names the role too, and the coach cannot change it either.
    kept = json.loads(ok("history", "A0002", "-f", "json"))
    assert {(r["user"], r["command"]) for r in kept} == {
        (coach, f"veto {c}") for c in ("client add", "phase start", "activity log", "activity edit")
    }
    with connect_as(coach) as conn:
        for statement in (
            "UPDATE audit_log SET actor = 'joku muu'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER audit_log_server_actor",
            "DROP TRIGGER audit_log_no_change ON audit_log",
            "DROP TABLE client",
            "CREATE TABLE kopio (a int)",
            "UPDATE alembic_version SET version_num = 'x'",
            "SET ROLE veto_admin",
        ):
            assert refused_by_server(conn, statement).startswith(REFUSALS), statement
        # No UPDATE grant on the history; DELETE only of an erased client's rows (its trigger).
        update = refused_by_server(conn, "UPDATE change_history SET actor = 'x'")
        assert update == "permission denied for table change_history"
        delete = refused_by_server(conn, "DELETE FROM change_history")
        assert delete == "the change history (change_history) is append-only: DELETE refused"


def test_a_reporter_runs_the_reports_and_reads_no_person(ok, veto, roles, monkeypatch):
    reporter = roles["reporter"]
    as_role(monkeypatch, reporter)
    assert json.loads(ok("report", "pilot", "-f", "json"))["clients"]["total"] == 1
    ok("report", "esf", "-f", "json")
    ok("report", "fidelity", "-f", "json")
    result = veto("client", "list")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: the store refused: permission denied for table client\n"
    with connect_as(reporter) as conn:
        for statement in (
            "SELECT * FROM client",
            "SELECT name FROM client",
            "SELECT code FROM client",
            "SELECT birth_date, municipality, phone, email FROM client",
            "SELECT answers FROM survey",
            "SELECT sensitive_answers FROM survey",
            "SELECT note FROM activity",
            "SELECT * FROM job_search_plan",
            "SELECT * FROM audit_log",
            "SELECT name FROM contact_person",
            "UPDATE client SET outcome = NULL",
            "INSERT INTO coach (name, created_at) VALUES ('x', now())",
            "DELETE FROM phase",
        ):
            assert refused_by_server(conn, statement).startswith(REFUSALS), statement


def test_the_admin_owns_the_schema_and_adds_roles(ok, roles, monkeypatch):
    admin = roles["admin"]
    with connect_as(admin) as conn:
        owners = conn.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
        assert owners == [("veto_admin",)]
        assert conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchone() == (False,)
        conn.execute("ALTER TABLE client ADD COLUMN kokeilu int")
        conn.execute("ALTER TABLE client DROP COLUMN kokeilu")
    as_role(monkeypatch, admin)
    ok("db", "role", "add", "t_toinen", "--coach", "--no-password")
    with connect_as(admin) as conn:
        member = conn.execute("SELECT pg_has_role('t_toinen', 'veto_coach', 'MEMBER')").fetchone()
        assert member == (True,)
        conn.execute("DROP ROLE t_toinen")


def test_role_add_refuses_bad_requests(refused, roles, monkeypatch):
    refused(
        "db", "role", "add", "t_x", message="give exactly one of --coach, --reporter or --admin"
    )
    refused(
        "db", "role", "add", "t_x", "--coach", "--admin",
        message="give exactly one of --coach, --reporter or --admin",
    )  # fmt: skip
    refused(
        "db", "role", "add", "T-x", "--coach",
        message="'T-x' cannot be a role name: use lower-case letters, digits and _ (at most 63, "
        "not starting with a digit)",
    )  # fmt: skip
    refused(
        "db", "role", "add", "veto_admin", "--coach",
        message="'veto_admin' is a reserved role name: choose another",
    )  # fmt: skip
    refused(
        "db", "role", "add", roles["coach"], "--coach", message="role 't_valmentaja' exists already"
    )
    monkeypatch.delenv("VETO_ROLE_PASSWORD")
    refused(
        "db", "role", "add", "t_x", "--coach",
        message="no password for the new role: set VETO_ROLE_PASSWORD, or give --no-password for "
        "peer or certificate authentication",
    )  # fmt: skip


def test_role_add_on_sqlite_is_refused(refused):
    refused(
        "db", "role", "add", "t_x", "--coach",
        message="veto db role add works on a PostgreSQL store only (VETO_DATABASE_URL)",
    )  # fmt: skip

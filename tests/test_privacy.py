"""Privacy guarantees: the access log nobody can edit, private-by-default views, the subject's
export, erasure that leaves no byte behind, retention. Invented people only."""

from __future__ import annotations

import json
import os
import stat

import pytest

from tests.conftest import built_once, encrypted_run, snapshot
from veto.store import cipher

NAME = "Saara Salainenxq"
SECRETS = [
    NAME,
    "040 5550 1234",  # phone
    "Baristaharjoittelijaxq",  # placement title
    "Selkäkipuxq puhuttiin",  # activity note
    "Ahdistusxq ajoittain",  # survey: mental health (sensitive)
    "Leipomoxq kiinnostaa",  # survey: ordinary answer
    "Sairauslomaxq 2023",  # plan: must not tell employers (sensitive)
]


@pytest.fixture
def person(ok, tmp_path):
    """One client with every kind of record: phases, a work trial, hours, a survey, a plan and
    ESF+ entry data; returns the client code. Built once per test process; each test gets its own
    copy of the store."""
    return built_once("privacy.person", lambda: _person(ok, tmp_path))


def _person(ok, tmp_path) -> str:
    ok("coach", "add", "Liisa Laine")
    ok("employer", "add", "Kahvila Aamu Oy")
    code = ok(
        "client", "add", "--name", NAME, "--gender", "female", "--background", "immigrant",
        "--code", "S1", "--coach", "Liisa Laine", "--birth-year", "1988",
        "--phone", "040 5550 1234",
    )  # fmt: skip
    ok("phase", "start", "coaching", code, "--on", "1.2.2024")
    ok("phase", "start", "placement", code, "--on", "1.5.2024")
    ok(
        "placement", "add", code, "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
        "--start", "2.5.2024", "--title", "Baristaharjoittelijaxq",
    )  # fmt: skip
    ok("activity", "log", code, "--hours", "2", "--on", "3.5.2024", "--note", SECRETS[3])
    survey = tmp_path / "survey.yaml"
    survey.write_text(
        f'mental_health: "{SECRETS[4]}"\nalcohol: "Ei lainkaan"\nsleep: "{SECRETS[5]}"\n',
        encoding="utf-8",
    )
    ok("survey", "new", code, "--from", str(survey), "--on", "2.2.2024")
    plan = tmp_path / "plan.yaml"
    plan.write_text(f'must_not_tell: "{SECRETS[6]}"\nstrengths: "Kahvinkeitto"\n', "utf-8")
    ok("plan", "new", code, "--from", str(plan), "--on", "3.2.2024")
    ok("esf", "entry", code, "--status", "unemployed", "--isced", "3-4", "--disability", "yes")
    ok("client", "end", code, "--outcome", "employed", "--field", "IT", "--on", "1.9.2024")
    return code


def other_client(ok, code="K2", name="Kalle Kolmasxq"):
    ok("client", "add", "--name", name, "--gender", "male", "--background", "native",
       "--code", code)  # fmt: skip
    ok("phase", "start", "placement", code, "--on", "1.3.2024")
    ok("activity", "log", code, "--hours", "1", "--on", "2.3.2024", "--note", "Kallexq muistio")
    return code


def audit(ok, *args):
    return [
        {k: v for k, v in row.items() if k not in ("id", "at")}
        for row in json.loads(ok("audit", *args, "-f", "json"))
    ]


def store_bytes(db) -> bytes:
    return b"".join(
        p.read_bytes() for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
        if p.exists()
    )  # fmt: skip


def visible(text: bytes, everything: bytes) -> bool:
    """A kept record's text is in a plain store's bytes; in an encrypted store's (the suite run
    with VETO_TEST_ENCRYPTED=1) no text is."""
    return (text in everything) != encrypted_run()


# --- the access log -------------------------------------------------------------------------


def test_the_log_refuses_update_and_delete_through_a_raw_connection(ok, backend, private_store):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    ok("client", "show", "A0001")
    if backend == "sqlite":
        conn = cipher.connect(private_store)
        for statement in (
            "UPDATE audit_log SET actor = 'someone else'",
            "UPDATE audit_log SET client_id = NULL WHERE id = 1",
            "DELETE FROM audit_log",
            "DELETE FROM audit_log WHERE action = 'client.show'",
        ):
            with pytest.raises(cipher.driver_of(conn).IntegrityError, match="append-only"):
                conn.execute(statement)
        rows = conn.execute("SELECT actor, action FROM audit_log ORDER BY id").fetchall()
        conn.close()
    else:
        import psycopg

        with psycopg.connect("", autocommit=True) as conn:
            for statement in (
                "UPDATE audit_log SET actor = 'someone else'",
                "DELETE FROM audit_log",
                "TRUNCATE audit_log",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    conn.execute(statement)
            rows = conn.execute("SELECT actor, action FROM audit_log ORDER BY id").fetchall()
    # On PostgreSQL the server writes the authenticated role (session_user), not VETO_USER.
    actor = "tester" if backend == "sqlite" else os.environ["PGUSER"]
    assert rows == [(actor, "client.add"), (actor, "client.show")]


def test_audit_shows_who_did_what_and_its_own_reading(ok, monkeypatch):
    """VETO_USER names who acted on SQLite; on PostgreSQL the server names the role instead
    (tests/test_roles.py)."""
    monkeypatch.setenv("VETO_USER", "anna")
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    monkeypatch.setenv("VETO_USER", "bert")
    ok("client", "show", "A0001")
    ok("client", "show", "A0001", "--sensitive")
    assert audit(ok, "--client", "A0001") == [
        {"user": "anna", "action": "client.add", "client_id": 1, "client": "A0001",
         "record": "client:1", "purpose": None, "sensitive": False},
        {"user": "bert", "action": "client.show", "client_id": 1, "client": "A0001",
         "record": "client:1", "purpose": None, "sensitive": False},
        {"user": "bert", "action": "client.show", "client_id": 1, "client": "A0001",
         "record": "client:1", "purpose": None, "sensitive": True},
    ]  # fmt: skip
    # The look at the log is in the log, with the client it was about.
    assert audit(ok, "--user", "bert", "--client", "1")[-1] == {
        "user": "bert", "action": "audit.view", "client_id": 1, "client": "A0001",
        "record": None, "purpose": "supervision", "sensitive": False,
    }  # fmt: skip
    assert [r["action"] for r in audit(ok, "--user", "anna")] == ["client.add"]
    assert audit(ok, "--since", "2100-12-31") == []
    assert len(audit(ok, "--since", "1.1.2000")) == 7  # 3 + 4 reads of the log
    csv = ok("audit", "--user", "anna", "-f", "csv").splitlines()
    assert csv[0] == "id,at,user,action,client_id,client,record,purpose,sensitive"
    assert csv[1].endswith(",anna,client.add,1,A0001,client:1,,false")


def test_audit_refuses_bad_input_without_logging(ok, refused):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    refused(
        "audit", "--client", "X9",
        message="unknown client 'X9': give a client code, numeric id or unique name (veto client find TEXT)",
    )  # fmt: skip
    refused("audit", "--since", "31.2.2024")
    refused("audit", "-f", "xml", message="unknown format 'xml': use one of table|json|csv")


@pytest.mark.parametrize(
    ("args", "action"),
    [
        (("client", "list"), "client.list"),
        (("client", "show", "S1"), "client.show"),
        (("client", "edit", "S1", "--municipality", "Ilmajoki"), "client.edit"),
        (("client", "reopen", "S1"), "client.reopen"),
        (("phase", "list", "S1"), "phase.list"),
        (("placement", "list"), "placement.list"),
        (("placement", "list", "--client", "S1"), "placement.list"),
        (("placement", "show", "1"), "placement.show"),
        (("placement", "edit", "1", "--tasks", "Kassa"), "placement.edit"),
        (("placement", "end", "1", "--on", "1.6.2024"), "placement.end"),
        (("activity", "list"), "activity.list"),
        (("activity", "list", "--client", "S1"), "activity.list"),
        (("activity", "log", "S1", "--hours", "1", "--on", "1.6.2024"), "activity.log"),
        (("survey", "show", "1"), "survey.show"),
        (("plan", "show", "1"), "plan.show"),
        (("esf", "show", "S1"), "esf.show"),
    ],
)
def test_every_read_and_change_of_a_person_is_logged(ok, person, args, action):
    before = json.loads(ok("audit", "-f", "json"))
    ok(*args)
    after = json.loads(ok("audit", "-f", "json"))
    new = [r for r in after[len(before) :] if r["action"] != "audit.view"]
    assert [r["action"] for r in new][-1] == action
    assert all(r["user"] == "tester" for r in new)


def test_the_log_takes_no_names_or_free_text(ok):
    from veto.commands.common import Invocation
    from veto.domain.audit import log_access
    from veto.store.database import transaction

    with pytest.raises(ValueError, match="kind:reference"):
        with transaction(Invocation().location, actor="tester") as session:
            log_access(session, action="client.show", record="Saara Salainen")
    with pytest.raises(ValueError, match="lower-case code"):
        with transaction(Invocation().location, actor="tester") as session:
            log_access(session, action="client.show", purpose="Saara asked on the phone")


# --- private by default ---------------------------------------------------------------------


def test_client_show_leaves_sensitive_answers_out_unless_asked(ok, person):
    shown = json.loads(ok("client", "show", person, "-f", "json"))
    assert "sensitive" not in shown
    table = ok("client", "show", person)
    assert SECRETS[4] not in table and SECRETS[6] not in table
    full = json.loads(ok("client", "show", person, "--sensitive", "-f", "json"))
    assert full["sensitive"] == [
        {"source": "esf", "record": "participant:1", "date": None,
         "item": "Vamma tai pitkäaikainen sairaus (ESF+)", "value": "kyllä"},
        {"source": "kartoitus", "record": "survey:1", "date": "2024-02-02",
         "item": "Onko sinulla mielenterveyden kanssa haasteita?", "value": SECRETS[4]},
        {"source": "kartoitus", "record": "survey:1", "date": "2024-02-02",
         "item": "Käytätkö alkoholia, missä määrin?", "value": "Ei lainkaan"},
        {"source": "suunnitelma", "record": "plan:1", "date": "2024-02-03",
         "item": "Onko joitain asioita, joita ET halua työhönvalmentajan kertovan "
                 "mahdollisille työnantajille?", "value": SECRETS[6]},
    ]  # fmt: skip
    assert SECRETS[5] not in json.dumps(full["sensitive"])  # an ordinary answer is not sensitive
    table = ok("client", "show", person, "--sensitive")
    assert "sensitive" in table and SECRETS[6] in table
    shows = [r for r in audit(ok, "--client", person) if r["action"] == "client.show"]
    assert [r["sensitive"] for r in shows] == [False, False, True, True]


# --- export ---------------------------------------------------------------------------------


def test_export_holds_everything_about_the_person_and_only_them(ok, person, tmp_path):
    other_client(ok)
    ok("client", "show", person, "--sensitive")
    out = tmp_path / "saara.json"
    out.write_text("old")
    out.chmod(0o644)
    assert ok("client", "export", person, "--out", str(out), "--force") == ""
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "veto-subject-export/1"
    assert data["exported_by"] == "tester"
    assert data["client"]["name"] == NAME and data["client"]["phone"] == "040 5550 1234"
    records = data["records"]
    assert {k: len(v) for k, v in records.items() if v} == {
        "activity": 1, "job_search_plan": 1, "participant": 1, "phase": 2, "placement": 1,
        "survey": 1,
    }  # fmt: skip
    assert all(r["client_id"] == 1 for rows in records.values() for r in rows)
    assert records["activity"][0]["note"] == SECRETS[3]
    assert records["survey"][0]["sensitive_answers"]["mental_health"] == SECRETS[4]
    assert records["job_search_plan"][0]["must_not_tell"] == SECRETS[6]
    assert records["placement"][0]["title"] == "Baristaharjoittelijaxq"
    assert [r["name"] for r in data["referenced"]["coach"]] == ["Liisa Laine"]
    assert [r["name"] for r in data["referenced"]["employer"]] == ["Kahvila Aamu Oy"]
    assert len(data["sensitive"]) == 4
    log = data["access_log"]
    assert log[0]["action"] == "client.add" and log[-1]["action"] == "client.show"
    assert log[-1]["sensitive"] is True
    assert "Kolmasxq" not in out.read_text(encoding="utf-8")
    last = audit(ok, "--client", person)[-1]
    assert (last["action"], last["purpose"], last["sensitive"]) == (
        "client.export",
        "subject-request",
        True,
    )


def test_export_refusals_leave_no_file_and_no_log(ok, person, refused, tmp_path):
    out = tmp_path / "x.json"
    refused("client", "export", "NOPE", "--out", str(out))
    refused("client", "export", person, "--out", str(tmp_path / "missing" / "x.json"))
    assert not out.exists()


def test_export_finds_tables_it_was_never_told_about(ok, person, extra_tables, tmp_path):
    note, line, mention = extra_tables
    out = tmp_path / "x.json"
    ok("client", "export", person, "--out", str(out))
    records = json.loads(out.read_text(encoding="utf-8"))["records"]
    assert records[note.name] == [{"id": 1, "client_id": 1, "text": "Muistiinpanoxq"}]
    assert records[line.name] == [{"id": 1, "note_id": 1, "line": "Rivixq"}]
    assert records[mention.name] == [
        {"id": 1, "employer_id": 1, "client_id": 1, "placement_id": None, "channel": "phone",
         "note": "Soitto Saarasta"},
        {"id": 2, "employer_id": 1, "client_id": None, "placement_id": 1, "channel": "visit",
         "note": "Kokeilun seurantaxq"},
    ]  # fmt: skip


@pytest.fixture
def extra_tables(person):
    """Tables another module might add: a note owned by the client, a line owned by the note, and
    an employer-side record that must outlive the client (ON DELETE SET NULL)."""
    from sqlalchemy import Column, ForeignKey, Integer, String, Table, insert
    from sqlmodel import SQLModel

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    md = SQLModel.metadata
    note = Table(
        "test_case_note", md,
        Column("id", Integer, primary_key=True),
        Column("client_id", ForeignKey("client.id", ondelete="CASCADE"), nullable=False),
        Column("text", String),
    )  # fmt: skip
    line = Table(
        "test_case_note_line", md,
        Column("id", Integer, primary_key=True),
        Column("note_id", ForeignKey("test_case_note.id", ondelete="CASCADE"), nullable=False),
        Column("line", String),
    )  # fmt: skip
    mention = Table(
        "test_mention", md,
        Column("id", Integer, primary_key=True),
        Column("employer_id", ForeignKey("employer.id"), nullable=False),
        Column("client_id", ForeignKey("client.id", ondelete="SET NULL")),
        Column("placement_id", ForeignKey("placement.id", ondelete="SET NULL")),
        Column("channel", String, nullable=False),
        Column("note", String),
    )  # fmt: skip
    engine = engine_for(Invocation().location)
    md.create_all(engine, tables=[note, line, mention])
    with engine.begin() as conn:
        conn.execute(insert(note).values(id=1, client_id=1, text="Muistiinpanoxq"))
        conn.execute(insert(line).values(id=1, note_id=1, line="Rivixq"))
        conn.execute(
            insert(mention),
            [
                {"id": 1, "employer_id": 1, "client_id": 1, "placement_id": None,
                 "channel": "phone", "note": "Soitto Saarasta"},
                {"id": 2, "employer_id": 1, "client_id": None, "placement_id": 1,
                 "channel": "visit", "note": "Kokeilun seurantaxq"},
                {"id": 3, "employer_id": 1, "client_id": None, "placement_id": None,
                 "channel": "email", "note": "Esite lähetetty"},
            ],
        )  # fmt: skip
    yield note, line, mention
    for table in (mention, line, note):
        md.remove(table)


# --- erasure --------------------------------------------------------------------------------


def test_erase_leaves_no_byte_of_the_person_in_the_store_files(ok, person, private_store):
    kept = other_client(ok)
    ok("client", "export", person, "--out", str(private_store.parent / "saara.json"))
    everything = store_bytes(private_store)
    assert all(visible(s.encode(), everything) for s in SECRETS)  # the search does find them
    ok("client", "erase", person, "--yes")
    everything = store_bytes(private_store)
    for secret in SECRETS:
        assert secret.encode() not in everything, secret
    assert visible(b"Kolmasxq", everything) and visible(b"Kallexq muistio", everything)
    assert [c["code"] for c in json.loads(ok("client", "list", "-f", "json"))] == [kept]
    assert [r["client"] for r in json.loads(ok("activity", "list", "-f", "json"))] == [kept]
    assert ok("survey", "list", kept, "-f", "json") == "[]"
    # The log keeps its rows about the person: numbers and codes, no name or text.
    about = audit(ok, "--client", "1")
    assert about[-1] == {
        "user": "tester", "action": "client.erase", "client_id": 1, "client": None,
        "record": "client:1", "purpose": "erasure", "sensitive": False,
    }  # fmt: skip
    assert ok("db", "check", "-f", "csv").splitlines()[1:3] == [
        "integrity,ok,true",
        "foreign keys,ok,true",
    ]


def test_erase_in_a_batch_scrubs_once_the_batch_commits(ok, person, private_store):
    other_client(ok)
    ok("batch", "-", input=f"client erase {person} --yes\nclient show K2\n")
    everything = store_bytes(private_store)
    for secret in SECRETS:
        assert secret.encode() not in everything, secret
    assert visible(b"Kolmasxq", everything)


def test_erase_removes_every_row_on_both_backends(ok, backend, person):
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    other_client(ok)
    ok("client", "erase", person, "--yes")
    tables = ("client", "phase", "placement", "activity", "survey", "job_search_plan")
    with engine_for(Invocation().location).connect() as conn:
        left = {
            t: conn.execute(text(f"SELECT count(*) FROM {t} WHERE {c} = 1")).scalar()
            for t, c in [(t, "id" if t == "client" else "client_id") for t in tables]
            + [("participant", "client_id")]
        }
        others = conn.execute(text("SELECT count(*) FROM activity")).scalar()
    assert left == dict.fromkeys([*tables, "participant"], 0)
    assert others == 1  # the other client's hours stay
    text_left = repr({t: rows for t, rows in snapshot().items() if t != "audit_log"})
    assert not any(s in text_left for s in SECRETS)


def test_erase_unlinks_rows_that_outlive_the_person(ok, person, extra_tables, private_store):
    note, line, mention = extra_tables
    ok("client", "erase", person, "--yes")
    after = snapshot()
    assert after[note.name] == [] and after[line.name] == []
    assert after[mention.name] == [
        (1, 1, None, None, "phone", None),
        (2, 1, None, None, "visit", None),
        (3, 1, None, None, "email", "Esite lähetetty"),
    ]
    everything = store_bytes(private_store)
    for gone in (b"Soitto Saarasta", b"Kokeilun seurantaxq", b"Rivixq", b"Muistiinpanoxq"):
        assert gone not in everything


def test_erase_refuses_without_yes_off_a_terminal(ok, person, refused):
    refused(
        "client", "erase", person,
        message="client erase removes data for good: add --yes to confirm (not a terminal)",
    )  # fmt: skip


def test_an_active_client_gets_no_statistics_stub(ok, refused):
    code = other_client(ok)
    refused(
        "client", "erase", code, "--yes", "--keep-statistics",
        message="client K2 is still active: end the relationship first "
        "(veto client end K2 --outcome ...) or erase without --keep-statistics",
    )  # fmt: skip


def test_erase_asks_in_a_terminal(ok, person, veto, monkeypatch):
    monkeypatch.setattr("veto.commands.privacy._interactive", lambda: True)
    before = snapshot()
    answer = veto("client", "erase", person, input="n\n")
    assert answer.exit_code == 1
    assert f"Erase S1 ({NAME}) and every record about them for good?" in answer.stderr
    assert snapshot() == before
    assert veto("client", "erase", person, input="y\n").exit_code == 0
    assert ok("client", "list", "-f", "json") == "[]"


def test_keep_statistics_leaves_an_anonymous_stub_the_report_counts(ok, person, private_store):
    other_client(ok)
    report_before = json.loads(ok("report", "pilot", "-f", "json"))
    ok("client", "erase", person, "--yes", "--keep-statistics")
    report_after = json.loads(ok("report", "pilot", "-f", "json"))
    # Everything counts as before; only the typed outcome field ("IT") went with the person.
    assert report_after["ended"]["fields"]["employed"] == {}
    for part in ("clients", "durations", "work_trials", "hours"):
        assert report_after[part] == report_before[part], part
    assert report_after["ended"]["by_outcome"] == report_before["ended"]["by_outcome"]
    [stub] = [c for c in json.loads(ok("client", "list", "-f", "json")) if c["code"] != "K2"]
    assert stub["id"] == 3  # a new id: the access log's rows about the person lead nowhere
    assert stub["code"].startswith("anon-") and stub["name"] == "(poistettu)"
    assert (stub["gender"], stub["background"], stub["ended_on"], stub["outcome"]) == (
        "female", "immigrant", "2024-09-01", "employed",
    )  # fmt: skip
    shown = json.loads(ok("client", "show", stub["code"], "-f", "json"))
    assert (shown["birth_year"], shown["phone"], shown["coach"], shown["outcome_field"]) == (
        (None,) * 4
    )
    assert [(p["kind"], p["start"]) for p in shown["phases"]] == [
        ("coaching", "2024-02-01"),
        ("placement", "2024-05-01"),
    ]
    assert shown["placements"][0]["title"] is None and shown["hours"] == 2
    assert ok("survey", "list", stub["code"], "-f", "json") == "[]"
    everything = store_bytes(private_store)
    for secret in SECRETS:
        assert secret.encode() not in everything, secret
    # Erasing the stub itself removes it for good.
    ok("client", "erase", stub["code"], "--yes", "--keep-statistics")
    assert [c["code"] for c in json.loads(ok("client", "list", "-f", "json"))] == ["K2"]


# --- retention ------------------------------------------------------------------------------


def test_retention_lists_and_purges_relationships_past_keeping(ok, refused, private_store):
    for code, ended in (("R1", "31.12.2022"), ("R2", "15.6.2023"), ("R3", "1.3.2024")):
        ok("client", "add", "--name", f"Vanha {code}xq", "--gender", "m", "--background",
           "native", "--code", code)  # fmt: skip
        ok("phase", "start", "coaching", code, "--on", "1.1.2022")
        ok("client", "end", code, "--outcome", "returned", "--on", ended)
    other_client(ok, "A1", "Aktiivinen Asiakasxq")
    listed = json.loads(ok("retention", "list", "--ended-before", "1.1.2024", "-f", "json"))
    assert [(r["code"], r["ended_on"]) for r in listed] == [
        ("R1", "2022-12-31"),
        ("R2", "2023-06-15"),
    ]
    refused(
        "retention", "purge", "--ended-before", "2024-01-01",
        message="retention purge removes data for good: add --yes to confirm (not a terminal)",
    )  # fmt: skip
    ok("retention", "purge", "--ended-before", "2024-01-01", "--yes", "--keep-statistics")
    codes = [c["code"] for c in json.loads(ok("client", "list", "-f", "json"))]
    assert codes[:2] == ["A1", "R3"] and len(codes) == 4  # two anonymous stubs
    assert ok("retention", "list", "--ended-before", "1.1.2024", "-f", "json") == "[]"
    erased = [r for r in audit(ok) if r["action"] == "client.erase"]
    assert [(r["client_id"], r["purpose"]) for r in erased] == [(1, "retention"), (2, "retention")]
    everything = store_bytes(private_store)
    assert b"Vanha R1xq" not in everything and b"Vanha R2xq" not in everything
    assert visible(b"Vanha R3xq", everything)


def test_retention_purge_is_all_or_nothing(ok, monkeypatch):
    for code in ("R1", "R2"):
        ok("client", "add", "--name", f"Vanha {code}", "--gender", "m", "--background",
           "native", "--code", code)  # fmt: skip
        ok("phase", "start", "coaching", code, "--on", "1.1.2022")
        ok("client", "end", code, "--outcome", "returned", "--on", "1.6.2022")
    import veto.privacy.retention as retention

    real = retention.erase_client
    calls = []

    def failing(session, **kwargs):
        calls.append(kwargs["client"].code)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(session, **kwargs)

    monkeypatch.setattr(retention, "erase_client", failing)
    before = snapshot()
    from tests.conftest import invoke

    assert invoke("retention", "purge", "--ended-before", "2023-01-01", "--yes").exit_code == 1
    assert calls == ["R1", "R2"]
    assert snapshot() == before

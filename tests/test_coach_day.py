"""The coach's working day (issue 14): find by name, a name as CLIENT, the acting coach."""

import json
from datetime import date, timedelta

import pytest

SOON = (date.today() + timedelta(days=10)).isoformat()


@pytest.fixture
def people(ok):
    ok("coach", "add", "Liisa Esimerkki")
    ok("coach", "add", "Ville Virta")
    for name, municipality, coach in (
        ("Maija Meikäläinen", "Ähtäri", "Liisa Esimerkki"),
        ("Matti Meikäläinen", "Tampere", "Ville Virta"),
        ("Maija Meikäläinen", "Vaasa", "Liisa Esimerkki"),
        ("Olli Outo", "Ähtäri", "Ville Virta"),
    ):
        ok("client", "add", "--name", name, "--gender", "other", "--background", "native",
           "--municipality", municipality, "--coach", coach)  # fmt: skip


def test_find_ignores_case_and_accents(ok, people):
    found = json.loads(ok("client", "find", "ahtari", "-f", "json"))
    assert [(r["code"], r["municipality"]) for r in found] == [
        ("A0001", "Ähtäri"),
        ("A0004", "Ähtäri"),
    ]
    assert ok("client", "find", "MEIKALAINEN", "-f", "csv") == (
        "code,name,municipality,coach,phase,ended_on\n"
        "A0001,Maija Meikäläinen,Ähtäri,Liisa Esimerkki,,\n"
        "A0002,Matti Meikäläinen,Tampere,Ville Virta,,\n"
        "A0003,Maija Meikäläinen,Vaasa,Liisa Esimerkki,,"
    )
    assert ok("client", "find", "a0004", "-f", "csv").splitlines()[1].startswith("A0004,")


def test_find_nothing_is_an_empty_list(veto, people):
    result = veto("client", "find", "Nobody", "-f", "json")
    assert (result.exit_code, result.out) == (0, "[]")


def test_a_unique_name_is_a_client(ok, veto, people):
    assert ok("client", "show", "Matti Meikäläinen", "-f", "json").count('"code": "A0002"') == 1
    assert json.loads(ok("client", "show", "olli outo", "-f", "json"))["code"] == "A0004"
    assert ok("phase", "start", "coaching", "Olli Outo", "--on", "1.1.2025") == "1"
    ambiguous = veto("client", "show", "Maija Meikäläinen")
    assert (ambiguous.exit_code, ambiguous.stdout, ambiguous.stderr) == (
        2,
        "",
        "Error: client name 'Maija Meikäläinen' matches 2 clients: A0001, A0003; "
        "give one of the codes\n",
    )


def test_activity_list_takes_the_client_as_an_argument(ok, veto, people):
    ok("phase", "start", "coaching", "A0002", "--on", "1.1.2025")
    ok("phase", "start", "coaching", "A0004", "--on", "1.1.2025")
    ok("activity", "log", "A0002", "--hours", "2", "--on", "1.2.2025")
    ok("activity", "log", "A0004", "--hours", "1", "--on", "2.2.2025")
    by_argument = json.loads(ok("activity", "list", "Olli Outo", "-f", "json"))
    assert [(r["id"], r["client"]) for r in by_argument] == [(2, "A0004")]
    assert ok("activity", "list", "--client", "A0004", "-f", "json") == ok(
        "activity", "list", "A0004", "-f", "json"
    )
    both = veto("activity", "list", "A0004", "--client", "A0002")
    assert (both.exit_code, both.stderr) == (
        2, "Error: give the client once: as CLIENT or as --client, not both\n"
    )  # fmt: skip


def test_veto_user_is_a_coach_by_first_name(ok, people, monkeypatch):
    ok("employer", "add", "Aamu Oy")
    ok("contact", "log", "Aamu Oy", "--channel", "phone", "--stage", "contact", "--client",
       "A0001", "--next", SOON, "--coach", "Liisa Esimerkki")  # fmt: skip
    ok("contact", "log", "Aamu Oy", "--channel", "phone", "--stage", "contact", "--client",
       "A0002", "--next", SOON, "--coach", "Ville Virta")  # fmt: skip
    monkeypatch.setenv("VETO_USER", "liisa")
    mine = json.loads(ok("contact", "due", "--within", "30", "-f", "json"))
    assert [r["coach"] for r in mine] == ["Liisa Esimerkki"]


def test_the_placement_budget_speaks_up_on_stderr(ok, veto, people):
    ok("phase", "start", "coaching", "A0002", "--on", "1.1.2025")
    ok("activity", "log", "A0002", "--hours", "5", "--on", "2.1.2025")  # before the placement
    ok("phase", "start", "placement", "A0002", "--on", "1.2.2025")
    quiet = veto("activity", "log", "A0002", "--hours", "10", "--on", "2.2.2025")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "2\n", "")
    near = veto("activity", "log", "A0002", "--hours", "5,5", "--on", "3.2.2025")
    assert (near.exit_code, near.stdout, near.stderr) == (
        0,
        "3\n",
        "Note: A0002 has used 15,5 h of the 18 h placement budget, 2,5 h left "
        "(hours since the placement started 1.2.2025).\n",
    )
    over = veto("activity", "log", "A0002", "--hours", "2,5", "--on", "4.2.2025")
    assert (over.exit_code, over.stdout, over.stderr) == (
        0,
        "4\n",
        "Warning: A0002 has used 18 h of the 18 h placement budget "
        "(hours since the placement started 1.2.2025).\n",
    )
    earlier = veto("activity", "log", "A0002", "--hours", "1", "--on", "3.1.2025")
    assert (earlier.stdout, earlier.stderr) == ("5\n", "")  # not a placement hour
    shown = json.loads(ok("client", "show", "A0002", "-f", "json"))
    assert {k: shown[k] for k in ("hours", "placement_since", "placement_hours")} == {
        "hours": 24,
        "placement_since": "2025-02-01",
        "placement_hours": 18,
    }
    assert shown["placement_budget"] == 18


def test_notes_are_part_of_the_record(ok, veto, people, tmp_path):
    assert (
        ok("note", "add", "Olli Outo", "Soitti, haluaa kokeilla varastotyötä", "--on", "2.3.2025")
        == "1"
    )
    assert ok("note", "add", "A0004", "Toinen muistiinpano", "--on", "1.3.2025") == "2"
    assert ok("note", "list", "A0004", "-f", "csv") == (
        "id,on,author,text\n"
        "2,2025-03-01,tester,Toinen muistiinpano\n"
        '1,2025-03-02,tester,"Soitti, haluaa kokeilla varastotyötä"'
    )
    shown = json.loads(ok("client", "show", "A0004", "-f", "json"))
    assert [n["id"] for n in shown["notes"]] == [2, 1]
    empty = veto("note", "add", "A0004", "  ")
    assert (empty.exit_code, empty.stderr) == (
        2, "Error: a note needs text: veto note add CLIENT 'what happened'\n"
    )  # fmt: skip
    audit = json.loads(ok("audit", "--client", "A0004", "-f", "json"))
    assert [e["action"] for e in audit if e["action"].startswith("note.")] == [
        "note.add", "note.add", "note.list"
    ]  # fmt: skip
    out = tmp_path / "export.json"
    ok("client", "export", "A0004", "--out", str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert [n["text"] for n in exported["records"]["client_note"]] == [
        "Soitti, haluaa kokeilla varastotyötä", "Toinen muistiinpano"
    ]  # fmt: skip
    ok("client", "erase", "A0004", "--yes")
    from veto.store.cipher import connect

    db = connect(tmp_path / "veto.db")  # the stdlib driver, or sqlcipher3 with the key
    try:
        assert db.execute("select count(*) from client_note").fetchone() == (0,)
    finally:
        db.close()


def _ago(days: int) -> str:
    return (date.today() - timedelta(days=days)).isoformat()


def test_today_is_the_acting_coachs_day(ok, veto, people, monkeypatch):
    ok("employer", "add", "Aamu Oy")
    ok("phase", "start", "coaching", "A0001", "--on", _ago(60))
    ok("phase", "start", "placement", "A0001", "--on", _ago(40))
    ok("activity", "log", "A0001", "--hours", "16", "--on", _ago(35))
    ok("placement", "add", "A0001", "--employer", "Aamu Oy", "--kind", "work-trial",
       "--start", _ago(-3))  # fmt: skip
    ok("contact", "log", "Aamu Oy", "--channel", "phone", "--stage", "contact", "--client",
       "A0001", "--on", _ago(2), "--next", _ago(1), "--coach", "Liisa Esimerkki")  # fmt: skip
    ok("phase", "start", "coaching", "A0002", "--on", _ago(50))  # Ville's
    monkeypatch.setenv("VETO_USER", "Liisa")
    day = json.loads(ok("tänään", "-f", "json"))
    assert day == {
        "date": date.today().isoformat(),
        "coach": "Liisa Esimerkki",
        "hours": [{"client": "A0001", "name": "Maija Meikäläinen", "since": _ago(40),
                   "hours": 16, "budget": 18, "left": 2}],
        "follow_ups": [{"due": _ago(1), "status": "myöhässä", "employer": "Aamu Oy",
                        "client": "A0001", "note": None}],
        "placements": [{"client": "A0001", "placement": 1, "employer": "Aamu Oy",
                        "kind": "work-trial", "event": "start", "date": _ago(-3)}],
        "keep_in_touch": [],
        "esf_pending": [{"client": "A0001", "item": "start", "date": _ago(60)}],
        "quiet": [{"client": "A0003", "name": "Maija Meikäläinen", "last_entry": None}],
    }  # fmt: skip
    everyone = json.loads(ok("today", "--all", "-f", "json"))
    assert everyone["coach"] is None
    assert [r["client"] for r in everyone["quiet"]] == ["A0002", "A0003", "A0004"]


def test_doc_kartoitus_prints_the_start_survey_and_says_so(ok, veto, people, tmp_path):
    answers = tmp_path / "a.yaml"
    answers.write_text("worries: ei\n", encoding="utf-8")
    ok("survey", "new", "A0004", "--from", str(answers), "--on", "1.2.2025", "--kind", "start")
    ok("survey", "new", "A0004", "--from", str(answers), "--on", "1.6.2025", "--kind", "end")
    result = veto("doc", "kartoitus", "A0004", "--format", "md")
    assert result.exit_code == 0
    assert result.stderr == (
        "A0004 has 2 surveys: printing the start survey 1 of 1.2.2025 "
        "(--kind end or --survey ID for another)\n"
    )
    assert "1.2.2025" in result.stdout and "1.6.2025" not in result.stdout

"""Employer contacts, proposals about clients and the follow-ups of `veto contact due`."""

import json
from datetime import date, timedelta

import pytest

from tests.conftest import refuse as refused

TODAY = date.today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


@pytest.fixture
def people(ok, backend, monkeypatch):
    ok("coach", "add", "Anna", "--email", "anna.virtanen@example.fi")
    ok("coach", "add", "Ville")
    for code, coach in (("T1", "Anna"), ("T2", "Anna"), ("T3", "Anna"), ("V1", "Ville")):
        ok("client", "add", "--name", f"Testi {code}", "--gender", "other",
           "--background", "native", "--code", code, "--coach", coach)  # fmt: skip
    for name in ("Aamu Oy", "Huolto Oy", "Ilta Oy", "Koti Oy"):
        ok("employer", "add", name)
    monkeypatch.setenv("VETO_USER", "Anna")


def log(ok, employer, on, *extra, stage="contact"):
    return ok(
        "contact", "log", employer, "--channel", "phone", "--stage", stage, "--on", on, *extra
    )


def test_log_prints_the_id_and_a_proposal_shows_on_the_client(ok, people):
    assert log(ok, "Aamu Oy", "1.3.2025", "--client", "T1", "--note", "CV lähetetty") == "1"
    assert ok("contact", "log", "2", "--channel", "käynti", "--stage", "neuvottelu",
              "--on", "2025-03-02", "--next", "9.3.2025") == "2"  # fmt: skip
    assert log(ok, "Ilta Oy", "3.3.2025", "--client", "T2") == "3"
    rows = json.loads(ok("contact", "list", "--client", "T1", "-f", "json"))
    assert rows == [
        {"id": 1, "on": "2025-03-01", "employer": "Aamu Oy", "channel": "phone", "stage": "contact",
         "client": "T1", "coach": "Anna", "person": None, "next": None, "note": "CV lähetetty"},
    ]  # fmt: skip
    second = json.loads(ok("contact", "list", "--employer", "Huolto Oy", "-f", "json"))
    assert [(r["channel"], r["stage"], r["next"]) for r in second] == [
        ("visit", "negotiation", "2025-03-09")
    ]
    listed = ok("contact", "list", "--period", "2025-03-02..2025-03-03", "-f", "csv")
    assert [line.split(",")[0] for line in listed.splitlines()] == ["id", "2", "3"]


def test_who_made_the_contact(ok, people, monkeypatch):
    log(ok, "Aamu Oy", "1.3.2025")  # VETO_USER=Anna is a coach
    monkeypatch.setenv("VETO_USER", "anna.virtanen")  # the login name: the e-mail's local part
    log(ok, "Aamu Oy", "2.3.2025")
    monkeypatch.setenv("VETO_USER", "sihteeri")  # not a coach: the client's coach, else nobody
    log(ok, "Aamu Oy", "3.3.2025", "--client", "V1")
    log(ok, "Aamu Oy", "4.3.2025")
    log(ok, "Aamu Oy", "5.3.2025", "--coach", "Ville")
    rows = json.loads(ok("contact", "list", "-f", "json"))
    assert [r["coach"] for r in rows] == ["Anna", "Anna", "Ville", None, "Ville"]


def test_bad_contacts_are_refused(ok, people):
    ok("employer", "person", "add", "Huolto Oy", "--name", "Eeva Esimerkki")
    base = ("contact", "log", "Aamu Oy", "--channel", "phone", "--stage", "contact")
    refused("contact", "log", "Ei Oy", "--channel", "phone", "--stage", "contact",
            message="unknown employer 'Ei Oy': give an employer id or exact name "
            "(veto employer list)")  # fmt: skip
    refused("contact", "log", "Aamu Oy", "--channel", "fax", "--stage", "contact",
            message="unknown channel 'fax': use one of phone|email|visit|event")  # fmt: skip
    refused("contact", "log", "Aamu Oy", "--channel", "phone", "--stage", "signed",
            message="unknown stage 'signed': use one of "
            "mapping|contact|negotiation|decision|aftercare")  # fmt: skip
    refused(*base, "--on", "2025/03/01",
            message="invalid contact date '2025/03/01': use YYYY-MM-DD or D.M.YYYY, "
            "e.g. 2024-08-01 or 1.8.2024")  # fmt: skip
    refused(*base, "--on", "31.2.2025", "--next", "x")
    refused(*base, "--on", "10.3.2025", "--next", "9.3.2025",
            message="the follow-up (9.3.2025) cannot be before the contact (10.3.2025); "
            "give --next on or after --on")  # fmt: skip
    tomorrow = TODAY + timedelta(days=1)
    refused(*base, "--on", tomorrow.isoformat(),
            message=f"a contact cannot be dated in the future ({tomorrow.day}.{tomorrow.month}."
            f"{tomorrow.year}); log it when it happens and use --next DATE for a planned "
            "follow-up")  # fmt: skip
    refused(
        *base,
        "--client",
        "X9",
        message="unknown client 'X9': give a client code, numeric id or unique name (veto client find TEXT)",
    )
    refused(*base, "--person", "Eeva Esimerkki",
            message="unknown contact person 'Eeva Esimerkki' at Aamu Oy: give an id or exact "
            "name (veto employer person list EMPLOYER)")  # fmt: skip
    refused("contact", "list", "--client", "X9")
    refused("contact", "due", "--within", "-1")
    refused("contact", "due", "--format", "xml")
    assert json.loads(ok("contact", "list", "-f", "json")) == []


@pytest.fixture
def pipeline(ok, people):
    """Contacts and placements around today; ids in the order logged."""
    log(ok, "Aamu Oy", day(-20), "--next", day(-5))  # 1: closed by 3 (any later contact)
    log(ok, "Huolto Oy", day(-10), "--next", day(-2), "--client", "T1")  # 2: open, overdue
    log(ok, "Aamu Oy", day(-3), "--next", day(3), "--client", "T1")  # 3: open, in 3 days
    log(ok, "Huolto Oy", day(-1), "--next", day(10), "--client", "T2")  # 4: does not close 2
    log(ok, "Ilta Oy", day(0), "--next", day(0), "--coach", "Ville")  # 5: Ville's, today
    log(ok, "Koti Oy", day(-4), "--next", day(-1))  # 6: closed by 7, logged later that day
    log(ok, "Koti Oy", day(-4))  # 7
    log(ok, "Huolto Oy", day(-15), "--client", "T3")  # 8: T3's last contact at Huolto
    for code in ("T1", "T2", "T3", "V1"):
        ok("phase", "start", "coaching", code, "--on", day(-60))
    place = ("placement", "add")
    ok(*place, "T1", "--employer", "Aamu Oy", "--kind", "work-trial", "--start", day(-30))  # 1
    ok(*place, "T2", "--employer", "Huolto Oy", "--kind", "job", "--start", day(-20))  # 2
    ok(*place, "V1", "--employer", "Ilta Oy", "--kind", "work-trial", "--start", day(-16))  # 3
    ok(*place, "T2", "--employer", "Aamu Oy", "--kind", "job", "--start", day(-40),
       "--end", day(-5))  # 4: over  # fmt: skip
    ok(*place, "T3", "--employer", "Huolto Oy", "--kind", "job", "--start", day(-60))  # 5


def due(ok, *args):
    rows = json.loads(ok("contact", "due", *args, "-f", "json"))
    return [
        (r["due"], r["in_days"], r["status"], r["employer"], r["client"], r["coach"],
         r["contact"], r["placement"])
        for r in rows
    ]  # fmt: skip


def test_due_for_the_acting_coach_oldest_first(ok, pipeline):
    assert due(ok) == [
        (day(-2), -2, "myöhässä", "Huolto Oy", "T1", "Anna", 2, None),
        # no contact about T3 at Huolto in the last 14 days: the last was 15 days ago
        (day(-1), -1, "pidä yhteyttä", "Huolto Oy", "T3", "Anna", None, 5),
        (day(3), 3, "tulossa", "Aamu Oy", "T1", "Anna", 3, None),
    ]


def test_due_within_more_days(ok, pipeline):
    assert [row[0] for row in due(ok, "--within", "13")] == [
        day(-2), day(-1), day(3), day(10), day(11), day(13)
    ]  # fmt: skip
    assert [row[1:3] for row in due(ok, "--within", "0")] == [
        (-2, "myöhässä"),
        (-1, "pidä yhteyttä"),
    ]


def test_due_for_everyone_or_another_coach(ok, veto, pipeline, monkeypatch):
    ville = [
        (day(-16), -16, "pidä yhteyttä", "Ilta Oy", "V1", "Ville", None, 3),
        (day(0), 0, "tänään", "Ilta Oy", None, "Ville", 5, None),
    ]
    assert due(ok, "--coach", "Ville") == ville
    monkeypatch.setenv("VETO_USER", "ville")
    assert due(ok) == ville
    assert [row[0] for row in due(ok, "--all")] == [day(-16), day(-2), day(-1), day(0), day(3)]
    monkeypatch.setenv("VETO_USER", "tester")
    result = veto("contact", "due", "-f", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 5
    assert result.stderr == (
        "The acting user 'tester' is no coach: showing every coach's follow-ups "
        "(set VETO_USER to a coach's name, or give --coach COACH).\n"
    )
    refused("contact", "due", "--all", "--coach", "Ville",
            message="give either --all or --coach, not both")  # fmt: skip


def test_due_table(ok, pipeline):
    out = ok("contact", "due")
    assert out.splitlines()[0].split() == [
        "due", "in_days", "status", "employer", "stage", "client", "coach", "contact",
        "placement", "note",
    ]  # fmt: skip
    assert "pidä yhteyttä: työsuhde" in out


def test_an_erased_client_leaves_the_employer_history(ok, people):
    log(ok, "Aamu Oy", "1.3.2025", "--client", "T1", "--note", "Testi T1 sopii hyvin",
        stage="decision")  # fmt: skip
    ok("client", "erase", "T1", "--yes")
    contact = json.loads(ok("contact", "list", "-f", "json"))[0]
    assert (contact["client"], contact["note"], contact["stage"]) == (None, None, "decision")
    assert json.loads(ok("employer", "list", "-f", "json"))[0]["stage"] == "decision"


def test_edit_and_remove_a_contact(ok, people):
    ok("employer", "person", "add", "Aamu Oy", "--name", "Eeva Esimerkki")
    log(ok, "Aamu Oy", "1.3.2025", "--next", "8.3.2025", "--note", "soita")
    assert ok("contact", "edit", "1", "--stage", "päätös", "--channel", "email",
              "--client", "T1", "--person", "Eeva Esimerkki", "--next", "") == "1"  # fmt: skip
    rows = json.loads(ok("contact", "list", "-f", "json"))
    assert rows == [
        {"id": 1, "on": "2025-03-01", "employer": "Aamu Oy", "channel": "email",
         "stage": "decision", "client": "T1", "coach": "Anna", "person": "Eeva Esimerkki",
         "next": None, "note": "soita"},
    ]  # fmt: skip
    refused("contact", "edit", "1", "--next", "28.2.2025",
            message="the follow-up (28.2.2025) cannot be before the contact (1.3.2025); "
            "give --next on or after --on")  # fmt: skip
    refused("contact", "edit", "1", "--stage", "done")
    refused("contact", "edit", "9", "--stage", "contact",
            message="unknown contact '9': give a contact id (veto contact list)")  # fmt: skip
    assert ok("contact", "remove", "1", "--yes") == ""
    refused("contact", "remove", "1", "--yes",
            message="unknown contact '1': give a contact id (veto contact list)")  # fmt: skip
    assert json.loads(ok("contact", "list", "-f", "json")) == []

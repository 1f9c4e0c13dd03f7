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

"""Corrections of everything else a coach adds (issue 12 item 2): contacts, employers, contact
persons, coaches, notes, surveys, plans and ESF+ data have `edit` and `remove`. A remove asks in
a terminal and needs --yes in a script; a record that others name is never removed with them."""

import json
import os
import types

import pytest


@pytest.fixture
def client(ok, backend):
    ok("coach", "add", "Anna Esimerkki", "--email", "anna@example.fi")
    ok("employer", "add", "Kahvila Aamu Oy")
    code = ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f",
              "--background", "native", "--coach", "Anna Esimerkki")  # fmt: skip
    ok("phase", "start", "coaching", code, "--on", "1.3.2024")
    return code


def history(ok, *args):
    """The corrections in the history (not the rows the commands inserted)."""
    rows = json.loads(ok("history", *args, "-f", "json"))
    return [
        (r["command"], r["record"], r["operation"], r["field"], r["old"], r["new"])
        for r in rows
        if r["operation"] != "insert"
    ]


def actions(ok, *kinds):
    """The access-log rows of these kinds of change ('contact' keeps contact.log, .edit and
    .remove), as (action, record)."""
    verbs = ("add", "log", "new", "edit", "remove", "entry")
    wanted = {f"{kind}.{verb}" for kind in kinds for verb in verbs}
    return [
        (r["action"], r["record"])
        for r in json.loads(ok("audit", "-f", "json"))
        if r["action"] in wanted
    ]


def user(name: str) -> str:
    """Who the log names: VETO_USER on SQLite, the server's session_user on PostgreSQL."""
    return name if not os.environ.get("VETO_DATABASE_URL") else os.environ["PGUSER"]


def test_a_contact_is_corrected_and_removed_with_yes(ok, refused, client):
    ok("contact", "log", "Kahvila Aamu Oy", "--channel", "phone", "--stage", "contact",
       "--client", client, "--on", "2.3.2024", "--note", "CV")  # fmt: skip
    refused(
        "contact", "edit", "1",
        message="nothing to change: give --channel, --stage, --on, --next, --client, --person "
        "or --note",
    )  # fmt: skip
    assert ok("contact", "edit", "1", "--note", "CV lähetetty") == "1"
    refused(
        "contact", "remove", "1",
        message="contact remove removes a record: add --yes to confirm (not a terminal)",
    )  # fmt: skip
    assert ok("contact", "remove", "1", "--yes") == ""
    assert json.loads(ok("contact", "list", "-f", "json")) == []
    assert [h for h in history(ok, client) if h[3] in ("note", "stage")] == [
        ("veto contact edit", "contact:1", "update", "note", "CV", "CV lähetetty"),
        ("veto contact remove", "contact:1", "delete", "note", "CV lähetetty", None),
        ("veto contact remove", "contact:1", "delete", "stage", "contact", None),
    ]
    assert actions(ok, "contact") == [
        ("contact.log", "contact:1"),
        ("contact.edit", "contact:1"),
        ("contact.remove", "contact:1"),
    ]


def test_a_contact_person_is_corrected_and_removed_once_no_contact_names_them(ok, refused, client):
    ok("employer", "person", "add", "Kahvila Aamu Oy", "--name", "Eeva Esimerkk",
       "--phone", "040 1")  # fmt: skip
    assert ok("employer", "person", "edit", "1", "--name", "Eeva Esimerkki",
              "--email", "eeva@example.fi", "--phone", "") == "1"  # fmt: skip
    assert json.loads(ok("employer", "person", "list", "1", "-f", "json")) == [
        {"id": 1, "name": "Eeva Esimerkki", "role": None, "phone": None,
         "email": "eeva@example.fi"},
    ]  # fmt: skip
    refused("employer", "person", "edit", "1", "--email", "eeva",
            message="invalid e-mail 'eeva': give an address like name@example.fi")  # fmt: skip
    refused("employer", "person", "edit", "1", "--name", " ",
            message="a contact person needs a name: give --name 'First Last'")  # fmt: skip
    refused("employer", "person", "edit", "1",
            message="nothing to change: give --name, --role, --phone or --email")  # fmt: skip
    ok("contact", "log", "Kahvila Aamu Oy", "--channel", "visit", "--stage", "contact",
       "--on", "2.3.2024", "--person", "Eeva Esimerkki")  # fmt: skip
    refused(
        "employer", "person", "remove", "1", "--yes",
        message="contact person 1 (Eeva Esimerkki) cannot be removed: contact 1 name it; clear "
        "them from it first (veto contact edit ID --person '')",
    )  # fmt: skip
    refused(
        "employer", "person", "remove", "1",
        message="employer person remove removes a record: add --yes to confirm (not a terminal)",
    )  # fmt: skip
    ok("contact", "edit", "1", "--person", "")
    assert ok("employer", "person", "remove", "1", "--yes") == ""
    assert json.loads(ok("employer", "person", "list", "1", "-f", "json")) == []
    assert actions(ok, "employer.person") == [
        ("employer.person.add", "contact_person:1"),
        ("employer.person.edit", "contact_person:1"),
        ("employer.person.remove", "contact_person:1"),
    ]


def test_an_employer_is_removed_only_when_nothing_names_it(ok, refused, client):
    ok("placement", "add", client, "--employer", "1", "--kind", "job", "--start", "1.4.2024")
    for on in ("2.3.2024", "3.3.2024"):
        ok("contact", "log", "1", "--channel", "phone", "--stage", "contact", "--on", on)
    ok("employer", "person", "add", "1", "--name", "Eeva Esimerkki")
    refused(
        "employer", "remove", "Kahvila Aamu Oy", "--yes",
        message="employer 1 (Kahvila Aamu Oy) cannot be removed: placement 1, contacts 1, 2 and "
        "contact person 1 name it; move or remove the placements (veto placement edit ID "
        "--employer EMPLOYER, veto placement remove ID); remove the contacts (veto contact remove "
        "ID); remove the persons (veto employer person remove ID)",
    )  # fmt: skip
    ok("employer", "add", "Huolto Oy")
    ok("placement", "edit", "1", "--employer", "Huolto Oy")
    for removal in (("contact", "remove", "1"), ("contact", "remove", "2"),
                    ("employer", "person", "remove", "1")):  # fmt: skip
        ok(*removal, "--yes")
    refused(
        "employer", "remove", "1",
        message="employer remove removes a record: add --yes to confirm (not a terminal)",
    )  # fmt: skip
    assert ok("employer", "remove", "1", "--yes") == ""
    assert [e["name"] for e in json.loads(ok("employer", "list", "-f", "json"))] == ["Huolto Oy"]
    refused("employer", "remove", "1", "--yes",
            message="unknown employer '1': give an employer id or exact name "
            "(veto employer list)")  # fmt: skip
    assert actions(ok, "employer") == [
        ("employer.add", "employer:1"),
        ("employer.add", "employer:2"),
        ("employer.remove", "employer:1"),
    ]
    assert history(ok, client)[0] == (
        "veto placement edit", "placement:1", "update", "employer_id", 1, 2
    )  # fmt: skip


def test_a_remove_asks_in_a_terminal(ok, veto, client, monkeypatch):
    from tests.conftest import snapshot

    terminal = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("veto.commands.common.sys", terminal)
    ok("employer", "add", "Huolto Oy")
    before = snapshot()
    kept = veto("employer", "remove", "Huolto Oy", input="n\n")
    # In a terminal the answer's own newline ends the question's line.
    assert (kept.exit_code, kept.stderr) == (
        1, "Remove employer 2 (Huolto Oy)? [y/N]:Error: aborted\n"
    )  # fmt: skip
    assert snapshot() == before
    removed = veto("employer", "remove", "Huolto Oy", input="y\n")
    # Click's prompt writes its trailing space through input(), on stdout; nothing else is there.
    assert (removed.exit_code, removed.stdout) == (0, " ")
    assert [e["name"] for e in json.loads(ok("employer", "list", "-f", "json"))] == [
        "Kahvila Aamu Oy"
    ]

"""Corrections of everything else a coach adds (issue 12 item 2): contacts, employers, contact
persons, coaches, notes, surveys, plans and ESF+ data have `edit` and `remove`. A remove asks in
a terminal and needs --yes in a script; a record that others name is never removed with them."""

import json
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


def test_a_contact_is_corrected_and_removed_with_yes(ok, refused, client):
    ok("contact", "log", "Kahvila Aamu Oy", "--channel", "phone", "--stage", "contact",
       "--client", client, "--on", "2.3.2024", "--note", "CV")  # fmt: skip
    refused(
        "contact", "edit", "1",
        message="nothing to change: give --channel, --stage, --on, --next, --client, --person, "
        "--note or --coach",
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


def test_a_coach_is_corrected(ok, refused, client):
    assert ok("coach", "edit", "Anna Esimerkki", "--name", "Anna Virtanen", "--phone", "040 2",
              "--email", "") == "1"  # fmt: skip
    assert json.loads(ok("coach", "show", "1", "-f", "json")) == {
        "id": 1, "name": "Anna Virtanen", "email": None, "phone": "040 2", "area": None,
        "clients": 1,
    }  # fmt: skip
    ok("coach", "add", "Ville Esimerkki")
    refused("coach", "edit", "1", "--name", "Ville Esimerkki",
            message="a coach named 'Ville Esimerkki' already exists (veto coach list)")  # fmt: skip
    refused("coach", "edit", "1", "--name", "42",
            message="invalid coach name '42': all digits would be read as an id")  # fmt: skip
    refused("coach", "edit", "1",
            message="nothing to change: give --name, --email, --phone or --area")  # fmt: skip
    assert actions(ok, "coach") == [
        ("coach.add", "coach:1"),
        ("coach.edit", "coach:1"),
        ("coach.add", "coach:2"),
    ]


def test_a_coach_is_removed_only_when_nothing_names_them(ok, refused, client, monkeypatch):
    ok("activity", "log", client, "--hours", "1", "--on", "2.3.2024")
    monkeypatch.setenv("VETO_USER", "Anna Esimerkki")
    ok("note", "add", client, "Soitto", "--on", "2.3.2024")
    refused(
        "coach", "remove", "1", "--yes",
        message="coach 1 (Anna Esimerkki) cannot be removed: client A0001, hours 1 and note 1 "
        "name it; give the clients another coach (veto client edit CLIENT --coach COACH); a "
        "coach whose hours or notes are recorded stays in the store",
    )  # fmt: skip
    ok("coach", "add", "Ville Esimerkki")
    ok("client", "edit", client, "--coach", "Ville Esimerkki")
    ok("survey", "new", client, "--from", "-", "--coach", "Ville Esimerkki", input="{}")
    ok("contact", "log", "1", "--channel", "phone", "--stage", "contact", "--on", "2.3.2024",
       "--coach", "Ville Esimerkki")  # fmt: skip
    refused(
        "coach", "remove", "Ville Esimerkki", "--yes",
        message="coach 2 (Ville Esimerkki) cannot be removed: client A0001, survey 1 and contact "
        "1 name it; give the clients another coach (veto client edit CLIENT --coach COACH); give "
        "the surveys another coach (veto survey edit ID --coach COACH); give the contacts "
        "another coach (veto contact edit ID --coach COACH)",
    )  # fmt: skip
    ok("client", "edit", client, "--coach", "1")
    ok("survey", "edit", "1", "--coach", "1")
    ok("contact", "edit", "1", "--coach", "")
    refused(
        "coach", "remove", "2",
        message="coach remove removes a record: add --yes to confirm (not a terminal)",
    )  # fmt: skip
    assert ok("coach", "remove", "Ville Esimerkki", "--yes") == ""
    assert [c["name"] for c in json.loads(ok("coach", "list", "-f", "json"))] == ["Anna Esimerkki"]
    assert json.loads(ok("contact", "list", "-f", "json"))[0]["coach"] is None
    refused("coach", "remove", "2", "--yes")
    assert actions(ok, "coach")[-1] == ("coach.remove", "coach:2")


def test_a_note_is_corrected_and_removed(ok, refused, client):
    assert ok("note", "add", client, "Soitto työnantajalle", "--on", "2.3.2024") == "1"
    assert ok("note", "edit", "1", "--text", "Soitto Kahvila Aamuun", "--on", "3.3.2024") == "1"
    assert json.loads(ok("note", "list", client, "-f", "json")) == [
        {"id": 1, "on": "2024-03-03", "author": "tester", "text": "Soitto Kahvila Aamuun"}
    ]
    refused("note", "edit", "1", "--text", "  ",
            message="a note needs text: veto note add CLIENT 'what happened'")  # fmt: skip
    refused("note", "edit", "1", "--on", "1.1.2099",
            message="a note cannot be dated in the future (1.1.2099)")  # fmt: skip
    refused("note", "edit", "1", "--on", "31.2.2024")
    refused("note", "edit", "1", message="nothing to change: give --text or --on")
    refused("note", "edit", "2", "--text", "x",
            message="unknown note '2': give a note id (veto note list CLIENT)")  # fmt: skip
    refused("note", "remove", "1",
            message="note remove removes a record: add --yes to confirm (not a terminal)")  # fmt: skip
    assert ok("note", "remove", "1", "--yes") == ""
    assert json.loads(ok("note", "list", client, "-f", "json")) == []
    assert history(ok, client) == [
        ("veto note edit", "client_note:1", "update", "on_date", "2024-03-02", "2024-03-03"),
        ("veto note edit", "client_note:1", "update", "text", "Soitto työnantajalle",
         "Soitto Kahvila Aamuun"),
        ("veto note remove", "client_note:1", "delete", "author", "tester", None),
        ("veto note remove", "client_note:1", "delete", "client_id", 1, None),
        ("veto note remove", "client_note:1", "delete", "coach_id", 1, None),
        ("veto note remove", "client_note:1", "delete", "created_at", created(ok, client), None),
        ("veto note remove", "client_note:1", "delete", "on_date", "2024-03-03", None),
        ("veto note remove", "client_note:1", "delete", "text", "Soitto Kahvila Aamuun", None),
    ]  # fmt: skip
    assert actions(ok, "note") == [
        ("note.add", "client_note:1"),
        ("note.edit", "client_note:1"),
        ("note.remove", "client_note:1"),
    ]


def created(ok, client):
    """The kept `created_at` of the client's deleted rows (a timestamp of the test run)."""
    rows = json.loads(ok("history", client, "-f", "json"))
    return next(r["old"] for r in rows if r["field"] == "created_at")


HIDDEN = "(sensitive: add --sensitive)"


def deleted(ok, client, *args):
    """The fields of the client's deleted rows as the history shows them: {field: old}."""
    rows = json.loads(ok("history", client, *args, "-f", "json"))
    return {r["field"]: r["old"] for r in rows if r["operation"] == "delete"}


def test_a_survey_is_removed_and_its_sensitive_answers_stay_hidden(ok, refused, client, tmp_path):
    answers = tmp_path / "kartoitus.yaml"
    answers.write_text('mental_health: "Ahdistus"\nworries: "Aamut"\n', encoding="utf-8")
    ok("survey", "new", client, "--from", str(answers), "--on", "2.3.2024")
    refused("survey", "remove", "1",
            message="survey remove removes a record: add --yes to confirm (not a terminal)")  # fmt: skip
    assert ok("survey", "remove", "1", "--yes") == ""
    assert json.loads(ok("survey", "list", client, "-f", "json")) == []
    refused("survey", "remove", "1", "--yes",
            message="unknown survey '1': give a survey id (veto survey list CLIENT)")  # fmt: skip
    kept = deleted(ok, client)
    assert (kept["answers"], kept["sensitive_answers"], kept["kind"]) == (
        '{"worries": "Aamut"}', HIDDEN, "start"
    )  # fmt: skip
    assert (
        deleted(ok, client, "--sensitive")["sensitive_answers"] == '{"mental_health": "Ahdistus"}'
    )
    log = [(r["action"], r["sensitive"]) for r in json.loads(ok("audit", "-f", "json"))]
    assert ("survey.remove", True) in log


def test_a_plan_is_removed(ok, refused, client, tmp_path):
    answers = tmp_path / "plan.yaml"
    answers.write_text('strengths: "Täsmällinen"\nmust_not_tell: "Velat"\n', encoding="utf-8")
    ok("plan", "new", client, "--from", str(answers), "--on", "2.3.2024")
    refused("plan", "remove", "1",
            message="plan remove removes a record: add --yes to confirm (not a terminal)")  # fmt: skip
    assert ok("plan", "remove", "1", "--yes") == ""
    assert json.loads(ok("plan", "list", client, "-f", "json")) == []
    kept = deleted(ok, client)
    assert (kept["strengths"], kept["must_not_tell"], kept["drawn_up_on"]) == (
        "Täsmällinen", HIDDEN, "2024-03-02"
    )  # fmt: skip
    assert deleted(ok, client, "--sensitive")["must_not_tell"] == "Velat"
    assert actions(ok, "plan") == [("plan.add", "plan:1"), ("plan.remove", "plan:1")]


def test_esf_data_are_removed(ok, refused, client):
    refused("esf", "remove", client, "--yes",
            message="client A0001 has no ESF entry data: cannot remove ESF data; record them "
            "first (veto esf entry A0001 --status ... --isced ...)")  # fmt: skip
    ok("esf", "entry", client, "--status", "unemployed", "--isced", "3-4", "--disability", "yes")
    refused("esf", "remove", client,
            message="esf remove removes a record: add --yes to confirm (not a terminal)")  # fmt: skip
    assert ok("esf", "remove", client, "--yes") == ""
    refused("esf", "show", client)
    kept = deleted(ok, client)
    assert (kept["status"], kept["isced"], kept["disability"]) == ("unemployed", "3-4", HIDDEN)
    assert actions(ok, "esf") == [("esf.entry", "participant:1"), ("esf.remove", "participant:1")]


def test_a_eura_form_marked_done_by_mistake_is_cleared(ok, refused, client):
    ok("esf", "entry", client, "--status", "unemployed", "--isced", "3-4")
    ok("esf", "done", client, "start", "--on", "2.3.2024")
    refused("esf", "done", client, "start", "--clear", "--on", "2.3.2024",
            message="give either --clear or --on, not both")  # fmt: skip
    assert ok("esf", "done", client, "start", "--clear") == client
    assert json.loads(ok("esf", "show", client, "-f", "json"))["start_done"] is None
    refused("esf", "done", client, "start", "--clear",
            message="the start form of A0001 is not marked done: nothing to clear "
            "(veto esf show A0001)")  # fmt: skip
    assert history(ok, client) == [
        ("veto esf done", "participant:1", "update", "start_done", None, "2024-03-02"),
        ("veto esf done", "participant:1", "update", "start_done", "2024-03-02", None),
    ]
    assert actions(ok, "esf") == [("esf.entry", "participant:1")]
    log = [r["action"] for r in json.loads(ok("audit", "-f", "json"))]
    assert log.count("esf.done.start") == 1 and log.count("esf.done.start.clear") == 1

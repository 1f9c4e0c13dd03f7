"""The client workflow from the shell: every rule of the contract, on SQLite and PostgreSQL."""

import json

import pytest


@pytest.fixture
def client(ok, backend):
    ok("coach", "add", "Liisa Laine", "--area", "Seinäjoki")
    return ok(
        "client", "add", "--name", "Aino Esimerkki", "--gender", "female",
        "--background", "immigrant", "--coach", "Liisa Laine",
    )  # fmt: skip


def phases(ok, code):
    return [
        (p["kind"], p["start"], p["end"])
        for p in json.loads(ok("phase", "list", code, "-f", "json"))
    ]


def test_generated_codes_are_sequential(ok, client):
    assert client == "A0001"
    assert ok("client", "add", "--name", "B", "--gender", "m", "--background", "native") == "A0002"


def test_placement_closes_open_coaching_on_the_same_day(ok, client):
    ok("phase", "start", "coaching", client, "--on", "1.2.2024")
    ok("phase", "start", "työhönvalmennus", client, "--on", "2024-05-15")
    assert phases(ok, client) == [
        ("coaching", "2024-02-01", "2024-05-15"),
        ("placement", "2024-05-15", None),
    ]


def test_placement_without_coaching_is_allowed(ok, client):
    ok("phase", "start", "placement", client, "--on", "1.3.2024")
    assert phases(ok, client) == [("placement", "2024-03-01", None)]


def test_client_end_closes_the_open_phase(ok, client):
    ok("phase", "start", "coaching", client, "--on", "1.2.2024")
    assert (
        ok(
            "client",
            "end",
            client,
            "--outcome",
            "koulutuspaikka",
            "--field",
            "hoiva-ala",
            "--on",
            "1.10.2024",
        )
        == client
    )
    shown = json.loads(ok("client", "show", client, "-f", "json"))
    assert (shown["ended_on"], shown["outcome"], shown["outcome_field"]) == (
        "2024-10-01",
        "education",
        "hoiva-ala",
    )
    assert phases(ok, client) == [("coaching", "2024-02-01", "2024-10-01")]


def test_reopen_allows_a_new_phase(ok, client):
    ok("phase", "start", "coaching", client, "--on", "1.2.2024")
    ok("client", "end", client, "--outcome", "returned", "--on", "1.3.2024")
    ok("client", "reopen", client)
    ok("phase", "start", "placement", client, "--on", "1.4.2024")
    shown = json.loads(ok("client", "show", client, "-f", "json"))
    assert shown["outcome"] is None and shown["ended_on"] is None


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        ([], ("phase", "start", "coaching", "NOPE", "--on", "1.2.2024"),
         "unknown client 'NOPE': give a client code, numeric id or unique name (veto client find TEXT)"),
        ([], ("phase", "start", "coaching", "A0001", "--on", "30.2.2024"),
         "impossible date '30.2.2024': no such day; use YYYY-MM-DD or D.M.YYYY, e.g. 2024-08-01 or 1.8.2024"),
        ([], ("phase", "start", "coaching", "A0001", "--on", "yesterday"),
         "invalid date 'yesterday': use YYYY-MM-DD or D.M.YYYY, e.g. 2024-08-01 or 1.8.2024"),
        ([], ("phase", "start", "holiday", "A0001"),
         "unknown phase kind 'holiday': use one of coaching|placement"),
        ([("phase", "start", "coaching", "A0001", "--on", "1.2.2024")],
         ("phase", "start", "coaching", "A0001", "--on", "1.3.2024"),
         "client A0001 already has an open coaching phase since 1.2.2024: end it first (veto phase end A0001)"),
        ([("phase", "start", "placement", "A0001", "--on", "1.2.2024")],
         ("phase", "start", "coaching", "A0001", "--on", "1.3.2024"),
         "client A0001 already has an open placement phase since 1.2.2024: end it first (veto phase end A0001)"),
        ([("phase", "start", "coaching", "A0001", "--on", "1.2.2024")],
         ("phase", "start", "placement", "A0001", "--on", "31.1.2024"),
         "phases of A0001 overlap: the new phase (placement from 31.1.2024, open) is still open when phase 1 (coaching from 1.2.2024, open) starts; accepted: the new phase starting on 1.2.2024 or later"),
        ([("phase", "start", "coaching", "A0001", "--on", "1.2.2024")],
         ("phase", "end", "A0001", "--on", "2024-01-31"),
         "phase 1 (coaching 1.2.2024–31.1.2024) cannot end on 31.1.2024, before it starts: accepted: 1.2.2024 or later"),
        ([], ("phase", "end", "A0001"),
         "client A0001 has no open phase to end (veto phase list A0001)"),
        ([("phase", "start", "coaching", "A0001", "--on", "1.2.2024")],
         ("client", "end", "A0001", "--outcome", "employed", "--on", "1.1.2024"),
         "client A0001 cannot end on 1.1.2024, before its first phase, phase 1 (coaching from 1.2.2024, open), starts: accepted: 1.2.2024 or later"),
        ([], ("client", "end", "A0001", "--outcome", "lottery", "--on", "1.1.2024"),
         "unknown outcome 'lottery': use one of employed|education|work-trial|returned|other"),
        ([("phase", "start", "coaching", "A0001", "--on", "1.12.2023"),
          ("client", "end", "A0001", "--outcome", "other", "--on", "1.1.2024")],
         ("phase", "start", "coaching", "A0001", "--on", "1.2.2024"),
         "client A0001 ended on 1.1.2024: cannot start coaching; reopen first (veto client reopen A0001)"),
        ([("phase", "start", "coaching", "A0001", "--on", "1.12.2023"),
          ("client", "end", "A0001", "--outcome", "other", "--on", "1.1.2024")],
         ("client", "end", "A0001", "--outcome", "other", "--on", "1.1.2024"),
         "client A0001 already ended on 1.1.2024; reopen first to change it (veto client reopen A0001)"),
        ([], ("client", "reopen", "A0001"), "client A0001 has not ended: nothing to reopen"),
        ([], ("client", "add", "--name", "X", "--gender", "f", "--background", "martian"),
         "unknown background 'martian': use one of native|immigrant"),
        ([], ("client", "add", "--name", "X", "--gender", "f", "--background", "native", "--code", "A0001"),
         "client code 'A0001' is already in use; choose another"),
        ([], ("client", "add", "--name", "X", "--gender", "f", "--background", "native", "--code", "123"),
         "invalid client code '123': all digits would be read as an id; add a letter"),
        ([], ("client", "add", "--name", " ", "--gender", "f", "--background", "native"),
         "a client needs a name: give --name 'First Last'"),
        ([], ("client", "add", "--name", "X", "--gender", "f", "--background", "native", "--coach", "Nobody"),
         "unknown coach 'Nobody': give a coach id or exact name (veto coach list)"),
        ([], ("client", "add", "--name", "X", "--gender", "f", "--background", "native", "--birth-year", "1850"),
         "invalid birth year 1850: give a year from 1900 to " + str(__import__("datetime").date.today().year)),
        ([], ("client", "edit", "A0001"), "nothing to change: give at least one option, e.g. --name or --coach"),
        ([], ("coach", "add", "Liisa Laine"), "a coach named 'Liisa Laine' already exists (veto coach list)"),
        ([], ("activity", "log", "A0001", "--hours", "0"), "invalid hours '0': must be from 0.01 to 24"),
        ([], ("activity", "log", "A0001", "--hours", "25"), "invalid hours '25': must be from 0.01 to 24"),
        ([], ("activity", "log", "A0001", "--hours", "abc"), "invalid hours 'abc': give a number such as 1,5 or 1.5"),
        ([], ("activity", "log", "A0001", "--hours", "1", "--kind", "nap"),
         "unknown activity kind 'nap': use one of meeting|workplace|phone|email|feedback|tripartite|other"),
        ([], ("placement", "add", "A0001", "--employer", "Ghost Oy", "--kind", "job", "--start", "1.1.2024"),
         "unknown employer 'Ghost Oy': give an employer id or exact name (veto employer list)"),
        ([], ("placement", "end", "99"), "unknown placement '99': give a placement id (veto placement list)"),
        ([], ("client", "list", "--format", "xml"), "unknown format 'xml': use one of table|json|csv"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_cleanly(ok, refused, client, setup, args, message):
    for step in setup:
        ok(*step)
    refused(*args, message=message)


def test_placement_rules(ok, refused, client):
    ok("employer", "add", "Kahvila Aamu Oy", "--sector", "kahvila-ala")
    ok("phase", "start", "coaching", client, "--on", "1.3.2024")
    refused(
        "placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
        "--start", "1.5.2024", "--end", "1.4.2024",
        message="the new placement (work-trial from 1.5.2024) cannot end on 1.4.2024, before it starts: accepted: 1.5.2024 or later",
    )  # fmt: skip
    pid = ok(
        "placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "työkokeilu",
        "--start", "1.5.2024", "--title", "kahvilatyöntekijä", "--pay-per-hour", "12,50",
        "--wage-subsidy", "kyllä",
    )  # fmt: skip
    assert pid == "1"
    refused(
        "placement",
        "end",
        pid,
        "--on",
        "30.4.2024",
        message="placement 1 (work-trial from 1.5.2024) cannot end on 30.4.2024, before it starts: accepted: 1.5.2024 or later",
    )
    refused(
        "placement",
        "edit",
        pid,
        "--employment-form",
        "forever",
        message="unknown employment form 'forever': use one of permanent|fixed-term|other",
    )
    ok("placement", "edit", pid, "--employment-form", "määräaikainen", "--hours-per-month", "80")
    assert ok("placement", "end", pid, "--on", "30.6.2024") == "1"
    shown = json.loads(ok("placement", "show", pid, "-f", "json"))
    assert shown == {
        "id": 1, "client": "A0001", "employer": "Kahvila Aamu Oy", "kind": "work-trial",
        "start": "2024-05-01", "end": "2024-06-30", "title": "kahvilatyöntekijä", "tasks": None,
        "supervisor_name": None, "supervisor_contact": None, "employment_form": "fixed-term",
        "employment_other": None, "hours_per_month": 80, "full_time": None, "pay_per_hour": 12.5,
        "pay_per_month": None, "wage_subsidy": True, "arrangement_support": None,
    }  # fmt: skip


def test_client_edit_changes_only_what_is_given(ok, client):
    ok("coach", "add", "Pekka Toinen")
    assert (
        ok(
            "client",
            "edit",
            client,
            "--name",
            "Aino Korjattu",
            "--coach",
            "Pekka Toinen",
            "--code",
            "VT-7",
        )
        == "VT-7"
    )
    shown = json.loads(ok("client", "show", "VT-7", "-f", "json"))
    assert (shown["name"], shown["coach"], shown["gender"]) == (
        "Aino Korjattu",
        "Pekka Toinen",
        "female",
    )


def test_hours_are_decimals(ok, client):
    ok("phase", "start", "coaching", client, "--on", "1.2.2024")
    ok("activity", "log", client, "--hours", "1,25", "--on", "2.2.2024", "--note", "CV päivitetty")
    ok("activity", "log", client, "--hours", "0.5", "--on", "3.2.2024", "--kind", "puhelu")
    rows = json.loads(ok("activity", "list", "--client", client, "-f", "json"))
    assert [(r["on"], r["hours"], r["kind"]) for r in rows] == [
        ("2024-02-02", 1.25, "meeting"),
        ("2024-02-03", 0.5, "phone"),
    ]
    assert json.loads(ok("client", "show", client, "-f", "json"))["hours"] == 1.75


def test_a_client_cannot_end_before_a_placement_starts_or_hours_were_given(ok, refused, client):
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("phase", "start", "placement", client, "--on", "1.3.2024")
    ok(
        "placement",
        "add",
        client,
        "--employer",
        "Kahvila Aamu Oy",
        "--kind",
        "work-trial",
        "--start",
        "1.5.2024",
    )
    refused(
        "client", "end", client, "--outcome", "employed", "--on", "30.4.2024",
        message="placement 1 (work-trial from 1.5.2024) is dated 1.5.2024, after A0001 ended on 30.4.2024: accepted: 30.4.2024 or earlier, or the end on 1.5.2024 or later",
    )  # fmt: skip
    ok("activity", "log", client, "--hours", "2", "--on", "3.6.2024")
    refused(
        "client", "end", client, "--outcome", "employed", "--on", "2.6.2024",
        message="hours 1 is dated 3.6.2024, after A0001 ended on 2.6.2024: accepted: 2.6.2024 or earlier, or the end on 3.6.2024 or later",
    )  # fmt: skip
    assert ok("client", "end", client, "--outcome", "employed", "--on", "3.6.2024") == client

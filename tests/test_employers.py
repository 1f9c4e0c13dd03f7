"""Employers: the Y-tunnus check, editing, contact persons, the pipeline and the history."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import refuse as refused
from veto.domain.employers import business_id_check_digit, parse_business_id
from veto.errors import InputError


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0112038-9", "0112038-9"),  # 0·7+1·9+1·10+2·5+0·8+3·4+8·2 = 57; 57 mod 11 = 2; 11-2 = 9
        ("112038-9", "0112038-9"),  # an old six-digit body gets its leading zero
        (" 1234567-1 ", "1234567-1"),  # 153 mod 11 = 10 -> 1
        ("0000000-0", "0000000-0"),  # remainder 0 -> check digit 0
    ],
)
def test_valid_business_ids(typed, stored):
    assert parse_business_id(typed) == stored


@pytest.mark.parametrize(
    "typed", ["0112038-8", "0000006-5", "0112038", "01120389", "12-3", "0112038-X", "a112038-9"]
)
def test_invalid_business_ids(typed):
    with pytest.raises(InputError, match="invalid business id"):
        parse_business_id(typed)


def test_remainder_one_has_no_valid_check_digit():
    assert business_id_check_digit("0000006") is None  # 6·2 = 12; 12 mod 11 = 1
    for digit in range(10):
        with pytest.raises(InputError):
            parse_business_id(f"0000006-{digit}")


@given(st.from_regex(r"\A[0-9]{7}\Z"))
def test_exactly_one_check_digit_is_accepted(body):
    check = business_id_check_digit(body)
    accepted = []
    for digit in range(10):
        try:
            parse_business_id(f"{body}-{digit}")
            accepted.append(digit)
        except InputError:
            pass
    assert accepted == ([] if check is None else [check])


def test_add_and_edit(ok, backend):
    assert (
        ok(
            "employer",
            "add",
            "Kahvila Aamu Oy",
            "--y-tunnus",
            "112038-9",
            "--sector",
            "kahvila-ala",
            "--municipality",
            "Seinäjoki",
        )
        == "1"
    )
    assert ok("employer", "edit", "Kahvila Aamu Oy", "--name", "Kahvila Ilta Oy",
              "--sector", "", "--address", "Kauppakatu 1") == "1"  # fmt: skip
    shown = json.loads(ok("employer", "show", "1", "--format", "json"))
    assert {k: shown[k] for k in ("name", "business_id", "sector", "municipality", "address")} == {
        "name": "Kahvila Ilta Oy",
        "business_id": "0112038-9",
        "sector": None,
        "municipality": "Seinäjoki",
        "address": "Kauppakatu 1",
    }


def test_bad_employer_input_is_refused(ok, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("employer", "add", "Huolto Oy")
    message = (
        "invalid business id '0112038-8': the check digit does not match; "
        "a Y-tunnus is 7 digits, a hyphen and a check digit, e.g. 0112038-9"
    )
    refused("employer", "add", "Uusi Oy", "--business-id", "0112038-8", message=message)
    refused("employer", "edit", "Huolto Oy", "--business-id", "0112038-8", message=message)
    refused(
        "employer",
        "edit",
        "Huolto Oy",
        "--name",
        "Kahvila Aamu Oy",
        message="an employer named 'Kahvila Aamu Oy' already exists (veto employer list)",
    )
    refused(
        "employer",
        "edit",
        "Ei Ole Oy",
        "--sector",
        "x",
        message="unknown employer 'Ei Ole Oy': give an employer id or exact name "
        "(veto employer list)",
    )
    refused("employer", "list", "--stage", "signed",
            message="unknown stage 'signed': use one of "
            "mapping|contact|negotiation|decision|aftercare")  # fmt: skip


def test_contact_persons(ok, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    assert ok("employer", "person", "add", "Kahvila Aamu Oy", "--name", "Eeva Esimerkki",
              "--role", "esihenkilö", "--phone", "040 123 4567",
              "--email", "eeva@example.fi") == "1"  # fmt: skip
    assert ok("employer", "person", "add", "1", "--name", "Aapo Esimerkki") == "2"
    persons = json.loads(ok("employer", "person", "list", "Kahvila Aamu Oy", "-f", "json"))
    assert persons == [
        {"id": 2, "name": "Aapo Esimerkki", "role": None, "phone": None, "email": None},
        {"id": 1, "name": "Eeva Esimerkki", "role": "esihenkilö", "phone": "040 123 4567",
         "email": "eeva@example.fi"},
    ]  # fmt: skip
    refused(
        "employer",
        "person",
        "add",
        "1",
        "--name",
        "X",
        "--email",
        "not-an-address",
        message="invalid e-mail 'not-an-address': give an address like name@example.fi",
    )
    refused("employer", "person", "add", "1", "--name", " ",
            message="a contact person needs a name: give --name 'First Last'")  # fmt: skip
    assert ok("employer", "person", "remove", "2", "--yes") == ""
    refused("employer", "person", "remove", "2", "--yes")
    assert [p["id"] for p in json.loads(ok("employer", "person", "list", "1", "-f", "json"))] == [1]


def test_pipeline_is_the_latest_stage(ok, backend):
    for name in ("Aamu Oy", "Huolto Oy", "Ilta Oy"):
        ok("employer", "add", name)

    def log(employer, stage, on):
        ok("contact", "log", employer, "--channel", "phone", "--stage", stage, "--on", on)

    log("Aamu Oy", "mapping", "1.3.2025")
    log("Aamu Oy", "negotiation", "10.3.2025")
    log("Huolto Oy", "neuvottelu", "5.3.2025")
    log("Huolto Oy", "decision", "6.3.2025")
    log("Huolto Oy", "contact", "1.3.2025")  # logged late: an older date does not set the stage
    rows = json.loads(ok("employer", "list", "--stage", "negotiation", "-f", "json"))
    assert [(r["name"], r["stage"], r["last_contact"]) for r in rows] == [
        ("Aamu Oy", "negotiation", "2025-03-10")
    ]
    assert [
        r["name"] for r in json.loads(ok("employer", "list", "--stage", "päätös", "-f", "json"))
    ] == ["Huolto Oy"]
    assert [
        r["name"] for r in json.loads(ok("employer", "list", "--stage", "none", "-f", "json"))
    ] == ["Ilta Oy"]
    assert ok("employer", "list", "--stage", "aftercare", "-f", "csv") == (
        "id,name,business_id,sector,municipality,stage,last_contact,placements"
    )


def test_show_gives_the_history(ok, backend):
    ok("coach", "add", "Anna")
    ok("client", "add", "--name", "Testi Yksi", "--gender", "female", "--background", "native",
       "--code", "T1", "--coach", "Anna")  # fmt: skip
    ok("client", "add", "--name", "Testi Kaksi", "--gender", "male", "--background", "immigrant",
       "--code", "T2")  # fmt: skip
    ok("employer", "add", "Aamu Oy", "--sector", "kahvila-ala")
    ok("employer", "person", "add", "Aamu Oy", "--name", "Eeva Esimerkki", "--role", "esihenkilö")
    ok("contact", "log", "Aamu Oy", "--channel", "phone", "--stage", "contact", "--on", "1.3.2025",
       "--person", "Eeva Esimerkki")  # fmt: skip
    ok("contact", "log", "Aamu Oy", "--channel", "email", "--stage", "negotiation",
       "--client", "T1", "--on", "3.3.2025", "--note", "CV lähetetty")  # fmt: skip
    ok("phase", "start", "coaching", "T1", "--on", "1.3.2025")
    ok("phase", "start", "coaching", "T2", "--on", "1.3.2025")
    ok("placement", "add", "T1", "--employer", "Aamu Oy", "--kind", "work-trial",
       "--start", "10.3.2025", "--end", "10.4.2025")  # fmt: skip
    ok("placement", "add", "T1", "--employer", "Aamu Oy", "--kind", "job", "--start", "11.4.2025",
       "--wage-subsidy", "yes", "--arrangement-support", "kyllä")  # fmt: skip
    ok("placement", "add", "T2", "--employer", "Aamu Oy", "--kind", "job", "--start", "1.5.2025",
       "--wage-subsidy", "yes", "--arrangement-support", "no")  # fmt: skip
    shown = json.loads(ok("employer", "show", "Aamu Oy", "-f", "json"))
    counts = ("stage", "last_contact", "contacts", "proposals", "work_trials", "jobs",
              "apprenticeships", "wage_subsidy", "arrangement_support")  # fmt: skip
    assert {k: shown[k] for k in counts} == {
        "stage": "negotiation",
        "last_contact": "2025-03-03",
        "contacts": 2,
        "proposals": 1,
        "work_trials": 1,
        "jobs": 2,
        "apprenticeships": 0,
        "wage_subsidy": 2,
        "arrangement_support": 1,
    }
    assert shown["contact_history"] == [
        {"id": 1, "on": "2025-03-01", "channel": "phone", "stage": "contact", "client": None,
         "coach": None, "person": "Eeva Esimerkki", "next": None, "note": None},
        {"id": 2, "on": "2025-03-03", "channel": "email", "stage": "negotiation", "client": "T1",
         "coach": "Anna", "person": None, "next": None, "note": "CV lähetetty"},
    ]  # fmt: skip
    assert [(p["client"], p["kind"], p["start"], p["end"]) for p in shown["placement_history"]] == [
        ("T1", "work-trial", "2025-03-10", "2025-04-10"),
        ("T1", "job", "2025-04-11", None),
        ("T2", "job", "2025-05-01", None),
    ]
    table = ok("employer", "show", "Aamu Oy")
    assert "contact_history" in table and "10.3.2025" in table

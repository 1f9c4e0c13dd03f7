"""Corrections from the command line: phase, activity and placement edit and remove (issue 12).
Each goes through the timeline rule; a remove asks in a terminal and needs --yes in a script."""

import json

import pytest


@pytest.fixture
def client(ok, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    code = ok(
        "client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native"
    )
    ok("phase", "start", "coaching", code, "--on", "1.3.2024")
    return code


def test_hours_typed_wrong_are_corrected_and_removed(ok, refused, client):
    assert ok("activity", "log", client, "--hours", "10", "--on", "2.3.2024") == "1"
    assert ok("activity", "edit", "1", "--hours", "1", "--note", "puhelu", "--kind", "phone") == "1"
    rows = json.loads(ok("activity", "list", "--client", client, "-f", "json"))
    assert rows == [
        {"id": 1, "client": "A0001", "on": "2024-03-02", "hours": 1, "kind": "phone",
         "note": "puhelu"},
    ]  # fmt: skip
    refused(
        "activity", "edit", "1", "--on", "1.2.2024",
        message="hours 1 is dated 1.2.2024, before the first phase of A0001 starts (1.3.2024): "
        "accepted: 1.3.2024 or later, or a phase starting on 1.2.2024 or earlier",
    )  # fmt: skip
    refused(
        "activity", "edit", "1", message="nothing to change: give --hours, --on, --kind or --note"
    )
    refused(
        "activity", "remove", "1",
        message="activity remove removes a record: add --yes to confirm (not a terminal)",
    )  # fmt: skip
    assert ok("activity", "remove", "1", "--yes") == ""
    assert json.loads(ok("activity", "list", "-f", "json")) == []
    refused(
        "activity",
        "remove",
        "1",
        "--yes",
        message="unknown hours '1': give an id from veto activity list",
    )


def test_a_phase_is_corrected_and_removed_within_the_rule(ok, refused, client):
    ok("phase", "end", client, "--on", "1.6.2024")
    ok("phase", "start", "placement", client, "--on", "1.6.2024")
    assert ok("phase", "edit", "1", "--start", "1.2.2024", "--end", "15.5.2024") == "1"
    refused(
        "phase", "edit", "1", "--end", "1.7.2024",
        message="phases of A0001 overlap: phase 1 (coaching 1.2.2024–1.7.2024) runs until "
        "1.7.2024 when phase 2 (placement from 1.6.2024, open) starts; accepted: phase 1 ending "
        "on 1.6.2024 or earlier, or phase 2 starting on 1.7.2024 or later",
    )  # fmt: skip
    ok("activity", "log", client, "--hours", "1", "--on", "3.2.2024")
    refused(
        "phase", "remove", "1", "--yes",
        message="hours 1 is dated 3.2.2024, before the first phase of A0001 starts (1.6.2024): "
        "accepted: 1.6.2024 or later, or a phase starting on 3.2.2024 or earlier",
    )  # fmt: skip
    assert ok("phase", "remove", "2", "--yes") == ""
    phases = json.loads(ok("phase", "list", client, "-f", "json"))
    assert phases == [{"id": 1, "kind": "coaching", "start": "2024-02-01", "end": "2024-05-15"}]


def test_a_placement_is_removed_after_asking(ok, veto, client):
    ok("placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "job",
       "--start", "1.4.2024")  # fmt: skip
    assert ok("placement", "remove", "1", "--yes") == ""
    assert json.loads(ok("placement", "list", "-f", "json")) == []
    assert [r["action"] for r in json.loads(ok("audit", "-f", "json"))][-3:-1] == [
        "placement.add",
        "placement.remove",
    ]


def test_the_same_placement_twice_is_refused(ok, refused, client):
    """A twin (same client, employer, kind and start) is a typing slip the workbook could not
    tell apart; the store stays as it was and another day or kind is accepted."""
    add = ("placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "work-trial")
    assert ok(*add, "--start", "1.4.2024") == "1"
    message = (
        "client A0001 already has placement 1 (work-trial at this employer from 1.4.2024): "
        "accepted: another start day, kind or employer, or veto placement edit 1 to correct "
        "that one"
    )
    refused(*add, "--start", "1.4.2024", message=message)
    assert ok(*add, "--start", "2.4.2024") == "2"
    refused("placement", "edit", "2", "--start", "1.4.2024", message=message)
    starts = [p["start"] for p in json.loads(ok("placement", "list", "-f", "json"))]
    assert starts == ["2024-04-01", "2024-04-02"]


def test_twins_of_a_store_from_before_the_rule_stay_correctable(ok, refused, client):
    """A store made before the twin rule may hold two identical placements; each can still have
    its agreement fields and end corrected, but not be moved onto the other's key again."""
    from sqlalchemy import insert, select
    from sqlmodel import Session

    from veto.models import Placement
    from veto.store.database import engine_for
    from veto.store.location import resolve

    ok("placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
       "--start", "1.4.2024")  # fmt: skip
    with Session(engine_for(resolve(None))) as session:
        row = session.execute(select(Placement.__table__)).one()._asdict()
        session.execute(insert(Placement.__table__).values({**row, "id": 2}))
        session.commit()
    assert ok("placement", "edit", "2", "--title", "Kahvilatyöntekijä") == "2"
    assert ok("placement", "edit", "2", "--start", "2.4.2024") == "2"
    refused(
        "placement", "edit", "2", "--start", "1.4.2024",
        message="client A0001 already has placement 1 (work-trial at this employer from 1.4.2024): "
        "accepted: another start day, kind or employer, or veto placement edit 1 to correct "
        "that one",
    )  # fmt: skip

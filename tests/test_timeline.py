"""The one timeline rule (`veto.domain.timeline`): the examples of issue 12, from the shell,
each refused with one line and the store unchanged; the pure function; `veto db check`."""

import json
from datetime import date, timedelta

import pytest

from veto.domain.dates import finnish
from veto.domain.timeline import Hours, Span, Timeline, violations

TODAY = date.today()


@pytest.fixture
def client(ok, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    return ok(
        "client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native"
    )


def test_overlapping_phases_are_refused(ok, refused, client):
    ok("phase", "start", "coaching", client, "--on", "1.3.2024")
    ok("phase", "end", client, "--on", "1.6.2024")
    refused(
        "phase", "start", "placement", client, "--on", "1.5.2024",
        message="phases of A0001 overlap: phase 1 (coaching 1.3.2024–1.6.2024) runs until "
        "1.6.2024 when the new phase (placement from 1.5.2024, open) starts; accepted: the new "
        "phase starting on 1.6.2024 or later",
    )  # fmt: skip
    assert ok("phase", "start", "placement", client, "--on", "1.6.2024") == "2"


def test_a_phase_in_the_future_is_refused(ok, refused, client):
    later = TODAY + timedelta(days=1)
    refused(
        "phase", "start", "coaching", client, "--on", later.isoformat(),
        message=f"the new phase (coaching from {finnish(later)}, open) is dated {finnish(later)}, "
        f"after today: accepted: {finnish(TODAY)} or earlier",
    )  # fmt: skip
    refused(
        "phase", "start", "coaching", client, "--on", "1.1.2030",
        message=f"the new phase (coaching from 1.1.2030, open) is dated 1.1.2030, after today: "
        f"accepted: {finnish(TODAY)} or earlier",
    )  # fmt: skip
    assert ok("phase", "start", "coaching", client, "--on", TODAY.isoformat()) == "1"


def test_placement_and_hours_before_the_first_phase_are_refused(ok, refused, client):
    ok("phase", "start", "coaching", client, "--on", "1.3.2024")
    refused(
        "placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
        "--start", "1.2.2024",
        message="the new placement (work-trial from 1.2.2024) is dated 1.2.2024, before the first "
        "phase of A0001 starts (1.3.2024): accepted: 1.3.2024 or later, or a phase starting on "
        "1.2.2024 or earlier",
    )  # fmt: skip
    refused(
        "activity", "log", client, "--hours", "1", "--on", "28.2.2024",
        message="the new hours is dated 28.2.2024, before the first phase of A0001 starts "
        "(1.3.2024): accepted: 1.3.2024 or later, or a phase starting on 28.2.2024 or earlier",
    )  # fmt: skip


def test_hours_and_placements_need_a_phase(refused, client):
    refused(
        "activity", "log", client, "--hours", "1", "--on", "1.3.2024",
        message="the new hours is dated 1.3.2024, but A0001 has no phase: start one on or before "
        "that day first (veto phase start coaching A0001)",
    )  # fmt: skip


def test_client_end_needs_a_phase(refused, client):
    refused(
        "client", "end", client, "--outcome", "returned", "--on", "1.3.2024",
        message="client A0001 ended on 1.3.2024 without any phase: start a phase on or before "
        "1.3.2024 first, or reopen the client",
    )  # fmt: skip


def test_hours_in_the_future_are_refused_and_a_planned_placement_end_is_not(ok, refused, client):
    ok("phase", "start", "coaching", client, "--on", "1.3.2024")
    later = TODAY + timedelta(days=3)
    refused(
        "activity", "log", client, "--hours", "1", "--on", later.isoformat(),
        message=f"the new hours is dated {finnish(later)}, after today: accepted: "
        f"{finnish(TODAY)} or earlier",
    )  # fmt: skip
    refused(
        "client", "end", client, "--outcome", "returned", "--on", later.isoformat(),
        message=f"client A0001 cannot end on {finnish(later)}, after today: accepted: "
        f"{finnish(TODAY)} or earlier",
    )  # fmt: skip
    placement = ok(
        "placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "job",
        "--start", "1.4.2024", "--end", (TODAY + timedelta(days=90)).isoformat(),
    )  # fmt: skip
    assert placement == "1"


def test_db_check_lists_each_client_whose_stored_timeline_breaks_the_rule(ok, veto, client):
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    ok("phase", "start", "coaching", client, "--on", "1.3.2024")
    ok("client", "add", "--name", "Ville", "--gender", "m", "--background", "native")
    with engine_for(Invocation().location).begin() as conn:  # as an older veto let it in
        conn.execute(text("UPDATE phase SET start_on = '2030-01-01'"))
    result = veto("db", "check", "-f", "json")
    assert result.exit_code == 1
    rows = json.loads(result.stdout)
    assert rows[-2:] == [
        {"check": "timelines", "result": "1 client breaks the timeline rule", "ok": False},
        {
            "check": "timeline A0001",
            "result": "phase 1 (coaching from 1.1.2030, open) is dated 1.1.2030, after today: "
            f"accepted: {finnish(TODAY)} or earlier",
            "ok": False,
        },
    ]
    assert result.stderr == (
        "correct these clients' records (veto phase edit, veto activity edit, ...)\n"
    )
    # The store still opens, and a change that brings no new breach goes through.
    assert ok("client", "edit", client, "--name", "Aino Korjattu") == client


def test_the_rule_returns_every_violation():
    timeline = Timeline(
        client="X1",
        phases=(
            Span(1, "coaching", date(2024, 3, 1), date(2024, 6, 1)),
            Span(2, "placement", date(2024, 5, 1)),
        ),
        placements=(Span(3, "job", date(2024, 2, 1), date(2030, 1, 1)),),
        hours=(Hours(4, date(2024, 9, 1), 1), Hours(5, date(2024, 2, 2), 1)),
        ended_on=date(2024, 8, 1),
    )
    assert [v.message for v in violations(timeline, date(2025, 1, 1))] == [
        "phases of X1 overlap: phase 1 (coaching 1.3.2024–1.6.2024) runs until 1.6.2024 when "
        "phase 2 (placement from 1.5.2024, open) starts; accepted: phase 1 ending on 1.5.2024 or "
        "earlier, or phase 2 starting on 1.6.2024 or later",
        "placement 3 (job from 1.2.2024) is dated 1.2.2024, before the first phase of X1 starts "
        "(1.3.2024): accepted: 1.3.2024 or later, or a phase starting on 1.2.2024 or earlier",
        "hours 5 is dated 2.2.2024, before the first phase of X1 starts (1.3.2024): accepted: "
        "1.3.2024 or later, or a phase starting on 2.2.2024 or earlier",
        "hours 4 is dated 1.9.2024, after X1 ended on 1.8.2024: accepted: 1.8.2024 or earlier, "
        "or the end on 1.9.2024 or later",
        "phase 2 (placement from 1.5.2024, open) is still open although X1 ended on 1.8.2024: "
        "end it on 1.8.2024 or earlier",
    ]
    fine = Timeline(client="X1", phases=(Span(1, "coaching", date(2024, 3, 1)),))
    assert violations(fine, date(2024, 3, 1)) == []

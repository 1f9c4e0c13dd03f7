"""`veto today`: a coach's working day on one screen.

Six lists, each of the coach's clients (every coach's with `coach` None): placement hours used
against the budget, follow-ups due or late, placements starting or ending within a week,
running placements with no employer contact in 14 days, EURA 2021 forms pending, and active
clients with nothing recorded for 30 days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from veto.domain.audit import log_access_direct
from veto.domain.followups import due_follow_ups
from veto.domain.hours import placement_hours
from veto.store.direct import as_date

if TYPE_CHECKING:
    from veto.store.direct import Work

SOON_DAYS = 7
QUIET_DAYS = 30
SECTIONS = ("hours", "follow_ups", "placements", "keep_in_touch", "esf_pending", "quiet")


def _clients(work: Work, coach: int | None) -> list[Any]:
    sql = "SELECT id, code, name FROM client WHERE ended_on IS NULL"
    if coach is not None:
        sql += " AND coach_id = :coach"
    return list(work.rows(sql + " ORDER BY code", {"coach": coach} if coach is not None else {}))


def _in_placement(work: Work, ids: set[int]) -> list[int]:
    open_placement = "SELECT client_id FROM phase WHERE kind = 'placement' AND end_on IS NULL"
    return [r.client_id for r in work.rows(open_placement) if r.client_id in ids]


def _placements_soon(work: Work, ids: set[int], today: date) -> list[dict[str, Any]]:
    horizon = today + timedelta(days=SOON_DAYS)
    query = (
        "SELECT placement.id, placement.client_id, placement.kind, placement.start_on,"
        " placement.end_on, client.code, employer.name AS employer"
        " FROM placement JOIN client ON client.id = placement.client_id"
        " JOIN employer ON employer.id = placement.employer_id"
        " WHERE placement.start_on BETWEEN :today AND :horizon"
        " OR placement.end_on BETWEEN :today AND :horizon"
        " ORDER BY placement.start_on, placement.id"
    )
    rows = []
    for p in work.rows(query, {"today": today, "horizon": horizon}):
        if p.client_id not in ids:
            continue
        start = as_date(p.start_on)
        assert start is not None
        starts = today <= start <= horizon
        rows.append(
            {
                "client": p.code,
                "placement": p.id,
                "employer": p.employer,
                "kind": p.kind,
                "event": "start" if starts else "end",
                "date": start if starts else as_date(p.end_on),
            }
        )
    rows.sort(key=lambda r: (r["date"], r["placement"]))
    return rows


def _last_entries(work: Work, ids: set[int]) -> dict[int, date]:
    last: dict[int, date] = {}
    for table, day in (
        ("activity", "on_date"),
        ("client_note", "on_date"),
        ("contact", "on_date"),
        ("phase", "start_on"),
    ):
        query = f"SELECT client_id, MAX({day}) AS latest FROM {table} GROUP BY client_id"
        for r in work.rows(query):
            when = as_date(r.latest)
            if r.client_id in ids and when is not None:
                last[r.client_id] = max(last.get(r.client_id, when), when)
    return last


def coach_day(work: Work, *, coach: Any | None, today: date | None = None) -> dict:
    """The day's lists (see the module docstring) for `coach` (a row: id, name), or for
    everyone."""
    from veto.domain.participation import pending

    today = today or date.today()
    coach_id = coach.id if coach is not None else None
    clients = _clients(work, coach_id)
    by_id = {c.id: c for c in clients}
    ids = set(by_id)
    hours = []
    for client_id in sorted(_in_placement(work, ids), key=lambda i: by_id[i].code):
        used = placement_hours(work, client_id)
        hours.append(
            {
                "client": by_id[client_id].code,
                "name": by_id[client_id].name,
                "since": used.since,
                "hours": used.hours,
                "budget": used.budget,
                "left": used.budget - used.hours,
            }
        )
    due = due_follow_ups(work, coach=coach_id, within=0, today=today)
    codes = {c.code for c in clients}
    follow_ups = [r for r in due if r["status"] != "pidä yhteyttä"]
    keep = [r for r in due if r["status"] == "pidä yhteyttä" and r["client"] in codes]
    esf = [r for r in pending(work, as_of=today) if r["client"] in codes]
    last = _last_entries(work, ids)
    quiet_since = today - timedelta(days=QUIET_DAYS)
    quiet = [
        {"client": c.code, "name": c.name, "last_entry": last.get(c.id)}
        for c in clients
        if last.get(c.id) is None or last[c.id] < quiet_since
    ]
    log_access_direct(work, action="today", record=f"clients:{len(clients)}")
    return {
        "date": today,
        "coach": coach.name if coach is not None else None,
        "hours": hours,
        "follow_ups": [
            {k: r[k] for k in ("due", "status", "employer", "client", "note")} for r in follow_ups
        ],
        "placements": _placements_soon(work, ids, today),
        "keep_in_touch": [
            {k: r[k] for k in ("due", "employer", "client", "placement")} for r in keep
        ],
        "esf_pending": [{k: r[k] for k in ("client", "item", "date")} for r in esf],
        "quiet": quiet,
    }

"""`veto today`: a coach's working day on one screen.

Six lists, each of the coach's clients (every coach's with `coach` None): placement hours used
against the budget, follow-ups due or late, placements starting or ending within a week,
running placements with no employer contact in 14 days, EURA 2021 forms pending, and active
clients with nothing recorded for 30 days.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from veto.domain.activities import placement_hours
from veto.domain.audit import log_access
from veto.domain.contacts import due_follow_ups
from veto.models import Activity, Client, ClientNote, Coach, Contact, Employer, Phase, Placement

SOON_DAYS = 7
QUIET_DAYS = 30
SECTIONS = ("hours", "follow_ups", "placements", "keep_in_touch", "esf_pending", "quiet")


def _clients(session: Session, coach: Coach | None):
    query = select(Client).where(col(Client.ended_on).is_(None)).order_by(Client.code)
    if coach is not None:
        query = query.where(Client.coach_id == coach.id)
    return list(session.exec(query))


def _in_placement(session: Session, ids: set[int]) -> list[int]:
    open_placement = select(Phase.client_id).where(
        Phase.kind == "placement", col(Phase.end_on).is_(None)
    )
    return [i for i in session.exec(open_placement) if i in ids]


def _placements_soon(session: Session, ids: set[int], today: date) -> list[dict[str, Any]]:
    horizon = today + timedelta(days=SOON_DAYS)
    query = (
        select(Placement, Client.code, Employer.name)
        .join(Client, Client.id == Placement.client_id)
        .join(Employer, Employer.id == Placement.employer_id)
        .where(
            or_(
                Placement.start_on.between(today, horizon),
                col(Placement.end_on).between(today, horizon),
            )
        )
        .order_by(col(Placement.start_on), col(Placement.id))
    )
    rows = []
    for p, code, employer in session.exec(query):
        if p.client_id not in ids:
            continue
        starts = today <= p.start_on <= horizon
        rows.append(
            {
                "client": code,
                "placement": p.id,
                "employer": employer,
                "kind": p.kind,
                "event": "start" if starts else "end",
                "date": p.start_on if starts else p.end_on,
            }
        )
    rows.sort(key=lambda r: (r["date"], r["placement"]))
    return rows


def _last_entries(session: Session, ids: set[int]) -> dict[int, date]:
    last: dict[int, date] = {}
    for model, day in (
        (Activity, Activity.on_date),
        (ClientNote, ClientNote.on_date),
        (Contact, Contact.on_date),
        (Phase, Phase.start_on),
    ):
        query = select(model.client_id, func.max(day)).group_by(model.client_id)
        for client_id, when in session.exec(query):
            if client_id in ids and when is not None:
                last[client_id] = max(last.get(client_id, when), when)
    return last


def coach_day(session: Session, *, coach: Coach | None, today: date | None = None) -> dict:
    """The day's lists (see the module docstring) for `coach`, or for everyone."""
    from veto.domain.participation import pending
    from veto.store.direct import SessionWork

    today = today or date.today()
    clients = _clients(session, coach)
    by_id = {c.id: c for c in clients}
    ids = set(by_id)
    hours = []
    for client_id in sorted(_in_placement(session, ids), key=lambda i: by_id[i].code):
        used = placement_hours(session, client_id)
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
    due = due_follow_ups(session, coach=coach, within=0, today=today)
    codes = {c.code for c in clients}
    follow_ups = [r for r in due if r["status"] != "pidä yhteyttä"]
    keep = [r for r in due if r["status"] == "pidä yhteyttä" and r["client"] in codes]
    esf = [r for r in pending(SessionWork(session), as_of=today) if r["client"] in codes]
    last = _last_entries(session, ids)
    quiet_since = today - timedelta(days=QUIET_DAYS)
    quiet = [
        {"client": c.code, "name": c.name, "last_entry": last.get(c.id)}
        for c in clients
        if last.get(c.id) is None or last[c.id] < quiet_since
    ]
    log_access(session, action="today", record=f"clients:{len(clients)}")
    return {
        "date": today,
        "coach": coach.name if coach else None,
        "hours": hours,
        "follow_ups": [
            {k: r[k] for k in ("due", "status", "employer", "client", "note")} for r in follow_ups
        ],
        "placements": _placements_soon(session, ids, today),
        "keep_in_touch": [
            {k: r[k] for k in ("due", "employer", "client", "placement")} for r in keep
        ],
        "esf_pending": [{k: r[k] for k in ("client", "item", "date")} for r in esf],
        "quiet": quiet,
    }

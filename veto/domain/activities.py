"""Coaching hours (activities) logged for a client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.inputs import parse_decimal
from veto.domain.references import find_client
from veto.domain.targets import PLACEMENT_HOURS_BUDGET, PLACEMENT_HOURS_WARNING
from veto.domain.workflow import timeline_change
from veto.errors import WorkflowError
from veto.models import Activity, Client, Coach, Phase


def log_activity(
    session: Session,
    *,
    client: Client,
    hours: str | Decimal,
    on: date,
    kind: str = "meeting",
    note: str | None = None,
    coach: Coach | None = None,
) -> Activity:
    """Coaching hours for the client on a day (0 < hours ≤ 24, at most 2 decimals)."""
    amount = parse_decimal(hours, what="hours", minimum=Decimal("0.01"), maximum=Decimal(24))
    if amount is None:
        raise WorkflowError("give the hours, e.g. --hours 1,5")
    kind = vocabulary.parse("activity kind", kind)
    with timeline_change(session, client):
        activity = Activity(
            client_id=client.id,
            on_date=on,
            hours=amount,
            kind=kind,
            note=note,
            coach_id=coach.id if coach else client.coach_id,
        )
        session.add(activity)
    log_access(
        session, action="activity.log", client_id=client.id, record=f"activity:{activity.id}"
    )
    return activity


def edit_activity(
    session: Session,
    *,
    activity: Activity,
    hours: str | None = None,
    on: date | None = None,
    kind: str | None = None,
    note: str | None = None,
) -> Activity:
    """Correct logged hours; only given fields change (an empty --note clears it)."""
    if hours is None and on is None and kind is None and note is None:
        raise WorkflowError("nothing to change: give --hours, --on, --kind or --note")
    client = session.get(Client, activity.client_id)
    amount = None
    if hours is not None:
        amount = parse_decimal(hours, what="hours", minimum=Decimal("0.01"), maximum=Decimal(24))
    kind = vocabulary.parse("activity kind", kind) if kind is not None else None
    with timeline_change(session, client):
        activity.hours = amount if amount is not None else activity.hours
        activity.on_date = on or activity.on_date
        activity.kind = kind or activity.kind
        if note is not None:
            activity.note = note.strip() or None
        session.add(activity)
    log_access(
        session, action="activity.edit", client_id=client.id, record=f"activity:{activity.id}"
    )
    return activity


def remove_activity(session: Session, *, activity: Activity) -> None:
    """Remove hours logged by mistake."""
    client = session.get(Client, activity.client_id)
    with timeline_change(session, client):
        session.delete(activity)
    log_access(
        session, action="activity.remove", client_id=client.id, record=f"activity:{activity.id}"
    )


def list_activities(session: Session, *, client: str | None = None) -> list[dict[str, Any]]:
    query = (
        select(
            Activity.id,
            Client.code.label("client"),
            Activity.on_date.label("on"),
            Activity.hours,
            Activity.kind,
            Activity.note,
        )
        .join(Client, Client.id == Activity.client_id)
        .order_by(col(Activity.on_date), col(Activity.id))
    )
    client_id = find_client(session, client).id if client else None
    if client_id is not None:
        query = query.where(Activity.client_id == client_id)
    rows = [dict(r._mapping) for r in session.exec(query)]
    # Every client's notes are a read of personal data too, not only one client's.
    log_access(
        session, action="activity.list", client_id=client_id, record=f"activities:{len(rows)}"
    )
    return rows


@dataclass(frozen=True)
class PlacementHours:
    """A client's coaching hours counted against the placement budget: those logged on or after
    the first `placement` phase started (`since`; None: never in placement)."""

    since: date | None
    hours: Decimal
    budget: int = PLACEMENT_HOURS_BUDGET

    @property
    def warns(self) -> bool:
        """Past the warning line (15 h) or at the budget (18 h) and beyond."""
        return self.since is not None and self.hours > PLACEMENT_HOURS_WARNING

    @property
    def over(self) -> bool:
        return self.hours >= self.budget


def placement_hours(session: Session, client_id: int) -> PlacementHours:
    since = session.exec(
        select(func.min(Phase.start_on)).where(
            Phase.client_id == client_id, Phase.kind == "placement"
        )
    ).one()
    if since is None:
        return PlacementHours(None, Decimal(0))
    total = session.exec(
        select(func.sum(Activity.hours)).where(
            Activity.client_id == client_id, Activity.on_date >= since
        )
    ).one()
    return PlacementHours(since, Decimal(total or 0))

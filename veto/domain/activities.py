"""Coaching hours (activities) logged for a client."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.activity_log import activity_hours
from veto.domain.audit import log_access
from veto.domain.inputs import parse_decimal
from veto.domain.references import find_client
from veto.domain.workflow import timeline_change
from veto.errors import WorkflowError
from veto.i18n import _
from veto.models import Activity, Client, Coach


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
    amount = activity_hours(hours)
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
        raise WorkflowError(_("nothing to change: give --hours, --on, --kind or --note"))
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

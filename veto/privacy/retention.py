"""Retention: client relationships that ended before a date, and erasing them all at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from veto.domain.audit import log_access
from veto.models import Activity, AnonymousStub, Client
from veto.privacy.erasure import Erasure, erase_client


def _past_keeping(before: date, *columns):
    return (
        select(Client, *columns)
        .outerjoin(AnonymousStub, AnonymousStub.client_id == Client.id)
        .where(col(Client.ended_on) < before, col(AnonymousStub.client_id).is_(None))
        .order_by(col(Client.ended_on), col(Client.code))
    )


def ended_before(session: Session, *, before: date) -> list[dict[str, Any]]:
    """Clients (not anonymous stubs) whose relationship ended before `before`, oldest first,
    with the day of their last coaching hours."""
    last = (
        select(Activity.client_id, func.max(Activity.on_date).label("last_activity"))
        .group_by(Activity.client_id)
        .subquery()
    )
    query = _past_keeping(before, last.c.last_activity).outerjoin(
        last, last.c.client_id == Client.id
    )
    rows = [
        {
            "id": client.id,
            "code": client.code,
            "name": client.name,
            "ended_on": client.ended_on,
            "outcome": client.outcome,
            "last_activity": last_activity,
        }
        for client, last_activity in session.exec(query)
    ]
    log_access(session, action="retention.list", record=f"clients:{len(rows)}", purpose="retention")
    return rows


def purge(session: Session, *, before: date, keep_statistics: bool = False) -> list[Erasure]:
    """Erase every client listed by `ended_before`, in the caller's one transaction."""
    return [
        erase_client(session, client=client, keep_statistics=keep_statistics, purpose="retention")
        for client in session.exec(_past_keeping(before)).all()
    ]

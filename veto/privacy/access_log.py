"""Reading the access log: who has looked at or changed whose data, and when."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session, col, select

from veto.domain.audit import log_access
from veto.domain.references import find_client, record_id
from veto.errors import UnknownRecord
from veto.models import AuditEntry, Client

COLUMNS = ["id", "at", "user", "action", "client_id", "client", "record", "purpose", "sensitive"]


def _client_id(session: Session, ref: str) -> int:
    """A client's id by code or id; an id also names an erased person, whose log rows remain."""
    try:
        return find_client(session, ref).id
    except UnknownRecord:
        number = record_id(str(ref))  # twenty digits name no row (nor fit the driver)
        if (
            number is not None
            and session.exec(
                select(AuditEntry.id).where(AuditEntry.client_id == number).limit(1)
            ).first()
        ):
            return number
        raise


def read_log(
    session: Session,
    *,
    client: str | None = None,
    user: str | None = None,
    since: date | None = None,
) -> list[dict[str, Any]]:
    """The access log rows matching every given filter, oldest first; `since` is local midnight.
    Reading the log is itself logged (after the read, so it is not in its own answer)."""
    query = (
        select(AuditEntry, Client.code)
        .outerjoin(Client, Client.id == AuditEntry.client_id)
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    client_id = _client_id(session, client) if client else None
    if client_id is not None:
        query = query.where(AuditEntry.client_id == client_id)
    if user:
        query = query.where(AuditEntry.actor == user)
    if since:
        query = query.where(AuditEntry.at >= datetime.combine(since, time()).astimezone())
    rows = [
        {
            "id": entry.id,
            "at": entry.at.astimezone(),  # local time for the reader
            "user": entry.actor,
            "action": entry.action,
            "client_id": entry.client_id,
            "client": code,
            "record": entry.record,
            "purpose": entry.purpose,
            "sensitive": entry.sensitive,
        }
        for entry, code in session.exec(query)
    ]
    log_access(session, action="audit.view", client_id=client_id, purpose="supervision")
    return rows

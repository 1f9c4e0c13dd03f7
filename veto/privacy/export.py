"""Everything stored about one person, for handing over (GDPR Art. 15 and 20)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from veto.domain.audit import actor_of, log_access
from veto.models import AuditEntry, Client
from veto.privacy.records import client_row, referenced_rows, rows_about
from veto.privacy.registry import sensitive_readers

FORMAT = "veto-subject-export/1"


def sensitive_items(session: Session, client_id: int) -> list[dict[str, Any]]:
    """The person's sensitive answers from every registered source, as `source/item/value` rows."""
    items: list[dict[str, Any]] = []
    for source, reader in sorted(sensitive_readers().items()):
        for row in reader(session, client_id):
            items.append({"source": source, **row})
    return items


def access_rows(session: Session, client_id: int) -> list[dict[str, Any]]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.client_id == client_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return [
        {
            "at": e.at,
            "user": e.actor,
            "action": e.action,
            "record": e.record,
            "purpose": e.purpose,
            "sensitive": e.sensitive,
        }
        for e in session.scalars(query)
    ]


def subject_export(session: Session, *, client: Client) -> dict[str, Any]:
    """Every row of every table about the person (sensitive ones included: it is their own data),
    the rows they point at, their sensitive answers in readable form, and who has accessed them.
    Logged as a sensitive read."""
    session.flush()
    conn = session.connection()
    person = client_row(conn, client.id)
    found = rows_about(conn, client.id)
    data = {
        "format": FORMAT,
        "exported_at": datetime.now(UTC),
        "exported_by": actor_of(session),
        "client": person,
        "records": {f.table.name: f.rows for f in found},
        "referenced": referenced_rows(conn, person, found),
        "sensitive": sensitive_items(session, client.id),
        "access_log": access_rows(session, client.id),
    }
    log_access(
        session,
        action="client.export",
        client_id=client.id,
        record=f"client:{client.id}",
        purpose="subject-request",
        sensitive=True,
    )
    return data

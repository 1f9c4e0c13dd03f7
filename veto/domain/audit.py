"""The access log: every change, and every read of a person's data, attributed to the actor."""

from __future__ import annotations

from sqlmodel import Session

from veto.models import AuditEntry


def actor_of(session: Session) -> str:
    return session.info.get("actor") or "unknown"


def log_access(
    session: Session,
    *,
    action: str,
    client_id: int | None = None,
    record: str | None = None,
    purpose: str | None = None,
    sensitive: bool = False,
) -> None:
    """Append one row to the access log, in the command's own transaction."""
    session.add(
        AuditEntry(
            actor=actor_of(session),
            action=action,
            client_id=client_id,
            record=record,
            purpose=purpose or session.info.get("purpose"),
            sensitive=sensitive,
        )
    )

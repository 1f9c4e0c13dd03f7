"""The access log: every change, and every read of a person's data, attributed to the actor.

The database refuses UPDATE and DELETE on it (revision 0004_privacy), so a row can never be taken
back: that is why nothing but codes and numeric references may go into it. `record` names what was
touched as `table:id` (lower-case words and numbers), `purpose` is a value of
`vocabulary.ACCESS_PURPOSE`; a name or free text there would outlive an erasure.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from veto import vocabulary
from veto.models import AuditEntry

_RECORD = re.compile(r"^[a-z][a-z0-9_.-]*(:[a-z0-9_.-]+)*$")


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
    if record is not None and not _RECORD.match(record):
        raise ValueError(f"access log record {record!r} is not a 'table:id' reference")
    purpose = purpose or session.info.get("purpose")
    if purpose is not None:
        purpose = vocabulary.parse("access purpose", purpose)
    session.add(
        AuditEntry(
            actor=actor_of(session),
            action=action,
            client_id=client_id,
            record=record,
            purpose=purpose,
            sensitive=sensitive,
        )
    )

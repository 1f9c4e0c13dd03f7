"""The access log: every change, and every read of a person's data, attributed to the actor.

The database refuses UPDATE and DELETE on it (revision 0004_privacy), so a row can never be taken
back: that is why nothing but codes, numbers and dates may go into it. `record` names what was
touched as `kind:reference` (`client:12`, `clients:40`, `period:2024-2025`; never a name or a
client's code), `purpose` a short lower-case phrase chosen by the program (`report`,
`subject-request`), never typed by a user. A name or free text there would outlive the person's
erasure; these patterns catch the obvious slips (a name has capitals or is no `kind:` reference).
"""

from __future__ import annotations

import re

from sqlmodel import Session

from veto.models import AuditEntry

_RECORD = re.compile(r"^[a-z][a-z0-9_.-]*(:[^\n]+)?$")
_PURPOSE = re.compile(r"^[a-z][a-z0-9 _.-]{0,39}$")


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
        raise ValueError(f"access log record {record!r} is not a 'kind:reference'")
    purpose = purpose or session.info.get("purpose")
    if purpose is not None and not _PURPOSE.match(purpose):
        raise ValueError(f"access log purpose {purpose!r} is not a short lower-case code")
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

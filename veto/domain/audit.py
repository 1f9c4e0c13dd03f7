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
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from veto.errors import InputError
from veto.i18n import _

if TYPE_CHECKING:
    from sqlmodel import Session

    from veto.store.direct import Work

USER_NAME_MAX = 64
_RECORD = re.compile(r"^[a-z][a-z0-9_.-]*(:[^\n]+)?$")
_PURPOSE = re.compile(r"^[a-z][a-z0-9 _.-]{0,39}$")


def check_user_name(name: str, *, source: str = "VETO_USER") -> str:
    """`name` if it can stand as the actor in the access log: at most USER_NAME_MAX printable
    characters (no line break, escape sequence or bidi override that could forge a row on the
    screen); else `InputError`. The line does not repeat the name: it is what must not print."""
    accepted = _("give at most {most} printable characters, such as liisa.laine").format(
        most=USER_NAME_MAX
    )
    if not name.strip():
        raise InputError(
            _("{source} is empty: {accepted}").format(source=source, accepted=accepted)
        )
    if len(name) > USER_NAME_MAX:
        raise InputError(
            _("{source} is {length} characters long: {accepted}").format(
                source=source, length=len(name), accepted=accepted
            )
        )
    if not name.isprintable():
        raise InputError(
            _(
                "{source} holds control or invisible characters (line breaks, escape sequences, "
                "direction marks): {accepted}"
            ).format(source=source, accepted=accepted)
        )
    return name


def actor_of(session: Session) -> str:
    return _actor(session.info)


def _actor(info: dict[str, Any]) -> str:
    return info.get("actor") or "unknown"


def access_entry(
    info: dict[str, Any],
    *,
    action: str,
    client_id: int | None = None,
    record: str | None = None,
    purpose: str | None = None,
    sensitive: bool = False,
) -> dict[str, Any]:
    """The access-log row for an action in the unit of work whose `info` names the actor and,
    unless given, the purpose; refused if it could carry a name or free text."""
    if record is not None and not _RECORD.match(record):
        raise ValueError(f"access log record {record!r} is not a 'kind:reference'")
    purpose = purpose or info.get("purpose")
    if purpose is not None and not _PURPOSE.match(purpose):
        raise ValueError(f"access log purpose {purpose!r} is not a short lower-case code")
    return {
        "at": datetime.now(UTC),
        "actor": _actor(info),
        "action": action,
        "client_id": client_id,
        "record": record,
        "purpose": purpose,
        "sensitive": sensitive,
    }


def log_access(session: Session, **entry: Any) -> None:
    """Append one row to the access log, in the command's own transaction (see `access_entry`
    for the arguments)."""
    from veto.models import AuditEntry

    session.add(AuditEntry(**access_entry(session.info, **entry)))


def log_access_direct(work: Work, **entry: Any) -> None:
    """`log_access` for a report running hand-written SQL (`veto.store.direct`)."""
    work.append("audit_log", access_entry(work.info, **entry))

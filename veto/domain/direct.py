"""Domain rules as SQL text over a `Work` (`veto.store.direct`), for the everyday commands that
must start fast: on a SQLite store they run on the stdlib driver and import no SQLAlchemy,
SQLModel or pydantic; on PostgreSQL and inside `veto batch` the same SQL runs through the
session. This module imports nothing heavier than the stdlib.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from veto.errors import UnknownRecord

if TYPE_CHECKING:
    from veto.store.direct import Work


_ID = re.compile(r"[0-9]{1,19}")
_MAX_ID = 2**63 - 1  # the largest id a row can have on SQLite and PostgreSQL


def record_id(text: str) -> int | None:
    """`text` as a row id (ASCII digits that fit a 64-bit integer), else None: "²" or twenty
    digits name no row and must not reach the database driver."""
    text = text.strip()
    if not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value <= _MAX_ID else None


def coach_id(work: Work, ref: str | int) -> int:
    """The id of a coach given by exact name or numeric id (in SQL, for either store path)."""
    text = str(ref).strip()
    found = work.rows("SELECT id FROM coach WHERE name = :name", {"name": text})
    if not found and (number := record_id(text)) is not None:
        found = work.rows("SELECT id FROM coach WHERE id = :id", {"id": number})
    if not found:
        raise UnknownRecord(
            f"unknown coach '{ref}': give a coach id or exact name (veto coach list)"
        )
    return found[0].id


def list_clients(
    work: Work,
    *,
    coach: str | None = None,
    active: bool | None = None,
) -> list[dict[str, Any]]:
    """One row per client, with the coach and the open phase, in code order. Hand-written SQL
    (`veto.store.direct`): on SQLite the everyday listing needs no SQLAlchemy at all."""
    from veto.domain.audit import log_access_direct
    from veto.store.direct import as_date

    sql = (
        "SELECT client.id, client.code, client.name, client.gender, client.background,"
        " coach.name AS coach, client.municipality, open_phase.kind AS phase,"
        " open_phase.start_on AS phase_since, client.ended_on, client.outcome"
        " FROM client LEFT JOIN coach ON coach.id = client.coach_id"
        " LEFT JOIN (SELECT client_id, kind, start_on FROM phase WHERE end_on IS NULL)"
        " AS open_phase ON open_phase.client_id = client.id"
    )
    where, params = [], {}
    if coach:
        where.append("client.coach_id = :coach")
        params["coach"] = coach_id(work, coach)
    if active is True:
        where.append("client.ended_on IS NULL")
    elif active is False:
        where.append("client.ended_on IS NOT NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = [
        {
            **r._asdict(),
            "phase_since": as_date(r.phase_since),
            "ended_on": as_date(r.ended_on),
        }
        for r in work.rows(sql + " ORDER BY client.code", params)
    ]
    log_access_direct(work, action="client.list", record=f"clients:{len(rows)}")
    return rows

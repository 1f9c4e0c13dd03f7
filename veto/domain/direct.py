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
        from veto.i18n import _

        message = _("unknown coach '{ref}': give a coach id or exact name (veto coach list)")
        raise UnknownRecord(message.format(ref=ref))
    return found[0].id


def client_id(work: Work, ref: str | int) -> int:
    """The id of a client given by code (exact), numeric id, or a unique name (exact, else
    ignoring case and accents). A name that several clients share is refused with their codes.
    (`veto.domain.references.find_client` is this rule for the ORM.)"""
    text = str(ref).strip()
    found = work.rows("SELECT id FROM client WHERE code = :code", {"code": text})
    if not found and (number := record_id(text)) is not None:
        found = work.rows("SELECT id FROM client WHERE id = :id", {"id": number})
    if found:
        return found[0].id
    named = _clients_named(work, text) if text else []
    if len(named) == 1:
        return named[0].id
    from veto.i18n import _

    if named:
        codes = ", ".join(c.code for c in named)
        message = _("client name '{name}' matches {count} clients: {codes}; give one of the codes")
        raise UnknownRecord(message.format(name=text, count=len(named), codes=codes))
    message = _(
        "unknown client '{ref}': give a client code, numeric id or unique name "
        "(veto client find TEXT)"
    )
    raise UnknownRecord(message.format(ref=ref))


def _clients_named(work: Work, text: str) -> list[Any]:
    """The clients (id, code) whose name is `text`, exactly, else ignoring case and accents;
    never an erased client's statistics stub."""
    from veto.vocabulary import fold

    people = (
        "SELECT id, code, name FROM client"
        " WHERE id NOT IN (SELECT client_id FROM anonymous_stub) AND "
    )
    exact = work.rows(people + "name = :name ORDER BY code", {"name": text})
    if exact:
        return list(exact)
    # Narrowed in SQL by length (folding keeps it), compared folded in Python.
    key = fold(text)
    same_length = work.rows(people + "length(name) = :length", {"length": len(text)})
    return sorted((c for c in same_length if fold(c.name) == key), key=lambda c: c.code)


def user_coach(work: Work, user: str) -> Any | None:
    """The coach (a row: id, name) the acting user is, ignoring case and accents: the same name,
    the part of the coach's e-mail before '@' (login names often are), or the coach's first name
    when no other coach has it (VETO_USER=liisa is Liisa Esimerkki)."""
    from veto.vocabulary import fold

    key = fold(user)
    if not key:
        return None
    coaches = work.rows("SELECT id, name, email FROM coach ORDER BY id")
    for coach in coaches:
        local = fold((coach.email or "").split("@")[0])
        if fold(coach.name) == key or (local and local == key):
            return coach
    first = [c for c in coaches if fold(c.name).split(" ")[0] == key]
    return first[0] if len(first) == 1 else None


def coach_named(work: Work, ref: str | int) -> Any:
    """The coach (a row: id, name) given by exact name or numeric id (`coach_id`)."""
    return work.rows("SELECT id, name FROM coach WHERE id = :id", {"id": coach_id(work, ref)})[0]


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

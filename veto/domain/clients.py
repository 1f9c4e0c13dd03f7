"""Clients: adding, correcting, listing and showing them (without sensitive answers)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.new_client import (
    check_birth_year,
    check_code,  # noqa: F401 (the workbook's plan checks codes through this module)
    check_name,
    free_code,
    new_client_values,
)
from veto.domain.new_client import next_codes as _next_codes
from veto.domain.references import find_coach
from veto.errors import InputError
from veto.i18n import _
from veto.models import Client, Coach, Phase
from veto.store.direct import SessionWork


def _check_code(session: Session, code: str, *, exclude_id: int | None = None) -> str:
    return free_code(SessionWork(session), code, exclude_id=exclude_id)


def next_code(session: Session) -> str:
    """A fresh code: A0001, A0002, … (never an existing one, nor one another coach's command
    is about to store)."""
    return next_codes(session, 1)[0]


def next_codes(
    session: Session, count: int, *, taken: set[str] | frozenset = frozenset()
) -> list[str]:
    """`veto.domain.new_client.next_codes` in the session (the imports)."""
    return _next_codes(SessionWork(session), count, taken=taken)


def add_client(
    session: Session,
    *,
    name: str,
    gender: str,
    background: str,
    code: str | None = None,
    birth_year: int | None = None,
    coach: str | None = None,
    municipality: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    birth_date: date | None = None,
) -> Client:
    """Store a new client and return it (its code is generated unless given)."""
    client = Client(
        **new_client_values(
            SessionWork(session),
            name=name,
            gender=gender,
            background=background,
            code=code,
            birth_year=birth_year,
            coach=coach,
            municipality=municipality,
            phone=phone,
            email=email,
            birth_date=birth_date,
        )
    )
    session.add(client)
    session.flush()
    log_access(session, action="client.add", client_id=client.id, record=f"client:{client.id}")
    return client


def edit_client(session: Session, *, client: Client, **changes: Any) -> Client:
    """Correct a client's details; only the given (non-None) fields change."""
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise InputError(_("nothing to change: give at least one option, e.g. --name or --coach"))
    if "code" in changes:
        client.code = _check_code(session, changes.pop("code"), exclude_id=client.id)
    if "name" in changes:
        client.name = check_name(changes.pop("name"))
    if "gender" in changes:
        client.gender = vocabulary.parse("gender", changes.pop("gender"))
    if "background" in changes:
        client.background = vocabulary.parse("background", changes.pop("background"))
    if "birth_year" in changes:
        client.birth_year = check_birth_year(changes.pop("birth_year"))
    if "coach" in changes:
        ref = changes.pop("coach")
        client.coach_id = None if ref == "" else find_coach(session, ref).id
    if "birth_date" in changes:
        client.birth_date = changes.pop("birth_date")
        client.birth_year = check_birth_year(client.birth_date.year)
    for key in ("municipality", "phone", "email", "outcome_field"):
        if key in changes:
            value = changes.pop(key)
            setattr(client, key, None if value == "" else value)
    if changes:
        raise InputError(
            _("cannot change {fields} with client edit").format(fields=", ".join(sorted(changes)))
        )
    session.add(client)
    session.flush()
    log_access(session, action="client.edit", client_id=client.id, record=f"client:{client.id}")
    return client


def find_clients(session: Session, text: str) -> list[dict[str, Any]]:
    """The clients whose code, name or municipality contains `text` (case and accents ignored),
    with their coach and open phase, in code order."""
    from veto.domain.references import search_clients

    found = search_clients(session, text)
    ids = {c.id for c in found}
    coaches = dict(session.exec(select(Coach.id, Coach.name)).all())
    phases = {
        client_id: kind
        for client_id, kind in session.exec(
            select(Phase.client_id, Phase.kind).where(col(Phase.end_on).is_(None))
        )
        if client_id in ids
    }
    log_access(session, action="client.find", record=f"clients:{len(found)}")
    return [
        {
            "code": c.code,
            "name": c.name,
            "municipality": c.municipality,
            "coach": coaches.get(c.coach_id),
            "phase": phases.get(c.id),
            "ended_on": c.ended_on,
        }
        for c in found
    ]

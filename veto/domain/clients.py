"""Clients: adding, correcting, listing and showing them (without sensitive answers)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.references import find_coach
from veto.errors import DuplicateRecord, InputError
from veto.i18n import _
from veto.models import Client, Coach, Phase
from veto.store.database import take_turns

_CODE = re.compile(r"^[A-Za-z0-9ÅÄÖåäö_.-]{1,32}$")


def check_code(code: str) -> str:
    """The code without surrounding spaces, if it is a valid client code."""
    code = code.strip()
    if not _CODE.match(code):
        raise InputError(
            _(
                "invalid client code '{code}': 1–32 letters, digits, '-', '_' or '.', no spaces"
            ).format(code=code)
        )
    if code.isdigit():
        raise InputError(
            _(
                "invalid client code '{code}': all digits would be read as an id; add a letter"
            ).format(code=code)
        )
    return code


def _check_code(session: Session, code: str, *, exclude_id: int | None = None) -> str:
    code = check_code(code)
    clash = session.exec(select(Client.id).where(Client.code == code)).first()
    if clash is not None and clash != exclude_id:
        raise DuplicateRecord(
            _("client code '{code}' is already in use; choose another").format(code=code)
        )
    return code


def _check_name(name: str) -> str:
    if not name or not name.strip():
        raise InputError(_("a client needs a name: give --name 'First Last'"))
    return name.strip()


def check_birth_year(year: int | None) -> int | None:
    """The year, if it is a plausible year of birth (1900 to this year)."""
    if year is not None and not (1900 <= year <= date.today().year):
        raise InputError(
            _("invalid birth year {year}: give a year from 1900 to {last}").format(
                year=year, last=date.today().year
            )
        )
    return year


def next_code(session: Session) -> str:
    """A fresh code: A0001, A0002, … (never an existing one, nor one another coach's command
    is about to store)."""
    return next_codes(session, 1)[0]


def next_codes(
    session: Session, count: int, *, taken: set[str] | frozenset = frozenset()
) -> list[str]:
    """`count` fresh codes in a row, as `next_code` numbers them, none of them stored nor in
    `taken` (codes an import is about to store)."""
    take_turns(session, "veto.client.code")
    n = (session.exec(select(func.max(Client.id))).one() or 0) + 1
    stored = set(session.exec(select(Client.code).where(Client.code.like("A%"))))
    codes: list[str] = []
    while len(codes) < count:
        code = f"A{n:04d}"
        if code not in stored and code not in taken:
            codes.append(code)
        n += 1
    return codes


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
        code=_check_code(session, code) if code else next_code(session),
        name=_check_name(name),
        gender=vocabulary.parse("gender", gender),
        background=vocabulary.parse("background", background),
        birth_year=check_birth_year(
            birth_year if birth_year else (birth_date.year if birth_date else None)
        ),
        birth_date=birth_date,
        coach_id=find_coach(session, coach).id if coach else None,
        municipality=municipality.strip() if municipality else None,
        phone=phone,
        email=email,
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
        client.name = _check_name(changes.pop("name"))
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

"""Coaches (työvalmentajat)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from veto.domain.audit import log_access
from veto.errors import DuplicateRecord, InputError
from veto.models import Client, Coach


def add_coach(
    session: Session,
    *,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    area: str | None = None,
) -> Coach:
    name = (name or "").strip()
    if not name:
        raise InputError("a coach needs a name: veto coach add 'First Last'")
    if name.isdigit():
        raise InputError(f"invalid coach name '{name}': all digits would be read as an id")
    if session.exec(select(Coach.id).where(Coach.name == name)).first() is not None:
        raise DuplicateRecord(f"a coach named '{name}' already exists (veto coach list)")
    coach = Coach(name=name, email=email, phone=phone, area=area)
    session.add(coach)
    session.flush()
    log_access(session, action="coach.add", record=f"coach:{coach.id}")
    return coach


def list_coaches(session: Session) -> list[dict[str, Any]]:
    """Every coach with how many clients they have, and how many of those are still active."""
    query = (
        select(
            Coach.id,
            Coach.name,
            Coach.email,
            Coach.phone,
            Coach.area,
            func.count(Client.id).label("clients"),
            func.count(case((col(Client.ended_on).is_(None), Client.id))).label("active"),
        )
        .outerjoin(Client, Client.coach_id == Coach.id)
        .group_by(Coach.id)
        .order_by(Coach.name)
    )
    rows = [dict(r._mapping) for r in session.exec(query)]
    log_access(session, action="coach.list", record=f"coaches:{len(rows)}")
    return rows


def show_coach(session: Session, *, coach: Coach) -> dict[str, Any]:
    clients = session.exec(select(func.count(Client.id)).where(Client.coach_id == coach.id)).one()
    log_access(session, action="coach.show", record=f"coach:{coach.id}")
    return {
        "id": coach.id,
        "name": coach.name,
        "email": coach.email,
        "phone": coach.phone,
        "area": coach.area,
        "clients": clients,
    }

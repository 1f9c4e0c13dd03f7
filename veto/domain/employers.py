"""Employers (työnantajat)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from veto.domain.audit import log_access
from veto.errors import DuplicateRecord, InputError
from veto.models import Employer, Placement


def add_employer(
    session: Session,
    *,
    name: str,
    business_id: str | None = None,
    sector: str | None = None,
    municipality: str | None = None,
    address: str | None = None,
) -> Employer:
    name = (name or "").strip()
    if not name:
        raise InputError("an employer needs a name: veto employer add 'Company Oy'")
    if name.isdigit():
        raise InputError(f"invalid employer name '{name}': all digits would be read as an id")
    if session.exec(select(Employer.id).where(Employer.name == name)).first() is not None:
        raise DuplicateRecord(f"an employer named '{name}' already exists (veto employer list)")
    employer = Employer(
        name=name,
        business_id=business_id,
        sector=sector,
        municipality=municipality,
        address=address,
    )
    session.add(employer)
    session.flush()
    log_access(session, action="employer.add", record=f"employer:{employer.id}")
    return employer


def list_employers(session: Session) -> list[dict[str, Any]]:
    query = (
        select(
            Employer.id,
            Employer.name,
            Employer.business_id,
            Employer.sector,
            Employer.municipality,
            func.count(Placement.id).label("placements"),
        )
        .outerjoin(Placement, Placement.employer_id == Employer.id)
        .group_by(Employer.id)
        .order_by(Employer.name)
    )
    return [dict(r._mapping) for r in session.exec(query)]


def show_employer(session: Session, *, employer: Employer) -> dict[str, Any]:
    placements = session.exec(
        select(func.count(Placement.id)).where(Placement.employer_id == employer.id)
    ).one()
    return {
        "id": employer.id,
        "name": employer.name,
        "business_id": employer.business_id,
        "sector": employer.sector,
        "municipality": employer.municipality,
        "address": employer.address,
        "placements": placements,
    }

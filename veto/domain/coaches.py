"""Coaches (työvalmentajat)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from veto.domain.audit import log_access
from veto.domain.removal import Naming, delete_logged, refuse_if_named
from veto.errors import DuplicateRecord, InputError
from veto.i18n import _
from veto.models import Activity, Client, ClientNote, Coach, Contact, Plan, Survey


def _check_name(session: Session, name: str | None, *, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError(_("a coach needs a name: veto coach add 'First Last'"))
    if name.isdigit():
        raise InputError(
            _("invalid coach name '{name}': all digits would be read as an id").format(name=name)
        )
    clash = session.exec(select(Coach.id).where(Coach.name == name)).first()
    if clash is not None and clash != exclude_id:
        raise DuplicateRecord(
            _("a coach named '{name}' already exists (veto coach list)").format(name=name)
        )
    return name


def _optional(value: str | None) -> str | None:
    """Optional text: surrounding space dropped, empty means none."""
    return value.strip() or None if value is not None else None


def add_coach(
    session: Session,
    *,
    name: str,
    email: str | None = None,
    phone: str | None = None,
    area: str | None = None,
) -> Coach:
    coach = Coach(
        name=_check_name(session, name),
        email=_optional(email),
        phone=_optional(phone),
        area=_optional(area),
    )
    session.add(coach)
    session.flush()
    log_access(session, action="coach.add", record=f"coach:{coach.id}")
    return coach


def edit_coach(
    session: Session,
    *,
    coach: Coach,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    area: str | None = None,
) -> Coach:
    """Correct a coach: None leaves a field as it is, '' clears the e-mail, phone or area; the
    name is checked as `add_coach` checks it."""
    if name is None and email is None and phone is None and area is None:
        raise InputError(_("nothing to change: give --name, --email, --phone or --area"))
    if name is not None:
        coach.name = _check_name(session, name, exclude_id=coach.id)
    for key, value in (("email", email), ("phone", phone), ("area", area)):
        if value is not None:
            setattr(coach, key, _optional(value))
    session.add(coach)
    session.flush()
    log_access(session, action="coach.edit", record=f"coach:{coach.id}")
    return coach


def remove_coach(session: Session, *, coach: Coach) -> None:
    """Remove a coach added by mistake; refused while a client, hours, a note, a contact, a
    survey or a plan names them (the hours and notes a coach wrote stay theirs)."""

    def ids(model):
        return session.exec(
            select(model.id).where(model.coach_id == coach.id).order_by(col(model.id))
        ).all()

    clients = session.exec(
        select(Client.code).where(Client.coach_id == coach.id).order_by(col(Client.code))
    ).all()
    work = [Naming("hours", ids(Activity), plural="hours"), Naming("note", ids(ClientNote))]
    refuse_if_named(
        _("coach {id} ({name})").format(id=coach.id, name=coach.name),
        [
            Naming(
                "client",
                clients,
                _("give the clients another coach (veto client edit CLIENT --coach COACH)"),
            ),
            Naming(
                "survey",
                ids(Survey),
                _("give the surveys another coach (veto survey edit ID --coach COACH)"),
            ),
            Naming(
                "plan",
                ids(Plan),
                _("give the plans another coach (veto plan edit ID --coach COACH)"),
            ),
            Naming(
                "contact",
                ids(Contact),
                _("give the contacts another coach (veto contact edit ID --coach COACH)"),
            ),
            *work,
        ],
        otherwise=_("a coach whose hours or notes are recorded stays in the store")
        if any(n.refs for n in work)
        else "",
    )
    delete_logged(session, coach, action="coach.remove", record=f"coach:{coach.id}")


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

"""Turning what a user typed (a code, an id, a name) into a stored record, or a clear error."""

from __future__ import annotations

from sqlmodel import Session, select

from veto.errors import UnknownRecord
from veto.models import Client, Coach, Employer, Placement


def find_client(session: Session, ref: str | int) -> Client:
    """A client by code (exact) or numeric id."""
    text = str(ref).strip()
    client = session.exec(select(Client).where(Client.code == text)).first()
    if client is None and text.isdigit():
        client = session.get(Client, int(text))
    if client is None:
        raise UnknownRecord(
            f"unknown client '{ref}': give a client code or numeric id (veto client list)"
        )
    return client


def find_coach(session: Session, ref: str | int) -> Coach:
    """A coach by numeric id or exact name."""
    text = str(ref).strip()
    coach = session.exec(select(Coach).where(Coach.name == text)).first()
    if coach is None and text.isdigit():
        coach = session.get(Coach, int(text))
    if coach is None:
        raise UnknownRecord(
            f"unknown coach '{ref}': give a coach id or exact name (veto coach list)"
        )
    return coach


def find_employer(session: Session, ref: str | int) -> Employer:
    """An employer by numeric id or exact name."""
    text = str(ref).strip()
    employer = session.exec(select(Employer).where(Employer.name == text)).first()
    if employer is None and text.isdigit():
        employer = session.get(Employer, int(text))
    if employer is None:
        raise UnknownRecord(
            f"unknown employer '{ref}': give an employer id or exact name (veto employer list)"
        )
    return employer


def find_placement(session: Session, ref: str | int) -> Placement:
    """A placement by numeric id."""
    text = str(ref).strip()
    placement = session.get(Placement, int(text)) if text.isdigit() else None
    if placement is None:
        raise UnknownRecord(f"unknown placement '{ref}': give a placement id (veto placement list)")
    return placement

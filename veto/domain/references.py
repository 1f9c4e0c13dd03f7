"""Turning what a user typed (a code, an id, a name) into a stored record, or a clear error."""

from __future__ import annotations

from sqlmodel import Session, SQLModel, select

from veto.errors import UnknownRecord
from veto.models import Client, Coach, Employer, Placement


def _by_key_or_id(session: Session, model: type[SQLModel], column, ref: str | int):
    """The row whose `column` equals `ref` exactly, else the row with that numeric id."""
    text = str(ref).strip()
    found = (
        session.exec(select(model).where(column == text)).first() if column is not None else None
    )
    if found is None and text.isdigit():
        found = session.get(model, int(text))
    return found


def find_client(session: Session, ref: str | int) -> Client:
    """A client by code (exact) or numeric id."""
    if client := _by_key_or_id(session, Client, Client.code, ref):
        return client
    raise UnknownRecord(
        f"unknown client '{ref}': give a client code or numeric id (veto client list)"
    )


def find_coach(session: Session, ref: str | int) -> Coach:
    """A coach by exact name or numeric id."""
    if coach := _by_key_or_id(session, Coach, Coach.name, ref):
        return coach
    raise UnknownRecord(f"unknown coach '{ref}': give a coach id or exact name (veto coach list)")


def find_employer(session: Session, ref: str | int) -> Employer:
    """An employer by exact name or numeric id."""
    if employer := _by_key_or_id(session, Employer, Employer.name, ref):
        return employer
    raise UnknownRecord(
        f"unknown employer '{ref}': give an employer id or exact name (veto employer list)"
    )


def find_placement(session: Session, ref: str | int) -> Placement:
    """A placement by numeric id."""
    if placement := _by_key_or_id(session, Placement, None, ref):
        return placement
    raise UnknownRecord(f"unknown placement '{ref}': give a placement id (veto placement list)")

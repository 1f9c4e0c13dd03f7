"""Turning what a user typed (a code, an id, a name) into a stored record, or a clear error."""

from __future__ import annotations

from sqlmodel import Session, SQLModel, col, select

from veto.domain.direct import record_id  # one rule for ids; others import it from here too
from veto.errors import UnknownRecord
from veto.i18n import _
from veto.models import Activity, AnonymousStub, Client, Coach, Employer, Phase, Placement


def _by_key_or_id(session: Session, model: type[SQLModel], column, ref: str | int):
    """The row whose `column` equals `ref` exactly, else the row with that numeric id."""
    text = str(ref).strip()
    found = (
        session.exec(select(model).where(column == text)).first() if column is not None else None
    )
    if found is None and (number := record_id(text)) is not None:
        found = session.get(model, number)
    return found


def find_client(session: Session, ref: str | int) -> Client:
    """A client by code (exact), numeric id, or a unique name (`client_id`'s rule)."""
    from veto.domain.direct import client_id
    from veto.store.direct import SessionWork

    client = session.get(Client, client_id(SessionWork(session), ref))
    assert client is not None
    return client


def search_clients(session: Session, text: str) -> list[Client]:
    """Clients whose code, name or municipality contains `text`, ignoring case and accents
    ('maija' finds Maija Meikäläinen, 'ahtari' Ähtäri), in code order."""
    from veto.vocabulary import fold

    key = fold(text)
    if not key:
        return []
    rows = session.exec(
        select(Client)
        .where(col(Client.id).not_in(select(AnonymousStub.client_id)))
        .order_by(Client.code)
    )
    return [
        c for c in rows if any(key in fold(v) for v in (c.code, c.name, c.municipality or "") if v)
    ]


def find_coach(session: Session, ref: str | int) -> Coach:
    """A coach by exact name or numeric id (`coach_id`)."""
    from veto.domain.direct import coach_id
    from veto.store.direct import SessionWork

    coach = session.get(Coach, coach_id(SessionWork(session), ref))
    assert coach is not None
    return coach


def find_employer(session: Session, ref: str | int) -> Employer:
    """An employer by exact name or numeric id."""
    if employer := _by_key_or_id(session, Employer, Employer.name, ref):
        return employer
    message = _("unknown employer '{ref}': give an employer id or exact name (veto employer list)")
    raise UnknownRecord(message.format(ref=ref))


def find_placement(session: Session, ref: str | int) -> Placement:
    """A placement by numeric id."""
    if placement := _by_key_or_id(session, Placement, None, ref):
        return placement
    message = _("unknown placement '{ref}': give a placement id (veto placement list)")
    raise UnknownRecord(message.format(ref=ref))


def find_phase(session: Session, ref: str | int) -> Phase:
    """A phase by numeric id."""
    if phase := _by_key_or_id(session, Phase, None, ref):
        return phase
    message = _("unknown phase '{ref}': give a phase id (veto phase list CLIENT)")
    raise UnknownRecord(message.format(ref=ref))


def find_activity(session: Session, ref: str | int) -> Activity:
    """Logged coaching hours by numeric id."""
    if activity := _by_key_or_id(session, Activity, None, ref):
        return activity
    raise UnknownRecord(
        _("unknown hours '{ref}': give an id from veto activity list").format(ref=ref)
    )

"""Notes on a client: free text a coach writes down, part of the person's record."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from veto.domain.audit import actor_of, log_access
from veto.domain.dates import finnish
from veto.errors import InputError
from veto.models import Client, ClientNote, Coach


def add_note(
    session: Session, *, client: Client, text: str, on: date, coach: Coach | None = None
) -> ClientNote:
    """A note on the client dated `on`, written by the acting user (as coach `coach`)."""
    if not text or not text.strip():
        raise InputError("a note needs text: veto note add CLIENT 'what happened'")
    if on > date.today():
        raise InputError(f"a note cannot be dated in the future ({finnish(on)})")
    note = ClientNote(
        client_id=client.id,
        coach_id=coach.id if coach else client.coach_id,
        on_date=on,
        text=text.strip(),
        author=actor_of(session),
    )
    session.add(note)
    session.flush()
    log_access(session, action="note.add", client_id=client.id, record=f"client_note:{note.id}")
    return note


def list_notes(session: Session, *, client: Client) -> list[dict[str, Any]]:
    from veto.domain.client_card import client_notes
    from veto.store.direct import SessionWork

    rows = client_notes(SessionWork(session), client.id)
    log_access(session, action="note.list", client_id=client.id, record=f"notes:{len(rows)}")
    return rows

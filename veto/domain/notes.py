"""Notes on a client: free text a coach writes down, part of the person's record."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from veto.domain.audit import actor_of, log_access
from veto.domain.dates import finnish
from veto.domain.references import record_id
from veto.domain.removal import delete_logged
from veto.errors import InputError, UnknownRecord
from veto.i18n import _
from veto.models import Client, ClientNote, Coach


def _text(text: str | None) -> str:
    if not text or not text.strip():
        raise InputError(_("a note needs text: veto note add CLIENT 'what happened'"))
    return text.strip()


def _date(on: date) -> date:
    if on > date.today():
        raise InputError(_("a note cannot be dated in the future ({day})").format(day=finnish(on)))
    return on


def add_note(
    session: Session, *, client: Client, text: str, on: date, coach: Coach | None = None
) -> ClientNote:
    """A note on the client dated `on`, written by the acting user (as coach `coach`)."""
    note = ClientNote(
        client_id=client.id,
        coach_id=coach.id if coach else client.coach_id,
        on_date=_date(on),
        text=_text(text),
        author=actor_of(session),
    )
    session.add(note)
    session.flush()
    log_access(session, action="note.add", client_id=client.id, record=f"client_note:{note.id}")
    return note


def find_note(session: Session, ref: str | int) -> ClientNote:
    """A note by numeric id."""
    text = str(ref).strip()
    note = session.get(ClientNote, number) if (number := record_id(text)) is not None else None
    if note is None:
        raise UnknownRecord(
            _("unknown note '{ref}': give a note id (veto note list CLIENT)").format(ref=ref)
        )
    return note


def edit_note(
    session: Session, *, note: ClientNote, text: str | None = None, on: date | None = None
) -> ClientNote:
    """Correct a note's text or date, checked as `add_note` checks them; the author stays."""
    if text is None and on is None:
        raise InputError(_("nothing to change: give --text or --on"))
    if text is not None:
        note.text = _text(text)
    if on is not None:
        note.on_date = _date(on)
    session.add(note)
    session.flush()
    log_access(
        session, action="note.edit", client_id=note.client_id, record=f"client_note:{note.id}"
    )
    return note


def remove_note(session: Session, *, note: ClientNote) -> None:
    """Remove a note written by mistake (nothing names a note)."""
    delete_logged(
        session,
        note,
        action="note.remove",
        client_id=note.client_id,
        record=f"client_note:{note.id}",
    )


def list_notes(session: Session, *, client: Client) -> list[dict[str, Any]]:
    from veto.domain.client_card import client_notes
    from veto.store.direct import SessionWork

    rows = client_notes(SessionWork(session), client.id)
    log_access(session, action="note.list", client_id=client.id, record=f"notes:{len(rows)}")
    return rows

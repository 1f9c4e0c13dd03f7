"""Employer contacts (yhteydenotot), proposals about clients, and the follow-ups they leave.

A contact with a client is a proposal about that client (CV sent, work trial or interview
proposed). A contact's `next_on` is a follow-up that stays open until a later contact with the
same employer is logged; a follow-up about a client is closed only by a later contact about
that client.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import Period, finnish, optional_date, parse_date
from veto.domain.references import find_client, record_id
from veto.domain.removal import delete_logged
from veto.errors import InputError, UnknownRecord
from veto.i18n import _
from veto.models import Client, Coach, Contact, ContactPerson, Employer


def coach_of_user(session: Session, user: str) -> Coach | None:
    """The coach the acting user is (`veto.domain.direct.user_coach`'s rule)."""
    from veto.domain.direct import user_coach
    from veto.store.direct import SessionWork

    found = user_coach(SessionWork(session), user)
    return session.get(Coach, found.id) if found is not None else None


def _check_dates(on: date, next_on: date | None, today: date) -> None:
    if on > today:
        raise InputError(
            _(
                "a contact cannot be dated in the future ({day}); "
                "log it when it happens and use --next DATE for a planned follow-up"
            ).format(day=finnish(on))
        )
    if next_on is not None and next_on < on:
        raise InputError(
            _(
                "the follow-up ({next}) cannot be before the contact ({day}); "
                "give --next on or after --on"
            ).format(next=finnish(next_on), day=finnish(on))
        )


def log_contact(
    session: Session,
    *,
    employer: Employer,
    channel: str,
    stage: str,
    on: date,
    next_on: date | None = None,
    client: Client | None = None,
    coach: Coach | None = None,
    person: ContactPerson | None = None,
    note: str | None = None,
    today: date | None = None,
) -> Contact:
    """Record a contact with the employer; with `client`, a proposal about that client."""
    channel = vocabulary.parse("channel", channel)
    stage = vocabulary.parse("stage", stage)
    _check_dates(on, next_on, today or date.today())
    if person is not None and person.employer_id != employer.id:
        raise InputError(
            _("contact person {person} works for another employer").format(person=person.id)
        )
    contact = Contact(
        employer_id=employer.id,
        client_id=client.id if client else None,
        coach_id=coach.id if coach else (client.coach_id if client else None),
        person_id=person.id if person else None,
        on_date=on,
        channel=channel,
        stage=stage,
        next_on=next_on,
        note=(note or "").strip() or None,
    )
    session.add(contact)
    session.flush()
    log_access(
        session,
        action="contact.log",
        client_id=client.id if client else None,
        record=f"contact:{contact.id}",
    )
    return contact


def find_contact(session: Session, ref: str | int) -> Contact:
    """A contact by numeric id."""
    text = str(ref).strip()
    contact = session.get(Contact, number) if (number := record_id(text)) is not None else None
    if contact is None:
        raise UnknownRecord(
            _("unknown contact '{ref}': give a contact id (veto contact list)").format(ref=ref)
        )
    return contact


def edit_contact(
    session: Session,
    *,
    contact: Contact,
    channel: str | None = None,
    stage: str | None = None,
    on: str | None = None,
    next_on: str | None = None,
    client: str | None = None,
    person: str | None = None,
    note: str | None = None,
    coach: str | None = None,
    today: date | None = None,
) -> Contact:
    """Correct a contact: None leaves a field as it is, '' clears the follow-up, client, person,
    note or coach."""
    from veto.domain.employers import find_person
    from veto.domain.references import find_coach

    if all(v is None for v in (channel, stage, on, next_on, client, person, note, coach)):
        raise InputError(
            _(
                "nothing to change: give --channel, --stage, --on, --next, --client, --person, "
                "--note or --coach"
            )
        )
    if coach is not None:
        contact.coach_id = find_coach(session, coach).id if coach.strip() else None
    if channel is not None:
        contact.channel = vocabulary.parse("channel", channel)
    if stage is not None:
        contact.stage = vocabulary.parse("stage", stage)
    if on is not None:
        contact.on_date = parse_date(on, what="contact date")
    if next_on is not None:
        contact.next_on = optional_date(next_on, what="follow-up date")
    if client is not None:
        contact.client_id = find_client(session, client).id if client.strip() else None
    if person is not None:
        employer = session.get(Employer, contact.employer_id)
        contact.person_id = (
            find_person(session, person, employer=employer).id if person.strip() else None
        )
    if note is not None:
        contact.note = note.strip() or None
    _check_dates(contact.on_date, contact.next_on, today or date.today())
    session.add(contact)
    session.flush()
    log_access(
        session, action="contact.edit", client_id=contact.client_id, record=f"contact:{contact.id}"
    )
    return contact


def remove_contact(session: Session, *, contact: Contact) -> None:
    """Delete a contact logged by mistake (nothing names a contact)."""
    delete_logged(
        session,
        contact,
        action="contact.remove",
        client_id=contact.client_id,
        record=f"contact:{contact.id}",
    )


def list_contacts(
    session: Session,
    *,
    employer: Employer | None = None,
    client: Client | None = None,
    coach: Coach | None = None,
    stage: str | None = None,
    period: Period | None = None,
) -> list[dict[str, Any]]:
    """Contacts oldest first, optionally of one employer, client (the proposals about them),
    coach, stage or period."""
    query = (
        select(
            Contact.id,
            Contact.on_date.label("on"),
            Employer.name.label("employer"),
            Contact.channel,
            Contact.stage,
            Client.code.label("client"),
            Coach.name.label("coach"),
            ContactPerson.name.label("person"),
            Contact.next_on.label("next"),
            Contact.note,
        )
        .join(Employer, Employer.id == Contact.employer_id)
        .outerjoin(Client, Client.id == Contact.client_id)
        .outerjoin(Coach, Coach.id == Contact.coach_id)
        .outerjoin(ContactPerson, ContactPerson.id == Contact.person_id)
        .order_by(Contact.on_date, Contact.id)
    )
    if employer is not None:
        query = query.where(Contact.employer_id == employer.id)
    if client is not None:
        query = query.where(Contact.client_id == client.id)
    if coach is not None:
        query = query.where(Contact.coach_id == coach.id)
    if stage is not None:
        query = query.where(Contact.stage == vocabulary.parse("stage", stage))
    if period is not None and period.start is not None:
        query = query.where(Contact.on_date >= period.start)
    if period is not None and period.end is not None:
        query = query.where(Contact.on_date <= period.end)
    rows = [dict(r._mapping) for r in session.exec(query)]
    # Without --client the notes and client codes of everyone are read: logged as well.
    if client is not None:
        log_access(
            session, action="contact.list", client_id=client.id, record=f"client:{client.id}"
        )
    else:
        log_access(session, action="contact.list", record=f"contacts:{len(rows)}")
    return rows

"""Employers (työnantajat), their contact persons and their history with the project."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.references import record_id
from veto.domain.removal import Naming, delete_logged, refuse_if_named
from veto.errors import DuplicateRecord, InputError, UnknownRecord
from veto.i18n import N_, _
from veto.models import Client, Contact, ContactPerson, Employer, Placement

_BUSINESS_ID = re.compile(r"^(\d{6,7})-(\d)$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)
BUSINESS_ID_ACCEPTED = N_("a Y-tunnus is 7 digits, a hyphen and a check digit, e.g. 0112038-9")
# Fields `employer edit` may change; an empty text clears the optional ones.
EDITABLE = ("name", "business_id", "sector", "municipality", "address")
LIST_COLUMNS = (
    "id",
    "name",
    "business_id",
    "sector",
    "municipality",
    "stage",
    "last_contact",
    "placements",
)


def business_id_check_digit(digits: str) -> int | None:
    """The check digit of a 7-digit Y-tunnus body, or None when no check digit can be valid
    (weights 7, 9, 10, 5, 8, 4, 2; sum mod 11: 0 -> 0, 1 -> invalid, r -> 11 - r)."""
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return None
    return 0 if remainder == 0 else 11 - remainder


def parse_email(text: str) -> str:
    """An e-mail address that at least looks like one (name@example.fi)."""
    value = text.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
        raise InputError(
            _("invalid e-mail '{value}': give an address like name@example.fi").format(value=value)
        )
    return value


def parse_business_id(text: str) -> str:
    """A checked Y-tunnus in its canonical form 1234567-8 (an old 6-digit body gets its 0)."""
    value = re.sub(r"\s+", "", text)
    m = _BUSINESS_ID.match(value)
    if not m:
        raise InputError(
            _("invalid business id '{text}': {accepted}").format(
                text=text, accepted=_(BUSINESS_ID_ACCEPTED)
            )
        )
    digits = m.group(1).zfill(7)
    check = business_id_check_digit(digits)
    if check is None or check != int(m.group(2)):
        raise InputError(
            _("invalid business id '{text}': the check digit does not match; {accepted}").format(
                text=text, accepted=_(BUSINESS_ID_ACCEPTED)
            )
        )
    return f"{digits}-{check}"


def _check_name(session: Session, name: str | None, *, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError(_("an employer needs a name: veto employer add 'Company Oy'"))
    if name.isdigit():
        raise InputError(
            _("invalid employer name '{name}': all digits would be read as an id").format(name=name)
        )
    clash = session.exec(select(Employer.id).where(Employer.name == name)).first()
    if clash is not None and clash != exclude_id:
        raise DuplicateRecord(
            _("an employer named '{name}' already exists (veto employer list)").format(name=name)
        )
    return name


def _text(value: str | None) -> str | None:
    """Optional free text: surrounding space dropped, empty means none."""
    if value is None:
        return None
    return value.strip() or None


def add_employer(
    session: Session,
    *,
    name: str,
    business_id: str | None = None,
    sector: str | None = None,
    municipality: str | None = None,
    address: str | None = None,
) -> Employer:
    """A new employer; the business id, when given, must pass the Y-tunnus check."""
    employer = Employer(
        name=_check_name(session, name),
        business_id=parse_business_id(business_id) if _text(business_id) else None,
        sector=_text(sector),
        municipality=_text(municipality),
        address=_text(address),
    )
    session.add(employer)
    session.flush()
    log_access(session, action="employer.add", record=f"employer:{employer.id}")
    return employer


def edit_employer(session: Session, *, employer: Employer, **fields: str | None) -> Employer:
    """Change the given fields (None: unchanged; '' clears an optional field)."""
    for key, value in fields.items():
        if key not in EDITABLE:
            raise InputError(
                _("unknown employer field '{key}': use one of {fields}").format(
                    key=key, fields=", ".join(EDITABLE)
                )
            )
        if value is None:
            continue
        if key == "name":
            value = _check_name(session, value, exclude_id=employer.id)
        elif key == "business_id":
            value = parse_business_id(value) if _text(value) else None
        else:
            value = _text(value)
        setattr(employer, key, value)
    session.add(employer)
    session.flush()
    log_access(session, action="employer.edit", record=f"employer:{employer.id}")
    return employer


def _latest_contact(column):
    """The value of `column` on the employer's latest contact (by date, then entry order)."""
    return (
        select(column)
        .where(Contact.employer_id == Employer.id)
        .order_by(col(Contact.on_date).desc(), col(Contact.id).desc())
        .limit(1)
        .correlate(Employer)
        .scalar_subquery()
    )


def list_employers(session: Session, *, stage: str | None = None) -> list[dict[str, Any]]:
    """Every employer with its current stage (that of its latest contact) and placements;
    `stage` keeps one stage of the pipeline ('none': employers never contacted)."""
    placements = (
        select(func.count(Placement.id))
        .where(Placement.employer_id == Employer.id)
        .correlate(Employer)
        .scalar_subquery()
    )
    current = _latest_contact(Contact.stage)
    query = select(
        Employer.id,
        Employer.name,
        Employer.business_id,
        Employer.sector,
        Employer.municipality,
        current.label("stage"),
        _latest_contact(Contact.on_date).label("last_contact"),
        placements.label("placements"),
    ).order_by(Employer.name)
    if stage is not None:
        if vocabulary.fold(stage) in ("none", "ei"):
            query = query.where(current.is_(None))
        else:
            query = query.where(current == vocabulary.parse("stage", stage))
    return [dict(r._mapping) for r in session.exec(query)]


def _person_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError(_("a contact person needs a name: give --name 'First Last'"))
    return name


def _person_email(email: str | None) -> str | None:
    email = _text(email)
    return parse_email(email) if email is not None else None


def add_person(
    session: Session,
    *,
    employer: Employer,
    name: str,
    role: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> ContactPerson:
    """A contact person at the employer."""
    person = ContactPerson(
        employer_id=employer.id,
        name=_person_name(name),
        role=_text(role),
        phone=_text(phone),
        email=_person_email(email),
    )
    session.add(person)
    session.flush()
    log_access(session, action="employer.person.add", record=f"contact_person:{person.id}")
    return person


def find_person(session: Session, ref: str | int, *, employer: Employer | None = None):
    """A contact person by id, or by exact name at `employer`."""
    text = str(ref).strip()
    person = None
    if employer is not None:
        person = session.exec(
            select(ContactPerson).where(
                ContactPerson.employer_id == employer.id, ContactPerson.name == text
            )
        ).first()
    if person is None and (number := record_id(text)) is not None:
        person = session.get(ContactPerson, number)
    if person is None or (employer is not None and person.employer_id != employer.id):
        if employer is not None:
            message = _(
                "unknown contact person '{ref}' at {employer}: give an id or exact name "
                "(veto employer person list EMPLOYER)"
            )
        else:
            message = _(
                "unknown contact person '{ref}': give an id or exact name "
                "(veto employer person list EMPLOYER)"
            )
        raise UnknownRecord(message.format(ref=ref, employer=employer and employer.name))
    return person


def edit_person(
    session: Session,
    *,
    person: ContactPerson,
    name: str | None = None,
    role: str | None = None,
    phone: str | None = None,
    email: str | None = None,
) -> ContactPerson:
    """Correct a contact person: None leaves a field as it is, '' clears the role, phone or
    e-mail; the name and e-mail are checked as `add_person` checks them."""
    if name is None and role is None and phone is None and email is None:
        raise InputError(_("nothing to change: give --name, --role, --phone or --email"))
    if name is not None:
        person.name = _person_name(name)
    if role is not None:
        person.role = _text(role)
    if phone is not None:
        person.phone = _text(phone)
    if email is not None:
        person.email = _person_email(email)
    session.add(person)
    session.flush()
    log_access(session, action="employer.person.edit", record=f"contact_person:{person.id}")
    return person


def remove_person(session: Session, *, person: ContactPerson) -> None:
    """Remove a contact person added by mistake; refused while a contact names them."""
    named_in = session.exec(
        select(Contact.id).where(Contact.person_id == person.id).order_by(col(Contact.id))
    ).all()
    refuse_if_named(
        _("contact person {id} ({name})").format(id=person.id, name=person.name),
        [
            Naming(
                "contact",
                named_in,
                _("clear them from it first (veto contact edit ID --person '')"),
            )
        ],
    )
    delete_logged(
        session, person, action="employer.person.remove", record=f"contact_person:{person.id}"
    )


def remove_employer(session: Session, *, employer: Employer) -> None:
    """Remove an employer added by mistake; refused while a placement, a contact or a contact
    person names it (the database would otherwise delete contacts and persons with it)."""

    def ids(model, column):
        return session.exec(
            select(model.id).where(column == employer.id).order_by(col(model.id))
        ).all()

    refuse_if_named(
        _("employer {id} ({name})").format(id=employer.id, name=employer.name),
        [
            Naming(
                "placement",
                ids(Placement, Placement.employer_id),
                _(
                    "move or remove the placements (veto placement edit ID --employer EMPLOYER, "
                    "veto placement remove ID)"
                ),
            ),
            Naming(
                "contact",
                ids(Contact, Contact.employer_id),
                _("remove the contacts (veto contact remove ID)"),
            ),
            Naming(
                "contact person",
                ids(ContactPerson, ContactPerson.employer_id),
                _("remove the persons (veto employer person remove ID)"),
            ),
        ],
    )
    delete_logged(session, employer, action="employer.remove", record=f"employer:{employer.id}")


def list_persons(session: Session, *, employer: Employer) -> list[dict[str, Any]]:
    query = (
        select(
            ContactPerson.id,
            ContactPerson.name,
            ContactPerson.role,
            ContactPerson.phone,
            ContactPerson.email,
        )
        .where(ContactPerson.employer_id == employer.id)
        .order_by(ContactPerson.name, ContactPerson.id)
    )
    rows = [dict(r._mapping) for r in session.exec(query)]
    log_access(session, action="employer.person.list", record=f"employer:{employer.id}")
    return rows


def _placements(session: Session, employer: Employer) -> list[dict[str, Any]]:
    query = (
        select(
            Placement.id,
            Client.code.label("client"),
            Placement.kind,
            Placement.start_on.label("start"),
            Placement.end_on.label("end"),
            Placement.title,
            Placement.wage_subsidy,
            Placement.arrangement_support,
        )
        .join(Client, Client.id == Placement.client_id)
        .where(Placement.employer_id == employer.id)
        .order_by(Placement.start_on, Placement.id)
    )
    return [dict(r._mapping) for r in session.exec(query)]


def show_employer(session: Session, *, employer: Employer) -> dict[str, Any]:
    """The employer, its current stage and its history: contact persons, contacts (proposals
    are the contacts about a client), work trials and jobs, and the supports they used."""
    from veto.domain.contacts import list_contacts

    contacts = [
        {k: v for k, v in row.items() if k != "employer"}
        for row in list_contacts(session, employer=employer)
    ]
    placements = _placements(session, employer)
    log_access(session, action="employer.show", record=f"employer:{employer.id}")
    latest = contacts[-1] if contacts else None
    kinds = [p["kind"] for p in placements]
    return {
        "id": employer.id,
        "name": employer.name,
        "business_id": employer.business_id,
        "sector": employer.sector,
        "municipality": employer.municipality,
        "address": employer.address,
        "stage": latest["stage"] if latest else None,
        "last_contact": max((c["on"] for c in contacts), default=None),
        "contacts": len(contacts),
        "proposals": sum(1 for c in contacts if c["client"] is not None),
        "work_trials": kinds.count("work-trial"),
        "jobs": kinds.count("job"),
        "apprenticeships": kinds.count("apprenticeship"),
        "wage_subsidy": sum(1 for p in placements if p["wage_subsidy"]),
        "arrangement_support": sum(1 for p in placements if p["arrangement_support"]),
        "persons": list_persons(session, employer=employer),
        "contact_history": contacts,
        "placement_history": placements,
    }

"""Placements: work trials (työkokeilu), jobs and apprenticeships at an employer, with the
fields of the agreement on supported employment (appendix 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import finnish
from veto.domain.inputs import parse_decimal, parse_yes_no
from veto.domain.references import find_client, find_employer
from veto.domain.wording import value as shown
from veto.domain.workflow import timeline_change
from veto.errors import InputError, WorkflowError
from veto.i18n import _
from veto.models import Client, Employer, Placement

# Agreement fields `placement edit` may change, besides kind, dates and employer.
AGREEMENT_FIELDS = (
    "title",
    "tasks",
    "supervisor_name",
    "supervisor_contact",
    "employment_form",
    "employment_other",
    "hours_per_month",
    "full_time",
    "pay_per_hour",
    "pay_per_month",
    "wage_subsidy",
    "arrangement_support",
)
# The agreement's amounts and the most each can be: a month has at most 744 hours; the pays
# are the largest numbers their columns hold.
_AMOUNTS = {
    "hours_per_month": Decimal(744),
    "pay_per_hour": Decimal("999999.99"),
    "pay_per_month": Decimal("99999999.99"),
}
_ANSWERS = ("full_time", "wage_subsidy", "arrangement_support")


def add_placement(
    session: Session,
    *,
    client: Client,
    employer: Employer,
    kind: str,
    start: date,
    end: date | None = None,
    **agreement: Any,
) -> Placement:
    """A work trial or job of the client at the employer."""
    kind = vocabulary.parse("placement kind", kind)
    _refuse_twin(session, client=client, employer_id=employer.id, kind=kind, start=start)
    with timeline_change(session, client):
        placement = Placement(
            client_id=client.id, employer_id=employer.id, kind=kind, start_on=start, end_on=end
        )
        _apply_agreement(placement, agreement)
        session.add(placement)
    log_access(
        session, action="placement.add", client_id=client.id, record=f"placement:{placement.id}"
    )
    return placement


def _refuse_twin(
    session: Session,
    *,
    client: Client,
    employer_id: int | None,
    kind: str,
    start: date,
    itself: int | None = None,
) -> None:
    """A client has one placement of a kind at an employer starting on a day: a second one is
    the same placement typed twice (and the tracking workbook could not tell them apart)."""
    same = select(Placement.id).where(
        Placement.client_id == client.id,
        Placement.employer_id == employer_id,
        Placement.kind == kind,
        Placement.start_on == start,
    )
    if itself is not None:
        same = same.where(Placement.id != itself)
    twin = session.exec(same).first()
    if twin is not None:
        raise WorkflowError(
            _(
                "client {code} already has placement {twin} ({kind} at this employer from "
                "{start}): accepted: another start day, kind or employer, or "
                "veto placement edit {twin} to correct that one"
            ).format(
                code=client.code,
                twin=twin,
                kind=shown("placement kind", kind),
                start=finnish(start),
            )
        )


def _apply_agreement(placement: Placement, fields: dict[str, Any]) -> None:
    for key, value in fields.items():
        if value is None:
            continue
        if key not in AGREEMENT_FIELDS:
            raise InputError(_("unknown placement field '{key}'").format(key=key))
        if value == "":
            value = None
        elif key == "employment_form":
            value = vocabulary.parse("employment form", value)
        elif key in _AMOUNTS:
            value = parse_decimal(
                value, what=key.replace("_", " "), minimum=Decimal(0), maximum=_AMOUNTS[key]
            )
        elif key in _ANSWERS:
            value = parse_yes_no(value, what=key.replace("_", " "))
        setattr(placement, key, value)


def edit_placement(
    session: Session,
    *,
    placement: Placement,
    kind: str | None = None,
    employer: Employer | None = None,
    start: date | None = None,
    end: date | None = None,
    **agreement: Any,
) -> Placement:
    """Correct a placement or fill its agreement fields; only given fields change."""
    client = session.get_one(Client, placement.client_id)
    kind = vocabulary.parse("placement kind", kind) if kind is not None else placement.kind
    employer_id = employer.id if employer is not None else placement.employer_id
    key = (employer_id, kind, start or placement.start_on)
    if key != (placement.employer_id, placement.kind, placement.start_on):
        # only a change of the key can make a twin: a store from before the rule keeps its
        # twins correctable (their agreement fields, their end)
        _refuse_twin(
            session, client=client, employer_id=key[0], kind=kind, start=key[2], itself=placement.id
        )
    with timeline_change(session, client):
        placement.kind = kind
        placement.employer_id = employer_id
        placement.start_on = start or placement.start_on
        placement.end_on = end if end is not None else placement.end_on
        _apply_agreement(placement, agreement)
        session.add(placement)
    log_access(
        session, action="placement.edit", client_id=client.id, record=f"placement:{placement.id}"
    )
    return placement


def end_placement(session: Session, *, placement: Placement, on: date) -> Placement:
    if placement.end_on is not None:
        raise WorkflowError(
            _(
                "placement {id} already ended on {day}; "
                "use veto placement edit {id} --end DATE to correct it"
            ).format(id=placement.id, day=finnish(placement.end_on))
        )
    with timeline_change(session, session.get(Client, placement.client_id)):
        placement.end_on = on
        session.add(placement)
    log_access(
        session,
        action="placement.end",
        client_id=placement.client_id,
        record=f"placement:{placement.id}",
    )
    return placement


def remove_placement(session: Session, *, placement: Placement) -> None:
    """Remove a placement typed by mistake."""
    client = session.get(Client, placement.client_id)
    with timeline_change(session, client):
        session.delete(placement)
    log_access(
        session, action="placement.remove", client_id=client.id, record=f"placement:{placement.id}"
    )


def list_placements(
    session: Session,
    *,
    client: str | None = None,
    employer: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    query = (
        select(
            Placement.id,
            Client.code.label("client"),
            Employer.name.label("employer"),
            Placement.kind,
            Placement.start_on.label("start"),
            Placement.end_on.label("end"),
            Placement.title,
        )
        .join(Client, Client.id == Placement.client_id)
        .join(Employer, Employer.id == Placement.employer_id)
        .order_by(col(Placement.start_on), col(Placement.id))
    )
    client_id = find_client(session, client).id if client else None
    if client_id is not None:
        query = query.where(Placement.client_id == client_id)
    if employer:
        query = query.where(Placement.employer_id == find_employer(session, employer).id)
    if kind:
        query = query.where(Placement.kind == vocabulary.parse("placement kind", kind))
    rows = [dict(r._mapping) for r in session.exec(query)]
    log_access(
        session, action="placement.list", client_id=client_id, record=f"placements:{len(rows)}"
    )
    return rows


def show_placement(session: Session, *, placement: Placement) -> dict[str, Any]:
    client = session.get(Client, placement.client_id)
    employer = session.get(Employer, placement.employer_id)
    log_access(
        session, action="placement.show", client_id=client.id, record=f"placement:{placement.id}"
    )
    row: dict[str, Any] = {
        "id": placement.id,
        "client": client.code,
        "employer": employer.name,
        "kind": placement.kind,
        "start": placement.start_on,
        "end": placement.end_on,
    }
    row.update({f: getattr(placement, f) for f in AGREEMENT_FIELDS})
    return row

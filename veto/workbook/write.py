"""Storing a checked plan (`veto.workbook.plan`): bulk inserts and updates, parents first, then
the removals (`--delete-missing`) children first, all in the command's one transaction."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session, col

from veto.domain.audit import access_entry, log_access
from veto.i18n import _
from veto.models import (
    Activity,
    AuditEntry,
    Client,
    Coach,
    Contact,
    ContactPerson,
    Employer,
    Phase,
    Placement,
)
from veto.store.history import insert_rows, record_bulk_updates
from veto.workbook.plan import MODELS, Plan
from veto.workbook.reading import Progress


def write_plan(
    session: Session, plan: Plan, progress: Progress | None, *, action: str = "workbook.import"
) -> None:
    """Apply the plan (it must have no problems): parents first, each kind in one bulk
    statement; then the removals. The access log names the `action` (`veto import table`
    writes through here too)."""
    total = sum(map(len, plan.inserts.values())) + sum(map(len, plan.updates.values()))
    total += sum(map(len, plan.deletes.values()))
    done = 0

    def store(key: str, model, prepare=dict) -> None:
        """One kind of record: its planned inserts and updates, `prepare`d, in bulk."""
        nonlocal done
        inserts, updates = plan.inserts[key], plan.updates[key]
        _bulk(session, model, [prepare(r) for r in inserts], [prepare(r) for r in updates])
        done += len(inserts) + len(updates)
        if progress:
            progress(done, total, _("Storing"))

    ids = {}
    named: tuple[tuple[str, Any], ...] = (("coaches", Coach), ("employers", Employer))
    for key, model in named:
        store(key, model)
        ids[key] = {n: i for n, i in session.execute(select(col(model.name), col(model.id)))}
    coach_ids = ids["coaches"]

    def with_coach(row: dict) -> dict:
        row = dict(row)
        if "coach" in row:
            name = row.pop("coach")
            row["coach_id"] = coach_ids[name] if name is not None else None
        return row

    store("clients", Client, with_coach)
    client_ids = {c: i for c, i in session.execute(select(col(Client.code), col(Client.id)))}

    person_ids: dict[tuple[int, str], int] = {}  # (employer id, name) -> the first such person

    def resolved(row: dict) -> dict:
        row = with_coach(row)
        if "client" in row:
            code = row.pop("client")
            row["client_id"] = client_ids[code] if code is not None else None
        if "employer" in row:
            row["employer_id"] = ids["employers"][row.pop("employer")]
        if "person" in row:  # a contact's person, at the contact's employer (an update row
            # carries no employer: the stored contact's is the one)
            name = row.pop("person")
            employer = row.get("employer_id") or ids["employers"][plan.contact_employers[row["id"]]]
            row["person_id"] = person_ids[(employer, name)] if name is not None else None
        return row

    store("contact_persons", ContactPerson, resolved)
    people = select(col(ContactPerson.id), col(ContactPerson.employer_id), col(ContactPerson.name))
    for person, employer, name in session.execute(people.order_by(col(ContactPerson.id).desc())):
        person_ids[(employer, name)] = person
    dependent: tuple[tuple[str, Any], ...] = (
        ("phases", Phase),
        ("placements", Placement),
        ("hours", Activity),
        ("contacts", Contact),
    )
    for key, model in dependent:
        store(key, model, resolved)

    removed = {r["code"]: r["id"] for r in plan.deletes.get("clients", [])}
    entries = [
        access_entry(
            session.info,
            action=action,
            client_id=client_ids.get(code) or removed[code],
            record=f"client:{client_ids.get(code) or removed[code]}",
        )
        for code in sorted(plan.touched)
    ]
    if entries:
        session.execute(insert(AuditEntry.__table__), entries)  # type: ignore[attr-defined]
    log_access(session, action=action, record=f"file:{plan_name(plan)}")
    session.flush()
    for key in reversed(MODELS):
        gone = [r["id"] for r in plan.deletes.get(key, [])]
        _remove(session, MODELS[key], gone)
        done += len(gone)
        if gone and progress:
            progress(done, total, _("Removing"))


def plan_name(plan: Plan) -> str:
    return ",".join(
        f"{t}:{c.new}+{c.changed}" + (f"-{c.missing}" if plan.delete_missing and c.missing else "")
        for t, c in plan.counts.items()
    )


def _remove(session: Session, model, ids: list[int]) -> None:
    """Delete the records through the session, so the change history keeps each of them."""
    chunk = 500
    for start in range(0, len(ids), chunk):
        query = select(model).where(model.id.in_(ids[start : start + chunk]))
        for obj in session.execute(query).scalars():
            session.delete(obj)
        session.flush()


def _bulk(session: Session, model, inserts: list[dict], updates: list[dict]) -> None:
    chunk = 5000
    # Core inserts: one executemany per chunk (the ORM's bulk path ran one statement a row),
    # each row kept in the change history.
    for start in range(0, len(inserts), chunk):
        insert_rows(session, model.__table__, inserts[start : start + chunk])
    # Bulk UPDATE by primary key wants the same columns in every row of one statement.
    groups: dict[frozenset, list[dict]] = defaultdict(list)
    for row in updates:
        groups[frozenset(row)].append(row)
    for rows in groups.values():
        record_bulk_updates(session, model.__table__, rows)
        session.execute(update(model), rows)

"""The client workflow: phases and the end of a client relationship.

Rules (contract, "Workflow rules"):
- a client has at most one open phase; starting `placement` while `coaching` is open closes the
  coaching on the same date; a client may start `placement` without any coaching;
- a phase cannot start before the client's previous phase started, nor end before it started;
- an ended client cannot start a phase until reopened;
- `client end` cannot be dated before the client's first phase started (nor, for the same
  reason, before a placement of the client starts or hours were logged).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import finnish
from veto.errors import WorkflowError
from veto.models import Activity, Client, Phase, Placement


def phases_of(session: Session, client: Client) -> list[Phase]:
    """The client's phases in the order they started."""
    return list(
        session.exec(
            select(Phase)
            .where(Phase.client_id == client.id)
            .order_by(col(Phase.start_on), col(Phase.id))
        )
    )


def open_phase(session: Session, client: Client) -> Phase | None:
    return session.exec(
        select(Phase).where(Phase.client_id == client.id, col(Phase.end_on).is_(None))
    ).first()


def _require_active(client: Client, doing: str) -> None:
    if client.ended_on is not None:
        raise WorkflowError(
            f"client {client.code} ended on {finnish(client.ended_on)}: cannot {doing}; "
            f"reopen first (veto client reopen {client.code})"
        )


def start_phase(session: Session, *, client: Client, kind: str, on: date) -> Phase:
    """Open a phase of `kind` on `on`, closing an open coaching phase when placement starts."""
    kind = vocabulary.parse("phase kind", kind)
    _require_active(client, f"start {kind}")
    phases = phases_of(session, client)
    if phases and on < phases[-1].start_on:
        previous = phases[-1]
        raise WorkflowError(
            f"cannot start {kind} on {finnish(on)}: the previous {previous.kind} phase of "
            f"{client.code} started on {finnish(previous.start_on)}; give that date or later"
        )
    current = next((p for p in phases if p.end_on is None), None)
    if current is not None:
        if current.kind == "coaching" and kind == "placement":
            close_open_phase(session, client=client, on=on)
        else:
            raise WorkflowError(
                f"client {client.code} already has an open {current.kind} phase since "
                f"{finnish(current.start_on)}: end it first (veto phase end {client.code})"
            )
    phase = Phase(client_id=client.id, kind=kind, start_on=on)
    session.add(phase)
    session.flush()
    log_access(session, action="phase.start", client_id=client.id, record=f"phase:{phase.id}")
    return phase


def close_open_phase(session: Session, *, client: Client, on: date) -> Phase:
    """End the client's open phase on `on`."""
    current = open_phase(session, client)
    if current is None:
        raise WorkflowError(
            f"client {client.code} has no open phase to end (veto phase list {client.code})"
        )
    if on < current.start_on:
        raise WorkflowError(
            f"cannot end the {current.kind} phase of {client.code} on {finnish(on)}: it started on "
            f"{finnish(current.start_on)}; give that date or later"
        )
    current.end_on = on
    session.add(current)
    session.flush()
    log_access(session, action="phase.end", client_id=client.id, record=f"phase:{current.id}")
    return current


def end_client(
    session: Session, *, client: Client, outcome: str, on: date, field: str | None = None
) -> Client:
    """End the client relationship with an outcome; closes any open phase on that date."""
    outcome = vocabulary.parse("outcome", outcome)
    if client.ended_on is not None:
        raise WorkflowError(
            f"client {client.code} already ended on {finnish(client.ended_on)}; "
            f"reopen first to change it (veto client reopen {client.code})"
        )
    phases = phases_of(session, client)
    if phases and on < phases[0].start_on:
        raise WorkflowError(
            f"cannot end client {client.code} on {finnish(on)}: the first phase started on "
            f"{finnish(phases[0].start_on)}; give that date or later"
        )
    _require_nothing_after(session, client=client, on=on)
    if any(p.end_on is None for p in phases):
        close_open_phase(session, client=client, on=on)
    client.ended_on = on
    client.outcome = outcome
    client.outcome_field = field.strip() if field and field.strip() else None
    session.add(client)
    session.flush()
    log_access(session, action="client.end", client_id=client.id, record=f"client:{client.id}")
    return client


def _require_nothing_after(session: Session, *, client: Client, on: date) -> None:
    """A relationship cannot end before a work trial or job of it starts, nor before hours were
    given: the same rule `placement add` and `activity log` apply after an end."""
    later = session.exec(
        select(Placement)
        .where(Placement.client_id == client.id, Placement.start_on > on)
        .order_by(col(Placement.start_on))
    ).first()
    if later is not None:
        raise WorkflowError(
            f"cannot end client {client.code} on {finnish(on)}: placement {later.id} starts on "
            f"{finnish(later.start_on)}; give that date or later"
        )
    last_hours = session.exec(
        select(func.max(Activity.on_date)).where(Activity.client_id == client.id)
    ).one()
    if last_hours is not None and last_hours > on:
        raise WorkflowError(
            f"cannot end client {client.code} on {finnish(on)}: coaching hours are logged on "
            f"{finnish(last_hours)}; give that date or later"
        )


def reopen_client(session: Session, *, client: Client) -> Client:
    """Undo the end of a client relationship, so phases can start again."""
    if client.ended_on is None:
        raise WorkflowError(f"client {client.code} has not ended: nothing to reopen")
    client.ended_on = None
    client.outcome = None
    client.outcome_field = None
    session.add(client)
    session.flush()
    log_access(session, action="client.reopen", client_id=client.id, record=f"client:{client.id}")
    return client

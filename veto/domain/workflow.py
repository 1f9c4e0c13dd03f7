"""The client workflow: phases, the end of a client relationship, and the one timeline rule.

Every change to a client's timeline runs inside `timeline_change`, which checks the timeline as it
would be after the change with `veto.domain.timeline.violations` before anything is committed.
Only a violation the change brings is refused: a store that already holds one still opens, and
a correction that leaves an old violation alone goes through (`veto db check` lists them).

Besides the rule, the commands keep their own meaning: starting `placement` while `coaching` is
open closes the coaching on the same date; `client end` closes the open phase on the end date;
an ended client cannot start a phase until reopened.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import finnish
from veto.domain.timeline import Hours, Span, Timeline, Violation, violations
from veto.domain.wording import value
from veto.errors import WorkflowError
from veto.i18n import _
from veto.models import Activity, Client, Phase, Placement


@cache
def _of_a_client(model):
    """`SELECT model WHERE client_id = :client_id`, built once: every change of a timeline reads
    three of them twice, and building a statement anew (and its cache key) cost more than
    running it."""
    return select(model).where(model.client_id == bindparam("client_id"))


def load_timeline(session: Session, client: Client) -> Timeline:
    """The client's timeline as the session holds it: stored rows with the changes not yet
    written, records added but not yet written (named as new: their id is None), without the
    ones being deleted. Nothing is flushed, so the database's own checks come after the rule."""

    def rows(model):
        with session.no_autoflush:
            if client.id is None:  # not yet written: no stored row can be its
                found = []
            else:
                query = _of_a_client(model)
                found = list(session.exec(query, params={"client_id": client.id}))
        found += [o for o in session.new if isinstance(o, model) and o.client_id == client.id]
        return [o for o in found if o not in session.deleted]

    return Timeline(
        client=client.code,
        phases=tuple(Span(p.id, p.kind, p.start_on, p.end_on) for p in rows(Phase)),
        placements=tuple(Span(p.id, p.kind, p.start_on, p.end_on) for p in rows(Placement)),
        hours=tuple(Hours(a.id, a.on_date, a.hours) for a in rows(Activity)),
        ended_on=client.ended_on,
    )


def stored_violations(session: Session) -> list[tuple[str, list[Violation]]]:
    """(client code, violations) for every stored client whose timeline breaks the rule, in
    code order (for `veto db check`); four queries, whatever the number of clients."""
    from collections import defaultdict

    phases, placements, hours = defaultdict(list), defaultdict(list), defaultdict(list)
    for i, client_id, kind, start, end in session.execute(
        select(Phase.id, Phase.client_id, Phase.kind, Phase.start_on, Phase.end_on)
    ):
        phases[client_id].append(Span(i, kind, start, end))
    for i, client_id, kind, start, end in session.execute(
        select(
            Placement.id, Placement.client_id, Placement.kind, Placement.start_on, Placement.end_on
        )
    ):
        placements[client_id].append(Span(i, kind, start, end))
    for i, client_id, on, amount in session.execute(
        select(Activity.id, Activity.client_id, Activity.on_date, Activity.hours)
    ):
        hours[client_id].append(Hours(i, on, amount))
    today = date.today()
    found = []
    clients = select(Client.id, Client.code, Client.ended_on).order_by(col(Client.code))
    for client_id, code, ended_on in session.execute(clients):
        timeline = Timeline(
            client=code,
            phases=tuple(phases[client_id]),
            placements=tuple(placements[client_id]),
            hours=tuple(hours[client_id]),
            ended_on=ended_on,
        )
        if broken := violations(timeline, today):
            found.append((code, broken))
    return found


def _refuse_new_violations(session: Session, client: Client, old: set[str], today: date) -> None:
    new = [v for v in violations(load_timeline(session, client), today) if v.message not in old]
    if new:
        raise WorkflowError(new[0].message)


@contextmanager
def timeline_change(session: Session, client: Client) -> Iterator[None]:
    """Run a change of the client's timeline (which must not flush), then refuse it
    (WorkflowError, one line: the first new violation) when the timeline afterwards breaks the
    rule where it did not before; else write it."""
    today = date.today()
    old = {v.message for v in violations(load_timeline(session, client), today)}
    with session.no_autoflush:
        yield
    _refuse_new_violations(session, client, old, today)
    session.flush()


@contextmanager
def timelines_change(session: Session, clients: list[Client]) -> Iterator[None]:
    """`timeline_change` for a change of several clients' timelines that writes as it goes
    (`veto undo`: rows put back as they were once stored pass the database's checks). A client
    the change removed has no timeline left to check."""
    today = date.today()
    old = {c.id: {v.message for v in violations(load_timeline(session, c), today)} for c in clients}
    yield
    session.flush()
    for client in clients:
        if session.get(Client, client.id) is not None:
            _refuse_new_violations(session, client, old[client.id], today)


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


def _require_active(client: Client, kind: str) -> None:
    if client.ended_on is not None:
        raise WorkflowError(
            _(
                "client {code} ended on {day}: cannot start {kind}; "
                "reopen first (veto client reopen {code})"
            ).format(code=client.code, day=finnish(client.ended_on), kind=value("phase kind", kind))
        )


def start_phase(session: Session, *, client: Client, kind: str, on: date) -> Phase:
    """Open a phase of `kind` on `on`, closing an open coaching phase when placement starts."""
    kind = vocabulary.parse("phase kind", kind)
    _require_active(client, kind)
    with timeline_change(session, client):
        current = open_phase(session, client)
        if current is not None and current.kind == "coaching" and kind == "placement":
            if on >= current.start_on:
                _close(session, client, current, on)
        elif current is not None and on >= current.start_on:
            raise WorkflowError(
                _(
                    "client {code} already has an open {kind} phase since {day}: "
                    "end it first (veto phase end {code})"
                ).format(
                    code=client.code,
                    kind=value("phase kind", current.kind),
                    day=finnish(current.start_on),
                )
            )
        phase = Phase(client_id=client.id, kind=kind, start_on=on)
        session.add(phase)
    log_access(session, action="phase.start", client_id=client.id, record=f"phase:{phase.id}")
    return phase


def _close(session: Session, client: Client, phase: Phase, on: date) -> None:
    phase.end_on = on
    session.add(phase)
    log_access(session, action="phase.end", client_id=client.id, record=f"phase:{phase.id}")


def close_open_phase(session: Session, *, client: Client, on: date) -> Phase:
    """End the client's open phase on `on`."""
    current = open_phase(session, client)
    if current is None:
        raise WorkflowError(
            _("client {code} has no open phase to end (veto phase list {code})").format(
                code=client.code
            )
        )
    with timeline_change(session, client):
        _close(session, client, current, on)
    return current


def end_client(
    session: Session, *, client: Client, outcome: str, on: date, field: str | None = None
) -> Client:
    """End the client relationship with an outcome; closes any open phase on that date."""
    outcome = vocabulary.parse("outcome", outcome)
    if client.ended_on is not None:
        raise WorkflowError(
            _(
                "client {code} already ended on {day}; "
                "reopen first to change it (veto client reopen {code})"
            ).format(code=client.code, day=finnish(client.ended_on))
        )
    with timeline_change(session, client):
        current = open_phase(session, client)
        if current is not None and on >= current.start_on:
            _close(session, client, current, on)
        client.ended_on = on
        client.outcome = outcome
        client.outcome_field = field.strip() if field and field.strip() else None
        session.add(client)
    log_access(session, action="client.end", client_id=client.id, record=f"client:{client.id}")
    return client


def reopen_client(session: Session, *, client: Client) -> Client:
    """Undo the end of a client relationship, so phases can start again."""
    if client.ended_on is None:
        raise WorkflowError(
            _("client {code} has not ended: nothing to reopen").format(code=client.code)
        )
    with timeline_change(session, client):
        client.ended_on = None
        client.outcome = None
        client.outcome_field = None
        session.add(client)
    log_access(session, action="client.reopen", client_id=client.id, record=f"client:{client.id}")
    return client


def edit_phase(
    session: Session, *, phase: Phase, start: date | None = None, end: date | None = None
) -> Phase:
    """Correct a phase's start or end; the timeline rule is checked on the result."""
    if start is None and end is None:
        raise WorkflowError(_("nothing to change: give --start or --end"))
    client = session.get(Client, phase.client_id)
    with timeline_change(session, client):
        phase.start_on = start or phase.start_on
        phase.end_on = end if end is not None else phase.end_on
        session.add(phase)
    log_access(session, action="phase.edit", client_id=client.id, record=f"phase:{phase.id}")
    return phase


def remove_phase(session: Session, *, phase: Phase) -> None:
    """Remove a phase typed by mistake; the timeline rule is checked on the result."""
    client = session.get(Client, phase.client_id)
    with timeline_change(session, client):
        session.delete(phase)
    log_access(session, action="phase.remove", client_id=client.id, record=f"phase:{phase.id}")

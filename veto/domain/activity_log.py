"""Logging coaching hours on the stdlib driver (`veto activity log` on SQLite): the same checks
as `veto.domain.activities.log_activity` (whose hours rule, `activity_hours`, lives here for
both), the one timeline rule of `veto.domain.timeline` on the client's rows read by SQL, the
row with its change history (`veto.store.direct.insert_kept`) and its access-log row. No
SQLAlchemy here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from veto import vocabulary
from veto.domain.hours import as_hours
from veto.domain.inputs import parse_decimal
from veto.domain.timeline import Hours, Span, Timeline, violations
from veto.errors import WorkflowError
from veto.i18n import _
from veto.store.direct import as_date

if TYPE_CHECKING:
    from veto.store.direct import SqliteWork, Work

# The activity table's columns, in its order (tests/test_writes.py checks them against
# `veto.models.Activity`).
ACTIVITY_COLUMNS = ("id", "client_id", "on_date", "hours", "kind", "note", "coach_id", "created_at")


def activity_hours(hours: str | Decimal) -> Decimal:
    """Hours of one activity: more than 0, at most 24, at most 2 decimals."""
    amount = parse_decimal(hours, what="hours", minimum=Decimal("0.01"), maximum=Decimal(24))
    if amount is None:
        raise WorkflowError(_("give the hours, e.g. --hours 1,5"))
    return amount


def stored_timeline(work: Work, client_id: int) -> Timeline:
    """The client's stored timeline, read as `veto.domain.workflow.load_timeline` reads it."""
    (client,) = work.rows("SELECT code, ended_on FROM client WHERE id = :id", {"id": client_id})
    given = {"client": client_id}

    def spans(table: str) -> tuple[Span, ...]:
        sql = f"SELECT id, kind, start_on, end_on FROM {table} WHERE client_id = :client"
        return tuple(
            Span(r.id, r.kind, as_date(r.start_on), as_date(r.end_on))  # type: ignore[arg-type]
            for r in work.rows(sql, given)
        )

    hours = work.rows("SELECT id, on_date, hours FROM activity WHERE client_id = :client", given)
    return Timeline(
        client=client.code,
        phases=spans("phase"),
        placements=spans("placement"),
        hours=tuple(Hours(r.id, as_date(r.on_date), as_hours(r.hours)) for r in hours),  # type: ignore[arg-type]
        ended_on=as_date(client.ended_on),
    )


def log_activity_direct(
    work: SqliteWork,
    *,
    client_id: int,
    hours: str,
    on: date,
    kind: str,
    note: str | None,
    coach_id: int | None,
) -> int:
    """`veto.domain.activities.log_activity` on the stdlib driver; returns the new row's id."""
    from veto.domain.audit import log_access_direct
    from veto.store.direct import insert_kept

    amount = activity_hours(hours)
    kind = vocabulary.parse("activity kind", kind)
    today = date.today()
    before = stored_timeline(work, client_id)
    old = {v.message for v in violations(before, today)}
    after = Timeline(
        client=before.client,
        phases=before.phases,
        placements=before.placements,
        hours=(*before.hours, Hours(None, on, amount)),
        ended_on=before.ended_on,
    )
    new = [v for v in violations(after, today) if v.message not in old]
    if new:
        raise WorkflowError(new[0].message)
    if coach_id is None:
        coach_id = work.rows("SELECT coach_id FROM client WHERE id = :id", {"id": client_id})[
            0
        ].coach_id
    row = {
        "id": None,
        "client_id": client_id,
        "on_date": on,
        "hours": amount,
        "kind": kind,
        "note": note,
        "coach_id": coach_id,
        "created_at": datetime.now(UTC),
    }
    written = insert_kept(work, "activity", {c: row[c] for c in ACTIVITY_COLUMNS})
    activity = written["id"]
    log_access_direct(
        work, action="activity.log", client_id=client_id, record=f"activity:{activity}"
    )
    return activity

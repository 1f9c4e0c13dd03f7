"""The pilot result tables (section 2.5, Tulokset), computed in SQL on SQLite and PostgreSQL.

The cohort (työhönvalmennusasiakkaat) is the clients whose first `placement` phase started
within the period; a cohort client counts as ended when the relationship ended on or before the
period's end. One statement computes every figure: the cohort is a grouped sub-select over the
phases, and each section is a small GROUP BY over it, joined with UNION ALL, so the database
returns a few dozen rows whatever the size of the store and Python only files them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Float,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
    true,
    union_all,
)
from sqlmodel import Session

from veto import vocabulary as v
from veto.domain.audit import log_access
from veto.domain.dates import Period
from veto.models import Activity, Client, Coach, Phase, Placement

DAYS_PER_MONTH = 30.4375
HOURS_BUDGET = 18
COACH_TARGET = 10
PROJECT_PERIOD = Period(date(2024, 2, 1), date(2027, 1, 31))
PROJECT_TARGET = 30

phase = Phase.__table__
client = Client.__table__
placement = Placement.__table__
activity = Activity.__table__
coach = Coach.__table__


def _days(later, earlier, dialect: str):
    """Whole days from `earlier` to `later`, computed by the database."""
    if dialect == "sqlite":
        return func.julianday(later) - func.julianday(earlier)
    return later - earlier  # date - date is an integer number of days on PostgreSQL


def _month(day, dialect: str):
    """'YYYY-MM' of a date, computed by the database."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m", day)
    return func.to_char(day, "YYYY-MM")


def _within(column, period: Period):
    conditions = []
    if period.start is not None:
        conditions.append(column >= period.start)
    if period.end is not None:
        conditions.append(column <= period.end)
    return and_(true(), *conditions)


def _cohort(period: Period):
    """One row per cohort client: background, gender, coach, the phase starts and the end."""
    firsts = (
        select(
            phase.c.client_id,
            func.min(case((phase.c.kind == "placement", phase.c.start_on))).label("placed_on"),
            func.min(case((phase.c.kind == "coaching", phase.c.start_on))).label("coached_on"),
            func.min(phase.c.start_on).label("first_on"),
        )
        .group_by(phase.c.client_id)
        .subquery("firsts")
    )
    ended = client.c.ended_on.is_not(None)
    if period.end is not None:
        ended = and_(ended, client.c.ended_on <= period.end)
    return (
        select(
            client.c.id,
            client.c.gender,
            client.c.background,
            client.c.coach_id,
            client.c.outcome,
            client.c.outcome_field,
            client.c.ended_on,
            firsts.c.placed_on,
            firsts.c.coached_on,
            firsts.c.first_on,
            case((ended, 1), else_=0).label("ended"),
        )
        .join_from(client, firsts, firsts.c.client_id == client.c.id)
        .where(firsts.c.placed_on.is_not(None), _within(firsts.c.placed_on, period))
        .cte("cohort")
    )


def _row(section: str, a=None, b=None, n=None, total=None, low=None, high=None, extra=None):
    """The common shape of every section's rows, so they can be joined with UNION ALL."""

    def key(x):
        return cast(null() if x is None else x, String)

    def number(x):
        return cast(null() if x is None else x, Float)

    return [
        literal(section).label("section"),
        key(a).label("a"),
        key(b).label("b"),
        number(n).label("n"),
        number(total).label("total"),
        number(low).label("low"),
        number(high).label("high"),
        number(extra).label("extra"),
    ]


def _statement(period: Period, dialect: str):
    cohort = _cohort(period)
    c = cohort.c
    is_ended = c.ended == 1
    pre_days = _days(c.placed_on, c.coached_on, dialect)
    had_coaching = and_(c.coached_on.is_not(None), c.coached_on < c.placed_on)
    total_days = _days(c.ended_on, c.first_on, dialect)

    people = select(*_row("people", c.gender, c.background, func.count(), c.ended)).group_by(
        c.gender, c.background, c.ended
    )
    outcomes = (
        select(*_row("outcome", c.outcome, c.outcome_field, func.count()))
        .where(is_ended)
        .group_by(c.outcome, c.outcome_field)
    )
    pre = (
        select(
            *_row(
                "pre_placement",
                c.background,
                None,
                func.count(),
                func.sum(pre_days),
                func.min(pre_days),
                func.max(pre_days),
            )
        )
        .where(had_coaching)
        .group_by(c.background)
    )
    whole = (
        select(
            *_row(
                "total",
                c.background,
                None,
                func.count(),
                func.sum(total_days),
                func.min(total_days),
                func.max(total_days),
            )
        )
        .where(is_ended)
        .group_by(c.background)
    )
    trials = (
        select(
            *_row(
                "work_trials",
                c.background,
                None,
                func.count(distinct(placement.c.client_id)),
                func.count(placement.c.id),
            )
        )
        .join_from(cohort, placement, placement.c.client_id == c.id)
        .where(is_ended, placement.c.kind == "work-trial")
        .group_by(c.background)
    )
    # Hours count from the client's first placement start to the period's end.
    logged = and_(activity.c.client_id == c.id, activity.c.on_date >= c.placed_on)
    if period.end is not None:
        logged = and_(logged, activity.c.on_date <= period.end)
    per_client = (
        select(c.id, func.coalesce(func.sum(activity.c.hours), 0).label("hours"))
        .select_from(cohort)
        .outerjoin(activity, logged)
        .group_by(c.id)
        .subquery("per_client")
    )
    hours = select(
        *_row(
            "hours",
            None,
            None,
            func.count(),
            func.sum(per_client.c.hours),
            None,
            func.max(per_client.c.hours),
            func.sum(case((per_client.c.hours > HOURS_BUDGET, 1), else_=0)),
        )
    )
    intake = select(*_row("intake", _month(c.placed_on, dialect), None, func.count())).group_by(
        _month(c.placed_on, dialect)
    )
    coaches = (
        select(*_row("coach", coach.c.name, None, func.count(c.id)))
        .select_from(coach)
        .outerjoin(cohort, c.coach_id == coach.c.id)
        .group_by(coach.c.id, coach.c.name)
    )
    unassigned = select(*_row("coach", None, None, func.count())).where(c.coach_id.is_(None))
    return union_all(people, outcomes, pre, whole, trials, hours, intake, coaches, unassigned)


def _months(days: float | None) -> float | None:
    return None if days is None else round(days / DAYS_PER_MONTH, 2)


def _duration(row) -> dict[str, Any]:
    if row is None or not row.n:
        return {"n": 0, "mean": None, "min": None, "max": None}
    return {
        "n": int(row.n),
        "mean": _months(row.total / row.n),
        "min": _months(row.low),
        "max": _months(row.high),
    }


def _hours(value: float | None) -> float | int | None:
    if value is None:
        return None
    value = round(float(value), 2)
    return int(value) if value == int(value) else value


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    months = []
    while f"{y:04d}-{m:02d}" <= last:
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def _intake(new_by_month: dict[str, int], period: Period, target: int) -> dict[str, Any]:
    first = period.start.strftime("%Y-%m") if period.start else min(new_by_month, default=None)
    last = period.end.strftime("%Y-%m") if period.end else max(new_by_month, default=None)
    by_month: dict[str, dict[str, int]] = {}
    running = 0
    reached = None
    if first is not None and last is not None:
        for month in _month_range(first, last):
            running += new_by_month.get(month, 0)
            by_month[month] = {"new": new_by_month.get(month, 0), "cumulative": running}
            if reached is None and target > 0 and running >= target:
                reached = month
    return {"target": target, "total": running, "reached_target": reached, "by_month": by_month}


def pilot_report(session: Session, *, period: Period, target: int = 18) -> dict[str, Any]:
    """The figures of `veto report pilot` for `period`: the contract's keys (every key always
    present, zero counts included, `None` statistics for empty groups) and, beyond them,
    `intake` (new cohort clients by month, cumulative, against `target`) and `coaches`
    (cohort clients per coach against 10)."""
    dialect = session.get_bind().dialect.name
    rows = session.execute(_statement(period, dialect)).all()
    log_access(session, action="report.pilot", record=f"period:{period.label}")

    by_gender = dict.fromkeys(v.GENDER, 0)
    by_background = dict.fromkeys(v.BACKGROUND, 0)
    by_outcome = dict.fromkeys(v.OUTCOME, 0)
    fields: dict[str, dict[str, int]] = {o: {} for o in v.OUTCOME}
    ended_total = 0
    durations: dict[str, dict[str, Any]] = {
        b: {"pre_placement": _duration(None), "total": _duration(None)} for b in v.BACKGROUND
    }
    trials = {b: {"clients": 0, "trials": 0} for b in v.BACKGROUND}
    hours: dict[str, Any] = {"budget": HOURS_BUDGET, "total": 0, "mean": None, "max": None}
    hours["over_budget"] = 0
    intake: dict[str, int] = {}
    per_coach: dict[str, int] = {}
    unassigned = 0

    for row in rows:
        n = int(row.n or 0)
        if row.section == "people":
            by_gender[row.a] += n
            by_background[row.b] += n
            if row.total == 1:
                ended_total += n
        elif row.section == "outcome":
            by_outcome[row.a] += n
            if row.b is not None and row.b.strip():
                fields[row.a][row.b] = fields[row.a].get(row.b, 0) + n
        elif row.section in ("pre_placement", "total"):
            durations[row.a][row.section] = _duration(row)
        elif row.section == "work_trials":
            trials[row.a] = {"clients": n, "trials": int(row.total)}
        elif row.section == "hours" and n:
            hours["total"] = _hours(row.total)
            hours["mean"] = _hours(float(row.total) / n)
            hours["max"] = _hours(row.high)
            hours["over_budget"] = int(row.extra)
        elif row.section == "intake":
            intake[row.a] = n
        elif row.section == "coach":
            if row.a is None:
                unassigned = n
            else:
                per_coach[row.a] = n

    total = sum(by_gender.values())
    return {
        "period": {
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
        },
        "clients": {"total": total, "by_gender": by_gender, "by_background": by_background},
        "ended": {
            "total": ended_total,
            "by_outcome": by_outcome,
            "fields": {o: dict(sorted(f.items())) for o, f in fields.items()},
        },
        "durations": durations,
        "work_trials": trials,
        "hours": hours,
        "intake": _intake(intake, period, target),
        "coaches": {
            "target": COACH_TARGET,
            "by_coach": dict(sorted(per_coach.items())),
            "unassigned": unassigned,
        },
        "suppress_below": None,
        "suppressed": [],
    }


def _count_cells(report: dict[str, Any]) -> tuple[dict, list, dict, dict]:
    """The report's counts of people, the sums that tie them together, the unpublished
    remainders a reader can still work out, and the figures that must go with a hidden count."""
    from veto.reports.suppression import Margin

    counts: dict[tuple, int] = {}
    margins: list[Margin] = []
    locked: dict[tuple, int] = {}
    dependents: dict[tuple, list[tuple]] = {}

    def cell(*path: str) -> tuple:
        value: Any = report
        for key in path:
            value = value[key]
        counts[path] = value
        return path

    total = cell("clients", "total")
    for group in ("by_gender", "by_background"):
        parts = tuple(cell("clients", group, k) for k in report["clients"][group])
        margins.append(Margin(total, parts))
    ended = cell("ended", "total")
    outcomes = []
    for outcome, fields in report["ended"]["fields"].items():
        by = cell("ended", "by_outcome", outcome)
        outcomes.append(by)
        parts = tuple(cell("ended", "fields", outcome, f) for f in fields)
        # Clients whose field was not recorded: not shown, but the difference of shown figures.
        rest = ("ended", "fields_not_recorded", outcome)
        locked[rest] = counts[by] - sum(fields.values())
        margins.append(Margin(by, (*parts, rest)))
    margins.append(Margin(ended, tuple(outcomes)))
    ended_n = []
    for background, stats in report["durations"].items():
        for measure in stats:
            n = cell("durations", background, measure, "n")
            dependents[n] = [("durations", background, measure, k) for k in ("mean", "min", "max")]
            if measure == "total":
                ended_n.append(n)
    margins.append(Margin(ended, tuple(ended_n)))
    for background in report["work_trials"]:
        n = cell("work_trials", background, "clients")
        dependents[n] = [("work_trials", background, "trials")]
    cell("hours", "over_budget")
    months = list(report["intake"]["by_month"])
    previous = None
    for month in months:
        new = cell("intake", "by_month", month, "new")
        cumulative = cell("intake", "by_month", month, "cumulative")
        margins.append(Margin(cumulative, (new,) if previous is None else (previous, new)))
        previous = cumulative
    intake_total = cell("intake", "total")
    margins.append(Margin(total, (intake_total,)))
    if previous is not None:
        margins.append(Margin(intake_total, (previous,)))
    coach_parts = [cell("coaches", "by_coach", name) for name in report["coaches"]["by_coach"]]
    coach_parts.append(cell("coaches", "unassigned"))
    margins.append(Margin(total, tuple(coach_parts)))
    return counts, margins, locked, dependents


def suppress_small_cells(report: dict[str, Any], *, below: int) -> tuple[dict[str, Any], set[str]]:
    """The report for sharing outside the project: counts 1…below-1 and the cells that would
    give them away become `None`; `suppressed` lists their paths, `suppress_below` the limit.
    Also returns the paths of the small counts themselves (shown as `<below` in tables)."""
    from veto.errors import InputError
    from veto.reports.suppression import apply, suppress

    if below < 2:
        raise InputError(f"invalid --suppress-below {below}: give 2 or more (e.g. 5)")
    counts, margins, locked, dependents = _count_cells(report)
    result = suppress({**counts, **locked}, margins, below=below, locked=locked)
    apply(report, result, dependents=dependents)
    report["suppress_below"] = below
    report["suppressed"] = result.paths
    return report, set(result.paths[: result.primary])

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
        return func.substr(day, 1, 7)  # dates are stored as ISO text
    return func.to_char(day, "YYYY-MM")


def _within(column, period: Period):
    conditions = []
    if period.start is not None:
        conditions.append(column >= period.start)
    if period.end is not None:
        conditions.append(column <= period.end)
    return and_(true(), *conditions)


def _cohort(period: Period, dialect: str):
    """One row per cohort client with everything the tables need: who, the outcome, the two
    durations in days (NULL where they do not apply), the hours after placement and the
    number of work trials. Computed once; every section is a GROUP BY over it."""
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
    placed_on, coached_on = firsts.c.placed_on, firsts.c.coached_on
    # Hours count from the client's first placement start to the period's end.
    logged = and_(activity.c.client_id == client.c.id, activity.c.on_date >= placed_on)
    if period.end is not None:
        logged = and_(logged, activity.c.on_date <= period.end)
    hours = select(func.coalesce(func.sum(activity.c.hours), 0)).where(logged).scalar_subquery()
    trials = (
        select(func.count())
        .where(placement.c.client_id == client.c.id, placement.c.kind == "work-trial")
        .scalar_subquery()
    )
    had_coaching = and_(coached_on.is_not(None), coached_on < placed_on)
    return (
        select(
            client.c.id,
            client.c.gender,
            client.c.background,
            client.c.coach_id,
            client.c.outcome,
            client.c.outcome_field,
            placed_on,
            case((ended, 1), else_=0).label("ended"),
            case((had_coaching, _days(placed_on, coached_on, dialect))).label("pre_days"),
            case((ended, _days(client.c.ended_on, firsts.c.first_on, dialect))).label("total_days"),
            hours.label("hours"),
            case((ended, trials), else_=0).label("trials"),
        )
        .join_from(client, firsts, firsts.c.client_id == client.c.id)
        .where(placed_on.is_not(None), _within(placed_on, period))
        .cte("cohort")
    )


KEYS = ("gender", "background", "ended", "outcome", "field")
FIGURES = (
    "n",
    "pre_n",
    "pre_sum",
    "pre_min",
    "pre_max",
    "total_sum",
    "total_min",
    "total_max",
    "hours_sum",
    "hours_max",
    "over_budget",
    "trial_clients",
    "trials",
)


def _row(section: str, keys=(), figures=()):
    """The common shape of every section's rows, so they can be joined with UNION ALL."""
    keys = list(keys) + [None] * (len(KEYS) - len(keys))
    figures = list(figures) + [None] * (len(FIGURES) - len(figures))
    return [
        literal(section).label("section"),
        *(
            cast(null() if k is None else k, String).label(n)
            for n, k in zip(KEYS, keys, strict=True)
        ),
        *(
            cast(null() if f is None else f, Float).label(n)
            for n, f in zip(FIGURES, figures, strict=True)
        ),
    ]


def _statement(period: Period, dialect: str):
    cohort = _cohort(period, dialect)
    c = cohort.c
    groups = select(
        *_row(
            "groups",
            (c.gender, c.background, c.ended, c.outcome, c.outcome_field),
            (
                func.count(),
                func.count(c.pre_days),
                func.sum(c.pre_days),
                func.min(c.pre_days),
                func.max(c.pre_days),
                func.sum(c.total_days),
                func.min(c.total_days),
                func.max(c.total_days),
                func.sum(c.hours),
                func.max(c.hours),
                func.sum(case((c.hours > HOURS_BUDGET, 1), else_=0)),
                func.sum(case((c.trials > 0, 1), else_=0)),
                func.sum(c.trials),
            ),
        )
    ).group_by(c.gender, c.background, c.ended, c.outcome, c.outcome_field)
    month = _month(c.placed_on, dialect)
    intake = select(*_row("intake", (month,), (func.count(),))).group_by(month)
    per_coach = select(c.coach_id, func.count().label("n")).group_by(c.coach_id).subquery()
    coaches = (
        select(*_row("coach", (coach.c.name,), (func.coalesce(per_coach.c.n, 0),)))
        .select_from(coach)
        .outerjoin(per_coach, per_coach.c.coach_id == coach.c.id)
    )
    unassigned = select(*_row("coach", (), (func.count(),))).where(c.coach_id.is_(None))
    return union_all(groups, intake, coaches, unassigned)


def _months(days: float | None) -> float | None:
    return None if days is None else round(days / DAYS_PER_MONTH, 2)


def _duration(n: int, days: float | None, low: float | None, high: float | None) -> dict:
    if not n:
        return {"n": 0, "mean": None, "min": None, "max": None}
    return {"n": n, "mean": _months(days / n), "min": _months(low), "max": _months(high)}


class _Spread:
    """Count, sum, minimum and maximum, combined over the database's groups."""

    def __init__(self) -> None:
        self.n, self.sum, self.low, self.high = 0, 0.0, None, None

    def add(self, n, total, low, high) -> None:
        if not n:
            return
        self.n += int(n)
        self.sum += float(total)
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)

    def months(self) -> dict[str, Any]:
        return _duration(self.n, self.sum, self.low, self.high)


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
    pre = {b: _Spread() for b in v.BACKGROUND}
    whole = {b: _Spread() for b in v.BACKGROUND}
    trials = {b: {"clients": 0, "trials": 0} for b in v.BACKGROUND}
    hours_total, hours_max, over_budget = 0.0, None, 0
    intake: dict[str, int] = {}
    per_coach: dict[str, int] = {}
    unassigned = 0

    # A few hundred rows at most: one per combination of gender, background, end and outcome.
    for row in rows:
        n = int(row.n or 0)
        if row.section == "groups":
            by_gender[row.gender] += n
            by_background[row.background] += n
            pre[row.background].add(row.pre_n, row.pre_sum, row.pre_min, row.pre_max)
            hours_total += float(row.hours_sum or 0)
            if row.hours_max is not None:
                hours_max = max(hours_max or 0.0, float(row.hours_max))
            over_budget += int(row.over_budget or 0)
            if row.ended == "1":
                ended_total += n
                by_outcome[row.outcome] += n
                if row.field is not None and row.field.strip():
                    fields[row.outcome][row.field] = fields[row.outcome].get(row.field, 0) + n
                whole[row.background].add(n, row.total_sum, row.total_min, row.total_max)
                trials[row.background]["clients"] += int(row.trial_clients or 0)
                trials[row.background]["trials"] += int(row.trials or 0)
        elif row.section == "intake":
            intake[row.gender] = n
        elif row.gender is None:
            unassigned = n
        else:
            per_coach[row.gender] = n

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
        "durations": {
            b: {"pre_placement": pre[b].months(), "total": whole[b].months()} for b in v.BACKGROUND
        },
        "work_trials": trials,
        "hours": {
            "budget": HOURS_BUDGET,
            "total": _hours(hours_total),
            "mean": _hours(hours_total / total) if total else None,
            "max": _hours(hours_max),
            "over_budget": over_budget,
        },
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
    remainders in them, and the figures that must go with a hidden count."""
    from veto.reports.suppression import Margin

    counts: dict[tuple, int] = {}
    margins: list[Margin] = []
    unpublished: dict[tuple, int] = {}
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
        # Clients whose field was not recorded are not shown. When there are none, the fields
        # add up to the outcome exactly, and a reader may well assume so.
        rest = counts[by] - sum(fields.values())
        if rest:
            unpublished[("ended", "fields_not_recorded", outcome)] = rest
            parts = (*parts, ("ended", "fields_not_recorded", outcome))
        margins.append(Margin(by, parts))
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
    return counts, margins, unpublished, dependents


def suppress_small_cells(report: dict[str, Any], *, below: int) -> tuple[dict[str, Any], set[str]]:
    """The report for sharing outside the project: counts 1…below-1 and the cells that would
    give them away become `None`; `suppressed` lists their paths, `suppress_below` the limit.
    Also returns the paths of the small counts themselves (shown as `<below` in tables)."""
    from veto.errors import InputError
    from veto.reports.suppression import apply, suppress

    if below < 2:
        raise InputError(f"invalid --suppress-below {below}: give 2 or more (e.g. 5)")
    counts, margins, unpublished, dependents = _count_cells(report)
    result = suppress({**counts, **unpublished}, margins, below=below, unpublished=unpublished)
    apply(report, result, dependents=dependents)
    report["suppress_below"] = below
    report["suppressed"] = result.paths
    return report, set(result.paths[: result.primary])

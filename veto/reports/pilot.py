"""The pilot result tables (section 2.5, Tulokset), computed in SQL on SQLite and PostgreSQL.

The cohort (työhönvalmennusasiakkaat) is the clients whose first `placement` phase started
within the period; a cohort client counts as ended when the relationship ended on or before the
period's end. One statement computes every figure: the cohort is a grouped sub-select over the
phases, and each section is a small GROUP BY over it, joined with UNION ALL, so the database
returns a few dozen rows whatever the size of the store and Python only files them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from veto import vocabulary as v
from veto.domain.audit import log_access_direct
from veto.domain.dates import Period
from veto.domain.targets import (
    CLIENTS_PER_COACH_TARGET,
    PERIOD_INTAKE_TARGET,
    PLACEMENT_HOURS_BUDGET,
    PROJECT_INTAKE_TARGET,
)
from veto.i18n import _
from veto.outputs.numbers import figure
from veto.store import report_functions
from veto.store.dialect import days_between, year_month_of
from veto.store.report_functions import FIRST_DAY, LAST_DAY, ReportQuery

if TYPE_CHECKING:
    from veto.store.direct import Work

DAYS_PER_MONTH = 30.4375
HOURS_BUDGET = PLACEMENT_HOURS_BUDGET
COACH_TARGET = CLIENTS_PER_COACH_TARGET
PROJECT_PERIOD = Period(date(2024, 2, 1), date(2027, 1, 31))
PROJECT_TARGET = PROJECT_INTAKE_TARGET

# One row per cohort client with everything the tables need: who, the outcome, the two
# durations in days (NULL where they do not apply), the hours from the first placement on and
# the number of work trials. Materialised once; every section is a GROUP BY over it. Hours
# come from correlated sums over the index on (client_id, on_date, hours).
_COHORT = """
WITH firsts AS (
  SELECT client_id,
         MIN(CASE WHEN kind = 'placement' THEN start_on END) AS placed_on,
         MIN(CASE WHEN kind = 'coaching' THEN start_on END) AS coached_on,
         MIN(start_on) AS first_on
  FROM phase GROUP BY client_id
),
cohort AS (
  SELECT c.id, c.gender, c.background, c.coach_id, c.outcome, c.outcome_field, f.placed_on,
         CASE WHEN {ended} THEN 1 ELSE 0 END AS ended,
         CASE WHEN f.coached_on < f.placed_on THEN {pre_days} END AS pre_days,
         CASE WHEN {ended} THEN {total_days} END AS total_days,
         (SELECT COALESCE(SUM(a.hours), 0) FROM activity a
           WHERE a.client_id = c.id AND a.on_date >= f.placed_on{hours_until}) AS hours,
         CASE WHEN {ended} THEN (SELECT COUNT(*) FROM placement p
           WHERE p.client_id = c.id AND p.kind = 'work-trial') ELSE 0 END AS trials
  FROM client c JOIN firsts f ON f.client_id = c.id
  WHERE f.placed_on IS NOT NULL{placed_within}
)"""

# The sections share one row shape so that UNION ALL can join them: a section, two keys, then
# figures. Each row is a figure the report prints (a mean as its sum and count), never a finer
# cross-tabulation: the reporter role gets exactly these rows from the store's function.
_SECTIONS = """
SELECT 'gender' AS section, gender AS label, CAST(NULL AS VARCHAR) AS detail, COUNT(*) AS n,
       CAST(NULL AS INTEGER) AS d_n, CAST(NULL AS INTEGER) AS d_sum,
       CAST(NULL AS INTEGER) AS d_min, CAST(NULL AS INTEGER) AS d_max,
       CAST(NULL AS INTEGER) AS trial_clients, CAST(NULL AS INTEGER) AS trials,
       CAST(NULL AS FLOAT) AS hours_sum, CAST(NULL AS FLOAT) AS hours_max,
       CAST(NULL AS INTEGER) AS over_budget
FROM cohort GROUP BY gender
UNION ALL
SELECT 'background', background, NULL, COUNT(*), COUNT(pre_days), SUM(pre_days),
       MIN(pre_days), MAX(pre_days), NULL, NULL, NULL, NULL, NULL
FROM cohort GROUP BY background
UNION ALL
SELECT 'ended', background, NULL, COUNT(*), COUNT(total_days), SUM(total_days),
       MIN(total_days), MAX(total_days), SUM(CASE WHEN trials > 0 THEN 1 ELSE 0 END),
       SUM(trials), NULL, NULL, NULL
FROM cohort WHERE ended = 1 GROUP BY background
UNION ALL
SELECT 'outcome', outcome, outcome_field, COUNT(*),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cohort WHERE ended = 1 GROUP BY outcome, outcome_field
UNION ALL
SELECT 'hours', NULL, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL,
       CAST(SUM(hours) AS FLOAT), CAST(MAX(hours) AS FLOAT),
       SUM(CASE WHEN hours > {budget} THEN 1 ELSE 0 END)
FROM cohort
UNION ALL
SELECT 'intake', {month}, NULL, COUNT(*),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cohort GROUP BY {month}
UNION ALL
SELECT 'coach', coach.name, NULL, COALESCE(per_coach.n, 0),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM coach LEFT JOIN (SELECT coach_id, COUNT(*) AS n FROM cohort GROUP BY coach_id) AS per_coach
  ON per_coach.coach_id = coach.id
UNION ALL
SELECT 'coach', NULL, NULL, COUNT(*),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cohort WHERE coach_id IS NULL
"""


def _statement(period: Period, dialect: str) -> tuple[str, dict[str, date]]:
    """The one SQL statement of the report for `dialect`, and its parameters."""
    ended = "c.ended_on IS NOT NULL"
    hours_until = placed_within = ""
    params: dict[str, date] = {}
    if period.start is not None:
        placed_within += " AND f.placed_on >= :start"
        params["start"] = period.start
    if period.end is not None:
        ended += " AND c.ended_on <= :end"
        # Hours count from the client's first placement start to the period's end.
        hours_until = " AND a.on_date <= :end"
        placed_within += " AND f.placed_on <= :end"
        params["end"] = period.end
    cohort = _COHORT.format(
        ended=ended,
        pre_days=days_between(dialect, "f.placed_on", "f.coached_on"),
        total_days=days_between(dialect, "c.ended_on", "f.first_on"),
        hours_until=hours_until,
        placed_within=placed_within,
    )
    sections = _SECTIONS.format(budget=HOURS_BUDGET, month=year_month_of(dialect, "placed_on"))
    return cohort + sections, params


def server_query() -> ReportQuery:
    """The report's statement as the store's function: both period ends always compared."""
    return ReportQuery("pilot", _statement(Period(FIRST_DAY, LAST_DAY), "postgresql")[0])


def _months(days: float | None) -> float | int | None:
    """Days as months, unrounded (each output rounds once: veto.outputs.numbers)."""
    return None if days is None else figure(days / DAYS_PER_MONTH)


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
    return None if value is None else figure(value)


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


def pilot_report(
    work: Work, *, period: Period, target: int = PERIOD_INTAKE_TARGET
) -> dict[str, Any]:
    """The figures of `veto report pilot` for `period`: the contract's keys (every key always
    present, zero counts included, `None` statistics for empty groups) and, beyond them,
    `intake` (new cohort clients by month, cumulative, against `target`) and `coaches`
    (cohort clients per coach against 10)."""
    sql, params = _statement(period, work.dialect)
    ends = {"start": period.start or FIRST_DAY, "end": period.end or LAST_DAY}
    rows = report_functions.rows(work, server_query(), ends, sql=sql, direct_params=params)
    log_access_direct(work, action="report.pilot", record=f"period:{period.label}")

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

    # A few dozen rows: one per gender, background, outcome and field, month and coach.
    for row in rows:
        n = int(row.n or 0)
        if row.section == "gender":
            by_gender[row.label] += n
        elif row.section == "background":
            by_background[row.label] += n
            pre[row.label].add(row.d_n, row.d_sum, row.d_min, row.d_max)
        elif row.section == "ended":
            whole[row.label].add(row.d_n, row.d_sum, row.d_min, row.d_max)
            trials[row.label]["clients"] += int(row.trial_clients or 0)
            trials[row.label]["trials"] += int(row.trials or 0)
        elif row.section == "outcome":
            ended_total += n
            by_outcome[row.label] += n
            if row.detail is not None and row.detail.strip():
                fields[row.label][row.detail] = fields[row.label].get(row.detail, 0) + n
        elif row.section == "hours":
            hours_total = float(row.hours_sum or 0)
            hours_max = None if row.hours_max is None else float(row.hours_max)
            over_budget = int(row.over_budget or 0)
        elif row.section == "intake":
            intake[row.label] = n
        elif row.label is None:
            unassigned = n
        else:
            per_coach[row.label] = n

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
    # The hours bound the number of clients (total / mean; total / max from below) and of
    # those over the budget (each had more than the budget): they go with either count.
    hours = [("hours", "total"), ("hours", "mean"), ("hours", "max")]
    dependents[total] = hours
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
    dependents[cell("hours", "over_budget")] = hours
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
    from veto.reports.suppression import apply, marks_reveal, path_text, suppress

    if below < 2:
        raise InputError(
            _("invalid --suppress-below {below}: give 2 or more (e.g. 5)").format(below=below)
        )
    counts, margins, unpublished, dependents = _count_cells(report)
    result = suppress({**counts, **unpublished}, margins, below=below, unpublished=unpublished)
    apply(report, result, dependents=dependents)
    # The figures hidden with a count (a group's mean, min and max...) are listed too.
    hidden = list(
        dict.fromkeys(
            result.paths
            + [path_text(other) for path in result.hidden for other in dependents.get(path, ())]
        )
    )
    # The month the target was reached (or that it was not) bounds the cumulative counts:
    # cumulative >= target from that month on, below it before.
    by_month = report["intake"]["by_month"].values()
    if any(month["cumulative"] is None for month in by_month):
        report["intake"]["reached_target"] = None
        hidden = [*hidden, "intake.reached_target"]
    report["suppress_below"] = below
    report["suppressed"] = hidden
    all_counts = {**counts, **unpublished}
    if marks_reveal(all_counts, margins, result, below=below, unpublished=unpublished):
        return report, set()
    return report, set(result.paths[: result.primary])

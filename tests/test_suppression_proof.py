"""Suppression holds against arithmetic: for generated stores, every figure `report pilot
--suppress-below N` publishes is taken as an equation (or inequality) over the counts, as a
reader who knows how the report is computed would take it, and an exact integer solver
(propagation and complete search over bounded domains) checks that every hidden count can
still take at least two values.

Written apart from veto.reports.suppression on purpose: it knows nothing of the margins that
the suppression uses, only the report's definitions.
"""

from __future__ import annotations

import copy
import math
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store_rows import fresh_store
from tests.test_workbook_roundtrip import build, client_plan
from veto.domain.dates import Period
from veto.reports.pilot import pilot_report, suppress_small_cells
from veto.store.direct import direct_transaction
from veto.store.location import sqlite_location

Var = tuple[str, ...]
# sum(coefficient * variable) OP constant, OP "==" or "<="
Constraint = tuple[dict[Var, int], str, int]


class Exhausted(Exception):
    """The search took too long to prove anything: the test fails rather than guesses."""


def _propagate(domains: dict[Var, set[int]], constraints: list[Constraint]) -> bool:
    """Narrow every domain by every constraint's bounds until nothing changes; False if one
    empties (no solution)."""
    changed = True
    while changed:
        changed = False
        for coefficients, op, constant in constraints:
            low = {v: min(c * x for x in (min(domains[v]), max(domains[v]))) for v, c in
                   coefficients.items()}  # fmt: skip
            high = {v: max(c * x for x in (min(domains[v]), max(domains[v]))) for v, c in
                    coefficients.items()}  # fmt: skip
            total_low, total_high = sum(low.values()), sum(high.values())
            if total_low > constant or (op == "==" and total_high < constant):
                return False
            for v, c in coefficients.items():
                rest_low, rest_high = total_low - low[v], total_high - high[v]
                keep = {
                    x
                    for x in domains[v]
                    if c * x + rest_low <= constant
                    and (op == "<=" or c * x + rest_high >= constant)
                }
                if not keep:
                    return False
                if keep != domains[v]:
                    domains[v] = keep
                    changed = True
                    total_low, total_high = total_low - low[v], total_high - high[v]
                    low[v] = min(c * min(keep), c * max(keep))
                    high[v] = max(c * min(keep), c * max(keep))
                    total_low, total_high = total_low + low[v], total_high + high[v]
    return True


def solvable(domains: dict[Var, set[int]], constraints: list[Constraint], budget: list) -> bool:
    """Whether some integer assignment within `domains` meets every constraint."""
    budget[0] -= 1
    if budget[0] < 0:
        raise Exhausted
    domains = {v: set(d) for v, d in domains.items()}
    if not _propagate(domains, constraints):
        return False
    open_ = [v for v, d in domains.items() if len(d) > 1]
    if not open_:
        return True
    var = min(open_, key=lambda v: len(domains[v]))
    for value in sorted(domains[var]):
        if solvable({**domains, var: {value}}, constraints, budget):
            return True
    return False


def _at(report, path: Var):
    for key in path:
        report = report[key]
    return report


def reader_problem(published: dict, truth: dict, small: set[str], below: int):
    """The counts as unknowns with what a reader knows of each, and the published figures as
    constraints. Returns (domains, constraints, hidden count paths)."""
    hidden_paths = set(published["suppressed"])
    cap = truth["clients"]["total"] + below  # the reader does not know the total: any bound
    variables: list[Var] = [("clients", "total")]
    for group in ("by_gender", "by_background"):
        variables += [("clients", group, k) for k in truth["clients"][group]]
    variables.append(("ended", "total"))
    variables += [("ended", "by_outcome", k) for k in truth["ended"]["by_outcome"]]
    for outcome, fields in truth["ended"]["fields"].items():
        variables += [("ended", "fields", outcome, f) for f in fields]
    for background, stats in truth["durations"].items():
        variables += [("durations", background, m, "n") for m in stats]
    for background in truth["work_trials"]:
        variables += [("work_trials", background, "clients"), ("work_trials", background, "trials")]
    variables.append(("hours", "over_budget"))
    months = list(truth["intake"]["by_month"])
    for month in months:
        variables += [
            ("intake", "by_month", month, "new"),
            ("intake", "by_month", month, "cumulative"),
        ]
    variables.append(("intake", "total"))
    variables += [("coaches", "by_coach", name) for name in truth["coaches"]["by_coach"]]
    variables.append(("coaches", "unassigned"))

    domains: dict[Var, set[int]] = {}
    hidden: list[Var] = []
    for var in variables:
        value = _at(published, var)
        text = ".".join(var)
        if value is not None and text not in hidden_paths:
            domains[var] = {value}
            continue
        hidden.append(var)
        if var[-1] == "trials":  # placements, not people: any number
            domains[var] = set(range(0, 4 * cap))
        elif text in small:  # shown as <N
            domains[var] = set(range(1, below))
        elif small:  # shown as x beside <N marks: not a small count, so 0 or at least N
            domains[var] = {0} | set(range(below, cap + 1))
        else:  # every hidden cell reads x: any count
            domains[var] = set(range(0, cap + 1))

    constraints: list[Constraint] = []

    def equal(total: Var, parts: list[Var]) -> None:
        coefficients = {total: -1}
        for part in parts:
            coefficients[part] = coefficients.get(part, 0) + 1
        constraints.append((coefficients, "==", 0))

    def at_most(low: Var, high: Var, factor: int = 1) -> None:  # low <= factor * high
        constraints.append(({low: 1, high: -factor}, "<=", 0))

    def unary(var: Var, allowed) -> None:
        domains[var] = {x for x in domains[var] if allowed(x)}

    total = ("clients", "total")
    for group in ("by_gender", "by_background"):
        equal(total, [("clients", group, k) for k in truth["clients"][group]])
    equal(total, [("coaches", "by_coach", n) for n in truth["coaches"]["by_coach"]]
          + [("coaches", "unassigned")])  # fmt: skip
    equal(total, [("intake", "total")])
    previous = None
    for month in months:
        new, cumulative = (
            ("intake", "by_month", month, "new"),
            ("intake", "by_month", month, "cumulative"),
        )
        equal(cumulative, [new] if previous is None else [previous, new])
        previous = cumulative
    if previous is not None:
        equal(("intake", "total"), [previous])
    ended = ("ended", "total")
    equal(ended, [("ended", "by_outcome", k) for k in truth["ended"]["by_outcome"]])
    equal(ended, [("durations", b, "total", "n") for b in truth["durations"]])
    at_most(ended, total)
    for outcome, fields in truth["ended"]["fields"].items():
        if fields:
            coefficients = {("ended", "fields", outcome, f): 1 for f in fields}
            coefficients[("ended", "by_outcome", outcome)] = -1
            constraints.append((coefficients, "<=", 0))
    for background in truth["durations"]:
        for measure in ("pre_placement", "total"):
            n = ("durations", background, measure, "n")
            at_most(n, ("clients", "by_background", background))
            mean = published["durations"][background][measure]["mean"]
            shown = ".".join(("durations", background, measure, "mean")) not in hidden_paths
            if mean is not None:
                unary(n, lambda x: x >= 1)
            elif shown:
                unary(n, lambda x: x == 0)
        clients, trials = (
            ("work_trials", background, "clients"),
            ("work_trials", background, "trials"),
        )
        at_most(clients, ("durations", background, "total", "n"))
        at_most(clients, trials)
        at_most(trials, clients, factor=4 * cap)
    over = ("hours", "over_budget")
    at_most(over, total)
    hours = published["hours"]
    shown = {key: f"hours.{key}" not in hidden_paths for key in ("total", "mean", "max")}
    if hours["mean"] is not None and hours["total"] is not None:
        mean = hours["mean"]
        unary(total, lambda n: n >= 1 and math.isclose(hours["total"] / n, mean, abs_tol=1e-6))
    elif shown["mean"] and hours["mean"] is None:
        unary(total, lambda n: n == 0)
    if hours["max"] is not None:
        unary(total, lambda n: n >= 1)
        unary(over, lambda x: x >= 1 if hours["max"] > hours["budget"] else x == 0)
        if hours["total"] is not None:
            unary(total, lambda n: n * hours["max"] >= hours["total"] - 1e-9)
    if hours["total"] is not None:
        # Each client over the budget had more than `budget` hours.
        unary(over, lambda x: x * hours["budget"] < hours["total"] + 1e-9 or x == 0)
    target = published["intake"]["target"]
    if "intake.reached_target" not in hidden_paths and months and target > 0:
        reached = published["intake"]["reached_target"]
        for month in months:
            cumulative = ("intake", "by_month", month, "cumulative")
            if month == reached:
                unary(cumulative, lambda x: x >= target)
            elif reached is None or month < reached:
                unary(cumulative, lambda x: x <= target - 1)
    return domains, constraints, hidden


def pinned(published: dict, truth: dict, small: set[str], below: int) -> list[str]:
    """The hidden counts that the published figures leave with a single possible value."""
    domains, constraints, hidden = reader_problem(published, truth, small, below)
    budget = [200_000]
    assert solvable(domains, constraints, budget), "the true counts must be a solution"
    found = []
    for var in hidden:
        true = _at(truth, var)
        other = {**domains, var: domains[var] - {true}}
        if not other[var] or not solvable(other, constraints, budget):
            found.append(".".join(var))
    return found


PERIODS = st.sampled_from(
    [Period(date(2024, 2, 1), date(2024, 12, 31)), Period(date(2024, 7, 1), date(2025, 6, 30))]
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(client_plan, min_size=1, max_size=7),
    period=PERIODS,
    below=st.integers(3, 5),
)
def test_no_hidden_count_can_be_worked_out(tmp_path, plans, period, below):
    from veto.store.database import engine_for, transaction

    location = sqlite_location(tmp_path / "p.db", "test")
    fresh_store(location.path, ("new store",), lambda: engine_for(location))
    with transaction(location, actor="hypothesis") as session:
        build(session, plans, ["Yksi Oy", "Kaksi Oy", "Kolme Oy"], [])
    with direct_transaction(location, actor="hypothesis") as work:
        truth = pilot_report(work, period=period)
    published, small = suppress_small_cells(copy.deepcopy(truth), below=below)
    assert pinned(published, truth, small, below) == []


def test_the_solver_finds_the_known_leaks():
    """The checker is not blind: a mean beside a hidden total, and a total beside one hidden
    part, are found."""
    truth = {
        "clients": {"total": 3, "by_gender": {"female": 2, "male": 1, "other": 0},
                    "by_background": {"native": 3, "immigrant": 0}},
        "ended": {"total": 0, "by_outcome": {"employed": 0}, "fields": {"employed": {}}},
        "durations": {b: {m: {"n": 0, "mean": None, "min": None, "max": None}
                          for m in ("pre_placement", "total")} for b in ("native", "immigrant")},
        "work_trials": {b: {"clients": 0, "trials": 0} for b in ("native", "immigrant")},
        "hours": {"budget": 18, "total": 27.5, "mean": 27.5 / 3, "max": 21, "over_budget": 1},
        "intake": {"target": 18, "total": 3, "reached_target": None, "by_month": {}},
        "coaches": {"target": 10, "by_coach": {}, "unassigned": 3},
    }  # fmt: skip
    leaky = copy.deepcopy(truth)
    leaky["clients"]["total"] = leaky["intake"]["total"] = leaky["coaches"]["unassigned"] = None
    leaky["clients"]["by_background"]["native"] = None
    leaky["clients"]["by_gender"]["male"] = leaky["clients"]["by_gender"]["female"] = None
    leaky["hours"]["over_budget"] = None
    leaky["suppressed"] = ["clients.total", "intake.total", "coaches.unassigned",
                           "clients.by_background.native", "clients.by_gender.male",
                           "clients.by_gender.female", "hours.over_budget"]  # fmt: skip
    small = {"clients.by_gender.male", "clients.by_gender.female", "hours.over_budget"}
    found = pinned(leaky, truth, small, below=3)
    # 27,5 / 9,1666… = 3 clients, and with them everything that adds up to the total.
    assert "clients.total" in found and "clients.by_background.native" in found
    safe = copy.deepcopy(leaky)
    safe["hours"]["mean"] = None
    safe["suppressed"].append("hours.mean")
    assert "clients.total" not in pinned(safe, truth, small, below=3)

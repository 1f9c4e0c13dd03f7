"""The fidelity report: how the service stands against the IPS fidelity scale and the project
plan, per coach and in total, computed from the records in SQL.

Every figure is one aggregate query grouped by coach, run once more without the grouping for the
total, so the database does the counting whatever the size of the store.

Definitions (the period's end is capped at today for anything that needs days to have passed):
- caseload: clients in a `placement` phase (työhönvalmennus) on the reference day (the period's
  last day, or today); the total row is the mean per coach.
- first contact: clients whose first `placement` phase started in the period; days from that
  start to their first employer contact about them on or after it (any later date counts).
- contacts per week: employer contacts made in the period by the coach, divided by the
  period's weeks (days / 7); face to face = `visit` and `event`. Calendar weeks (Mon–Sun)
  touched by the period without any contact are counted too. The total row is per coach.
- hours: the same cohort as the first contact; a client's activity hours logged on or after
  their placement start (as in the pilot report), against the 18 h budget.
- agreement: placements (work trials, jobs, apprenticeships) started in the period whose
  agreement on supported employment is filled in: job title, supervisor, employment form and
  working time (hours per month, or full time).
- diversity: distinct employers and sectors among the placements started in the period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from veto.domain.audit import log_access_direct
from veto.domain.dates import Period
from veto.domain.targets import CLIENTS_PER_COACH_TARGET, PLACEMENT_HOURS_BUDGET
from veto.outputs.numbers import figure
from veto.store import report_functions
from veto.store.dialect import days_between
from veto.store.direct import as_date
from veto.store.report_functions import ReportQuery

if TYPE_CHECKING:
    from veto.outputs.report import Report
    from veto.store.direct import Work

HOURS_BUDGET = PLACEMENT_HOURS_BUDGET
FACE_TO_FACE = ("visit", "event")
SOURCES = {
    "ips": "IPS fidelity scale (IPS-25)",
    "plan": "VETO+ project plan",
}
TOTAL = "Yhteensä"
NO_COACH = "(ei valmentajaa)"


@dataclass(frozen=True)
class Benchmark:
    op: str  # "<=" or ">="
    value: float

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value <= self.value if self.op == "<=" else value >= self.value

    @property
    def text(self) -> str:
        return f"{self.op} {_plain(self.value)}"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    unit: str = ""
    ips: Benchmark | None = None
    plan: Benchmark | None = None
    places: int | None = None  # decimals the tables show; None: a whole count


MEASURES = (
    Measure(
        "caseload",
        "Asiakkaita työhönvalmennuksessa / valmentaja",
        ips=Benchmark("<=", 20),
        plan=Benchmark("<=", CLIENTS_PER_COACH_TARGET),
        places=1,
    ),
    Measure("started", "Työhönvalmennuksen aloittaneita"),
    Measure(
        "first_contact_days_mean",
        "Päiviä aloituksesta 1. työnantajakontaktiin, ka.",
        unit="pv",
        ips=Benchmark("<=", 30),
        places=1,
    ),
    Measure(
        "first_contact_days_max",
        "Päiviä aloituksesta 1. työnantajakontaktiin, enintään",
        unit="pv",
    ),
    Measure("without_contact", "Aloittaneita ilman työnantajakontaktia"),
    Measure("contacts", "Työnantajakontakteja"),
    Measure("contacts_per_week", "Työnantajakontakteja / valmentaja / viikko", places=2),
    Measure(
        "face_to_face_per_week",
        "Kasvokkain (käynti, tapahtuma) / valmentaja / viikko",
        ips=Benchmark(">=", 6),
        places=2,
    ),
    Measure("weeks_without_contacts", "Viikkoja ilman työnantajakontaktia"),
    Measure(
        "hours_mean",
        "Työhönvalmennuksen tunnit / asiakas, ka.",
        unit="h",
        plan=Benchmark("<=", HOURS_BUDGET),
        places=1,
    ),
    Measure(
        "hours_max",
        "Työhönvalmennuksen tunnit / asiakas, enintään",
        unit="h",
        plan=Benchmark("<=", HOURS_BUDGET),
        places=1,
    ),
    Measure("over_budget", f"Asiakkaita yli {HOURS_BUDGET} h"),
    Measure("placements", "Alkaneita työkokeiluja ja työsuhteita"),
    Measure(
        "agreement_percent",
        "Alkaneista sopimus työhönvalmennuksesta",
        unit="%",
        plan=Benchmark(">=", 100),
        places=0,
    ),
    Measure("employers", "Eri työnantajia"),
    Measure("sectors", "Eri toimialoja"),
)


def _plain(value: float | int) -> float | int:
    return int(value) if float(value).is_integer() else value


# Each client's first placement start.
_FIRSTS = (
    "firsts AS (SELECT client_id, MIN(start_on) AS start_on FROM phase"
    " WHERE kind = 'placement' GROUP BY client_id)"
)
_COHORT = "f.start_on >= :start AND f.start_on <= :end"

# Every figure is one query with {key} (the coach column, or NULL for the total) and {group}.
_QUERIES = {
    # Clients in a placement phase on the reference day.
    "caseload": """
SELECT {key} AS coach_id, COUNT(DISTINCT c.id) AS n
FROM client c JOIN phase ph ON ph.client_id = c.id
WHERE ph.kind = 'placement' AND ph.start_on <= :reference
  AND (ph.end_on IS NULL OR ph.end_on >= :reference)
{group}""",
    # Days from the first placement start to the first employer contact about the client.
    "first_contact": f"""
WITH {_FIRSTS},
firsts_contacted AS (
  SELECT f.client_id, f.start_on, MIN(ct.on_date) AS contact_on
  FROM firsts f LEFT JOIN contact ct ON ct.client_id = f.client_id AND ct.on_date >= f.start_on
  WHERE {_COHORT} GROUP BY f.client_id, f.start_on)
SELECT {{key}} AS coach_id, COUNT(*) AS started, COUNT(fc.contact_on) AS contacted,
       AVG({{waited}}) AS mean, MAX({{waited}}) AS max
FROM firsts_contacted fc JOIN client c ON c.id = fc.client_id
{{group}}""",
    # Employer contacts in the period, face to face, and the weeks they fall in.
    "contacts": f"""
SELECT {{key}} AS coach_id, COUNT(*) AS n,
       COALESCE(SUM(CASE WHEN ct.channel IN {FACE_TO_FACE!r} THEN 1 ELSE 0 END), 0) AS face,
       COUNT(DISTINCT {{week_of}}) AS weeks
FROM contact ct
WHERE ct.on_date >= :start AND ct.on_date <= :reference
{{group}}""",
    # Hours logged from the first placement start on, against the budget.
    "budget": f"""
WITH {_FIRSTS},
placement_hours AS (
  SELECT f.client_id, COALESCE(SUM(a.hours), 0) AS hours
  FROM firsts f LEFT JOIN activity a ON a.client_id = f.client_id AND a.on_date >= f.start_on
  WHERE {_COHORT} GROUP BY f.client_id)
SELECT {{key}} AS coach_id, COUNT(*) AS clients, AVG(h.hours) AS mean, MAX(h.hours) AS max,
       COALESCE(SUM(CASE WHEN h.hours > {HOURS_BUDGET} THEN 1 ELSE 0 END), 0) AS "over"
FROM placement_hours h JOIN client c ON c.id = h.client_id
{{group}}""",
    # Placements started in the period: agreements filled in, employers and sectors.
    "placements": """
SELECT {key} AS coach_id, COUNT(*) AS n,
       COALESCE(SUM(CASE WHEN pl.title IS NOT NULL AND pl.supervisor_name IS NOT NULL
                          AND pl.employment_form IS NOT NULL
                          AND (pl.hours_per_month IS NOT NULL OR pl.full_time = TRUE)
                     THEN 1 ELSE 0 END), 0) AS agreed,
       COUNT(DISTINCT pl.employer_id) AS employers, COUNT(DISTINCT e.sector) AS sectors
FROM placement pl JOIN client c ON c.id = pl.client_id JOIN employer e ON e.id = pl.employer_id
WHERE pl.start_on >= :start AND pl.start_on <= :end
{group}""",
}
_COACH_COLUMN = {"contacts": "ct.coach_id"}  # the others count the client's coach


_FIRST_RECORDS = ReportQuery(
    "fidelity_first_records",
    "SELECT (SELECT MIN(on_date) FROM contact) AS contact,"
    " (SELECT MIN(start_on) FROM phase) AS phase,"
    " (SELECT MIN(start_on) FROM placement) AS placement",
)
_COACHES = ReportQuery("fidelity_coaches", "SELECT id, name FROM coach ORDER BY name")


def _queries(name: str, dialect: str) -> tuple[ReportQuery, ReportQuery]:
    """Figure `name`'s query per coach and for the total, in `dialect`'s SQL."""
    sql, coach = _QUERIES[name], _COACH_COLUMN.get(name, "c.coach_id")
    fragments = {
        "waited": days_between(dialect, "fc.contact_on", "fc.start_on"),
        "week_of": f"{days_between(dialect, 'ct.on_date', ':monday')} / 7",
    }
    return (
        ReportQuery(
            f"fidelity_{name}_by_coach",
            sql.format(key=coach, group=f"GROUP BY {coach}", **fragments),
        ),
        ReportQuery(f"fidelity_{name}_total", sql.format(key="NULL", group="", **fragments)),
    )


def server_queries() -> list[ReportQuery]:
    """Every query of the report, as the store's functions."""
    pairs = [_queries(name, "postgresql") for name in _QUERIES]
    return [_FIRST_RECORDS, _COACHES, *(query for pair in pairs for query in pair)]


def _run(work: Work, name: str, params: dict) -> tuple[dict[Any, Any], Any]:
    """Run one figure's query per coach and for the total: ({coach_id: row}, total_row)."""
    by_coach, total = _queries(name, work.dialect)
    per_coach = report_functions.rows(work, by_coach, params)
    return {row.coach_id: row for row in per_coach}, report_functions.rows(work, total, params)[0]


def _resolve_period(work: Work, period: Period, today: date) -> tuple[date, date]:
    """Open ends become the first record's date and today."""
    start = period.start
    if start is None:
        (firsts,) = report_functions.rows(work, _FIRST_RECORDS, {})
        start = min((as_date(d) for d in firsts if d is not None), default=today)
    return start, period.end or today


def fidelity_report(work: Work, *, period: Period, today: date | None = None) -> dict:
    """The fidelity figures per coach and in total, each beside its benchmarks."""
    today = today or date.today()
    start, end = _resolve_period(work, period, today)
    reference = min(end, today)
    days = max((reference - start).days + 1, 0)
    weeks = days / 7
    monday = start - timedelta(days=start.weekday())
    calendar_weeks = ((reference - monday).days // 7 + 1) if days else 0

    params = {"start": start, "end": end, "reference": reference, "monday": monday}
    results = {name: _run(work, name, params) for name in _QUERIES}
    coaches = report_functions.rows(work, _COACHES, {})
    n_coaches = len(coaches)
    groups: list[tuple[str, Any]] = [(name, coach_id) for coach_id, name in coaches]
    if any(None in per_coach for per_coach, _ in results.values()):
        groups.append((NO_COACH, None))

    def figures(pick, coaches_in_row: int = 1) -> dict[str, Any]:
        """The figures of one row; per-coach figures are divided by `coaches_in_row`."""
        cl, fc, ct, bd, pl = (pick(name) for name in results)
        contacts_n, face_n = (ct.n, ct.face) if ct else (0, 0)
        return {
            "caseload": _share(cl.n if cl else 0, coaches_in_row),
            "started": fc.started if fc else 0,
            "first_contact_days_mean": _round(fc.mean) if fc else None,
            "first_contact_days_max": fc.max if fc else None,
            "without_contact": (fc.started - fc.contacted) if fc else 0,
            "contacts": contacts_n,
            "contacts_per_week": _share(contacts_n, weeks * coaches_in_row),
            "face_to_face_per_week": _share(face_n, weeks * coaches_in_row),
            "weeks_without_contacts": calendar_weeks - (ct.weeks if ct else 0),
            "hours_mean": _round(bd.mean) if bd else None,
            "hours_max": _round(bd.max) if bd else None,
            "over_budget": bd.over if bd else 0,
            "placements": pl.n if pl else 0,
            "agreement_percent": _share(100 * pl.agreed, pl.n) if pl else None,
            "employers": pl.employers if pl else 0,
            "sectors": pl.sectors if pl else 0,
        }

    by_group = {
        label: figures(lambda name, key=key: results[name][0].get(key)) for label, key in groups
    }
    # In the total, caseload and contacts per week are the mean per coach.
    total = figures(lambda name: results[name][1], coaches_in_row=n_coaches)

    log_access_direct(work, action="report.fidelity", record=f"period:{start}..{end}")
    rows = []
    for measure in MEASURES:
        for label, values in [*by_group.items(), (TOTAL, total)]:
            value = values[measure.key]
            rows.append(
                {
                    "measure": measure.key,
                    "label": measure.label,
                    "coach": None if label == TOTAL else label,
                    "value": value,
                    "ips": _check(measure.ips, value),
                    "plan": _check(measure.plan, value),
                }
            )
    return {
        "period": {"start": start, "end": end},
        "reference_date": reference,
        "weeks": _round(weeks),
        "coaches": n_coaches,
        "sources": SOURCES,
        "measures": rows,
    }


def _check(benchmark: Benchmark | None, value: Any) -> dict[str, Any] | None:
    if benchmark is None:
        return None
    return {"benchmark": benchmark.text, "met": benchmark.met(value)}


def _share(count: float, divisor: float) -> float | int | None:
    """count / divisor, unrounded (a whole number stays whole); None for nothing to divide by."""
    if not divisor:
        return None
    return _round(count / divisor)


def _round(value: Any) -> float | int | None:
    """The figure as JSON carries it: unrounded (each output rounds once when it prints)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else figure(number)


CSV_COLUMNS = (
    "measure",
    "label",
    "coach",
    "value",
    "ips_benchmark",
    "ips_met",
    "plan_benchmark",
    "plan_met",
)


def flat_rows(report: dict) -> list[dict[str, Any]]:
    """One row per measure and coach (total: coach empty), benchmarks flattened, for CSV."""
    rows = []
    for row in report["measures"]:
        flat = {k: row[k] for k in ("measure", "label", "coach", "value")}
        for source in ("ips", "plan"):
            check = row[source] or {}
            flat[f"{source}_benchmark"] = check.get("benchmark")
            flat[f"{source}_met"] = check.get("met")
        rows.append(flat)
    return rows


_MET = {True: "täyttyy", False: "ei täyty", None: "ei tietoa"}
_OPS = {"<=": "≤", ">=": "≥"}


def _fi_check(check: dict | None, unit: str) -> str:
    if check is None:
        return ""
    op, number = check["benchmark"].split(" ")
    suffix = f" {unit}" if unit else ""
    return f"{_OPS[op]} {number}{suffix}: {_MET[check['met']]}"


def fidelity_document(report: dict) -> Report:
    """The report as one `Report` (veto.outputs.report): one Finnish table of each measure per
    coach and in total, the value beside each benchmark with its verdict; CSV one row per
    measure and coach."""
    from veto.outputs.report import Cell, Report, Table, text

    measures = {m.key: m for m in MEASURES}
    table = Table("", ["Mittari", "Valmentaja", "Arvo", "IPS-asteikko", "Hankesuunnitelma"], keys=2)
    previous = None
    for row in report["measures"]:
        measure = measures[row["measure"]]
        table.rows.append(
            [
                text(row["label"] if row["label"] != previous else ""),
                text(row["coach"] or TOTAL),
                Cell(row["value"], places=measure.places, unit=measure.unit, empty="–"),
                text(_fi_check(row["ips"], measure.unit)),
                text(_fi_check(row["plan"], measure.unit)),
            ]
        )
        previous = row["label"]
    return Report(
        title=table_title(report),
        data=report,
        tables=[table],
        csv_columns=CSV_COLUMNS,
        csv_rows=flat_rows(report),
        notes=[SOURCES_NOTE],
        notes_title="",
    )


def table_title(report: dict) -> str:
    from veto.outputs.finnish import fi_date, fi_number

    period = report["period"]
    return (
        f"Työhönvalmennuksen laatu {fi_date(period['start'])}–{fi_date(period['end'])} "
        f"(tilanne {fi_date(report['reference_date'])}, {fi_number(report['weeks'], 1)} viikkoa)"
    )


SOURCES_NOTE = (
    "Lähteet: IPS-asteikko = IPS fidelity scale (IPS-25, työhönvalmennuksen "
    "menetelmäuskollisuus); Hankesuunnitelma = VETO+-hankkeen suunnitelma "
    f"({CLIENTS_PER_COACH_TARGET} asiakasta / valmentaja, enintään {HOURS_BUDGET} h / asiakas, "
    "sopimus työhönvalmennuksesta)."
)

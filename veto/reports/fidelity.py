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
from typing import Any

from sqlalchemy import Date, Integer, and_, case, cast, distinct, func, literal, or_, select
from sqlmodel import Session

from veto.domain.audit import log_access
from veto.domain.dates import Period
from veto.models import Activity, Client, Coach, Contact, Employer, Phase, Placement

HOURS_BUDGET = 18
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


MEASURES = (
    Measure(
        "caseload",
        "Asiakkaita työhönvalmennuksessa / valmentaja",
        ips=Benchmark("<=", 20),
        plan=Benchmark("<=", 10),
    ),
    Measure("started", "Työhönvalmennuksen aloittaneita"),
    Measure(
        "first_contact_days_mean",
        "Päiviä aloituksesta 1. työnantajakontaktiin, ka.",
        unit="pv",
        ips=Benchmark("<=", 30),
    ),
    Measure(
        "first_contact_days_max",
        "Päiviä aloituksesta 1. työnantajakontaktiin, enintään",
        unit="pv",
    ),
    Measure("without_contact", "Aloittaneita ilman työnantajakontaktia"),
    Measure("contacts", "Työnantajakontakteja"),
    Measure("contacts_per_week", "Työnantajakontakteja / valmentaja / viikko"),
    Measure(
        "face_to_face_per_week",
        "Kasvokkain (käynti, tapahtuma) / valmentaja / viikko",
        ips=Benchmark(">=", 6),
    ),
    Measure("weeks_without_contacts", "Viikkoja ilman työnantajakontaktia"),
    Measure(
        "hours_mean",
        "Työhönvalmennuksen tunnit / asiakas, ka.",
        unit="h",
        plan=Benchmark("<=", HOURS_BUDGET),
    ),
    Measure(
        "hours_max",
        "Työhönvalmennuksen tunnit / asiakas, enintään",
        unit="h",
        plan=Benchmark("<=", HOURS_BUDGET),
    ),
    Measure("over_budget", f"Asiakkaita yli {HOURS_BUDGET} h"),
    Measure("placements", "Alkaneita työkokeiluja ja työsuhteita"),
    Measure(
        "agreement_percent",
        "Alkaneista sopimus työhönvalmennuksesta",
        unit="%",
        plan=Benchmark(">=", 100),
    ),
    Measure("employers", "Eri työnantajia"),
    Measure("sectors", "Eri toimialoja"),
)


def _plain(value: float | int) -> float | int:
    return int(value) if float(value).is_integer() else value


def _days(later, earlier, dialect: str):
    """Whole days from `earlier` to `later`, computed by the database."""
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # date - date is an integer number of days on PostgreSQL


def _day(value: date):
    return literal(value, Date)


def _grouped(columns, coach_col, by_coach: bool):
    """SELECT the aggregates grouped by coach, or over everything (no key) for the total."""
    if by_coach:
        return select(coach_col.label("coach_id"), *columns).group_by(coach_col)
    return select(literal(None, Integer).label("coach_id"), *columns)


def _run(session: Session, build) -> tuple[dict[Any, Any], Any]:
    """Run a query builder per coach and for the total: ({coach_id: row}, total_row)."""
    per_coach = {row.coach_id: row for row in session.execute(build(True))}
    total = session.execute(build(False)).one()
    return per_coach, total


def _first_placements():
    return (
        select(Phase.client_id, func.min(Phase.start_on).label("start_on"))
        .where(Phase.kind == "placement")
        .group_by(Phase.client_id)
        .subquery("first_placement")
    )


def _resolve_period(session: Session, period: Period, today: date) -> tuple[date, date]:
    """Open ends become the first record's date and today."""
    start = period.start
    if start is None:
        firsts = [
            session.execute(select(func.min(column))).scalar()
            for column in (Contact.on_date, Phase.start_on, Placement.start_on)
        ]
        start = min((d for d in firsts if d is not None), default=today)
    return start, period.end or today


def fidelity_report(session: Session, *, period: Period, today: date | None = None) -> dict:
    """The fidelity figures per coach and in total, each beside its benchmarks."""
    today = today or date.today()
    dialect = session.get_bind().dialect.name
    start, end = _resolve_period(session, period, today)
    reference = min(end, today)
    days = max((reference - start).days + 1, 0)
    weeks = days / 7
    monday = start - timedelta(days=start.weekday())
    calendar_weeks = ((reference - monday).days // 7 + 1) if days else 0

    # Caseload on the reference day.
    def caseload(by_coach: bool):
        return (
            _grouped([func.count(distinct(Client.id)).label("n")], Client.coach_id, by_coach)
            .join_from(Client, Phase, Phase.client_id == Client.id)
            .where(
                Phase.kind == "placement",
                Phase.start_on <= reference,
                or_(Phase.end_on.is_(None), Phase.end_on >= reference),
            )
        )

    first = _first_placements()
    cohort = and_(first.c.start_on >= start, first.c.start_on <= end)
    first_contacts = (
        select(
            first.c.client_id,
            first.c.start_on,
            func.min(Contact.on_date).label("contact_on"),
        )
        .select_from(first)
        .outerjoin(
            Contact,
            and_(Contact.client_id == first.c.client_id, Contact.on_date >= first.c.start_on),
        )
        .where(cohort)
        .group_by(first.c.client_id, first.c.start_on)
        .subquery("first_contact")
    )
    waited = _days(first_contacts.c.contact_on, first_contacts.c.start_on, dialect)

    def first_contact(by_coach: bool):
        return _grouped(
            [
                func.count().label("started"),
                func.count(first_contacts.c.contact_on).label("contacted"),
                func.avg(waited).label("mean"),
                func.max(waited).label("max"),
            ],
            Client.coach_id,
            by_coach,
        ).join_from(first_contacts, Client, Client.id == first_contacts.c.client_id)

    week_of = _days(Contact.on_date, _day(monday), dialect) // 7
    face = case((Contact.channel.in_(FACE_TO_FACE), 1), else_=0)

    def contacts(by_coach: bool):
        return _grouped(
            [
                func.count().label("n"),
                func.coalesce(func.sum(face), 0).label("face"),
                func.count(distinct(week_of)).label("weeks"),
            ],
            Contact.coach_id,
            by_coach,
        ).where(Contact.on_date >= start, Contact.on_date <= reference)

    hours = (
        select(
            first.c.client_id,
            func.coalesce(func.sum(Activity.hours), 0).label("hours"),
        )
        .select_from(first)
        .outerjoin(
            Activity,
            and_(Activity.client_id == first.c.client_id, Activity.on_date >= first.c.start_on),
        )
        .where(cohort)
        .group_by(first.c.client_id)
        .subquery("placement_hours")
    )

    def budget(by_coach: bool):
        return _grouped(
            [
                func.count().label("clients"),
                func.avg(hours.c.hours).label("mean"),
                func.max(hours.c.hours).label("max"),
                func.coalesce(func.sum(case((hours.c.hours > HOURS_BUDGET, 1), else_=0)), 0).label(
                    "over"
                ),
            ],
            Client.coach_id,
            by_coach,
        ).join_from(hours, Client, Client.id == hours.c.client_id)

    agreed = and_(
        Placement.title.is_not(None),
        Placement.supervisor_name.is_not(None),
        Placement.employment_form.is_not(None),
        or_(Placement.hours_per_month.is_not(None), Placement.full_time.is_(True)),
    )

    def placements(by_coach: bool):
        return (
            _grouped(
                [
                    func.count().label("n"),
                    func.coalesce(func.sum(case((agreed, 1), else_=0)), 0).label("agreed"),
                    func.count(distinct(Placement.employer_id)).label("employers"),
                    func.count(distinct(Employer.sector)).label("sectors"),
                ],
                Client.coach_id,
                by_coach,
            )
            .join_from(Placement, Client, Client.id == Placement.client_id)
            .join(Employer, Employer.id == Placement.employer_id)
            .where(Placement.start_on >= start, Placement.start_on <= end)
        )

    results = {
        name: _run(session, build)
        for name, build in (
            ("caseload", caseload),
            ("first_contact", first_contact),
            ("contacts", contacts),
            ("budget", budget),
            ("placements", placements),
        )
    }
    coaches = session.execute(select(Coach.id, Coach.name).order_by(Coach.name)).all()
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

    log_access(session, action="report.fidelity", record=f"period:{start}..{end}")
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
    """count / divisor, rounded to 2 decimals (an exact whole number stays whole); None for
    nothing to divide by."""
    if not divisor:
        return None
    value = _round(count / divisor)
    return _plain(value)


def _round(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else round(number, 2)


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


def table_rows(report: dict) -> list[dict[str, Any]]:
    """The rows of the Finnish table: measure, coach, value and each benchmark with its
    verdict, in columns named after the benchmark's source."""
    from veto.outputs.finnish import fi_number

    units = {m.key: m.unit for m in MEASURES}
    rows = []
    previous = None
    for row in report["measures"]:
        unit = units[row["measure"]]
        value = row["value"]
        shown = "" if value is None else fi_number(value) + (f" {unit}" if unit else "")
        rows.append(
            {
                "Mittari": row["label"] if row["label"] != previous else "",
                "Valmentaja": row["coach"] or TOTAL,
                "Arvo": shown or "–",
                "IPS-asteikko": _fi_check(row["ips"], unit),
                "Hankesuunnitelma": _fi_check(row["plan"], unit),
            }
        )
        previous = row["label"]
    return rows


def table_title(report: dict) -> str:
    from veto.outputs.finnish import fi_date, fi_number

    period = report["period"]
    return (
        f"Työhönvalmennuksen laatu {fi_date(period['start'])}–{fi_date(period['end'])} "
        f"(tilanne {fi_date(report['reference_date'])}, {fi_number(report['weeks'])} viikkoa)"
    )


SOURCES_NOTE = (
    "Lähteet: IPS-asteikko = IPS fidelity scale (IPS-25, työhönvalmennuksen "
    "menetelmäuskollisuus); Hankesuunnitelma = VETO+-hankkeen suunnitelma "
    "(10 asiakasta / valmentaja, enintään 18 h / asiakas, sopimus työhönvalmennuksesta)."
)

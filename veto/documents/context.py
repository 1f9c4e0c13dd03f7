"""What goes on each printed form, read from the store: plain dicts of display-ready Finnish text
(1.8.2024, 12,50 €, 4 000 €), with None wherever the form keeps an empty line to fill by hand.

Documents for an employer (the agreement and the brochure) are built from the placement, the
employer and the coach register only: their builders never query surveys or plans, so no survey
answer, diagnosis or "do not tell employers" item can reach them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.questions import (
    CONTACT_QUESTIONS,
    LEVEL,
    PLAN_QUESTIONS,
    SURVEY_GROUPS,
    by_key,
    display,
)
from veto.errors import InputError
from veto.i18n import _
from veto.models import Client, Coach, Employer, Placement, Plan, Survey
from veto.outputs.finnish import fi_date, fi_money, fi_number

FORMS = {
    "kartoitus": "Työhönvalmennuksen kartoitus",
    "plan": "Työnhakusuunnitelma ja -sopimus",
    "agreement": "Sopimus työhönvalmennuksesta",
    "brochure": "Työhönvalmennusesite",
}
_FORM_ALIASES = {
    "survey": "kartoitus",
    "suunnitelma": "plan",
    "tyonhakusuunnitelma": "plan",
    "sopimus": "agreement",
    "esite": "brochure",
}
# Coaching hours a placement client may get at most (the agreement's "max 18 h/valmennettava").
BUDGET_HOURS = 18


def parse_form(text: str) -> str:
    """kartoitus, plan, agreement or brochure (Finnish names accepted)."""
    key = vocabulary.fold(text)
    key = _FORM_ALIASES.get(key, key)
    if key not in FORMS:
        raise InputError(
            _("unknown form '{text}': use one of {forms}").format(text=text, forms="|".join(FORMS))
        )
    return key


def _coach(session: Session, coach_id: int | None) -> dict[str, Any]:
    coach = session.get(Coach, coach_id) if coach_id else None
    if coach is None:
        return {"name": None, "phone": None, "email": None, "contact": None}
    return {
        "name": coach.name,
        "phone": coach.phone or None,
        "email": coach.email or None,
        "contact": ", ".join(c for c in (coach.phone, coach.email) if c) or None,
    }


# --- the kartoitus (appendix 2) ----------------------------------------------------------------


def _survey_groups(answers: dict[str, Any], *, redacted: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "number": group.number,
            "title": group.title,
            "single": group.single,
            "questions": [
                {
                    "key": q.key,
                    "text": q.text,
                    "answer": display(q, answers.get(q.key)),
                    "level": q.kind == LEVEL,
                    "redacted": q.key in redacted,
                }
                for q in group.questions
            ],
        }
        for group in SURVEY_GROUPS
    ]


def blank_kartoitus() -> dict[str, Any]:
    """The empty survey form, for paper."""
    return {
        "title": FORMS["kartoitus"],
        "client": {"name": None, "phone": None},
        "coach": _coach_blank(),
        "kind": None,
        "taken_on": None,
        "groups": _survey_groups({}, redacted=set()),
    }


def _coach_blank() -> dict[str, Any]:
    return {"name": None, "phone": None, "email": None, "contact": None}


def latest_survey(session: Session, *, client: Client, kind: str | None = None) -> Survey | None:
    query = select(Survey).where(Survey.client_id == client.id)
    if kind:
        query = query.where(Survey.kind == vocabulary.parse("survey kind", kind))
    query = query.order_by(col(Survey.taken_on).desc(), col(Survey.id).desc())
    return session.exec(query).first()


def default_survey(session: Session, *, client: Client) -> tuple[Survey | None, int]:
    """The survey `doc kartoitus` prints when none is named: the latest start survey (the form is
    the intake survey), else the latest; with how many surveys the client has."""
    count = len(session.exec(select(Survey.id).where(Survey.client_id == client.id)).all())
    chosen = latest_survey(session, client=client, kind="start") or latest_survey(
        session, client=client
    )
    return chosen, count


def kartoitus_context(
    session: Session, *, client: Client, survey: Survey | None, redact: bool = False
) -> dict[str, Any]:
    """The client's survey as filled in (sensitive answers too, logged as a sensitive read,
    unless `redact`); with no survey, the form with the client's name and empty answers."""
    from veto.domain.surveys import survey_answers

    context = blank_kartoitus()
    context["client"] = {"name": client.name, "phone": client.phone or None}
    if survey is None:
        context["coach"] = _coach(session, client.coach_id)
        log_access(session, action="doc.kartoitus", client_id=client.id)
        return context
    if survey.client_id != client.id:
        raise InputError(
            _("survey {id} is not a survey of client {code}").format(id=survey.id, code=client.code)
        )
    answers = survey_answers(session, survey=survey, sensitive=not redact)
    log_access(session, action="doc.kartoitus", client_id=client.id, record=f"survey:{survey.id}")
    hidden = {q.key for g in SURVEY_GROUPS for q in g.questions if q.sensitive} if redact else set()
    context.update(
        coach=_coach(session, survey.coach_id),
        kind=vocabulary.label("survey kind", survey.kind),
        taken_on=fi_date(survey.taken_on),
        groups=_survey_groups(answers, redacted=hidden),
    )
    return context


# --- the job-search plan and agreement (appendix 3) -------------------------------------------


def _padded(items: list[str] | None, size: int = 5) -> list[str | None]:
    items = list(items or [])[:size]
    return items + [None] * (size - len(items))


def blank_plan() -> dict[str, Any]:
    """The empty plan form, for paper."""
    questions = {q.key: q.text for q in PLAN_QUESTIONS}
    return {
        "title": FORMS["plan"],
        "q": questions,
        "client": {"name": None},
        "coach": _coach_blank(),
        "drawn_up_on": None,
        "wishes": _padded(None),
        "contact": [{"text": t, "checked": False} for t in CONTACT_QUESTIONS.values()],
        "workplaces": _padded(None),
        "strengths": None,
        "skills": None,
        "coaching_wishes": None,
        "identity": None,
        "must_not_tell": None,
        "redacted": False,
        "supervisor_contact": None,
        "signed_on": None,
        "place": None,
    }


def latest_plan(session: Session, *, client: Client) -> Plan | None:
    query = (
        select(Plan)
        .where(Plan.client_id == client.id)
        .order_by(col(Plan.drawn_up_on).desc(), col(Plan.id).desc())
    )
    return session.exec(query).first()


def plan_context(
    session: Session, *, client: Client, plan: Plan | None, redact: bool = False
) -> dict[str, Any]:
    """The client's plan as agreed (what not to tell employers too, logged as a sensitive read,
    unless `redact`); with no plan, the form with the client's name and empty answers."""
    from veto.domain.plans import plan_answers

    context = blank_plan()
    context["client"] = {"name": client.name}
    if plan is None:
        context["coach"] = _coach(session, client.coach_id)
        log_access(session, action="doc.plan", client_id=client.id)
        return context
    if plan.client_id != client.id:
        raise InputError(
            _("plan {id} is not a plan of client {code}").format(id=plan.id, code=client.code)
        )
    answers = plan_answers(session, plan=plan, sensitive=not redact)
    log_access(session, action="doc.plan", client_id=client.id, record=f"plan:{plan.id}")
    questions = by_key(PLAN_QUESTIONS)
    context.update(
        coach=_coach(session, plan.coach_id),
        drawn_up_on=fi_date(plan.drawn_up_on),
        wishes=_padded(answers.get("wishes")),
        workplaces=_padded(answers.get("workplaces")),
        contact=[
            {"text": text, "checked": answers.get("contact_by") == value}
            for value, text in CONTACT_QUESTIONS.items()
        ],
        redacted=redact,
        signed_on=fi_date(plan.signed_on) or None,
    )
    for key in ("strengths", "skills", "coaching_wishes", "identity", "must_not_tell", "place"):
        context[key] = display(questions[key], answers.get(key))
    context["supervisor_contact"] = answers.get("supervisor_contact")
    return context


# --- the agreement with the employer (appendix 4) ---------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    """12,50 or 2 100: the form prints the unit (€/h, €/kk) itself."""
    if value is None:
        return None
    return fi_number(value, 0 if value == value.to_integral_value() else 2)


def blank_agreement() -> dict[str, Any]:
    """The empty agreement form, for paper."""
    return {
        "title": FORMS["agreement"],
        "budget_hours": BUDGET_HOURS,
        "client": {"name": None, "birth": None},
        "coach": _coach_blank(),
        "employer": {"name": None, "address": None},
        "supervisor": {"name": None, "contact": None},
        "job_title": None,
        "tasks": None,
        "employment": {
            "form": None,
            "permanent_from": None,
            "fixed_until": None,
            "other": None,
        },
        "work": {"part_time": False, "hours_per_month": None, "full_time": False},
        "pay": {"per_hour": None, "per_month": None},
        "wage_subsidy": None,
        "arrangement_support": None,
    }


def agreement_context(session: Session, *, placement: Placement) -> dict[str, Any]:
    """The agreement on supported employment for a placement. Reads the placement, the
    employer, the client's name and birth date and the coach, and nothing else of the client."""
    person = session.exec(
        select(Client.name, Client.birth_date, Client.birth_year, Client.coach_id).where(
            Client.id == placement.client_id
        )
    ).one()
    employer = session.exec(
        select(Employer.name, Employer.address).where(Employer.id == placement.employer_id)
    ).one()
    log_access(
        session,
        action="doc.agreement",
        client_id=placement.client_id,
        record=f"placement:{placement.id}",
    )
    birth = fi_date(person.birth_date) if person.birth_date else person.birth_year
    form = placement.employment_form
    context = blank_agreement()
    context.update(
        client={"name": person.name, "birth": str(birth) if birth else None},
        coach=_coach(session, person.coach_id),
        employer={"name": employer.name, "address": employer.address or None},
        supervisor={
            "name": placement.supervisor_name or None,
            "contact": placement.supervisor_contact or None,
        },
        job_title=placement.title or None,
        tasks=placement.tasks or None,
        employment={
            "form": form,
            "permanent_from": fi_date(placement.start_on) if form == "permanent" else None,
            "fixed_until": fi_date(placement.end_on) or None if form == "fixed-term" else None,
            "other": placement.employment_other or None if form == "other" else None,
        },
        work={
            "part_time": placement.hours_per_month is not None and not placement.full_time,
            "hours_per_month": fi_number(placement.hours_per_month) or None,
            "full_time": bool(placement.full_time),
        },
        pay={
            "per_hour": _amount(placement.pay_per_hour),
            "per_month": _amount(placement.pay_per_month),
        },
        wage_subsidy=placement.wage_subsidy,
        arrangement_support=placement.arrangement_support,
    )
    return context


# --- the brochure for employers (appendix 1) --------------------------------------------------

_SUPPORTS = {
    "arrangement_max": fi_money(4000),
    "helper_rate": fi_money(20),
    "helper_hours": 20,
    "helper_months": 18,
}


def blank_brochure() -> dict[str, Any]:
    """The brochure with empty contact lines, for an organisation to fill by hand."""
    return {"title": FORMS["brochure"], "areas": [], **_SUPPORTS}


def brochure_context(session: Session) -> dict[str, Any]:
    """The brochure with the coach register's contacts, grouped by area (coaches without an
    area last)."""
    coaches = session.exec(
        select(Coach.name, Coach.phone, Coach.email, Coach.area).order_by(
            col(Coach.area).is_(None), Coach.area, Coach.name
        )
    ).all()
    areas: list[dict[str, Any]] = []
    for coach in coaches:
        area = coach.area or None
        if not areas or areas[-1]["area"] != area:
            areas.append({"area": area, "coaches": []})
        areas[-1]["coaches"].append(
            {"name": coach.name, "phone": coach.phone or None, "email": coach.email or None}
        )
    return {**blank_brochure(), "areas": areas}

"""Job-search plans and agreements (Työnhakusuunnitelma ja -sopimus). What the client wants
kept from employers (`must_not_tell`) and identity matters are sensitive: left out of default
views, read only on purpose (logged), never put in a document meant for an employer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from veto.domain.audit import log_access
from veto.domain.questions import PLAN_QUESTIONS, one_line, parse_answers
from veto.domain.references import record_id
from veto.domain.removal import delete_logged
from veto.errors import UnknownRecord
from veto.i18n import _
from veto.models import Client, Coach, Plan

_SENSITIVE = {q.key for q in PLAN_QUESTIONS if q.sensitive}
_LISTS = {"wishes", "workplaces"}


def find_plan(session: Session, ref: str | int) -> Plan:
    """A plan by numeric id."""
    text = str(ref).strip()
    plan = session.get(Plan, number) if (number := record_id(text)) is not None else None
    if plan is None:
        raise UnknownRecord(
            _("unknown plan '{ref}': give a plan id (veto plan list CLIENT)").format(ref=ref)
        )
    return plan


def parse_plan_answers(data: dict[str, Any], *, source: str) -> dict[str, Any]:
    """Answers keyed by the plan's questions; unknown keys are refused."""
    return parse_answers(data, PLAN_QUESTIONS, source=source)


def _apply(plan: Plan, answers: dict[str, Any]) -> None:
    for key, value in answers.items():
        if key in _LISTS:
            value = list(value or [])
        setattr(plan, key, value)


def make_plan(
    session: Session,
    *,
    client: Client,
    answers: dict[str, Any],
    drawn_up_on: date,
    coach: Coach | None = None,
) -> Plan:
    """Store a new plan of the client; its coach defaults to the client's own coach."""
    plan = Plan(
        client_id=client.id,
        coach_id=coach.id if coach else client.coach_id,
        drawn_up_on=drawn_up_on,
    )
    _apply(plan, answers)
    session.add(plan)
    session.flush()
    log_access(
        session,
        action="plan.add",
        client_id=client.id,
        record=f"plan:{plan.id}",
        sensitive=bool(_SENSITIVE & answers.keys()),
    )
    return plan


def edit_plan(
    session: Session,
    *,
    plan: Plan,
    answers: dict[str, Any],
    drawn_up_on: date | None = None,
    coach: Coach | None = None,
) -> Plan:
    """Change the given answers (None clears one) and, if given, the date or the coach."""
    if drawn_up_on is not None:
        plan.drawn_up_on = drawn_up_on
    if coach is not None:
        plan.coach_id = coach.id
    _apply(plan, answers)
    session.add(plan)
    session.flush()
    log_access(
        session,
        action="plan.edit",
        client_id=plan.client_id,
        record=f"plan:{plan.id}",
        sensitive=bool(_SENSITIVE & answers.keys()),
    )
    return plan


def remove_plan(session: Session, *, plan: Plan) -> None:
    """Remove a plan drawn up by mistake (nothing names a plan); its answers stay in the
    change history, the sensitive ones shown there only with --sensitive."""
    delete_logged(
        session,
        plan,
        action="plan.remove",
        client_id=plan.client_id,
        record=f"plan:{plan.id}",
        sensitive=any(getattr(plan, key) is not None for key in _SENSITIVE),
    )


def plan_answers(session: Session, *, plan: Plan, sensitive: bool) -> dict[str, Any]:
    """The stored answers; the sensitive ones only when asked for, and that read is logged."""
    answers = {q.key: getattr(plan, q.key) for q in PLAN_QUESTIONS if sensitive or not q.sensitive}
    if sensitive:
        log_access(
            session,
            action="plan.read-sensitive",
            client_id=plan.client_id,
            record=f"plan:{plan.id}",
            sensitive=True,
        )
    return answers


def list_plans(session: Session, *, client: Client) -> list[dict[str, Any]]:
    """The client's plans, oldest first, without any answers."""
    query = (
        select(
            Plan.id,
            Plan.drawn_up_on,
            Coach.name.label("coach"),
            Plan.signed_on,
        )
        .outerjoin(Coach, Coach.id == Plan.coach_id)
        .where(Plan.client_id == client.id)
        .order_by(col(Plan.drawn_up_on), col(Plan.id))
    )
    log_access(session, action="plan.list", client_id=client.id)
    return [dict(r._mapping) for r in session.exec(query)]


def show_plan(
    session: Session, *, plan: Plan, sensitive: bool = False, readable: bool = True
) -> dict[str, Any]:
    """One plan: its date and coach, and every question with its answer, as Finnish text when
    `readable`, else as stored (what `--from` takes back). Without `sensitive` the sensitive
    questions are left out and only counted."""
    client = session.get(Client, plan.client_id)
    coach = session.get(Coach, plan.coach_id) if plan.coach_id else None
    answers = plan_answers(session, plan=plan, sensitive=sensitive)
    if not sensitive:
        log_access(session, action="plan.show", client_id=client.id, record=f"plan:{plan.id}")
    rows = [
        {
            "key": q.key,
            "question": q.text,
            "answer": one_line(q, answers.get(q.key)) if readable else answers.get(q.key),
        }
        for q in PLAN_QUESTIONS
        if sensitive or not q.sensitive
    ]
    return {
        "id": plan.id,
        "client": client.code,
        "drawn_up_on": plan.drawn_up_on,
        "coach": coach.name if coach else None,
        "sensitive_hidden": 0 if sensitive else len(_SENSITIVE),
        "answers": rows,
    }

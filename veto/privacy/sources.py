"""Where the sensitive answers of a person are: the kartoitus (issue 4), the job-search plan
(issue 4) and the ESF+ participant data (issue 8). Registered here, next to the registry, so those
modules stay as they are; each reader returns readable rows for `client show --sensitive`."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.participants import SENSITIVE as ESF_SENSITIVE
from veto.domain.questions import PLAN_QUESTIONS, SURVEY_QUESTIONS, display
from veto.models import Participant, Plan, Survey
from veto.privacy.registry import register_sensitive


def _shown(value: Any) -> Any:
    return "; ".join(value) if isinstance(value, list) else value


def survey_answers(session: Session, client_id: int) -> list[dict[str, Any]]:
    """Health, medication, cognition, substance use and criminal-record answers of the surveys."""
    rows = []
    surveys = session.exec(
        select(Survey)
        .where(Survey.client_id == client_id)
        .order_by(col(Survey.taken_on), col(Survey.id))
    )
    for survey in surveys:
        stored = survey.sensitive_answers or {}
        for question in SURVEY_QUESTIONS:
            value = display(question, stored.get(question.key)) if question.sensitive else None
            if value is not None:
                rows.append(
                    {
                        "record": f"survey:{survey.id}",
                        "date": survey.taken_on,
                        "item": question.text,
                        "value": _shown(value),
                    }
                )
    return rows


def plan_answers(session: Session, client_id: int) -> list[dict[str, Any]]:
    """Identity matters and what the coach must not tell employers, from the job-search plans."""
    rows = []
    plans = session.exec(
        select(Plan).where(Plan.client_id == client_id).order_by(col(Plan.drawn_up_on))
    )
    for plan in plans:
        for question in PLAN_QUESTIONS:
            value = display(question, getattr(plan, question.key)) if question.sensitive else None
            if value is not None:
                rows.append(
                    {
                        "record": f"plan:{plan.id}",
                        "date": plan.drawn_up_on,
                        "item": question.text,
                        "value": _shown(value),
                    }
                )
    return rows


_ESF_ITEMS = {
    "disability": "Vamma tai pitkäaikainen sairaus (ESF+)",
    "minority": "Kuuluu vähemmistöön, myös romanit (ESF+)",
}


def participant_answers(session: Session, client_id: int) -> list[dict[str, Any]]:
    """Disability and minority from the ESF+ entry data."""
    participant = session.exec(
        select(Participant).where(Participant.client_id == client_id)
    ).first()
    if participant is None:
        return []
    return [
        {
            "record": f"participant:{participant.id}",
            "date": participant.entry_on,
            "item": _ESF_ITEMS.get(column, column),
            "value": vocabulary.label("entry answer", getattr(participant, column)),
        }
        for column in ESF_SENSITIVE
        if getattr(participant, column) is not None
    ]


register_sensitive("kartoitus", survey_answers)
register_sensitive("suunnitelma", plan_answers)
register_sensitive("esf", participant_answers)

"""Surveys (Työhönvalmennuksen kartoitus): taken from a client at the start and at the end, so
that change can be seen. Sensitive answers are stored apart and read only on purpose, and every
such read is written to the access log as sensitive."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.questions import SURVEY_GROUPS, SURVEY_QUESTIONS, one_line, parse_answers
from veto.domain.references import record_id
from veto.domain.removal import delete_logged
from veto.errors import UnknownRecord
from veto.i18n import _
from veto.models import Client, Coach, Survey

_SENSITIVE = {q.key for q in SURVEY_QUESTIONS if q.sensitive}


def find_survey(session: Session, ref: str | int) -> Survey:
    """A survey by numeric id."""
    text = str(ref).strip()
    survey = session.get(Survey, number) if (number := record_id(text)) is not None else None
    if survey is None:
        raise UnknownRecord(
            _("unknown survey '{ref}': give a survey id (veto survey list CLIENT)").format(ref=ref)
        )
    return survey


def parse_survey_answers(data: dict[str, Any], *, source: str) -> dict[str, Any]:
    """Answers keyed by question, checked against the kartoitus; unknown keys are refused."""
    return parse_answers(data, SURVEY_QUESTIONS, source=source)


def _merge(current: dict[str, Any], changes: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    merged = dict(current)
    for key, value in changes.items():
        if key not in keys:
            continue
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _store_answers(survey: Survey, changes: dict[str, Any]) -> None:
    # New dicts, not in-place edits: the JSON columns only notice reassignment.
    public = {q.key for q in SURVEY_QUESTIONS} - _SENSITIVE
    survey.answers = _merge(survey.answers or {}, changes, public)
    survey.sensitive_answers = _merge(survey.sensitive_answers or {}, changes, _SENSITIVE)


def take_survey(
    session: Session,
    *,
    client: Client,
    answers: dict[str, Any],
    taken_on: date,
    kind: str = "start",
    coach: Coach | None = None,
) -> Survey:
    """Store a new survey of the client; its coach defaults to the client's own coach."""
    survey = Survey(
        client_id=client.id,
        coach_id=coach.id if coach else client.coach_id,
        kind=vocabulary.parse("survey kind", kind),
        taken_on=taken_on,
    )
    _store_answers(survey, answers)
    session.add(survey)
    session.flush()
    log_access(
        session,
        action="survey.add",
        client_id=client.id,
        record=f"survey:{survey.id}",
        sensitive=bool(_SENSITIVE & answers.keys()),
    )
    return survey


def edit_survey(
    session: Session,
    *,
    survey: Survey,
    answers: dict[str, Any],
    taken_on: date | None = None,
    kind: str | None = None,
    coach: Coach | None = None,
) -> Survey:
    """Change the given answers (None clears one) and, if given, the date, kind or coach."""
    if kind is not None:
        survey.kind = vocabulary.parse("survey kind", kind)
    if taken_on is not None:
        survey.taken_on = taken_on
    if coach is not None:
        survey.coach_id = coach.id
    _store_answers(survey, answers)
    session.add(survey)
    session.flush()
    log_access(
        session,
        action="survey.edit",
        client_id=survey.client_id,
        record=f"survey:{survey.id}",
        sensitive=bool(_SENSITIVE & answers.keys()),
    )
    return survey


def remove_survey(session: Session, *, survey: Survey) -> None:
    """Remove a survey taken by mistake (nothing names a survey); its answers stay in the
    change history, the sensitive ones shown there only with --sensitive."""
    delete_logged(
        session,
        survey,
        action="survey.remove",
        client_id=survey.client_id,
        record=f"survey:{survey.id}",
        sensitive=bool(survey.sensitive_answers),
    )


def survey_answers(session: Session, *, survey: Survey, sensitive: bool) -> dict[str, Any]:
    """The stored answers; the sensitive ones only when asked for, and that read is logged."""
    answers = dict(survey.answers or {})
    if sensitive:
        answers.update(survey.sensitive_answers or {})
        log_access(
            session,
            action="survey.read-sensitive",
            client_id=survey.client_id,
            record=f"survey:{survey.id}",
            sensitive=True,
        )
    return answers


def list_surveys(session: Session, *, client: Client) -> list[dict[str, Any]]:
    """The client's surveys, oldest first, without any answers."""
    query = (
        select(
            Survey.id,
            Survey.kind,
            Survey.taken_on,
            Coach.name.label("coach"),
        )
        .outerjoin(Coach, Coach.id == Survey.coach_id)
        .where(Survey.client_id == client.id)
        .order_by(col(Survey.taken_on), col(Survey.id))
    )
    log_access(session, action="survey.list", client_id=client.id)
    return [dict(r._mapping) for r in session.exec(query)]


def show_survey(
    session: Session, *, survey: Survey, sensitive: bool = False, readable: bool = True
) -> dict[str, Any]:
    """One survey: its date, kind and coach, and every question with its answer, as Finnish
    text when `readable`, else as stored (what `--from` takes back). Without `sensitive` the
    sensitive questions are left out and only counted."""
    client = session.get(Client, survey.client_id)
    coach = session.get(Coach, survey.coach_id) if survey.coach_id else None
    answers = survey_answers(session, survey=survey, sensitive=sensitive)
    if not sensitive:
        log_access(session, action="survey.show", client_id=client.id, record=f"survey:{survey.id}")
    rows = [
        {
            "group": group.number,
            "key": q.key,
            "question": q.text,
            "answer": one_line(q, answers.get(q.key)) if readable else answers.get(q.key),
        }
        for group in SURVEY_GROUPS
        for q in group.questions
        if sensitive or not q.sensitive
    ]
    return {
        "id": survey.id,
        "client": client.code,
        "kind": survey.kind,
        "taken_on": survey.taken_on,
        "coach": coach.name if coach else None,
        "sensitive_hidden": 0 if sensitive else len(_SENSITIVE),
        "answers": rows,
    }

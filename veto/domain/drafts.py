"""Drafts: the answers given so far to a survey or a plan taken at the terminal, kept when the
form was interrupted (Ctrl-C, a closed terminal), so that the next `veto survey CLIENT` (`veto
plan CLIENT`) can continue from them. One draft per client and form; storing the form removes
it.

A draft is no survey and no plan: nothing that counts or prints surveys or plans (reports,
ESF+, documents, `survey list`) reads this table. It is part of the person's record all the
same: `client show` names it (without answers), `client export` and `client erase` take it
with the rest, every write and read of it is in the access log, and its sensitive answers are
shown only where a survey's are (`client show --sensitive`, the export, the form itself when it
is continued, which logs a sensitive read)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from veto.domain.audit import log_access
from veto.domain.questions import (
    PLAN_QUESTIONS,
    SURVEY_QUESTIONS,
    Question,
    display,
    parse_answers,
)
from veto.models import CaptureDraft
from veto.privacy.registry import register_sensitive
from veto.store.direct import as_datetime

FORMS: dict[str, tuple[Question, ...]] = {"survey": SURVEY_QUESTIONS, "plan": PLAN_QUESTIONS}


def _sensitive(form: str, answers: dict[str, Any]) -> bool:
    return any(q.sensitive and q.key in answers for q in FORMS[form])


def _stored(value: Any) -> Any:
    """An answer as the JSON column holds it (a date as ISO text; parsed back on reading)."""
    return value.isoformat() if isinstance(value, date) else value


def find_draft(session: Session, *, client_id: int, form: str) -> CaptureDraft | None:
    """The client's draft of `form` ('survey' or 'plan'), if any; reads no answer (not logged)."""
    query = select(CaptureDraft).where(
        CaptureDraft.client_id == client_id, CaptureDraft.form == form
    )
    return session.exec(query).first()


def draft_answers(session: Session, *, draft: CaptureDraft) -> dict[str, Any]:
    """The kept answers, parsed as the form's (sensitive ones too: they are shown again as the
    form continues); the read is logged, as sensitive when it holds a sensitive answer."""
    answers = parse_answers(dict(draft.answers or {}), FORMS[draft.form], source="draft")
    log_access(
        session,
        action="draft.read",
        client_id=draft.client_id,
        record=f"capture_draft:{draft.id}",
        sensitive=_sensitive(draft.form, answers),
    )
    return answers


def keep_draft(
    session: Session, *, client_id: int, form: str, answers: dict[str, Any]
) -> CaptureDraft | None:
    """Keep the given answers (the empty ones left out) as the client's draft of `form`,
    replacing an earlier draft; None, and nothing written, when no question was answered."""
    kept = {k: _stored(v) for k, v in answers.items() if v is not None and v != [] and v != ""}
    if not kept:
        return None
    draft = find_draft(session, client_id=client_id, form=form)
    if draft is None:
        draft = CaptureDraft(client_id=client_id, form=form)
    # A new dict, not an in-place edit: the JSON column notices only reassignment.
    draft.answers = kept
    draft.saved_at = datetime.now(UTC)
    session.add(draft)
    session.flush()
    log_access(
        session,
        action="draft.keep",
        client_id=client_id,
        record=f"capture_draft:{draft.id}",
        sensitive=_sensitive(form, kept),
    )
    return draft


def drop_draft(session: Session, *, client_id: int, form: str) -> None:
    """Remove the client's draft of `form` (the form was stored); nothing when there is none."""
    draft = find_draft(session, client_id=client_id, form=form)
    if draft is None:
        return
    session.delete(draft)
    session.flush()
    log_access(
        session, action="draft.remove", client_id=client_id, record=f"capture_draft:{draft.id}"
    )


def sensitive_draft_answers(session: Session, client_id: int) -> list[dict[str, Any]]:
    """The sensitive answers kept in the client's drafts (`client show --sensitive`, export)."""
    rows = []
    drafts = session.exec(
        select(CaptureDraft).where(CaptureDraft.client_id == client_id).order_by(CaptureDraft.form)  # type: ignore[arg-type]
    )
    for draft in drafts:
        stored = draft.answers or {}
        saved_on = as_datetime(draft.saved_at).astimezone().date()  # the coach's day, not UTC's
        for question in FORMS[draft.form]:
            value = stored.get(question.key) if question.sensitive else None
            if value is None:
                continue
            shown = display(question, value)
            rows.append(
                {
                    "record": f"capture_draft:{draft.id}",
                    "date": saved_on,
                    "item": question.text,
                    "value": "; ".join(shown) if isinstance(shown, list) else shown,
                }
            )
    return rows


register_sensitive("luonnos", sensitive_draft_answers)

"""ESF+ participant data: the situation at entry, at exit and six months after exit, and the
EURA 2021 participant forms marked done (the checklist is `veto.domain.participation`).

The rules (Regulation (EU) 2021/1057, Annex I, and the Commission's guidance, see
`docs/notes/issue-8.md`): one participant per client however often they re-enter, entry data
of the first participation; exactly one labour-market status at entry; immediate results are
the situation within 4 weeks after exit, longer-term results six months after exit. Answers a
person did not give are stored as such ('not-told', 'unknown'), never guessed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import finnish
from veto.domain.participation import (
    ENTRY_QUESTIONS,
    EXIT_QUESTIONS,
    IMMEDIATE_WINDOW_DAYS,
    SENSITIVE,
    followup_due,
)
from veto.domain.removal import delete_logged
from veto.domain.wording import choices
from veto.domain.wording import value as shown
from veto.errors import InputError, WorkflowError
from veto.i18n import _
from veto.models import Client, Participant, Phase


def age_on(day: date, *, birth_date: date | None, birth_year: int | None) -> tuple[int, int] | None:
    """The age on `day` as (lowest, highest) possible: exact with a birth date, two candidates
    with only a birth year, None when neither is known."""
    if birth_date is not None:
        age = (
            day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
        )
        return age, age
    if birth_year is not None:
        return day.year - birth_year - 1, day.year - birth_year
    return None


def _participant(session: Session, client: Client) -> Participant | None:
    return session.exec(select(Participant).where(Participant.client_id == client.id)).first()


def _require_participant(session: Session, client: Client, doing: str) -> Participant:
    found = _participant(session, client)
    if found is None:
        raise WorkflowError(
            _(
                "client {code} has no ESF entry data: cannot {doing}; record them first "
                "(veto esf entry {code} --status ... --isced ...)"
            ).format(code=client.code, doing=doing)
        )
    return found


def _first_phase_start(session: Session, client: Client) -> date | None:
    return session.exec(select(func.min(Phase.start_on)).where(Phase.client_id == client.id)).one()


def entry_date(session: Session, participant: Participant, client: Client) -> date | None:
    """The participant's entry: the recorded date, else the client's first phase start."""
    return participant.entry_on or _first_phase_start(session, client)


def exit_date(participant: Participant, client: Client) -> date | None:
    """The participant's exit: the recorded date, else the end of the client relationship."""
    return participant.exit_on or client.ended_on


def _answer(enumeration: str, option: str, text: str) -> str:
    try:
        return vocabulary.parse(enumeration, text)
    except InputError:
        allowed = choices(enumeration)
        raise InputError(
            _("invalid --{option} answer '{text}': use one of {allowed}").format(
                option=option, text=text, allowed=allowed
            )
        ) from None


def record_entry(
    session: Session,
    *,
    client: Client,
    status: str | None = None,
    isced: str | None = None,
    entry_on: date | None = None,
    birth_date: date | None = None,
    answers: dict[str, str | None] | None = None,
) -> Participant:
    """Record or correct the participant's entry data; only the given values change.

    `answers` maps the entry questions (`ENTRY_QUESTIONS` keys) to yes/no/not-told. The first
    record needs a status and an education level, and an entry date unless a phase has started.
    """
    answers = {k: v for k, v in (answers or {}).items() if v is not None}
    unknown = set(answers) - set(ENTRY_QUESTIONS)
    if unknown:
        raise InputError(
            _("unknown entry question {names}").format(names=", ".join(sorted(unknown)))
        )
    participant = _participant(session, client)
    if participant is None:
        missing = [name for name, value in (("--status", status), ("--isced", isced)) if not value]
        if missing:
            raise InputError(
                _(
                    "first entry data of {code} need {options}: status "
                    "unemployed|long-term-unemployed|inactive|employed, isced 0-2|3-4|5-8|unknown"
                ).format(code=client.code, options=_(" and ").join(missing))
            )
    elif not (status or isced or entry_on or birth_date or answers):
        raise InputError(
            _("nothing to change: give at least one option, e.g. --status, --isced or --disability")
        )
    values: dict[str, Any] = {}
    if status:
        values["status"] = vocabulary.parse("labour-market status", status)
    if isced:
        values["isced"] = vocabulary.parse("education level", isced)
    for option, value in answers.items():
        values[ENTRY_QUESTIONS[option]] = _answer("entry answer", option, value)
    if birth_date is not None:
        if birth_date > date.today() or birth_date.year < 1900:
            raise InputError(
                _("invalid birth date {day}: give a past date from 1900 on").format(
                    day=finnish(birth_date)
                )
            )
        client.birth_date = birth_date
        client.birth_year = birth_date.year
        session.add(client)
    if participant is None:
        participant = Participant(client_id=client.id, **values)
    else:
        for key, value in values.items():
            setattr(participant, key, value)
        if values.get("status", "employed") != "employed" and participant.improved_6m is not None:
            raise WorkflowError(
                _(
                    "client {code} has a follow-up answer on an improved situation, which "
                    "only applies to those employed at entry: status must stay employed"
                ).format(code=client.code)
            )
    if entry_on is not None:
        participant.entry_on = entry_on
    entry = entry_date(session, participant, client)
    if entry is None:
        raise WorkflowError(
            _("client {code} has no phase yet: give --entry-date or start a phase first").format(
                code=client.code
            )
        )
    end = exit_date(participant, client)
    if end is not None and end < entry:
        raise WorkflowError(
            _(
                "entry on {entry} would come after the exit of {code} on "
                "{exit}; give an entry date on or before the exit"
            ).format(entry=finnish(entry), code=client.code, exit=finnish(end))
        )
    session.add(participant)
    session.flush()
    log_access(
        session,
        action="esf.entry",
        client_id=client.id,
        record=f"participant:{participant.id}",
        sensitive=any(ENTRY_QUESTIONS[o] in SENSITIVE for o in answers),
    )
    return participant


def record_exit(
    session: Session,
    *,
    client: Client,
    answers: dict[str, str | None],
    exit_on: date | None = None,
    answered_on: date | None = None,
) -> Participant:
    """Record or correct the situation upon leaving (yes/no/unknown per `EXIT_QUESTIONS`).

    `answered_on` is the day the situation was known (default: kept, else today); it counts as an
    immediate result only within 4 weeks after the exit. The exit is `exit_on`, else the end
    of the client relationship.
    """
    participant = _require_participant(session, client, _("record exit data"))
    answers = {k: v for k, v in answers.items() if v is not None}
    if not answers and exit_on is None and answered_on is None:
        raise InputError(
            _(
                "nothing to record: give at least one of --job-searching, --education, "
                "--qualification, --employed (yes|no|unknown) or --exit-date"
            )
        )
    for option, value in answers.items():
        setattr(participant, EXIT_QUESTIONS[option], _answer("result answer", option, value))
    if exit_on is not None:
        participant.exit_on = exit_on
    end = exit_date(participant, client)
    if end is None:
        raise WorkflowError(
            _(
                "client {code} has not left: end the client first (veto client end "
                "{code} --outcome ...) or give --exit-date"
            ).format(code=client.code)
        )
    entry = entry_date(session, participant, client)
    if entry is not None and end < entry:
        raise WorkflowError(
            _(
                "exit on {exit} is before the entry of {code} on {entry}; "
                "give a date on or after the entry"
            ).format(exit=finnish(end), code=client.code, entry=finnish(entry))
        )
    if answers:
        participant.exit_answered_on = answered_on or participant.exit_answered_on or date.today()
    elif answered_on is not None:
        if participant.exit_answered_on is None:
            raise InputError(
                _(
                    "--on dates the exit situation: give it with at least one answer, e.g. "
                    "--employed yes"
                )
            )
        participant.exit_answered_on = answered_on
    answered = participant.exit_answered_on
    if entry is not None and answered is not None and answered < entry:
        raise WorkflowError(
            _(
                "exit situation dated {day} is before the entry "
                "of {code} on {entry}; give --on on or after the entry"
            ).format(day=finnish(answered), code=client.code, entry=finnish(entry))
        )
    session.add(participant)
    session.flush()
    log_access(
        session, action="esf.exit", client_id=client.id, record=f"participant:{participant.id}"
    )
    return participant


def record_followup(
    session: Session,
    *,
    client: Client,
    employed: str | None = None,
    improved: str | None = None,
    answered_on: date | None = None,
) -> Participant:
    """Record the situation six months after leaving: in employment (yes/no/unknown) and, for
    those employed at entry only, an improved labour-market situation."""
    participant = _require_participant(session, client, _("record a follow-up"))
    end = exit_date(participant, client)
    if end is None:
        raise WorkflowError(
            _("client {code} has not left: the follow-up is six months after the exit").format(
                code=client.code
            )
        )
    if employed is None and improved is None:
        raise InputError(_("nothing to record: give --employed and/or --improved (yes|no|unknown)"))
    if improved is not None and participant.status != "employed":
        raise WorkflowError(
            _(
                "--improved applies only to participants employed at entry; {code} was "
                "{status} at entry"
            ).format(
                code=client.code,
                status=vocabulary.label("labour-market status", participant.status),
            )
        )
    day = answered_on or participant.followup_on or date.today()
    due = followup_due(end)
    if day < due:
        raise WorkflowError(
            _(
                "the 6-month follow-up of {code} is due on {due} (exit "
                "{exit}): give --on on or after that date"
            ).format(code=client.code, due=finnish(due), exit=finnish(end))
        )
    if employed is not None:
        participant.employed_6m = _answer("result answer", "employed", employed)
    if improved is not None:
        participant.improved_6m = _answer("result answer", "improved", improved)
    participant.followup_on = day
    session.add(participant)
    session.flush()
    log_access(
        session, action="esf.followup", client_id=client.id, record=f"participant:{participant.id}"
    )
    return participant


def mark_done(session: Session, *, client: Client, form: str, on: date) -> Participant:
    """Mark a EURA 2021 participant form (start, end, followup) done on `on`."""
    form = vocabulary.parse("EURA form", form)
    participant = _require_participant(
        session, client, _("mark the {form} form done").format(form=shown("EURA form", form))
    )
    if form in ("end", "followup"):
        end = exit_date(participant, client)
        if end is None:
            raise WorkflowError(
                _("client {code} has not left: the {form} form comes after the exit").format(
                    code=client.code, form=shown("EURA form", form)
                )
            )
        if form == "followup" and on < followup_due(end):
            raise WorkflowError(
                _(
                    "the 6-month follow-up of {code} is due on {due}: "
                    "give --on on or after that date"
                ).format(code=client.code, due=finnish(followup_due(end)))
            )
    setattr(participant, f"{form}_done", on)
    session.add(participant)
    session.flush()
    log_access(
        session,
        action=f"esf.done.{form}",
        client_id=client.id,
        record=f"participant:{participant.id}",
    )
    return participant


def remove_participant(session: Session, *, client: Client) -> Participant:
    """Remove a client's ESF+ data recorded by mistake (entry, exit, follow-up, forms done);
    nothing names them. They stay in the change history, the sensitive answers shown there
    only with --sensitive."""
    participant = _require_participant(session, client, _("remove ESF data"))
    delete_logged(
        session,
        participant,
        action="esf.remove",
        client_id=client.id,
        record=f"participant:{participant.id}",
        sensitive=any(getattr(participant, column) is not None for column in SENSITIVE),
    )
    return participant


def clear_done(session: Session, *, client: Client, form: str) -> Participant:
    """Take back a EURA 2021 form marked done by mistake: it is pending again."""
    form = vocabulary.parse("EURA form", form)
    participant = _require_participant(
        session, client, _("clear the {form} form").format(form=shown("EURA form", form))
    )
    if getattr(participant, f"{form}_done") is None:
        raise WorkflowError(
            _(
                "the {form} form of {code} is not marked done: nothing to clear "
                "(veto esf show {code})"
            ).format(form=shown("EURA form", form), code=client.code)
        )
    setattr(participant, f"{form}_done", None)
    session.add(participant)
    session.flush()
    log_access(
        session,
        action=f"esf.done.{form}.clear",
        client_id=client.id,
        record=f"participant:{participant.id}",
    )
    return participant


def show_participant(session: Session, *, client: Client, sensitive: bool = False) -> dict:
    """One participant's ESF+ data. Disability and minority only with `sensitive`, and such a
    read is logged as sensitive."""
    participant = _require_participant(session, client, _("show ESF data"))
    entry = entry_date(session, participant, client)
    end = exit_date(participant, client)
    age = age_on(entry, birth_date=client.birth_date, birth_year=client.birth_year)
    if age is None:
        age_text = None
    elif age[0] == age[1]:
        age_text = str(age[0])
    else:
        age_text = f"{age[0]}–{age[1]}"
    data: dict[str, Any] = {
        "code": client.code,
        "name": client.name,
        "gender": client.gender,
        "birth_date": client.birth_date,
        "birth_year": client.birth_year,
        "entry_on": entry,
        "entry_from": "recorded" if participant.entry_on else "first phase",
        "age_at_entry": age_text,
        "status": participant.status,
        "isced": participant.isced,
    }
    for column in ENTRY_QUESTIONS.values():
        if column not in SENSITIVE or sensitive:
            data[column] = getattr(participant, column)
    data.update(
        {
            "exit_on": end,
            "exit_answered_on": participant.exit_answered_on,
            "within_4_weeks": (
                None
                if participant.exit_answered_on is None or end is None
                else (participant.exit_answered_on - end).days <= IMMEDIATE_WINDOW_DAYS
            ),
            **{column: getattr(participant, column) for column in EXIT_QUESTIONS.values()},
            "followup_due": followup_due(end),
            "followup_on": participant.followup_on,
            "employed_6m": participant.employed_6m,
            "improved_6m": participant.improved_6m,
            "start_done": participant.start_done,
            "end_done": participant.end_done,
            "followup_done": participant.followup_done,
        }
    )
    log_access(
        session,
        action="esf.show.sensitive" if sensitive else "esf.show",
        client_id=client.id,
        record=f"participant:{participant.id}",
        sensitive=sensitive,
    )
    return data

"""veto survey …: the Työhönvalmennuksen kartoitus, taken at the terminal or from a file."""

from __future__ import annotations

import typer

from veto.commands.capture import DefaultsToNew, ResumeOption
from veto.commands.common import (
    FormatOption,
    YesOption,
    confirm_removal,
    note,
    reference,
    store,
)
from veto.vocabulary import choices

app = typer.Typer(
    cls=DefaultsToNew,
    help="Surveys (kartoitus): `veto survey CLIENT` asks the 12 question groups in Finnish.",
    no_args_is_help=True,
)
SurveyArg = typer.Argument(..., help="Survey id (veto survey list CLIENT).")
FromOption = typer.Option(
    None, "--from", help="YAML or JSON file of question keys and answers ('-': stdin)."
)
CoachOption = typer.Option(None, "--coach", help="Coach id or exact name; default: the client's.")
KIND_HELP = choices("survey kind")


def _answers_from(path: str):
    from veto.commands.capture import read_answers_file
    from veto.domain.surveys import parse_survey_answers

    return parse_survey_answers(read_answers_file(path), source=f"'{path}'")


def _ask(title: str, current=None):
    from veto.commands.capture import ask
    from veto.domain.questions import SURVEY_GROUPS, SURVEY_QUESTIONS

    return ask(SURVEY_QUESTIONS, title=title, current=current, groups=SURVEY_GROUPS)


@app.command("new")
def new(
    client: str = typer.Argument(..., help="Client code or numeric id."),
    source: str = FromOption,
    on: str = typer.Option(None, "--on", help="Date taken (2024-08-01 or 1.8.2024); today."),
    kind: str = typer.Option("start", "--kind", help=KIND_HELP),
    coach: str = CoachOption,
    resume: bool = ResumeOption,
) -> None:
    """Take a survey (also `veto survey CLIENT`); prints its id.

    Without --from, asks the questions one by one in Finnish; Enter skips one. Interrupted
    (Ctrl-C, a closed terminal), keeps the answers so far as a draft that the next `veto survey
    CLIENT` offers to continue."""
    from veto import vocabulary
    from veto.commands.capture import fill_in, refuse_resume
    from veto.domain.dates import parse_date
    from veto.domain.drafts import drop_draft
    from veto.domain.references import find_client, find_coach
    from veto.domain.surveys import take_survey

    taken_on = parse_date(on, what="survey date")
    vocabulary.parse("survey kind", kind)
    if source is not None:
        refuse_resume(resume)
        answers = _answers_from(source)
    else:
        from veto.domain.questions import SURVEY_GROUPS, SURVEY_QUESTIONS

        answers = fill_in(
            "survey",
            client,
            title="Työhönvalmennuksen kartoitus: {code} {name}",
            questions=SURVEY_QUESTIONS,
            groups=SURVEY_GROUPS,
            resume=resume,
            check=(lambda session: find_coach(session, coach)) if coach else None,
        )
    with store() as session:
        survey = take_survey(
            session,
            client=find_client(session, client),
            answers=answers,
            taken_on=taken_on,
            kind=kind,
            coach=find_coach(session, coach) if coach else None,
        )
        if source is None:
            drop_draft(session, client_id=survey.client_id, form="survey")
    reference(survey.id)


@app.command("edit")
def edit(
    survey: str = SurveyArg,
    source: str = FromOption,
    on: str = typer.Option(None, "--on", help="Corrected date taken."),
    kind: str = typer.Option(None, "--kind", help=KIND_HELP),
    coach: str = CoachOption,
) -> None:
    """Correct a survey; prints its id.

    --from changes only the answers in the file (null clears one). With no option at all, asks
    every question again: Enter keeps the current answer, '-' clears it."""
    from veto.domain.dates import optional_date
    from veto.domain.references import find_coach
    from veto.domain.surveys import edit_survey, find_survey, survey_answers

    taken_on = optional_date(on, what="survey date")
    if source is not None:
        answers = _answers_from(source)
    elif on is None and kind is None and coach is None:
        with store(purpose="survey edit") as session:
            found = find_survey(session, survey)
            current = survey_answers(session, survey=found, sensitive=True)
        answers = _ask(f"Kartoitus {found.id}", current)
    else:
        answers = {}
    with store() as session:
        found = edit_survey(
            session,
            survey=find_survey(session, survey),
            answers=answers,
            taken_on=taken_on,
            kind=kind,
            coach=find_coach(session, coach) if coach else None,
        )
    reference(found.id)


@app.command("remove")
def remove(survey: str = SurveyArg, yes: bool = YesOption) -> None:
    """Remove a survey taken by mistake (asks first in a terminal)."""
    from veto.domain.dates import finnish
    from veto.domain.references import find_client
    from veto.domain.surveys import find_survey, remove_survey
    from veto.domain.wording import value
    from veto.i18n import _

    with store() as session:
        found = find_survey(session, survey)
        code = find_client(session, found.client_id).code
        confirm_removal(
            _("Remove survey {id} ({kind}, {code}, {day})?").format(
                id=found.id,
                kind=value("survey kind", found.kind),
                code=code,
                day=finnish(found.taken_on),
            ),
            yes,
            "survey remove",
        )
        remove_survey(session, survey=found)


@app.command("list")
def list_(
    client: str = typer.Argument(..., help="Client code or numeric id."), fmt: str = FormatOption
) -> None:
    """List a client's surveys (no answers)."""
    from veto.domain.references import find_client
    from veto.domain.surveys import list_surveys
    from veto.outputs.render import render_rows

    with store() as session:
        rows = list_surveys(session, client=find_client(session, client))
    render_rows(rows, fmt, columns=["id", "kind", "taken_on", "coach"])


@app.command("show")
def show(
    survey: str = SurveyArg,
    sensitive: bool = typer.Option(
        False, "--sensitive", help="Include health, substance and criminal-record answers (logged)."
    ),
    fmt: str = FormatOption,
) -> None:
    """Show a survey's answers; sensitive ones only with --sensitive."""
    from veto.domain.surveys import find_survey, show_survey
    from veto.outputs.render import render_object

    with store(purpose="survey show") as session:
        data = show_survey(
            session,
            survey=find_survey(session, survey),
            sensitive=sensitive,
            readable=fmt == "table",
        )
    render_object(data, fmt)
    if data["sensitive_hidden"]:
        from veto.i18n import ngettext

        hidden = data["sensitive_hidden"]
        message = ngettext(
            "{n} sensitive question hidden; --sensitive shows it",
            "{n} sensitive questions hidden; --sensitive shows them",
            hidden,
        )
        note(message.format(n=hidden))

"""veto plan …: the job-search plan and agreement (Työnhakusuunnitelma ja -sopimus)."""

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

app = typer.Typer(
    cls=DefaultsToNew,
    help="Job-search plans (työnhakusuunnitelma): `veto plan CLIENT` asks the questions.",
    no_args_is_help=True,
)
PlanArg = typer.Argument(..., help="Plan id (veto plan list CLIENT).")
FromOption = typer.Option(
    None, "--from", help="YAML or JSON file of question keys and answers ('-': stdin)."
)
CoachOption = typer.Option(None, "--coach", help="Coach id or exact name; default: the client's.")


def _answers_from(path: str):
    from veto.commands.capture import read_answers_file
    from veto.domain.plans import parse_plan_answers

    return parse_plan_answers(read_answers_file(path), source=f"'{path}'")


def _ask(title: str, current=None):
    from veto.commands.capture import ask
    from veto.domain.questions import PLAN_QUESTIONS

    return ask(PLAN_QUESTIONS, title=title, current=current)


@app.command("new")
def new(
    client: str = typer.Argument(..., help="Client code or numeric id."),
    source: str = FromOption,
    on: str = typer.Option(None, "--on", help="Date drawn up (2024-08-01 or 1.8.2024); today."),
    coach: str = CoachOption,
    resume: bool = ResumeOption,
) -> None:
    """Draw up a plan (also `veto plan CLIENT`); prints its id.

    Without --from, asks the questions one by one in Finnish; Enter skips one. Interrupted
    (Ctrl-C, a closed terminal), keeps the answers so far as a draft that the next `veto plan
    CLIENT` offers to continue."""
    from veto.commands.capture import fill_in, refuse_resume
    from veto.domain.dates import parse_date
    from veto.domain.drafts import drop_draft
    from veto.domain.plans import make_plan
    from veto.domain.references import find_client, find_coach

    drawn_up_on = parse_date(on, what="plan date")
    if source is not None:
        refuse_resume(resume)
        answers = _answers_from(source)
    else:
        from veto.domain.questions import PLAN_QUESTIONS

        answers = fill_in(
            "plan",
            client,
            title="Työnhakusuunnitelma ja -sopimus: {code} {name}",
            questions=PLAN_QUESTIONS,
            resume=resume,
            check=(lambda session: find_coach(session, coach)) if coach else None,
        )
    with store() as session:
        plan = make_plan(
            session,
            client=find_client(session, client),
            answers=answers,
            drawn_up_on=drawn_up_on,
            coach=find_coach(session, coach) if coach else None,
        )
        if source is None:
            drop_draft(session, client_id=plan.client_id, form="plan")
    reference(plan.id)


@app.command("edit")
def edit(
    plan: str = PlanArg,
    source: str = FromOption,
    on: str = typer.Option(None, "--on", help="Corrected date drawn up."),
    coach: str = CoachOption,
) -> None:
    """Correct a plan; prints its id.

    --from changes only the answers in the file (null clears one). With no option at all, asks
    every question again: Enter keeps the current answer, '-' clears it."""
    from veto.domain.dates import optional_date
    from veto.domain.plans import edit_plan, find_plan, plan_answers
    from veto.domain.references import find_coach

    drawn_up_on = optional_date(on, what="plan date")
    if source is not None:
        answers = _answers_from(source)
    elif on is None and coach is None:
        with store(purpose="plan edit") as session:
            found = find_plan(session, plan)
            current = plan_answers(session, plan=found, sensitive=True)
        answers = _ask(f"Suunnitelma {found.id}", current)
    else:
        answers = {}
    with store() as session:
        found = edit_plan(
            session,
            plan=find_plan(session, plan),
            answers=answers,
            drawn_up_on=drawn_up_on,
            coach=find_coach(session, coach) if coach else None,
        )
    reference(found.id)


@app.command("remove")
def remove(plan: str = PlanArg, yes: bool = YesOption) -> None:
    """Remove a plan drawn up by mistake (asks first in a terminal)."""
    from veto.domain.dates import finnish
    from veto.domain.plans import find_plan, remove_plan
    from veto.domain.references import find_client
    from veto.i18n import _

    with store() as session:
        found = find_plan(session, plan)
        code = find_client(session, found.client_id).code
        question = _("Remove plan {id} ({code}, {day})?")
        day = finnish(found.drawn_up_on)
        confirm_removal(question.format(id=found.id, code=code, day=day), yes, "plan remove")
        remove_plan(session, plan=found)


@app.command("list")
def list_(
    client: str = typer.Argument(..., help="Client code or numeric id."), fmt: str = FormatOption
) -> None:
    """List a client's plans (no answers)."""
    from veto.domain.plans import list_plans
    from veto.domain.references import find_client
    from veto.outputs.render import render_rows

    with store() as session:
        rows = list_plans(session, client=find_client(session, client))
    render_rows(rows, fmt, columns=["id", "drawn_up_on", "coach", "signed_on"])


@app.command("show")
def show(
    plan: str = PlanArg,
    sensitive: bool = typer.Option(
        False, "--sensitive", help="Include identity matters and what not to tell (logged)."
    ),
    fmt: str = FormatOption,
) -> None:
    """Show a plan's answers; sensitive ones only with --sensitive."""
    from veto.domain.plans import find_plan, show_plan
    from veto.outputs.render import render_object

    with store(purpose="plan show") as session:
        data = show_plan(
            session, plan=find_plan(session, plan), sensitive=sensitive, readable=fmt == "table"
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

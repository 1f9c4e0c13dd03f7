"""veto activity …: coaching hours."""

from __future__ import annotations

import typer

from veto.commands.common import (
    DateOption,
    FormatOption,
    YesOption,
    confirm_removal,
    reference,
    sql_store,
    store,
)
from veto.commands.common import note as tell
from veto.domain.wording import number
from veto.i18n import _
from veto.vocabulary import choices

app = typer.Typer(help="Coaching hours: log, edit, remove, list.", no_args_is_help=True)


@app.command("log")
def log(
    client: str = typer.Argument(..., help="Client code, numeric id or unique name."),
    hours: str = typer.Option(..., "--hours", help="Hours, e.g. 1,5 or 1.5 (at most 24)."),
    on: str = DateOption,
    kind: str = typer.Option("meeting", "--kind", help=choices("activity kind")),
    note: str = typer.Option(None, "--note", help="A short note."),
    coach: str = typer.Option(
        None, "--coach", help="Coach id or name; default: the client's coach."
    ),
) -> None:
    """Log coaching hours for a client; prints the new row's id."""
    from veto.commands.common import invocation, mark_stored, running_command_path
    from veto.domain.dates import parse_date
    from veto.domain.hours import placement_hours
    from veto.store.direct import SessionWork, SqliteWork, writes_directly

    if writes_directly(invocation().location):  # SQLite, not a batch line: no ORM to import
        from veto.domain.activity_log import log_activity_direct
        from veto.domain.direct import client_id, coach_id

        with sql_store() as work:
            assert isinstance(work, SqliteWork)
            work.info["command"] = running_command_path()
            found_id = client_id(work, client)
            day = parse_date(on)
            coach_number = coach_id(work, coach) if coach else None
            new_id = log_activity_direct(
                work,
                client_id=found_id,
                hours=hours,
                on=day,
                kind=kind,
                note=note,
                coach_id=coach_number,
            )
            found_code = work.rows("SELECT code FROM client WHERE id = :id", {"id": found_id})[
                0
            ].code
            hours_used = placement_hours(work, found_id)
            since = hours_used.since
            counts = hours_used.warns and since is not None and day >= since
        mark_stored()
        reference(new_id)
        if counts:
            tell(budget_warning(found_code, hours_used))
        return
    from veto.domain.activities import log_activity
    from veto.domain.references import find_client, find_coach

    with store() as session:
        found = find_client(session, client)
        found_code = found.code
        activity = log_activity(
            session,
            client=found,
            hours=hours,
            on=parse_date(on),
            kind=kind,
            note=note,
            coach=find_coach(session, coach) if coach else None,
        )
        hours_used = placement_hours(SessionWork(session), activity.client_id)
        counts = hours_used.warns and activity.on_date >= hours_used.since
        activity_id = activity.id
    reference(activity_id)
    if counts:
        tell(budget_warning(found_code, hours_used))


def budget_warning(code: str, used) -> str:
    """One line for stderr: the client's placement hours against the budget."""
    from veto.i18n import _
    from veto.outputs.finnish import fi_date, fi_number

    hours, budget = fi_number(used.hours), used.budget
    since = fi_date(used.since)
    if used.over:
        message = _(
            "Warning: {code} has used {hours} h of the {budget} h placement budget "
            "(hours since the placement started {since})."
        )
        return message.format(code=code, hours=hours, budget=budget, since=since)
    message = _(
        "Note: {code} has used {hours} h of the {budget} h placement budget, {left} h left "
        "(hours since the placement started {since})."
    )
    left = fi_number(used.budget - used.hours)
    return message.format(code=code, hours=hours, budget=budget, left=left, since=since)


@app.command("list")
def list_(
    client_arg: str = typer.Argument(
        None, metavar="[CLIENT]", help="Only this client's hours (code, id or name)."
    ),
    client: str = typer.Option(None, "--client", help="The same as CLIENT."),
    fmt: str = FormatOption,
) -> None:
    """List logged coaching hours by date: everyone's, or one client's."""
    from veto.domain.activities import list_activities
    from veto.errors import InputError
    from veto.outputs.render import render_rows

    if client_arg and client and client_arg != client:
        raise InputError(_("give the client once: as CLIENT or as --client, not both"))
    with store() as session:
        rows = list_activities(session, client=client_arg or client)
    render_rows(rows, fmt, columns=["id", "client", "on", "hours", "kind", "note"])


@app.command("edit")
def edit(
    activity: str = typer.Argument(..., help="Id of the hours (veto activity list)."),
    hours: str = typer.Option(None, "--hours", help="Hours, e.g. 1,5 (at most 24)."),
    on: str = typer.Option(None, "--on", help="The corrected date."),
    kind: str = typer.Option(None, "--kind", help=choices("activity kind")),
    note: str = typer.Option(None, "--note", help="The note ('' clears it)."),
) -> None:
    """Correct logged hours; only the given fields change; prints the id."""
    from veto.domain.activities import edit_activity
    from veto.domain.dates import optional_date
    from veto.domain.references import find_activity

    with store() as session:
        found = edit_activity(
            session,
            activity=find_activity(session, activity),
            hours=hours,
            on=optional_date(on),
            kind=kind,
            note=note,
        )
    reference(found.id)


@app.command("remove")
def remove(
    activity: str = typer.Argument(..., help="Id of the hours (veto activity list)."),
    yes: bool = YesOption,
) -> None:
    """Remove hours logged by mistake (asks first in a terminal)."""
    from veto.domain.activities import remove_activity
    from veto.domain.dates import finnish
    from veto.domain.references import find_activity

    with store() as session:
        found = find_activity(session, activity)
        confirm_removal(
            _("Remove hours {id} ({hours} h on {day})?").format(
                id=found.id, hours=number(found.hours), day=finnish(found.on_date)
            ),
            yes,
            "activity remove",
        )
        remove_activity(session, activity=found)

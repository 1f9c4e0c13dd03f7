"""veto contact …: employer contacts (yhteydenotot), proposals and follow-ups."""

from __future__ import annotations

import typer

from veto.commands.common import (
    FormatOption,
    PeriodOption,
    YesOption,
    acting_user,
    confirm_removal,
    reference,
    sql_store,
    store,
    whose_coach,
)
from veto.i18n import _
from veto.vocabulary import choices

app = typer.Typer(
    help="Employer contacts (yhteydenotot): log, edit, remove, list, due follow-ups.",
    no_args_is_help=True,
)

_CHANNELS = choices("channel")
_STAGES = choices("stage")
_LIST_COLUMNS = (
    "id",
    "on",
    "employer",
    "channel",
    "stage",
    "client",
    "coach",
    "person",
    "next",
    "note",
)


@app.command(
    "log",
    help="Log a contact with an employer; prints its id.\n\n"
    "With --client the contact is a proposal about that client (CV sent, work trial or "
    "interview proposed) and shows in `veto contact list --client CLIENT`. A later contact "
    "with the employer closes the follow-up (--next) of an earlier one.",
)
def log(
    employer: str = typer.Argument(..., help="Employer id or exact name."),
    channel: str = typer.Option(..., "--channel", help=_CHANNELS),
    stage: str = typer.Option(..., "--stage", help=_STAGES),
    client: str = typer.Option(
        None, "--client", help="The client proposed (CV sent, work trial or interview)."
    ),
    on: str = typer.Option(None, "--on", help="Date of the contact; default: today."),
    next_on: str = typer.Option(None, "--next", help="Date of the agreed follow-up."),
    note: str = typer.Option(None, "--note", help="What was said or agreed."),
    coach: str = typer.Option(
        None, "--coach", help="Who made it; default: the acting user's coach, else the client's."
    ),
    person: str = typer.Option(
        None, "--person", help="Contact person spoken to (id or exact name at the employer)."
    ),
) -> None:
    from veto.domain.contacts import coach_of_user, log_contact
    from veto.domain.dates import optional_date, parse_date
    from veto.domain.employers import find_person
    from veto.domain.references import find_client, find_coach, find_employer

    on_date = parse_date(on, what="contact date")
    follow_up = optional_date(next_on, what="follow-up date")
    with store() as session:
        found = find_employer(session, employer)
        contact = log_contact(
            session,
            employer=found,
            channel=channel,
            stage=stage,
            on=on_date,
            next_on=follow_up,
            client=find_client(session, client) if client else None,
            coach=find_coach(session, coach) if coach else coach_of_user(session, acting_user()),
            person=find_person(session, person, employer=found) if person else None,
            note=note,
        )
    reference(contact.id)


@app.command("edit")
def edit(
    contact: str = typer.Argument(..., help="Contact id (veto contact list)."),
    channel: str = typer.Option(None, "--channel", help=_CHANNELS),
    stage: str = typer.Option(None, "--stage", help=_STAGES),
    on: str = typer.Option(None, "--on", help="Date of the contact."),
    next_on: str = typer.Option(None, "--next", help="Follow-up date; '' clears it."),
    client: str = typer.Option(None, "--client", help="Client proposed; '' clears it."),
    person: str = typer.Option(None, "--person", help="Contact person; '' clears it."),
    note: str = typer.Option(None, "--note", help="Note; '' clears it."),
    coach: str = typer.Option(None, "--coach", help="Who made it (id or name); '' clears it."),
) -> None:
    """Correct a contact; only the options given change. Prints its id."""
    from veto.domain.contacts import edit_contact, find_contact

    with store() as session:
        found = edit_contact(
            session,
            contact=find_contact(session, contact),
            channel=channel,
            stage=stage,
            on=on,
            next_on=next_on,
            client=client,
            person=person,
            note=note,
            coach=coach,
        )
    reference(found.id)


@app.command("remove")
def remove(
    contact: str = typer.Argument(..., help="Contact id (veto contact list)."),
    yes: bool = YesOption,
) -> None:
    """Remove a contact logged by mistake (asks first in a terminal)."""
    from veto.domain.contacts import find_contact, remove_contact
    from veto.domain.dates import finnish
    from veto.domain.references import find_employer

    with store() as session:
        found = find_contact(session, contact)
        employer = find_employer(session, found.employer_id)
        confirm_removal(
            _("Remove contact {id} ({employer}, {day})?").format(
                id=found.id, employer=employer.name, day=finnish(found.on_date)
            ),
            yes,
            "contact remove",
        )
        remove_contact(session, contact=found)


@app.command("list")
def list_(
    employer: str = typer.Option(None, "--employer", help="Only this employer's contacts."),
    client: str = typer.Option(None, "--client", help="Only the proposals about this client."),
    coach: str = typer.Option(None, "--coach", help="Only this coach's contacts."),
    stage: str = typer.Option(None, "--stage", help=_STAGES),
    period: str = PeriodOption,
    fmt: str = FormatOption,
) -> None:
    """List employer contacts, oldest first."""
    from veto.domain.contacts import list_contacts
    from veto.domain.dates import parse_period
    from veto.domain.references import find_client, find_coach, find_employer
    from veto.outputs.render import check_format, render_rows

    check_format(fmt)
    within = parse_period(period)
    with store() as session:
        rows = list_contacts(
            session,
            employer=find_employer(session, employer) if employer else None,
            client=find_client(session, client) if client else None,
            coach=find_coach(session, coach) if coach else None,
            stage=stage,
            period=within,
        )
    render_rows(rows, fmt, columns=_LIST_COLUMNS)


@app.command(
    "due",
    help="Follow-ups to make: overdue and upcoming, oldest first.\n\n"
    "Yours are those of the coach whose name, unique first name or e-mail before '@' matches the "
    "acting user: "
    "VETO_USER, else the login name; when the acting user is no coach, everyone's are shown. "
    "A follow-up is the --next date of a contact, open until a later contact with that "
    "employer (about the same client, for a proposal). Placements running today whose "
    "employer has not been contacted about the client for 14 days are listed as "
    '"pidä yhteyttä".',
)
def due(
    within: int = typer.Option(
        7,
        "--within",
        min=0,
        help="Also show follow-ups due in this many days, up to 3660 (overdue always).",
    ),
    everyone: bool = typer.Option(False, "--all", help="Every coach's, not only yours."),
    coach: str = typer.Option(None, "--coach", help="This coach's instead of yours."),
    fmt: str = FormatOption,
) -> None:
    from veto.domain.followups import DUE_COLUMNS, check_within, due_follow_ups
    from veto.outputs.render import check_format, render_rows

    check_format(fmt)
    check_within(within)
    with sql_store() as work:
        whose = whose_coach(work, coach=coach, everyone=everyone, listing="follow-ups")
        rows = due_follow_ups(work, coach=whose.id if whose else None, within=within)
    render_rows(rows, fmt, columns=DUE_COLUMNS)

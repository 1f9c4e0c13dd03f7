"""veto coach …: the coaches (työvalmentajat)."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, YesOption, confirm_removal, reference, store
from veto.i18n import _

app = typer.Typer(
    help="Coaches (työvalmentajat): add, edit, remove, list, show.", no_args_is_help=True
)
CoachArg = typer.Argument(..., help="Coach id or exact name.")


@app.command("add")
def add(
    name: str = typer.Argument(..., help="The coach's full name."),
    email: str = typer.Option(None, "--email", help="E-mail address."),
    phone: str = typer.Option(None, "--phone", help="Phone number."),
    area: str = typer.Option(
        None, "--area", help="Municipalities or group served, e.g. 'Seinäjoki, Ilmajoki'."
    ),
) -> None:
    """Add a coach; prints its id."""
    from veto.domain.coaches import add_coach

    with store() as session:
        coach = add_coach(session, name=name, email=email, phone=phone, area=area)
    reference(coach.id)


@app.command("list")
def list_(fmt: str = FormatOption) -> None:
    """List the coaches with their number of clients."""
    from veto.domain.coaches import list_coaches
    from veto.outputs.render import render_rows

    with store() as session:
        rows = list_coaches(session)
    render_rows(rows, fmt)


@app.command("show")
def show(
    coach: str = typer.Argument(..., help="Coach id or exact name."), fmt: str = FormatOption
) -> None:
    """Show one coach."""
    from veto.domain.coaches import show_coach
    from veto.domain.references import find_coach
    from veto.outputs.render import render_object

    with store() as session:
        data = show_coach(session, coach=find_coach(session, coach))
    render_object(data, fmt)


@app.command("edit")
def edit(
    coach: str = CoachArg,
    name: str = typer.Option(None, "--name", help="The corrected full name."),
    email: str = typer.Option(None, "--email", help="E-mail address; '' clears it."),
    phone: str = typer.Option(None, "--phone", help="Phone number; '' clears it."),
    area: str = typer.Option(None, "--area", help="Municipalities or group served; '' clears it."),
) -> None:
    """Correct a coach's details; only the options given change. Prints its id."""
    from veto.domain.coaches import edit_coach
    from veto.domain.references import find_coach

    with store() as session:
        found = edit_coach(
            session,
            coach=find_coach(session, coach),
            name=name,
            email=email,
            phone=phone,
            area=area,
        )
    reference(found.id)


@app.command("remove")
def remove(coach: str = CoachArg, yes: bool = YesOption) -> None:
    """Remove a coach added by mistake (asks first in a terminal); refused while a client or
    any recorded work names them."""
    from veto.domain.coaches import remove_coach
    from veto.domain.references import find_coach

    with store() as session:
        found = find_coach(session, coach)
        question = _("Remove coach {id} ({name})?").format(id=found.id, name=found.name)
        confirm_removal(question, yes, "coach remove")
        remove_coach(session, coach=found)

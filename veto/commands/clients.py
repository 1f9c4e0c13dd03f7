"""veto client …: clients and the end of a client relationship."""

from __future__ import annotations

from typing import Any

import typer

from veto.commands.common import DateOption, FormatOption, reference, sql_store, store
from veto.vocabulary import choices

app = typer.Typer(
    help="Clients (asiakkaat): add, list, show, edit, end, reopen.", no_args_is_help=True
)
ClientArg = typer.Argument(..., help="Client code, numeric id or unique name.")


@app.command("add")
def add(
    name: str = typer.Option(..., "--name", help="Full name."),
    gender: str = typer.Option(..., "--gender", help=choices("gender")),
    background: str = typer.Option(..., "--background", help=choices("background")),
    code: str = typer.Option(
        None, "--code", help="Client code; default: the next free A0001-style code."
    ),
    birth_year: int = typer.Option(None, "--birth-year", help="Year of birth, YYYY."),
    birth_date: str = typer.Option(
        None, "--birth-date", help="Date of birth (for the agreement form); sets the year too."
    ),
    coach: str = typer.Option(None, "--coach", help="Coach id or exact name."),
    municipality: str = typer.Option(None, "--municipality", help="Home municipality."),
    phone: str = typer.Option(None, "--phone", help="Phone number."),
    email: str = typer.Option(None, "--email", help="E-mail address."),
) -> None:
    """Add a client; prints the client code."""
    from veto.commands.common import invocation, mark_stored, running_command_path
    from veto.domain.dates import optional_date
    from veto.store.direct import SqliteWork, writes_directly

    given: dict[str, Any] = {
        "name": name,
        "gender": gender,
        "background": background,
        "code": code,
        "birth_year": birth_year,
        "birth_date": optional_date(birth_date, what="birth date"),
        "coach": coach,
        "municipality": municipality,
        "phone": phone,
        "email": email,
    }
    if writes_directly(invocation().location):  # SQLite, not a batch line: no ORM to import
        from veto.domain.new_client import add_client_direct

        with sql_store() as work:
            assert isinstance(work, SqliteWork)
            work.info["command"] = running_command_path()
            new_code = add_client_direct(work, **given)
        mark_stored()
        reference(new_code)
        return
    from veto.domain.clients import add_client

    with store() as session:
        client = add_client(session, **given)
    reference(client.code)


@app.command("list")
def list_(
    coach: str = typer.Option(None, "--coach", help="Only this coach's clients."),
    active: bool = typer.Option(
        None, "--active/--ended", help="Only active, or only ended, clients."
    ),
    fmt: str = FormatOption,
) -> None:
    """List clients with their coach and open phase."""
    from veto.domain.direct import list_clients
    from veto.outputs.render import render_rows

    with sql_store() as work:
        rows = list_clients(work, coach=coach, active=active)
    render_rows(rows, fmt)


@app.command("find")
def find(
    text: str = typer.Argument(..., help="Part of a code, name or municipality."),
    fmt: str = FormatOption,
) -> None:
    """Find clients by code, name or municipality, ignoring case and accents ('ahtari' finds
    Ähtäri)."""
    from veto.domain.clients import find_clients
    from veto.outputs.render import render_rows

    with store() as session:
        rows = find_clients(session, text)
    render_rows(rows, fmt, columns=FIND_COLUMNS)


FIND_COLUMNS = ["code", "name", "municipality", "coach", "phase", "ended_on"]


@app.command("show")
def show(
    client: str = ClientArg,
    sensitive: bool = typer.Option(
        False, "--sensitive", help="Include sensitive answers (health, substance use...); logged."
    ),
    fmt: str = FormatOption,
) -> None:
    """Show one client: details, phases, placements and hours (sensitive answers only with
    --sensitive)."""
    from veto.domain.client_card import show_client
    from veto.domain.direct import client_id
    from veto.outputs.render import render_object

    # The sensitive answers are read through the ORM (veto.privacy.export).
    with sql_store(orm=sensitive) as work:
        data = show_client(work, client_id=client_id(work, client), sensitive=sensitive)
    render_object(data, fmt)


@app.command("edit")
def edit(
    client: str = ClientArg,
    name: str = typer.Option(None, "--name", help="Corrected name."),
    code: str = typer.Option(None, "--code", help="New client code."),
    gender: str = typer.Option(None, "--gender", help=choices("gender")),
    background: str = typer.Option(None, "--background", help=choices("background")),
    birth_year: int = typer.Option(None, "--birth-year", help="Year of birth."),
    birth_date: str = typer.Option(None, "--birth-date", help="Date of birth."),
    coach: str = typer.Option(None, "--coach", help="Coach id or name ('' to clear)."),
    municipality: str = typer.Option(
        None, "--municipality", help="Home municipality ('' to clear)."
    ),
    phone: str = typer.Option(None, "--phone", help="Phone ('' to clear)."),
    email: str = typer.Option(None, "--email", help="E-mail ('' to clear)."),
    field: str = typer.Option(
        None, "--field", help="Sector or field of the outcome ('' to clear)."
    ),
) -> None:
    """Correct a client's details; prints the client code."""
    from veto.domain.clients import edit_client
    from veto.domain.dates import optional_date
    from veto.domain.references import find_client

    with store() as session:
        found = edit_client(
            session,
            client=find_client(session, client),
            name=name,
            code=code,
            gender=gender,
            background=background,
            birth_year=birth_year,
            birth_date=optional_date(birth_date, what="birth date"),
            coach=coach,
            municipality=municipality,
            phone=phone,
            email=email,
            outcome_field=field,
        )
    reference(found.code)


@app.command("end")
def end(
    client: str = ClientArg,
    outcome: str = typer.Option(
        ...,
        "--outcome",
        help=choices("outcome"),
    ),
    field: str = typer.Option(None, "--field", help="Sector of the job or field of the education."),
    on: str = DateOption,
) -> None:
    """End the client relationship; closes any open phase on that date."""
    from veto.domain.dates import parse_date
    from veto.domain.references import find_client
    from veto.domain.workflow import end_client

    with store() as session:
        found = end_client(
            session,
            client=find_client(session, client),
            outcome=outcome,
            on=parse_date(on),
            field=field,
        )
    reference(found.code)


@app.command("reopen")
def reopen(client: str = ClientArg) -> None:
    """Reopen an ended client relationship (clears the outcome)."""
    from veto.domain.references import find_client
    from veto.domain.workflow import reopen_client

    with store() as session:
        found = reopen_client(session, client=find_client(session, client))
    reference(found.code)

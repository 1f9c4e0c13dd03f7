"""veto note …: notes on a client."""

from __future__ import annotations

import typer

from veto.commands.common import DateOption, FormatOption, reference, store

app = typer.Typer(help="Notes on a client: add, list.", no_args_is_help=True)
NOTE_COLUMNS = ["id", "on", "author", "text"]


@app.command("add")
def add(
    client: str = typer.Argument(..., help="Client code, numeric id or unique name."),
    text: str = typer.Argument(..., help="The note (quote it)."),
    on: str = DateOption,
) -> None:
    """Add a note to a client's record; prints its id."""
    from veto.commands.common import acting_user
    from veto.domain.contacts import coach_of_user
    from veto.domain.dates import parse_date
    from veto.domain.notes import add_note
    from veto.domain.references import find_client

    with store() as session:
        note = add_note(
            session,
            client=find_client(session, client),
            text=text,
            on=parse_date(on, what="note date"),
            coach=coach_of_user(session, acting_user()),
        )
        note_id = note.id
    reference(note_id)


@app.command("list")
def list_(
    client: str = typer.Argument(..., help="Client code, numeric id or unique name."),
    fmt: str = FormatOption,
) -> None:
    """List a client's notes, oldest first."""
    from veto.domain.notes import list_notes
    from veto.domain.references import find_client
    from veto.outputs.render import render_rows

    with store() as session:
        rows = list_notes(session, client=find_client(session, client))
    render_rows(rows, fmt, columns=NOTE_COLUMNS)

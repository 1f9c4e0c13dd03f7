"""veto note …: notes on a client."""

from __future__ import annotations

import typer

from veto.commands.common import (
    DateOption,
    FormatOption,
    YesOption,
    confirm_removal,
    reference,
    store,
)
from veto.i18n import _

app = typer.Typer(help="Notes on a client: add, edit, remove, list.", no_args_is_help=True)
NoteArg = typer.Argument(..., help="Note id (veto note list CLIENT).")
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


@app.command("edit")
def edit(
    note: str = NoteArg,
    text: str = typer.Option(None, "--text", help="The corrected text."),
    on: str = typer.Option(None, "--on", help="The corrected date."),
) -> None:
    """Correct a note; only the options given change. Prints its id."""
    from veto.domain.dates import optional_date
    from veto.domain.notes import edit_note, find_note

    with store() as session:
        found = edit_note(
            session,
            note=find_note(session, note),
            text=text,
            on=optional_date(on, what="note date"),
        )
    reference(found.id)


@app.command("remove")
def remove(note: str = NoteArg, yes: bool = YesOption) -> None:
    """Remove a note written by mistake (asks first in a terminal)."""
    from veto.domain.dates import finnish
    from veto.domain.notes import find_note, remove_note
    from veto.domain.references import find_client

    with store() as session:
        found = find_note(session, note)
        code = find_client(session, found.client_id).code
        question = _("Remove note {id} ({code}, {day})?")
        confirm_removal(
            question.format(id=found.id, code=code, day=finnish(found.on_date)), yes, "note remove"
        )
        remove_note(session, note=found)

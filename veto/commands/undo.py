"""veto undo: take back the acting user's last command that changed the store."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, YesOption, confirm_removal, note, store
from veto.i18n import _

COLUMNS = ["command_id", "command", "at", "user", "record", "operation", "field", "old", "new",
           "undo"]  # fmt: skip


def undo(
    listing: bool = typer.Option(
        False, "--list", help="Only show what would be undone (and whether it can be)."
    ),
    yes: bool = YesOption,
    fmt: str = FormatOption,
) -> None:
    """Take back your last command that changed the store (VETO_USER; on PostgreSQL the server
    role), from the change history, in one transaction. Each undo goes one command further
    back; an undo is never itself undone. Refused, with what depends on it, when a later
    command builds on it, and always for an erasure."""
    from veto.domain.undo import check, history_actor, last_command, row_name, take_back
    from veto.outputs.render import render_rows
    from veto.privacy.history import undo_rows

    with store() as session:
        command = last_command(session, history_actor(session))
        if listing:
            rows = undo_rows(session, command)
            refusal = check(session, command)
        else:
            if command.removes:
                records = ", ".join(row_name(e.table_name, e.row_id) for e in command.removes)
                question = _("Undo {command}? It removes {records}.")
                confirm_removal(
                    question.format(command=command.describe(), records=records), yes, "veto undo"
                )
            take_back(session, command)
    if listing:
        render_rows(rows, fmt, columns=COLUMNS)
        if refusal:
            note(_("veto undo would refuse: {refusal}").format(refusal=refusal))
        return
    note(_("Undone: {command}").format(command=command.describe()))

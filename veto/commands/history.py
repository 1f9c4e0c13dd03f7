"""veto history: what was changed or removed in a client's records, by whom and when."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, store


def history(
    client: str = typer.Argument(..., help="Client code, id or name."),
    sensitive: bool = typer.Option(
        False, "--sensitive", help="Also show sensitive answers (logged as such)."
    ),
    fmt: str = FormatOption,
) -> None:
    """Show a client's changes, oldest first: old → new per field; reading it is logged."""
    from veto.outputs.render import check_format, render_rows
    from veto.privacy.history import COLUMNS, client_history

    check_format(fmt)
    with store() as session:
        rows = client_history(session, client, sensitive=sensitive)
    if fmt == "table":
        rows = [_in_words(row) for row in rows]
    render_rows(rows, fmt, columns=COLUMNS)


def _in_words(row: dict) -> dict:
    """A change as a table shows it: the operation, the field and an enumeration value in the
    current language (JSON and CSV keep them as stored)."""
    from veto.i18n import _, pgettext
    from veto.outputs.labels import cell, header
    from veto.privacy.history import HIDDEN

    field = row["field"]

    def value(kept):
        return _(HIDDEN) if kept == HIDDEN else cell(field, kept)

    return {
        **row,
        "operation": pgettext("operation", row["operation"]),
        "field": header(field),
        "old": value(row["old"]),
        "new": value(row["new"]),
    }

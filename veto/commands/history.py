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
    render_rows(rows, fmt, columns=COLUMNS)

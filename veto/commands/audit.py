"""veto audit: the access log — who has read or changed whose data, and when."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, store


def audit(
    client: str = typer.Option(
        None, "--client", help="Client code or id (an erased person's id still works)."
    ),
    user: str = typer.Option(None, "--user", help="Only what this user (VETO_USER) did."),
    since: str = typer.Option(None, "--since", help="From this date on (2024-08-01 or 1.8.2024)."),
    fmt: str = FormatOption,
) -> None:
    """Show the access log, oldest first; reading it is logged too."""
    from veto.domain.dates import optional_date
    from veto.outputs.render import check_format, render_rows
    from veto.privacy.access_log import COLUMNS, read_log

    check_format(fmt)
    with store(purpose="supervision") as session:
        rows = read_log(
            session, client=client, user=user, since=optional_date(since, what="--since")
        )
    render_rows(rows, fmt, columns=COLUMNS)

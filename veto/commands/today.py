"""veto today (tänään): the acting coach's day."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, sql_store, whose_coach


def today(
    everyone: bool = typer.Option(False, "--all", help="Every coach's clients, not only yours."),
    coach: str = typer.Option(None, "--coach", help="This coach's day instead of yours."),
    on: str = typer.Option(None, "--on", help="The day as of this date; default: today."),
    fmt: str = FormatOption,
) -> None:
    """Your day: placement hours used of the budget, follow-ups due or late, placements
    starting or ending within 7 days, running placements with no employer contact in 14 days,
    EURA forms pending, and clients with nothing recorded in 30 days. You are the coach whose
    name, unique first name or e-mail before '@' is VETO_USER (else the login name). Also
    `veto tänään`."""
    from veto.domain.dates import optional_date
    from veto.domain.today import coach_day
    from veto.outputs.render import render_object

    with sql_store() as work:
        whose = whose_coach(work, coach=coach, everyone=everyone, listing="clients")
        data = coach_day(work, coach=whose, today=optional_date(on))
    render_object(data, fmt)

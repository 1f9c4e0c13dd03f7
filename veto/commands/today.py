"""veto today (tänään): the acting coach's day."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, acting_user, note, store


def today(
    everyone: bool = typer.Option(False, "--all", help="Every coach's clients, not only yours."),
    coach: str = typer.Option(None, "--coach", help="This coach's day instead of yours."),
    fmt: str = FormatOption,
) -> None:
    """Your day: placement hours used of the budget, follow-ups due or late, placements
    starting or ending within 7 days, running placements with no employer contact in 14 days,
    EURA forms pending, and clients with nothing recorded in 30 days. You are the coach whose
    name, unique first name or e-mail before '@' is VETO_USER (else the login name). Also
    `veto tänään`."""
    from veto.domain.contacts import coach_of_user
    from veto.domain.references import find_coach
    from veto.domain.today import coach_day
    from veto.errors import InputError
    from veto.outputs.render import render_object

    if everyone and coach:
        raise InputError("give either --all or --coach, not both")
    with store() as session:
        whose = None
        if coach:
            whose = find_coach(session, coach)
        elif not everyone:
            user = acting_user()
            whose = coach_of_user(session, user)
            if whose is None:
                note(
                    f"The acting user '{user}' is no coach: showing every coach's clients "
                    "(set VETO_USER to a coach's name, or give --coach COACH)."
                )
        data = coach_day(session, coach=whose)
    render_object(data, fmt)

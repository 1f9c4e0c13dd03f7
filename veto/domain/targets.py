"""The service's budget and targets, named once: every command, report, warning and test that
needs one imports it from here."""

from __future__ import annotations

#: Coaching hours a client may use in supported employment at a workplace (`placement`).
PLACEMENT_HOURS_BUDGET = 18

#: Placement hours past which `activity log` warns that the budget is running out.
PLACEMENT_HOURS_WARNING = 15

#: New clients aimed at in a pilot period (the default `--target` of `report pilot`).
PERIOD_INTAKE_TARGET = 18

#: New clients aimed at over the whole project (`report pilot --project`).
PROJECT_INTAKE_TARGET = 30

#: Clients a coach is expected to carry.
CLIENTS_PER_COACH_TARGET = 10

#: The largest `--target` accepted: more new clients than the whole country's services have.
MAX_TARGET = 100_000


def check_target(target: int, *, option: str = "--target") -> int:
    """An intake target someone could mean: 0 to MAX_TARGET clients; else `InputError`."""
    from veto.errors import InputError
    from veto.i18n import _

    if not 0 <= target <= MAX_TARGET:
        raise InputError(
            _("invalid {option} {target}: give 0 to {most} clients").format(
                option=option, target=target, most=MAX_TARGET
            )
        )
    return target

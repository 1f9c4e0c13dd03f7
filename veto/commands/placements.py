"""veto placement …: work trials, jobs and apprenticeships, with the agreement's fields."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, YesOption, confirm_removal, reference, store
from veto.i18n import _
from veto.outputs.labels import cell
from veto.vocabulary import choices

app = typer.Typer(
    help="Placements: work trials (työkokeilu), jobs, apprenticeships.", no_args_is_help=True
)
PlacementArg = typer.Argument(..., help="Placement id.")


def _agreement_options(
    title: str | None,
    tasks: str | None,
    supervisor: str | None,
    supervisor_contact: str | None,
    employment_form: str | None,
    employment_other: str | None,
    hours_per_month: str | None,
    full_time: str | None,
    pay_per_hour: str | None,
    pay_per_month: str | None,
    wage_subsidy: str | None,
    arrangement_support: str | None,
) -> dict:
    return {
        "title": title,
        "tasks": tasks,
        "supervisor_name": supervisor,
        "supervisor_contact": supervisor_contact,
        "employment_form": employment_form,
        "employment_other": employment_other,
        "hours_per_month": hours_per_month,
        "full_time": full_time,
        "pay_per_hour": pay_per_hour,
        "pay_per_month": pay_per_month,
        "wage_subsidy": wage_subsidy,
        "arrangement_support": arrangement_support,
    }


Title = typer.Option(None, "--title", help="Job title (työnimike).")
Tasks = typer.Option(None, "--tasks", help="Tasks (työtehtävät).")
Supervisor = typer.Option(None, "--supervisor", help="Supervisor's name (esihenkilö).")
SupervisorContact = typer.Option(None, "--supervisor-contact", help="Supervisor's phone or e-mail.")
EmploymentForm = typer.Option(None, "--employment-form", help=choices("employment form"))
EmploymentOther = typer.Option(
    None, "--employment-other", help="What the other employment form is."
)
HoursPerMonth = typer.Option(None, "--hours-per-month", help="Part-time hours a month, e.g. 80.")
FullTime = typer.Option(None, "--full-time", help="yes or no (kyllä/ei).")
PayPerHour = typer.Option(None, "--pay-per-hour", help="Pay €/h, e.g. 12,50.")
PayPerMonth = typer.Option(None, "--pay-per-month", help="Pay €/month.")
WageSubsidy = typer.Option(None, "--wage-subsidy", help="Wage subsidy used: yes or no.")
ArrangementSupport = typer.Option(
    None, "--arrangement-support", help="Arrangement support used: yes or no."
)


@app.command("add")
def add(
    client: str = typer.Argument(..., help="Client code or numeric id."),
    employer: str = typer.Option(..., "--employer", help="Employer id or exact name."),
    kind: str = typer.Option(..., "--kind", help=choices("placement kind")),
    start: str = typer.Option(..., "--start", help="Start date (2024-08-01 or 1.8.2024)."),
    end: str = typer.Option(None, "--end", help="End date, if known."),
    title: str = Title,
    tasks: str = Tasks,
    supervisor: str = Supervisor,
    supervisor_contact: str = SupervisorContact,
    employment_form: str = EmploymentForm,
    employment_other: str = EmploymentOther,
    hours_per_month: str = HoursPerMonth,
    full_time: str = FullTime,
    pay_per_hour: str = PayPerHour,
    pay_per_month: str = PayPerMonth,
    wage_subsidy: str = WageSubsidy,
    arrangement_support: str = ArrangementSupport,
) -> None:
    """Add a work trial or job for a client at an employer; prints its id."""
    from veto.domain.dates import optional_date, parse_date
    from veto.domain.placements import add_placement
    from veto.domain.references import find_client, find_employer

    with store() as session:
        placement = add_placement(
            session,
            client=find_client(session, client),
            employer=find_employer(session, employer),
            kind=kind,
            start=parse_date(start, what="start date"),
            end=optional_date(end, what="end date"),
            **_agreement_options(
                title,
                tasks,
                supervisor,
                supervisor_contact,
                employment_form,
                employment_other,
                hours_per_month,
                full_time,
                pay_per_hour,
                pay_per_month,
                wage_subsidy,
                arrangement_support,
            ),
        )
    reference(placement.id)


@app.command("edit")
def edit(
    placement: str = PlacementArg,
    employer: str = typer.Option(None, "--employer", help="Employer id or exact name."),
    kind: str = typer.Option(None, "--kind", help=choices("placement kind")),
    start: str = typer.Option(None, "--start", help="Start date."),
    end: str = typer.Option(None, "--end", help="End date."),
    title: str = Title,
    tasks: str = Tasks,
    supervisor: str = Supervisor,
    supervisor_contact: str = SupervisorContact,
    employment_form: str = EmploymentForm,
    employment_other: str = EmploymentOther,
    hours_per_month: str = HoursPerMonth,
    full_time: str = FullTime,
    pay_per_hour: str = PayPerHour,
    pay_per_month: str = PayPerMonth,
    wage_subsidy: str = WageSubsidy,
    arrangement_support: str = ArrangementSupport,
) -> None:
    """Correct a placement or fill in its agreement fields; prints its id."""
    from veto.domain.dates import optional_date
    from veto.domain.placements import edit_placement
    from veto.domain.references import find_employer, find_placement

    with store() as session:
        found = edit_placement(
            session,
            placement=find_placement(session, placement),
            employer=find_employer(session, employer) if employer else None,
            kind=kind,
            start=optional_date(start, what="start date"),
            end=optional_date(end, what="end date"),
            **_agreement_options(
                title,
                tasks,
                supervisor,
                supervisor_contact,
                employment_form,
                employment_other,
                hours_per_month,
                full_time,
                pay_per_hour,
                pay_per_month,
                wage_subsidy,
                arrangement_support,
            ),
        )
    reference(found.id)


@app.command("end")
def end(
    placement: str = PlacementArg,
    on: str = typer.Option(None, "--on", help="End date; default: today."),
) -> None:
    """End a running placement."""
    from veto.domain.dates import parse_date
    from veto.domain.placements import end_placement
    from veto.domain.references import find_placement

    with store() as session:
        found = end_placement(
            session, placement=find_placement(session, placement), on=parse_date(on)
        )
    reference(found.id)


@app.command("list")
def list_(
    client: str = typer.Option(None, "--client", help="Only this client's placements."),
    employer: str = typer.Option(None, "--employer", help="Only at this employer."),
    kind: str = typer.Option(None, "--kind", help="Only this kind."),
    fmt: str = FormatOption,
) -> None:
    """List placements by start date."""
    from veto.domain.placements import list_placements
    from veto.outputs.render import render_rows

    with store() as session:
        rows = list_placements(session, client=client, employer=employer, kind=kind)
    render_rows(rows, fmt, columns=["id", "client", "employer", "kind", "start", "end", "title"])


@app.command("show")
def show(placement: str = PlacementArg, fmt: str = FormatOption) -> None:
    """Show one placement with its agreement fields."""
    from veto.domain.placements import show_placement
    from veto.domain.references import find_placement
    from veto.outputs.render import render_object

    with store() as session:
        data = show_placement(session, placement=find_placement(session, placement))
    render_object(data, fmt)


@app.command("remove")
def remove(placement: str = PlacementArg, yes: bool = YesOption) -> None:
    """Remove a placement entered by mistake (asks first in a terminal)."""
    from veto.domain.dates import finnish
    from veto.domain.placements import remove_placement
    from veto.domain.references import find_placement

    with store() as session:
        found = find_placement(session, placement)
        confirm_removal(
            _("Remove placement {id} ({kind} from {day})?").format(
                id=found.id, kind=cell("kind", found.kind), day=finnish(found.start_on)
            ),
            yes,
            "placement remove",
        )
        remove_placement(session, placement=found)

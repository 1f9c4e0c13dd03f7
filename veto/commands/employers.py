"""veto employer …: the employers (työnantajat), their contact persons and pipeline."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, YesOption, confirm_removal, reference, store
from veto.i18n import _

app = typer.Typer(
    help="Employers (työnantajat): add, edit, remove, list (the pipeline), show, contact persons.",
    no_args_is_help=True,
)
person_app = typer.Typer(
    help="Contact persons at an employer: add, edit, remove, list.", no_args_is_help=True
)
app.add_typer(person_app, name="person")

EmployerArg = typer.Argument(..., help="Employer id or exact name.")


@app.command("add")
def add(
    name: str = typer.Argument(..., help="The employer's name, e.g. 'Kahvila Esimerkki Oy'."),
    business_id: str = typer.Option(
        None,
        "--business-id",
        "--y-tunnus",
        help="Y-tunnus, e.g. 0112038-9 (the check digit is verified).",
    ),
    sector: str = typer.Option(None, "--sector", help="Sector (ala), e.g. 'kahvila-ala'."),
    municipality: str = typer.Option(None, "--municipality", help="Municipality."),
    address: str = typer.Option(None, "--address", help="Street address."),
) -> None:
    """Add an employer; prints its id."""
    from veto.domain.employers import BUSINESS_ID_ACCEPTED, add_employer
    from veto.errors import InputError

    if business_id is not None and not business_id.strip():
        raise InputError(
            _("--business-id is empty: {BUSINESS_ID_ACCEPTED}, or leave it out").format(
                BUSINESS_ID_ACCEPTED=_(BUSINESS_ID_ACCEPTED)
            )
        )

    with store() as session:
        employer = add_employer(
            session,
            name=name,
            business_id=business_id,
            sector=sector,
            municipality=municipality,
            address=address,
        )
    reference(employer.id)


@app.command("edit")
def edit(
    employer: str = EmployerArg,
    name: str = typer.Option(None, "--name", help="New name."),
    business_id: str = typer.Option(
        None,
        "--business-id",
        "--y-tunnus",
        help="Y-tunnus, e.g. 0112038-9 (the check digit is verified). '' clears it.",
    ),
    sector: str = typer.Option(None, "--sector", help="Sector; '' clears it."),
    municipality: str = typer.Option(None, "--municipality", help="Municipality; '' clears it."),
    address: str = typer.Option(None, "--address", help="Street address; '' clears it."),
) -> None:
    """Correct an employer's details; only the options given change. Prints its id."""
    from veto.domain.employers import edit_employer
    from veto.domain.references import find_employer

    with store() as session:
        found = edit_employer(
            session,
            employer=find_employer(session, employer),
            name=name,
            business_id=business_id,
            sector=sector,
            municipality=municipality,
            address=address,
        )
    reference(found.id)


@app.command("remove")
def remove(employer: str = EmployerArg, yes: bool = YesOption) -> None:
    """Remove an employer added by mistake (asks first in a terminal); refused while a
    placement, contact or contact person names it."""
    from veto.domain.employers import remove_employer
    from veto.domain.references import find_employer

    with store() as session:
        found = find_employer(session, employer)
        question = _("Remove employer {id} ({name})?").format(id=found.id, name=found.name)
        confirm_removal(question, yes, "employer remove")
        remove_employer(session, employer=found)


@app.command("list")
def list_(
    stage: str = typer.Option(
        None,
        "--stage",
        help="Only employers at this stage (that of their latest contact): mapping, contact, "
        "negotiation, decision, aftercare, or none (never contacted).",
    ),
    fmt: str = FormatOption,
) -> None:
    """List employers with their current stage, last contact and number of placements."""
    from veto.domain.employers import LIST_COLUMNS, list_employers
    from veto.outputs.render import check_format, render_rows

    check_format(fmt)
    with store() as session:
        rows = list_employers(session, stage=stage)
    render_rows(rows, fmt, columns=LIST_COLUMNS)


@app.command("show")
def show(employer: str = EmployerArg, fmt: str = FormatOption) -> None:
    """Show an employer and its history: contact persons, contacts and proposals, work trials
    and jobs, and the supports used (wage subsidy, arrangement support)."""
    from veto.domain.employers import show_employer
    from veto.domain.references import find_employer
    from veto.outputs.render import check_format, render_object

    check_format(fmt)
    with store() as session:
        data = show_employer(session, employer=find_employer(session, employer))
    render_object(data, fmt)


@person_app.command("add")
def person_add(
    employer: str = EmployerArg,
    name: str = typer.Option(..., "--name", help="The person's name."),
    role: str = typer.Option(None, "--role", help="Role, e.g. 'esihenkilö' or 'HR'."),
    phone: str = typer.Option(None, "--phone", help="Phone number."),
    email: str = typer.Option(None, "--email", help="E-mail address."),
) -> None:
    """Add a contact person at the employer; prints its id."""
    from veto.domain.employers import add_person
    from veto.domain.references import find_employer

    with store() as session:
        person = add_person(
            session,
            employer=find_employer(session, employer),
            name=name,
            role=role,
            phone=phone,
            email=email,
        )
    reference(person.id)


@person_app.command("list")
def person_list(employer: str = EmployerArg, fmt: str = FormatOption) -> None:
    """List the contact persons at the employer."""
    from veto.domain.employers import list_persons
    from veto.domain.references import find_employer
    from veto.outputs.render import check_format, render_rows

    check_format(fmt)
    with store() as session:
        rows = list_persons(session, employer=find_employer(session, employer))
    render_rows(rows, fmt, columns=("id", "name", "role", "phone", "email"))


@person_app.command("edit")
def person_edit(
    person: str = typer.Argument(..., help="Contact person id (veto employer person list)."),
    name: str = typer.Option(None, "--name", help="The corrected name."),
    role: str = typer.Option(None, "--role", help="Role; '' clears it."),
    phone: str = typer.Option(None, "--phone", help="Phone number; '' clears it."),
    email: str = typer.Option(None, "--email", help="E-mail address; '' clears it."),
) -> None:
    """Correct a contact person; only the options given change. Prints its id."""
    from veto.domain.employers import edit_person, find_person

    with store() as session:
        found = edit_person(
            session,
            person=find_person(session, person),
            name=name,
            role=role,
            phone=phone,
            email=email,
        )
    reference(found.id)


@person_app.command("remove")
def person_remove(
    person: str = typer.Argument(..., help="Contact person id (veto employer person list)."),
    yes: bool = YesOption,
) -> None:
    """Remove a contact person added by mistake (asks first in a terminal); refused while a
    contact names them."""
    from veto.domain.employers import find_person, remove_person

    with store() as session:
        found = find_person(session, person)
        question = _("Remove contact person {id} ({name})?").format(id=found.id, name=found.name)
        confirm_removal(question, yes, "employer person remove")
        remove_person(session, person=found)

"""veto employer …: the employers (työnantajat)."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, reference, store

app = typer.Typer(help="Employers (työnantajat): add, list, show.", no_args_is_help=True)


@app.command("add")
def add(
    name: str = typer.Argument(..., help="The employer's name, e.g. 'Kahvila Esimerkki Oy'."),
    business_id: str = typer.Option(None, "--business-id", help="Y-tunnus, e.g. 1234567-1."),
    sector: str = typer.Option(None, "--sector", help="Sector (ala), e.g. 'kahvila-ala'."),
    municipality: str = typer.Option(None, "--municipality", help="Municipality."),
    address: str = typer.Option(None, "--address", help="Street address."),
) -> None:
    """Add an employer; prints its id."""
    from veto.domain.employers import add_employer

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


@app.command("list")
def list_(fmt: str = FormatOption) -> None:
    """List employers with their number of placements."""
    from veto.domain.employers import list_employers
    from veto.outputs.render import render_rows

    with store() as session:
        rows = list_employers(session)
    render_rows(rows, fmt)


@app.command("show")
def show(
    employer: str = typer.Argument(..., help="Employer id or exact name."), fmt: str = FormatOption
) -> None:
    """Show one employer."""
    from veto.domain.employers import show_employer
    from veto.domain.references import find_employer
    from veto.outputs.render import render_object

    with store() as session:
        data = show_employer(session, employer=find_employer(session, employer))
    render_object(data, fmt)

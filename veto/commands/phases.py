"""veto phase …: coaching (työvalmennus) and placement (työhönvalmennus) phases."""

from __future__ import annotations

import typer

from veto.commands.common import (
    DateOption,
    FormatOption,
    YesOption,
    confirm_removal,
    reference,
    store,
)
from veto.i18n import _
from veto.outputs.labels import cell
from veto.vocabulary import choices

app = typer.Typer(
    help="Phases of a client's path: start, end, edit, remove, list.", no_args_is_help=True
)


@app.command("start")
def start(
    kind: str = typer.Argument(..., help=choices("phase kind")),
    client: str = typer.Argument(..., help="Client code or numeric id."),
    on: str = DateOption,
) -> None:
    """Open a phase; starting placement closes an open coaching phase on the same date."""
    from veto.domain.dates import parse_date
    from veto.domain.references import find_client
    from veto.domain.workflow import start_phase

    with store() as session:
        phase = start_phase(
            session, client=find_client(session, client), kind=kind, on=parse_date(on)
        )
    reference(phase.id)


@app.command("end")
def end(
    client: str = typer.Argument(..., help="Client code or numeric id."), on: str = DateOption
) -> None:
    """Close the client's open phase."""
    from veto.domain.dates import parse_date
    from veto.domain.references import find_client
    from veto.domain.workflow import close_open_phase

    with store() as session:
        phase = close_open_phase(session, client=find_client(session, client), on=parse_date(on))
    reference(phase.id)


@app.command("list")
def list_(
    client: str = typer.Argument(..., help="Client code or numeric id."), fmt: str = FormatOption
) -> None:
    """List a client's phases in order."""
    from veto.domain.audit import log_access
    from veto.domain.references import find_client
    from veto.domain.workflow import phases_of
    from veto.outputs.render import render_rows

    with store() as session:
        found = find_client(session, client)
        rows = [
            {"id": p.id, "kind": p.kind, "start": p.start_on, "end": p.end_on}
            for p in phases_of(session, found)
        ]
        log_access(session, action="phase.list", client_id=found.id)
    render_rows(rows, fmt, columns=["id", "kind", "start", "end"])


@app.command("edit")
def edit(
    phase: str = typer.Argument(..., help="Phase id (veto phase list CLIENT)."),
    start: str = typer.Option(None, "--start", help="The corrected start date."),
    end: str = typer.Option(None, "--end", help="The corrected end date."),
) -> None:
    """Correct a phase's dates; the timeline rule is checked on the result; prints its id."""
    from veto.domain.dates import optional_date
    from veto.domain.references import find_phase
    from veto.domain.workflow import edit_phase

    with store() as session:
        found = edit_phase(
            session,
            phase=find_phase(session, phase),
            start=optional_date(start, what="start"),
            end=optional_date(end, what="end"),
        )
    reference(found.id)


@app.command("remove")
def remove(
    phase: str = typer.Argument(..., help="Phase id (veto phase list CLIENT)."),
    yes: bool = YesOption,
) -> None:
    """Remove a phase entered by mistake (asks first in a terminal)."""
    from veto.domain.dates import finnish
    from veto.domain.references import find_phase
    from veto.domain.workflow import remove_phase

    with store() as session:
        found = find_phase(session, phase)
        confirm_removal(
            _("Remove phase {id} ({kind} from {day})?").format(
                id=found.id, kind=cell("kind", found.kind), day=finnish(found.start_on)
            ),
            yes,
            "phase remove",
        )
        remove_phase(session, phase=found)

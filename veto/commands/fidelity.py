"""veto report fidelity: the service against the IPS fidelity scale and the project plan."""

from __future__ import annotations

import typer

from veto.commands.common import FormatOption, sql_store


def fidelity(
    period: str = typer.Option(
        None,
        "--period",
        help="2025, 2024-2025 or 2024-02-01..2025-11-30; default: from the first record to today.",
    ),
    fmt: str = FormatOption,
) -> None:
    """Fidelity: caseload, days to the first employer contact, employer contacts per week,
    placement hours, agreements and diversity, per coach and in total, each beside its
    benchmark (IPS fidelity scale; the project plan) and whether it is met."""
    from veto.domain.dates import parse_period
    from veto.outputs.render import check_format, render_rows, to_json
    from veto.reports.fidelity import (
        CSV_COLUMNS,
        SOURCES_NOTE,
        fidelity_report,
        flat_rows,
        table_rows,
        table_title,
    )

    fmt = check_format(fmt)
    within = parse_period(period)
    with sql_store(purpose="report") as work:
        report = fidelity_report(work, period=within)
    if fmt == "json":
        typer.echo(to_json(report))
    elif fmt == "csv":
        render_rows(flat_rows(report), "csv", columns=CSV_COLUMNS)
    else:
        render_rows(table_rows(report), "table", title=table_title(report))
        typer.echo(SOURCES_NOTE)

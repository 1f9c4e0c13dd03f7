"""veto report fidelity: the service against the IPS fidelity scale and the project plan."""

from __future__ import annotations

import typer

from veto.commands.common import (
    ForceOption,
    OutOption,
    ReportFormatOption,
    WideOption,
    note,
    sql_store,
    store_file,
)
from veto.i18n import _


def fidelity(
    period: str = typer.Option(
        None,
        "--period",
        help="2025, 2024-2025 or 2024-02-01..2025-11-30; default: from the first record to today.",
    ),
    fmt: str = ReportFormatOption,
    out: str = OutOption,
    force: bool = ForceOption,
    wide: bool = WideOption,
) -> None:
    """Fidelity: caseload, days to the first employer contact, employer contacts per week,
    placement hours, agreements and diversity, per coach and in total, each beside its
    benchmark (IPS fidelity scale; the project plan) and whether it is met."""
    from veto.domain.dates import parse_period
    from veto.outputs.report import check_report_format, write_report
    from veto.reports.fidelity import fidelity_document, fidelity_report

    fmt = check_report_format(fmt, out, force=force, store=store_file())
    within = parse_period(period)
    with sql_store(purpose="report") as work:
        report = fidelity_report(work, period=within)
    write_report(
        fidelity_document(report), fmt, out=out, force=force, store=store_file(), wide=wide
    )
    if out:
        note(_("wrote {out}").format(out=out))

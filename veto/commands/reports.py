"""veto report …: the funder's result tables."""

from __future__ import annotations

import typer

from veto.commands.common import (
    ForceOption,
    OutOption,
    PeriodOption,
    ReportFormatOption,
    SuppressBelowOption,
    WideOption,
    note,
    sql_store,
    store_file,
)
from veto.i18n import _

app = typer.Typer(help="Result tables (tulokset) computed from the records.", no_args_is_help=True)


@app.command("pilot")
def pilot(
    period: str = PeriodOption,
    fmt: str = ReportFormatOption,
    target: int = typer.Option(
        None, "--target", help="Clients aimed at in the period (default 18; 30 with --project)."
    ),
    project: bool = typer.Option(
        False,
        "--project",
        help="The whole project: period 1.2.2024–31.1.2027 and target 30 (unless given).",
    ),
    suppress_below: int = SuppressBelowOption,
    out: str = OutOption,
    force: bool = ForceOption,
    wide: bool = WideOption,
) -> None:
    """The pilot results (section 2.5): clients, outcomes, durations, work trials, hours,
    intake against the target and clients per coach."""
    from veto.domain.dates import parse_period
    from veto.domain.targets import PERIOD_INTAKE_TARGET, check_target
    from veto.errors import InputError
    from veto.outputs.report import check_report_format, write_report
    from veto.reports.pilot import (
        PROJECT_PERIOD,
        PROJECT_TARGET,
        pilot_report,
        suppress_small_cells,
    )
    from veto.reports.pilot_tables import pilot_document

    fmt = check_report_format(fmt, out, force=force, store=store_file())
    if project and period is not None:
        raise InputError(_("give either --project or --period, not both"))
    chosen = PROJECT_PERIOD if project else parse_period(period)
    if target is None:
        target = PROJECT_TARGET if project else PERIOD_INTAKE_TARGET
    check_target(target)
    if suppress_below is not None and suppress_below < 2:
        raise InputError(
            _("invalid --suppress-below {suppress_below}: give 2 or more (e.g. 5)").format(
                suppress_below=suppress_below
            )
        )
    with sql_store(purpose="report") as work:
        report = pilot_report(work, period=chosen, target=target)
    small: set[str] = set()
    if suppress_below is not None:
        report, small = suppress_small_cells(report, below=suppress_below)
    write_report(
        pilot_document(report, small), fmt, out=out, force=force, store=store_file(), wide=wide
    )
    if out:
        note(_("wrote {out}").format(out=out))


def demo(
    out: str = typer.Option(
        None, "--out", help="Where to build the demo store; default: demo.db in the data folder."
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", help="Report format: table, json, csv, md or html."
    ),
    wide: bool = WideOption,
) -> None:
    """Build a fictional example store (3 coaches, 25 clients) and print its pilot report.

    The demo never touches your own store: it lives in its own file, rebuilt on every run.
    """
    from pathlib import Path

    from veto.commands.common import note
    from veto.demo import build_demo, default_path
    from veto.domain.dates import Period
    from veto.outputs.render import check_format
    from veto.outputs.report import write_report
    from veto.reports.pilot import pilot_report
    from veto.reports.pilot_tables import pilot_document
    from veto.store.direct import direct_transaction
    from veto.store.location import sqlite_location

    fmt = check_format(fmt, ("table", "json", "csv", "md", "html"))
    summary = build_demo(Path(out) if out else default_path())
    with direct_transaction(sqlite_location(summary.path, "demo"), actor="demo") as work:
        report = pilot_report(work, period=Period(None, None))
    note(
        _(
            "Demo store: {path} ({coaches} coaches, {clients} clients, {employers} employers; "
            "all invented). Explore it with: veto --db {path} client list"
        ).format(
            path=summary.path,
            coaches=summary.coaches,
            clients=summary.clients,
            employers=summary.employers,
        )
    )
    write_report(pilot_document(report), fmt, wide=wide)

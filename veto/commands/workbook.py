"""veto export xlsx / veto import xlsx: the tracking workbook (seurantaexcel)."""

from __future__ import annotations

import gc
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from veto.commands.common import ForceOption, note, store, store_file
from veto.domain.targets import PERIOD_INTAKE_TARGET
from veto.i18n import _

export_app = typer.Typer(help="Write the store out: the tracking workbook.", no_args_is_help=True)
import_app = typer.Typer(
    help="Read records in: the tracking workbook, or a coach's own table.", no_args_is_help=True
)

# A progress bar only where someone watches, and only when the wait is noticeable.
PROGRESS_FROM_ROWS = 2000


@export_app.command("xlsx")
def export_xlsx(
    out: Path = typer.Option(..., "--out", "-o", help="The workbook to write (.xlsx)."),
    period: str = typer.Option(
        None, "--period", help="Period of the Tulokset sheet: 2025, 2024-2025 or A..B; default all."
    ),
    target: int = typer.Option(
        PERIOD_INTAKE_TARGET, "--target", help="Intake target drawn on the Tulokset chart."
    ),
    force: bool = ForceOption,
) -> None:
    """Write every record (and the pilot results with charts) to a tracking workbook."""
    from veto.domain.dates import parse_period
    from veto.domain.targets import check_target
    from veto.workbook.export import check_workbook_target, export_workbook

    check_target(target)
    check_workbook_target(out, force=force, store=store_file())
    with store() as session:
        counts = export_workbook(
            session,
            out=out,
            period=parse_period(period),
            target=target,
            force=force,
            store=store_file(),
        )
    summary = ", ".join(f"{title} {n}" for title, n in counts.items())
    note(_("wrote {out}: {summary} rows, and Tulokset").format(out=out, summary=summary))


# CPython's cycle collector by default runs after every 700 new objects; an import of 10 000 rows
# keeps ~10⁶ alive, so those runs (and each full one over all of them) took ~1 s of its ~4 s CPU.
# While an import runs it collects after every 50 000 and a full collection waits.
IMPORT_GC_THRESHOLDS = (50_000, 20, 100)


@contextmanager
def _many_objects():
    """Around an import: the cycle collector at `IMPORT_GC_THRESHOLDS`, as it was afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*IMPORT_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def _progress():
    """A rich progress bar on stderr when it is a terminal; else a callback that does nothing."""
    if not sys.stderr.isatty():
        yield lambda done, total, what: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(file=sys.stderr), transient=True) as bar:
        task = None

        def advance(done: int, total: int, what: str) -> None:
            nonlocal task
            if total < PROGRESS_FROM_ROWS:
                return
            if task is None:
                task = bar.add_task(what, total=total)
            bar.update(task, completed=done, total=total, description=what)

        yield advance


@import_app.command("xlsx")
def import_xlsx(
    file: Path = typer.Argument(..., help="The workbook to read (.xlsx)."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check everything and tell what would change; write nothing."
    ),
    delete_missing: bool = typer.Option(
        False,
        "--delete-missing",
        help="Remove stored records whose row was deleted from their sheet (default: kept).",
    ),
) -> None:
    """Read a tracking workbook back: every row checked first, then all stored or none.

    A row is the record its hidden Tunniste names (a changed cell updates it); a row without
    one is matched by client code and natural keys. Importing a workbook twice changes nothing.
    """
    from veto.workbook.importer import import_workbook

    with _many_objects(), _progress() as progress, store() as session:
        summary = import_workbook(
            session,
            path=file,
            dry_run=dry_run,
            delete_missing=delete_missing,
            progress=progress,
        )
    note(summary.describe(dry_run=dry_run))


@import_app.command("table")
def import_table(
    file: Path = typer.Argument(..., help="The table to read: .xlsx, .ods or CSV."),
    into: str = typer.Option(
        ...,
        "--into",
        help="What the rows are: clients|phases|placements|hours|employers|contacts.",
    ),
    sheet: str = typer.Option(None, "--sheet", help="The sheet to read; default the first."),
    mapping: Path = typer.Option(
        None, "--map", help="A YAML mapping: sheet, columns (HEADER: FIELD), values."
    ),
    column: list[str] = typer.Option(
        [], "--column", metavar="HEADER=FIELD", help="Map a column to a field ('-': leave it out)."
    ),
    dry_run: bool = typer.Option(
        False,
        "--dry-run",
        help="Print the mapping, the first rows as stored and every problem; write nothing.",
    ),
) -> None:
    """Import a coach's own spreadsheet or CSV: every row checked first, then all or none.

    Headers are matched to fields by their usual Finnish and English names; rows to clients
    by code, else by name and birth year, so importing the same table twice changes nothing.
    """
    from veto.imports.planning import prepare_table, write_table

    with _many_objects(), _progress() as progress, store() as session:
        prepared = prepare_table(
            session, path=file, into=into, sheet=sheet, mapping_file=mapping, columns=column
        )
        if dry_run:
            typer.echo(prepared.describe_mapping())
            typer.echo(prepared.describe_rows())
            prepared.check()
        else:
            write_table(session, prepared, progress)
    note(prepared.summary(dry_run=dry_run))

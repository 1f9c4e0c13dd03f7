"""veto db …: where the store is, creating it, safe copies and integrity checks."""

from __future__ import annotations

import typer

from veto.commands.common import ForceOption, FormatOption, invocation, note, store

app = typer.Typer(
    help="The store: where it is, create it, back it up, check it.", no_args_is_help=True
)


@app.command("path")
def path() -> None:
    """Print where the store is (a file path, or the URL without its password)."""
    typer.echo(invocation().location.shown)


@app.command("init")
def init() -> None:
    """Create the store and bring it to the current schema (any command does this on first use)."""
    from veto.store.database import engine_for
    from veto.store.migrations import current_revision

    location = invocation().location
    revision = current_revision(engine_for(location))
    note(f"store ready at {location.shown} (schema {revision})")


@app.command("backup")
def backup(
    file: str = typer.Argument(..., help="The new backup file (created with mode 0600)."),
    force: bool = ForceOption,
    replace: bool = typer.Option(False, "--replace", hidden=True, help="Older name of --force."),
) -> None:
    """A consistent copy of the SQLite store, safe while others write (SQLite's backup API).

    For PostgreSQL, use pg_dump."""
    from veto.domain.audit import log_access
    from veto.store.maintenance import backup as backup_store

    location = invocation().location
    pages = backup_store(location, file, force=force or replace)
    with store(purpose="maintenance") as session:
        log_access(session, action="db.backup")
    note(f"backup written to {file} ({pages} pages, readable by you only)")


@app.command("check")
def check(fmt: str = FormatOption) -> None:
    """Integrity and foreign-key checks, the schema revision, the access log's protection and
    every client whose timeline breaks the timeline rule; exit status 1 when anything is wrong."""
    from veto.outputs.render import render_rows
    from veto.store.maintenance import check as check_store

    results = check_store(invocation().location)
    rows = [r.row() for r in results]
    breaches = []
    if all(r.ok for r in results):  # the timelines only of a store that can be opened as it is
        from veto.domain.workflow import stored_violations

        with store(purpose="maintenance") as session:
            breaches = stored_violations(session)
        rows.append(
            {
                "check": "timelines",
                "result": f"{len(breaches)} clients break the timeline rule" if breaches else "ok",
                "ok": not breaches,
            }
        )
        for code, found in breaches:
            more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
            rows.append(
                {"check": f"timeline {code}", "result": found[0].message + more, "ok": False}
            )
    render_rows(rows, fmt, columns=["check", "result", "ok"])
    if not all(r.ok for r in results):
        note("the store is damaged: restore it from a backup (veto db backup) or repair it")
        raise typer.Exit(1)
    if breaches:
        note("correct these clients' records (veto phase edit, veto activity edit, ...)")
        raise typer.Exit(1)

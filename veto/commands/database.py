"""veto db …: where the store is, and creating it."""

from __future__ import annotations

import typer

from veto.commands.common import invocation, note

app = typer.Typer(help="The store: where it is, create it.", no_args_is_help=True)


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

"""veto report …: the funder's result tables."""

from __future__ import annotations

import typer

app = typer.Typer(help="Result tables.", no_args_is_help=True)

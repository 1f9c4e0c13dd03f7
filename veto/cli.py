"""The `veto` command: global options, the nouns, and the one place where errors become exits.

Any `VetoError` (bad input, unknown record, workflow rule) becomes one line on stderr and exit 2;
anything unexpected, one line and exit 1 (`--debug` or VETO_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

from veto import __version__
from veto.commands import (
    activities,
    audit,
    batch,
    clients,
    coaches,
    contacts,
    database,
    documents,
    employers,
    esf,
    fidelity,
    phases,
    placements,
    plans,
    privacy,
    reports,
    surveys,
    workbook,
)
from veto.commands.common import Invocation, invocation, set_invocation
from veto.errors import VetoError


def _fail(code: int, message: str) -> int:
    print(f"Error: {message}", file=sys.stderr)
    return code


def _debugging(args: list[str]) -> bool:
    return "--debug" in args or os.environ.get("VETO_DEBUG", "") not in ("", "0")


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [""])[0]


def _unexpected(exc: Exception) -> int:
    """A failure that is not a user mistake by type; the database's own refusals are. Errors
    come wrapped by SQLAlchemy, or straight from the sqlite3 driver (`veto.store.direct`)."""
    import sqlite3

    from sqlalchemy import exc as sa

    if isinstance(exc, sa.DBAPIError):
        refused = isinstance(exc, sa.IntegrityError)
        unusable = type(exc) in (sa.OperationalError, sa.DatabaseError)
        exc = exc.orig
    else:
        refused = isinstance(exc, sqlite3.IntegrityError)
        unusable = type(exc) in (sqlite3.OperationalError, sqlite3.DatabaseError)
    if refused:
        return _fail(2, f"the store refused the change: {_first_line(exc)}")
    if unusable:
        return _fail(1, f"the store could not be used: {_first_line(exc)}")
    name = type(exc).__name__
    return _fail(1, f"unexpected {name}: {_first_line(exc)} (run with --debug for the traceback)")


class VetoGroup(TyperGroup):
    """Runs the command and maps every failure to one line and an exit status."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        if not standalone_mode:  # a line of `veto batch`: the outer invocation handles errors
            return super().main(argv, prog_name, complete_var, standalone_mode=False, **extra)
        set_invocation(Invocation())  # a fresh invocation never inherits an earlier one's store
        code = self._run(argv, prog_name, complete_var, extra)
        sys.exit(code)

    def _run(self, argv, prog_name, complete_var, extra) -> int:
        try:
            result = super().main(
                argv, prog_name or "veto", complete_var, standalone_mode=False, **extra
            )
            return result if isinstance(result, int) else 0
        except VetoError as exc:
            return _fail(2, str(exc))
        except typer.Exit as exc:
            return exc.exit_code
        except typer.Abort:
            return _fail(1, "aborted")
        except typer.TyperException as exc:
            hint = f" (see '{exc.ctx.command_path} --help')" if getattr(exc, "ctx", None) else ""
            return _fail(exc.exit_code, exc.format_message() + hint)
        except (KeyboardInterrupt, BrokenPipeError):
            return 130
        except Exception as exc:
            if _debugging(argv):
                raise
            return _unexpected(exc)


app = typer.Typer(
    cls=VetoGroup,
    name="veto",
    help="Client records, forms and funder reports for supported-employment coaching (VETO+).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"veto {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: str = typer.Option(
        None, "--db", help="SQLite store file (else VETO_DB, VETO_DATABASE_URL, default)."
    ),
    # Read from argv by VetoGroup, which must know it before parsing can fail.
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks of unexpected errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Client records, forms and funder reports for supported-employment coaching (VETO+)."""
    # Inside `veto batch`, a line without --db keeps the store of the batch.
    set_invocation(Invocation(db=db or invocation().db))


app.add_typer(coaches.app, name="coach")
app.add_typer(clients.app, name="client")
app.add_typer(phases.app, name="phase")
app.add_typer(employers.app, name="employer")
app.add_typer(contacts.app, name="contact")
app.add_typer(placements.app, name="placement")
app.add_typer(activities.app, name="activity")
app.add_typer(surveys.app, name="survey")
app.add_typer(plans.app, name="plan")
app.add_typer(documents.app, name="doc")
app.add_typer(database.app, name="db")
app.add_typer(privacy.app, name="retention")
app.command("audit")(audit.audit)
app.add_typer(reports.app, name="report")
app.add_typer(esf.app, name="esf")
reports.app.command("fidelity")(fidelity.fidelity)
reports.app.command("esf")(esf.report_esf)
app.add_typer(workbook.export_app, name="export")
app.add_typer(workbook.import_app, name="import")
app.command("batch")(batch.batch)
app.command("demo")(reports.demo)


def main() -> None:
    """Entry point of the `veto` script."""
    typer.main.get_command(app).main()

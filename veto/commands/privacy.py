"""veto client export|erase and veto retention …: handing over and forgetting a person's data.

The two client commands are added onto the `client` noun from here, so the privacy code stays
in one place.
"""

from __future__ import annotations

import sys

import typer

from veto.commands import clients
from veto.commands.common import ForceOption, FormatOption, note, store, store_file
from veto.errors import InputError
from veto.i18n import _

app = typer.Typer(
    help="Retention (säilytysaika): clients past the keeping period, and purging them.",
    no_args_is_help=True,
)
ClientArg = typer.Argument(..., help="Client code or numeric id.")
KeepStatistics = typer.Option(
    False,
    "--keep-statistics",
    help="Keep an anonymous stub (gender, background, dates, outcome) that reports still count.",
)
Yes = typer.Option(False, "--yes", "-y", help="Do it without asking (needed off a terminal).")


def _interactive() -> bool:
    return sys.stdin.isatty()


def _confirm(question: str, yes: bool, command: str) -> None:
    """Ask in a terminal; off one (a script, a pipe) refuse unless --yes was given."""
    if yes:
        return
    if not _interactive():
        raise InputError(
            # {line}: the whole command line ('veto ' and the command), for a translation
            _("{command} removes data for good: add --yes to confirm (not a terminal)").format(
                command=command, line=command if command.startswith("veto ") else f"veto {command}"
            )
        )
    from veto.click_words import confirm

    confirm(question)


def _report_scrub(ok: bool) -> None:
    if not ok:
        note(
            _(
                "warning: another program has the store open, so its -wal file may hold erased "
                "bytes until that program closes the store"
            )
        )


@clients.app.command("export")
def export(
    client: str = ClientArg,
    out: str = typer.Option(..., "--out", "-o", help="The JSON file to write (mode 0600)."),
    force: bool = ForceOption,
) -> None:
    """Everything stored about one person, as JSON (GDPR Art. 15/20), access log included."""
    from veto.domain.references import find_client
    from veto.outputs.files import check_target, write_private
    from veto.outputs.render import to_json
    from veto.privacy.export import subject_export

    check_target(out, force=force, store=store_file())
    with store(purpose="subject-request") as session:
        found = find_client(session, client)
        data = subject_export(session, client=found)
        # Written inside the transaction: if the file cannot be written, the log row goes too.
        write_private(out, to_json(data) + "\n", force=force, store=store_file())
    note(_("wrote everything about {code} to {out}").format(code=found.code, out=out))


@clients.app.command("erase")
def erase(
    client: str = ClientArg,
    yes: bool = Yes,
    keep_statistics: bool = KeepStatistics,
) -> None:
    """Remove the person and every record about them for good (GDPR Art. 17)."""
    from veto.domain.references import find_client
    from veto.privacy.erasure import erase_client
    from veto.store.maintenance import scrub_after_commit

    with store(purpose="erasure") as session:
        found = find_client(session, client)
        _confirm(
            _("Erase {code} ({name}) and every record about them for good?").format(
                code=found.code, name=found.name
            ),
            yes,
            "client erase",
        )
        code = found.code
        result = erase_client(session, client=found, keep_statistics=keep_statistics)
        scrub_after_commit(session, _report_scrub)
    kept = _("; {count} kept anonymously") if result.stub_id else ""
    kept = kept.format(count=result.kept_for_statistics)
    note(
        _("erased {code}: {deleted} rows removed, {unlinked} unlinked{kept}").format(
            code=code, deleted=result.deleted, unlinked=result.unlinked, kept=kept
        )
    )


@app.command("list")
def list_(
    ended_before: str = typer.Option(
        ..., "--ended-before", help="Relationships that ended before this date."
    ),
    fmt: str = FormatOption,
) -> None:
    """Clients whose relationship ended before the date (anonymous stubs left out)."""
    from veto.domain.dates import parse_date
    from veto.outputs.render import check_format, render_rows
    from veto.privacy.retention import ended_before as ended

    check_format(fmt)
    with store(purpose="retention") as session:
        rows = ended(session, before=parse_date(ended_before, what="--ended-before"))
    render_rows(rows, fmt, columns=["id", "code", "name", "ended_on", "outcome", "last_activity"])


@app.command("purge")
def purge(
    ended_before: str = typer.Option(
        ..., "--ended-before", help="Erase relationships that ended before this date."
    ),
    yes: bool = Yes,
    keep_statistics: bool = KeepStatistics,
) -> None:
    """Erase every client whose relationship ended before the date, all in one transaction."""
    from veto.domain.dates import parse_date
    from veto.outputs.finnish import fi_date
    from veto.privacy.retention import purge as purge_clients
    from veto.store.maintenance import scrub_after_commit

    before = parse_date(ended_before, what="--ended-before")
    with store(purpose="retention") as session:
        _confirm(
            _("Erase every client whose relationship ended before {day}?").format(
                day=fi_date(before)
            ),
            yes,
            "retention purge",
        )
        results = purge_clients(session, before=before, keep_statistics=keep_statistics)
        if results:
            scrub_after_commit(session, _report_scrub)
    note(
        _("purged {count} clients ended before {date}").format(
            count=len(results), date=fi_date(before)
        )
    )

"""veto db …: where the store is, creating it, safe copies and integrity checks."""

from __future__ import annotations

from pathlib import Path

import typer

from veto.commands.common import ForceOption, FormatOption, invocation, note, store
from veto.errors import InputError
from veto.i18n import _, ngettext, pgettext

app = typer.Typer(
    help="The store: where it is, create it, back it up, check it.", no_args_is_help=True
)


@app.command("path")
def path() -> None:
    """Print where the store is (a file path, or the URL without its password)."""
    typer.echo(invocation().location.shown)


def _sqlite_path(what: str) -> Path:
    location = invocation().location
    if location.path is None:
        raise InputError(
            _("{what} works on a SQLite store only (PostgreSQL: use db role add)").format(what=what)
        )
    return location.path


def _log(action: str) -> None:
    from veto.domain.audit import log_access

    with store(purpose="maintenance") as session:
        log_access(session, action=action)


@app.command("init")
def init(
    encrypt: bool = typer.Option(
        False,
        "--encrypt",
        help="Create the new store encrypted (SQLCipher; key: VETO_KEY, "
        "the OS keyring or a prompt).",
    ),
) -> None:
    """Create the store and bring it to the current schema (any command does this on first use)."""
    from veto.store.database import engine_for
    from veto.store.migrations import current_revision

    location = invocation().location
    if encrypt:
        path = _sqlite_path("veto init --encrypt")
        if path.exists() and path.stat().st_size > 0:
            raise InputError(
                _("{path} exists already: encrypt it with veto db encrypt").format(path=path)
            )
    revision = current_revision(engine_for(location, encrypt=encrypt))
    how = _(", encrypted") if encrypt else ""
    note(
        _("store ready at {shown} (schema {revision}{how})").format(
            shown=location.shown, revision=revision, how=how
        )
    )


@app.command("encrypt")
def encrypt() -> None:
    """Encrypt the SQLite store in place (SQLCipher), keeping every row; the key comes from
    VETO_KEY, the OS keyring or a prompt. Run it while no one else uses the store."""
    from veto.store import cipher
    from veto.store.database import dispose_all, engine_for

    path = _sqlite_path("veto db encrypt")
    if not path.exists():
        raise InputError(
            _("no store at {path}: create one with veto init --encrypt").format(path=path)
        )
    if cipher.is_encrypted(path):
        raise InputError(_("{path} is encrypted already").format(path=path))
    key = cipher.key_for(path, new=True)
    engine_for(invocation().location)  # a store at the current schema before it is rewritten
    dispose_all()
    rows = cipher.rewrite(path, old_key=None, new_key=key)
    _log("db.encrypt")
    encrypted = _(
        "{path} is encrypted ({count} rows kept); keep the key safe: "
        "without it the store cannot be read"
    )
    note(encrypted.format(path=path, count=sum(rows.values())))


@app.command("decrypt")
def decrypt() -> None:
    """Turn the encrypted SQLite store back into a plain one, keeping every row."""
    from veto.store import cipher
    from veto.store.database import dispose_all

    path = _sqlite_path("veto db decrypt")
    if not cipher.is_encrypted(path):
        raise InputError(_("{path} is not encrypted").format(path=path))
    key = cipher.key_for(path)
    dispose_all()
    rows = cipher.rewrite(path, old_key=key, new_key=None)
    _log("db.decrypt")
    note(
        _("{path} is no longer encrypted ({count} rows kept)").format(
            path=path, count=sum(rows.values())
        )
    )


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
    note(
        _("backup written to {file} ({pages} pages, readable by you only)").format(
            file=file, pages=pages
        )
    )


@app.command("check")
def check(fmt: str = FormatOption) -> None:
    """Integrity and foreign-key checks, the schema revision, the access log's protection and
    every client whose timeline breaks the timeline rule; exit status 1 when anything is wrong."""
    from veto.outputs.render import render_rows
    from veto.store.maintenance import OK
    from veto.store.maintenance import check as check_store

    results = check_store(invocation().location)
    rows = [r.row() for r in results]
    breaches = []
    if all(r.ok for r in results):  # the timelines only of a store that can be opened as it is
        from veto.domain.workflow import stored_violations

        with store(purpose="maintenance") as session:
            breaches = stored_violations(session)
        count = len(breaches)
        broken = ngettext(
            "{count} client breaks the timeline rule",
            "{count} clients break the timeline rule",
            count,
        )
        rows.append(
            {
                "check": "timelines",
                "result": broken.format(count=count) if breaches else _(OK),
                "ok": not breaches,
            }
        )
        for code, found in breaches:
            more = ""
            if len(found) > 1:
                more = ngettext(" (and {count} more)", " (and {count} more)", len(found) - 1)
                more = more.format(count=len(found) - 1)
            rows.append(
                {"check": f"timeline {code}", "result": found[0].message + more, "ok": False}
            )
    if fmt == "table":  # JSON and CSV keep the checks' names
        for row in rows:
            name = row["check"]
            if name.startswith("timeline "):
                row["check"] = pgettext("check", "timeline {code}").format(code=name[9:])
            else:
                row["check"] = pgettext("check", name)
    render_rows(rows, fmt, columns=["check", "result", "ok"])
    if not all(r.ok for r in results):
        note(_("the store is damaged: restore it from a backup (veto db backup) or repair it"))
        raise typer.Exit(1)
    if breaches:
        note(_("correct these clients' records (veto phase edit, veto activity edit, ...)"))
        raise typer.Exit(1)


role_app = typer.Typer(help="PostgreSQL login roles with least privilege.", no_args_is_help=True)
app.add_typer(role_app, name="role")


@role_app.command("add")
def role_add(
    name: str = typer.Argument(..., help="The new login role (lower-case letters, digits, _)."),
    coach: bool = typer.Option(False, "--coach", help="Reads and writes the records."),
    reporter: bool = typer.Option(
        False, "--reporter", help="Runs the reports; reads nothing that names a person."
    ),
    admin: bool = typer.Option(False, "--admin", help="Owns the schema; adds roles."),
    no_password: bool = typer.Option(
        False, "--no-password", help="No password (peer or certificate authentication)."
    ),
) -> None:
    """Create a PostgreSQL login role as a coach, a reporter or an admin; its password comes
    from VETO_ROLE_PASSWORD or a prompt. The access log names it (session_user), whatever
    VETO_USER says."""
    import os

    from veto.domain.audit import log_access
    from veto.reports.server import report_queries
    from veto.store.database import engine_for
    from veto.store.roles import add_role

    kinds = [
        k for k, given in (("coach", coach), ("reporter", reporter), ("admin", admin)) if given
    ]
    if len(kinds) != 1:
        raise InputError(_("give exactly one of --coach, --reporter or --admin"))
    location = invocation().location
    if location.path is not None:
        raise InputError(_("veto db role add works on a PostgreSQL store only (VETO_DATABASE_URL)"))
    password = None if no_password else os.environ.get("VETO_ROLE_PASSWORD") or _ask_password(name)
    add_role(engine_for(location), name, kinds[0], password, report_queries())
    with store(purpose="maintenance") as session:
        log_access(session, action="db.role.add", record=f"role:{name}:{kinds[0]}")
    created = _(
        "role {name} created ({kind}); it connects as itself: "
        "VETO_DATABASE_URL=postgresql+psycopg://{name}@HOST/DATABASE"
    )
    note(created.format(name=name, kind=kinds[0]))


@role_app.command("refresh")
def role_refresh() -> None:
    """Re-apply every role's grants and the report functions the reporter runs (as an admin,
    after upgrading veto)."""
    from veto.domain.audit import log_access
    from veto.reports.server import report_queries
    from veto.store.database import engine_for
    from veto.store.roles import refresh_all

    location = invocation().location
    if location.path is not None:
        raise InputError(
            _("veto db role {command} works on a PostgreSQL store only (VETO_DATABASE_URL)").format(
                command="refresh"
            )
        )
    refresh_all(engine_for(location), report_queries())
    with store(purpose="maintenance") as session:
        log_access(session, action="db.role.refresh", record="roles")
    note(_("grants and report functions refreshed"))


def _ask_password(name: str) -> str:
    import getpass
    import sys

    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise InputError(
            _(
                "no password for the new role: set VETO_ROLE_PASSWORD, or give --no-password for "
                "peer or certificate authentication"
            )
        )
    password = getpass.getpass(_("Password for {name}: ").format(name=name), stream=sys.stderr)
    if not password or getpass.getpass(_("The same again: "), stream=sys.stderr) != password:
        raise InputError(_("the passwords are empty or differ: no role was created"))
    return password

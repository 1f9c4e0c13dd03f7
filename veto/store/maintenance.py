"""Keeping the store safe: online backups, integrity and schema checks, repairing a store whose
stamp claims tables it lacks, and scrubbing freed pages.

Backups use SQLite's online backup API over a live connection (a file copy of a database in WAL
mode can miss committed pages or catch a half-written one). Checks open the file with the plain
sqlite3 module (sqlcipher3 for an encrypted store) and run no migrations, so a damaged or old
store can still be examined.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from veto.errors import DamagedStore, InputError
from veto.i18n import N_, NC_, _, ngettext
from veto.store import cipher
from veto.store.location import StoreLocation

SQLITE_TRIGGERS = {"audit_log_no_update", "audit_log_no_delete"}
POSTGRES_TRIGGERS = {"audit_log_no_change", "audit_log_no_truncate"}
# The change history is append-only the same way (revision 0009_change_history).
SQLITE_HISTORY_TRIGGERS = {"change_history_no_update", "change_history_no_delete"}
POSTGRES_HISTORY_TRIGGERS = {"change_history_no_change", "change_history_no_truncate"}


def _require_sqlite(location: StoreLocation, what: str) -> Path:
    if location.path is None:
        raise InputError(
            _(
                "{command} works on a SQLite store only; for PostgreSQL use its own tools "
                "(pg_dump, pg_amcheck)"
            ).format(command=what)
        )
    return location.path


def backup(location: StoreLocation, target: str | Path, *, force: bool = False) -> int:
    """Copy the store to `target` with SQLite's online backup API, as one consistent snapshot,
    into a private file written the way every output is (`veto.outputs.files`: mode 0600,
    atomic, an existing file only with `force`, never the store); return the number of pages
    copied. The copy uses a rollback journal (no -wal/-shm beside it): one self-contained file.
    The backup of an encrypted store is encrypted with the same key."""
    from veto.outputs.files import check_target, private_output, store_files
    from veto.store.database import engine_for

    source_path = _require_sqlite(location, "veto db backup")
    if not source_path.exists():
        raise InputError(
            _("no store at {source_path}: nothing to back up").format(source_path=source_path)
        )
    path = check_target(target, force=force, store=source_path, option=N_("backup file"))
    raw = engine_for(location).raw_connection()
    try:
        with private_output(target, force=force, store=source_path, option=N_("backup file")) as (
            _final,
            temporary,
        ):
            if cipher.is_encrypted(source_path):  # the same key: the copy is encrypted too
                destination = cipher.open_encrypted(temporary, cipher.key_for(source_path))
            else:
                destination = sqlite3.connect(temporary)
            try:
                source: sqlite3.Connection = raw.driver_connection
                # pages=-1: the whole database in one step under one read snapshot, so writers
                # in other processes (WAL mode) never force a restart or leave a mixed copy.
                source.backup(destination, pages=-1)
                destination.execute("PRAGMA journal_mode=DELETE")
                pages = destination.execute("PRAGMA page_count").fetchone()[0]
            finally:
                destination.close()
    finally:
        raw.close()
    # A -wal or -shm left by whatever file had this name before belongs to no database now.
    protected = store_files(source_path)
    for sibling in store_files(path)[1:]:
        if sibling not in protected:
            sibling.unlink(missing_ok=True)
    return pages


# The checks by name (kept in JSON and CSV; a table shows them in the current language).
CHECKS = (
    NC_("check", "integrity"),
    NC_("check", "foreign keys"),
    NC_("check", "schema"),
    NC_("check", "access log"),
    NC_("check", "change history"),
    NC_("check", "timelines"),
)
OK = N_("ok")


@dataclass
class CheckResult:
    """One check: its name (as in CHECKS), what it found in the current language, and whether
    that is fine."""

    check: str
    result: str
    ok: bool

    def row(self) -> dict[str, Any]:
        return {"check": self.check, "result": self.result, "ok": self.ok}


def _integrity(conn: sqlite3.Connection) -> CheckResult:
    problems = [" ".join(r[0].split()) for r in conn.execute("PRAGMA integrity_check")]
    good = problems == ["ok"]
    return CheckResult("integrity", _(OK) if good else "; ".join(problems[:5]), good)


def _foreign_keys(conn: sqlite3.Connection) -> CheckResult:
    broken = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not broken:
        return CheckResult("foreign keys", _(OK), True)
    row = _("{table} row {row} -> {parent}")
    summary = ", ".join(
        row.format(table=table, row=rowid, parent=parent) for table, rowid, parent, _fk in broken
    )
    found = ngettext("{count} broken: {rows}", "{count} broken: {rows}", len(broken))
    return CheckResult("foreign keys", found.format(count=len(broken), rows=summary), False)


def _revision(conn: sqlite3.Connection) -> str | None:
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    except cipher.driver_of(conn).OperationalError:  # no such table: not a veto store
        return None


def _schema(conn: sqlite3.Connection) -> CheckResult:
    from sqlalchemy import create_engine

    # The models are compared through SQLAlchemy, on the same read-only connection.
    engine = create_engine("sqlite://", creator=lambda: conn, module=cipher.driver_of(conn))
    try:
        with engine.connect() as connection:
            return _schema_result(connection, _revision(conn))
    finally:
        engine.dispose(close=False)


def _sqlite_triggers(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}


def _access_log(conn: sqlite3.Connection) -> CheckResult:
    return _triggers_result(SQLITE_TRIGGERS <= _sqlite_triggers(conn), _revision(conn))


def _change_history(conn: sqlite3.Connection) -> CheckResult:
    present = SQLITE_HISTORY_TRIGGERS <= _sqlite_triggers(conn)
    return _history_triggers_result(present, _revision(conn))


def _sqlite_checks(path: Path) -> list[CheckResult]:
    if not path.exists():
        raise InputError(_("no store at {path}").format(path=path))
    results: list[CheckResult] = []
    conn = cipher.connect(path, read_only=True)
    try:
        checks = (
            ("integrity", _integrity),
            ("foreign keys", _foreign_keys),
            ("schema", _schema),
            ("access log", _access_log),
            ("change history", _change_history),
        )
        for name, run in checks:
            try:
                results.append(run(conn))
            except cipher.driver_of(conn).DatabaseError as exc:  # a damaged file fails the check
                results.append(
                    CheckResult(name, _("cannot read: {reason}").format(reason=exc), False)
                )
    finally:
        conn.close()
    return results


def _schema_result(conn: Connection, revision: str | None) -> CheckResult:
    """The stamp, and every difference between the live schema and what the stamp promises: at
    HEAD the models (tables, columns, types, indexes, constraints); at an older revision the
    tables of the revisions up to it. The access log's triggers are the next check's."""
    from veto.store.migrations import HEAD

    if revision is None:
        return CheckResult("schema", _("no revision: not a veto store"), False)
    if revision == HEAD:
        differences = schema_differences(conn)
    elif revision in tables_by_revision():
        expected = set().union(*_tables_up_to(revision).values())
        missing = _("missing table {name}")
        differences = [missing.format(name=t) for t in sorted(expected - _table_names(conn))]
    else:
        unknown = _("{revision}: unknown revision (newer veto?)").format(revision=revision)
        return CheckResult("schema", unknown, False)
    if differences:
        shown = "; ".join(differences[:8]) + ("; ..." if len(differences) > 8 else "")
        but = _("{revision}, but {differences}").format(revision=revision, differences=shown)
        return CheckResult("schema", but, False)
    if revision == HEAD:
        return CheckResult("schema", _("{revision} (current)").format(revision=revision), True)
    # An older revision is healthy: the next command migrates it.
    later = _("{revision} (will be migrated to {head})").format(revision=revision, head=HEAD)
    return CheckResult("schema", later, True)


def _describe(difference) -> str:
    """One difference from Alembic's comparison, as a few words."""
    if isinstance(difference, list):  # changes to one column
        _op, _schema_name, table, column, *_rest = difference[0]
        what = ", ".join(sorted({d[0].removeprefix("modify_") for d in difference}))
        return _("column {table}.{column} differs ({what})").format(
            table=table, column=column, what=what
        )
    op, *args = difference
    missing = op.startswith("add_")
    kind = op.split("_", 1)[1]
    if kind == "table":
        said = _("missing table {name}") if missing else _("extra table {name}")
        return said.format(name=args[0].name)
    if kind == "column":
        said = _("missing column {name}") if missing else _("extra column {name}")
        return said.format(name=f"{args[1]}.{args[2].name}")
    if kind == "index":
        said = (
            _("missing index {name} on {table}") if missing else _("extra index {name} on {table}")
        )
        return said.format(name=args[0].name, table=args[0].table.name)
    if kind == "fk":
        said = _("missing foreign key on {table}") if missing else _("extra foreign key on {table}")
        return said.format(table=args[0].parent.name)
    side = "missing" if missing else "extra"
    name = getattr(args[0], "name", None)
    return f"{side} {kind.replace('_', ' ')} {name}" if name else f"{op} {args}"


def schema_differences(conn: Connection) -> list[str]:
    """How the live schema differs from the models, one short phrase per difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import veto.models  # noqa: F401  (defines the tables)

    context = MigrationContext.configure(conn, opts={"compare_type": True})
    diff = compare_metadata(context, SQLModel.metadata)
    # A missing table's indexes are missing too: naming the table says it.
    missing = {d[1].name for d in diff if isinstance(d, tuple) and d[0] == "add_table"}
    return [
        _describe(d)
        for d in diff
        if not (isinstance(d, tuple) and d[0] == "add_index" and d[1].table.name in missing)
    ]


# --- repairing a store whose stamp claims tables it does not have ---------------------------


def _revisions():
    """The revision scripts, oldest first."""
    from alembic.script import ScriptDirectory

    from veto.store.migrations import HERE

    return list(reversed(list(ScriptDirectory(str(HERE)).walk_revisions())))


def _run_revision(conn: Connection, revision) -> None:
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    sqlite = conn.dialect.name == "sqlite"
    context = MigrationContext.configure(conn, opts={"render_as_batch": sqlite})
    with Operations.context(context):
        revision.module.upgrade()


@functools.cache
def tables_by_revision() -> dict[str, frozenset[str]]:
    """The tables each revision creates, oldest revision first: found by running the revisions
    one by one on an empty in-memory database, so no list here can drift from them."""
    from sqlalchemy import create_engine

    engine = create_engine("sqlite://")
    result: dict[str, frozenset[str]] = {}
    before: set[str] = set()
    with engine.begin() as conn:
        for revision in _revisions():
            _run_revision(conn, revision)
            now = _table_names(conn)
            result[revision.revision] = frozenset(now - before)
            before = now
    engine.dispose()
    return result


def _tables_up_to(revision: str) -> dict[str, frozenset[str]]:
    created: dict[str, frozenset[str]] = {}
    for name, tables in tables_by_revision().items():
        created[name] = tables
        if name == revision:
            break
    return created


def _table_names(conn: Connection) -> set[str]:
    from veto.store.migrations import TABLE_NAMES_SQL

    names = set(conn.execute(text(TABLE_NAMES_SQL[conn.dialect.name])).scalars())
    return names - {"alembic_version"}


def _stamp(conn: Connection) -> str | None:
    from sqlalchemy import inspect

    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> None:
    """Bring the store to HEAD in one transaction, keeping every row.

    A store stamped while revisions 0002-0005 were empty placeholders claims tables it does not
    have: every revision up to its stamp whose tables are all missing is run again first (they
    only create tables), then the pending revisions. Idempotent. If a table is still missing
    (part of a revision's tables, or a table dropped by hand), refuses with DamagedStore."""
    from alembic import command

    from veto.store.migrations import HEAD_TABLES, alembic_config

    config = alembic_config(engine)
    with engine.begin() as conn:
        stamp = _stamp(conn)
        if stamp in tables_by_revision():
            live = _table_names(conn)
            for name, tables in _tables_up_to(stamp).items():
                if tables and not tables & live:
                    _run_revision(conn, next(r for r in _revisions() if r.revision == name))
                    live |= tables
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        missing = HEAD_TABLES - _table_names(conn) - {"alembic_version"}
        if missing:
            raise DamagedStore(
                _(
                    "the store is stamped schema {stamp} but has no table {tables}, and veto "
                    "cannot rebuild it without losing rows: restore it from a backup"
                ).format(stamp=stamp, tables=", ".join(sorted(missing)))
            )


def _append_only(check: str, present: bool, revision: str | None, since: str) -> CheckResult:
    """Whether `check`'s table has its append-only triggers (a store older than the revision
    `since` that made it gets them when migrated)."""
    if present:
        return CheckResult(check, _("append-only (triggers in place)"), True)
    if revision and revision < since:
        return CheckResult(check, _("made append-only when migrated"), True)
    if check == "access log":
        return CheckResult(check, _("triggers missing: the log can be edited"), False)
    return CheckResult(check, _("triggers missing: the history can be edited"), False)


def _history_triggers_result(present: bool, revision: str | None) -> CheckResult:
    return _append_only("change history", present, revision, "0009_change_history")


def _triggers_result(present: bool, revision: str | None) -> CheckResult:
    return _append_only("access log", present, revision, "0004_privacy")


def _postgres_checks(engine: Engine) -> list[CheckResult]:
    from veto.store.migrations import current_revision

    revision = current_revision(engine)
    with engine.connect() as conn:
        # The append-only triggers of the access log and the change history, where enabled.
        triggers = conn.execute(
            text(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE c.relname IN ('audit_log', 'change_history')"
                " AND c.relnamespace = current_schema()::regnamespace"
                " AND NOT t.tgisinternal AND t.tgenabled <> 'D'"
            )
        ).all()
        names = {name for table, name in triggers if table == "audit_log"}
        history = {name for table, name in triggers if table == "change_history"}
        # PostgreSQL enforces foreign keys itself; a disabled one is what can go wrong.
        disabled = conn.execute(
            text(
                "SELECT count(*) FROM pg_trigger WHERE tgisinternal AND tgenabled = 'D'"
                " AND tgconstraint <> 0"
            )
        ).scalar_one()
        schema = _schema_result(conn, revision)
    return [
        CheckResult("integrity", _("checked by PostgreSQL itself (see pg_amcheck)"), True),
        CheckResult(
            "foreign keys",
            _("enforced")
            if not disabled
            else ngettext(
                "{count} constraint trigger disabled",
                "{count} constraint triggers disabled",
                disabled,
            ).format(count=disabled),
            not disabled,
        ),
        schema,
        _triggers_result(POSTGRES_TRIGGERS <= names, revision),
        _history_triggers_result(POSTGRES_HISTORY_TRIGGERS <= history, revision),
    ]


def check(location: StoreLocation) -> list[CheckResult]:
    """Integrity, foreign keys, schema revision and the access log's and the change history's
    protection."""
    if location.path is not None:
        return _sqlite_checks(location.path)
    from sqlmodel import create_engine

    engine = create_engine(location.url)
    try:
        return _postgres_checks(engine)
    finally:
        engine.dispose()


def scrub(engine: Engine) -> bool:
    """Leave no freed bytes in the SQLite files: empty the WAL into the database, rebuild the
    database (VACUUM), and empty the WAL again. False when another program holds the store
    open so that the WAL could not be emptied."""
    raw = engine.raw_connection()
    try:
        conn: sqlite3.Connection = raw.driver_connection
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("VACUUM")
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    finally:
        raw.close()
    return busy == 0


def scrub_after_commit(session: Session, report) -> None:
    """Scrub the SQLite store once the session's transaction (or the batch around it) commits;
    `report(ok)` hears whether it could."""
    engine = session.get_bind()
    if engine.dialect.name != "sqlite":
        return

    def run(_session: Session) -> None:
        report(scrub(engine))

    event.listen(session, "after_commit", run, once=True)

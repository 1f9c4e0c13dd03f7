"""Alembic revisions shipped in the package, applied whenever a store is opened.

The fast path reads `alembic_version` and the table names and imports no Alembic when the store
is at `HEAD` with every table; a test checks that `HEAD` is the head of the revision scripts and
`HEAD_TABLES` the models' tables. A store can claim a revision without its tables (0002-0005 were
once empty placeholders): `veto.store.maintenance.upgrade` repairs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

HEAD = "0010_history_commands"
HERE = Path(__file__).parent
# The tables of a store at HEAD: veto.models' tables and Alembic's stamp.
HEAD_TABLES = frozenset(
    {
        "activity",
        "alembic_version",
        "anonymous_stub",
        "audit_log",
        "capture_draft",
        "change_history",
        "client",
        "client_note",
        "coach",
        "contact",
        "contact_person",
        "employer",
        "job_search_plan",
        "participant",
        "phase",
        "placement",
        "survey",
    }
)
# What lists a store's tables, by dialect (one query, no SQLAlchemy needed on SQLite).
TABLE_NAMES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgresql": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text

    with engine.connect() as conn:
        if not engine.dialect.has_table(conn, "alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def alembic_config(engine: Engine):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def is_current(engine: Engine) -> bool:
    """Whether the store is stamped HEAD and has every table of HEAD (two small queries)."""
    from sqlalchemy import text

    if current_revision(engine) != HEAD:
        return False
    with engine.connect() as conn:
        tables = set(conn.execute(text(TABLE_NAMES_SQL[engine.dialect.name])).scalars())
    return HEAD_TABLES <= tables


def migrate(engine: Engine) -> None:
    """Bring the store to the current schema, repairing one whose stamp claims tables it does not
    have; a no-op (two queries) when it is already there."""
    if is_current(engine):
        return
    from veto.store.maintenance import upgrade

    upgrade(engine)
    if engine.dialect.name == "postgresql":  # grants for what the migration added
        from veto.store.roles import refresh

        refresh(engine)

"""Alembic revisions shipped in the package, applied whenever a store is opened.

The fast path reads `alembic_version` with one query and imports no Alembic when the store is
already at `HEAD`; a test checks that `HEAD` is the head of the revision scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

HEAD = "0006_report_indexes"
HERE = Path(__file__).parent


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


def migrate(engine: Engine) -> None:
    """Bring the store to the current schema; a no-op (one query) when it is already there."""
    if current_revision(engine) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), "head")

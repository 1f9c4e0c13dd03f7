"""Shared by the survey, plan and document tests: a snapshot of every table, to prove that a
refused command changed nothing, and a YAML writer for `--from FILE`."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy import inspect, text


def dump_store() -> dict[str, list]:
    """Every row of every table (the store of this test)."""
    from veto.commands.common import invocation
    from veto.store.database import engine_for

    engine = engine_for(invocation().location)
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).all()
            for table in sorted(inspect(conn).get_table_names())
        }


def write_yaml(path: Path, data: dict) -> str:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)

"""`refused(...)` for the employer, contact and fidelity tests: exit 2, one line on stderr,
nothing on stdout, store unchanged. (Main's conftest has the same check as a fixture; this copy
lets the issue-6 branch run on its own and can go once both are merged.)"""

from __future__ import annotations

from sqlalchemy import inspect, text

from tests.conftest import invoke


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table of the current test store."""
    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    engine = engine_for(Invocation().location)
    with engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
        return {
            t: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr)
            for t in tables
        }


def refused(*args: str, message: str | None = None) -> str:
    """Run `veto ARGS` and check it was refused cleanly; returns the error line."""
    before = snapshot()
    result = invoke(*args)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
    if message is not None:
        assert lines[0] == f"Error: {message}"
    assert snapshot() == before
    return lines[0]

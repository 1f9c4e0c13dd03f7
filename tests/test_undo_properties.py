"""Random sequences of adds, edits, removes and undos through the command line (issue 12): after
every step the timeline rule holds for every client, a refused step (exit 2) left the store
exactly as it was, and an undo by the only user brings the records back to what they were
before the command it takes back. On SQLite and, under pg_virtualenv, PostgreSQL."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import _reset_postgres, invoke, snapshot
from tests.store_rows import fresh_store
from veto.store.database import dispose_all

DAYS = [date(2024, 1, 1) + timedelta(days=20 * n) for n in range(12)]
CLIENTS = ["A0001", "A0002"]
IDS = st.integers(min_value=1, max_value=3).map(str)
ON = st.sampled_from(DAYS).map(lambda d: f"{d.day}.{d.month}.{d.year}")
CLIENT = st.sampled_from(CLIENTS)
KEPT_APART = {"change_history", "audit_log"}  # what an undo adds to rather than takes back

STEPS = st.one_of(
    st.tuples(st.just("phase"), st.just("start"), st.sampled_from(["coaching", "placement"]),
              CLIENT, st.just("--on"), ON),
    st.tuples(st.just("phase"), st.just("end"), CLIENT, st.just("--on"), ON),
    st.tuples(st.just("phase"), st.just("edit"), IDS, st.sampled_from(["--start", "--end"]), ON),
    st.tuples(st.just("phase"), st.just("remove"), IDS, st.just("--yes")),
    st.tuples(st.just("activity"), st.just("log"), CLIENT, st.just("--hours"),
              st.sampled_from(["1", "2,5"]), st.just("--on"), ON),
    st.tuples(st.just("activity"), st.just("edit"), IDS, st.just("--on"), ON),
    st.tuples(st.just("activity"), st.just("remove"), IDS, st.just("--yes")),
    st.tuples(st.just("placement"), st.just("add"), CLIENT, st.just("--employer"), st.just("1"),
              st.just("--kind"), st.just("work-trial"), st.just("--start"), ON),
    st.tuples(st.just("placement"), st.just("remove"), IDS, st.just("--yes")),
    st.tuples(st.just("client"), st.just("end"), CLIENT, st.just("--outcome"),
              st.just("employed"), st.just("--on"), ON),
    st.tuples(st.just("client"), st.just("reopen"), CLIENT),
    st.just(("undo", "--yes")),
    st.just(("undo", "--yes")),
)  # fmt: skip


def _set_up() -> None:
    for args in (
        ("employer", "add", "Kahvila Aamu Oy"),
        ("client", "add", "--name", "Aino", "--gender", "f", "--background", "native"),
        ("client", "add", "--name", "Eero", "--gender", "m", "--background", "immigrant"),
        ("phase", "start", "coaching", "A0001", "--on", "1.1.2024"),
        ("phase", "start", "coaching", "A0002", "--on", "1.1.2024"),
    ):
        assert invoke(*args).exit_code == 0


def _fresh_store(backend: str, path, monkeypatch) -> None:
    if backend == "postgresql":
        dispose_all()
        _reset_postgres("postgresql+psycopg://")
        _set_up()
        return
    monkeypatch.setenv("VETO_DB", str(path))
    # The set-up runs once per acting user (the previous example's last: an undo may take back
    # its commands); a later example gets the store it made, in the same file.
    fresh_store(path, ("undo_properties", os.environ["VETO_USER"]), _set_up)


def _timelines_hold() -> None:
    from sqlmodel import Session

    from veto.commands.common import Invocation
    from veto.domain.workflow import stored_violations
    from veto.store.database import engine_for

    with Session(engine_for(Invocation().location)) as session:
        assert stored_violations(session) == []


def _records(tables: dict) -> dict:
    return {t: rows for t, rows in tables.items() if t not in KEPT_APART}


@pytest.mark.plain_file
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(["tester", "anna"]), STEPS), max_size=10),
       one_user=st.booleans())  # fmt: skip
def test_random_corrections_and_undos_keep_the_rule(
    backend, tmp_path, monkeypatch, steps, one_user
):
    _fresh_store(backend, tmp_path / "example.db", monkeypatch)
    single = one_user or backend == "postgresql"  # the server names one role for every user
    before_each: list[dict] = []  # the records before each command the user may undo
    for user, args in steps:
        monkeypatch.setenv("VETO_USER", "tester" if single else user)
        before = snapshot()
        result = invoke(*args)
        after = snapshot()
        assert result.exit_code in (0, 2), (args, result.stderr)
        event(f"{' '.join(args[:2])}: exit {result.exit_code}")  # --hypothesis-show-statistics
        if result.exit_code == 2:
            assert after == before, args
            assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        elif args[0] == "undo":
            if single and before_each:
                assert _records(after) == before_each.pop(), args
        elif len(after["change_history"]) > len(before["change_history"]):
            before_each.append(_records(before))
        _timelines_hold()

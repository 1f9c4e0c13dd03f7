"""Random sequences of phase commands never break the timeline rule, and a refused one changes
nothing."""

import json
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import encrypted_run, invoke
from tests.store_rows import fresh_store
from veto.domain.timeline import Span, Timeline, violations

DAY0 = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: (DAY0 + timedelta(days=n)).isoformat())
operation = st.one_of(
    st.tuples(st.just("start"), st.sampled_from(["coaching", "placement"]), days),
    st.tuples(st.just("end"), st.none(), days),
    st.tuples(st.just("finish"), st.sampled_from(["employed", "returned"]), days),
    st.tuples(st.just("reopen"), st.none(), st.none()),
)


def _args(op, kind, day):
    return {
        "start": ("phase", "start", kind, "A0001", "--on", day),
        "end": ("phase", "end", "A0001", "--on", day),
        "finish": ("client", "end", "A0001", "--outcome", kind, "--on", day),
        "reopen": ("client", "reopen", "A0001"),
    }[op]


def _state(db):
    phases = json.loads(invoke("--db", db, "phase", "list", "A0001", "-f", "json").stdout)
    client = json.loads(invoke("--db", db, "client", "show", "A0001", "-f", "json").stdout)
    return (
        [(p["kind"], p["start"], p["end"]) for p in phases],
        client["ended_on"],
        client["outcome"],
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=8))
def test_invariants_hold_after_any_sequence(tmp_path, ops):
    db = str(tmp_path / "prop.db")

    def add_client():
        assert (
            invoke(
                "--db", db, "client", "add", "--name", "Aino", "--gender", "f", "--background",
                "native",
            ).exit_code
            == 0
        )  # fmt: skip

    # The client is added once per process; each later example gets a copy of that store.
    fresh_store(Path(db), ("workflow_properties", encrypted_run()), add_client)
    before = _state(db)
    for op, kind, day in ops:
        result = invoke("--db", db, *_args(op, kind, day))
        after = _state(db)
        if result.exit_code != 0:
            assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
            assert after == before, "a refused command changed the store"
        phases, ended_on, _ = after
        timeline = Timeline(
            client="A0001",
            phases=tuple(
                Span(None, kind, date.fromisoformat(start), end and date.fromisoformat(end))
                for kind, start, end in phases
            ),
            ended_on=ended_on and date.fromisoformat(ended_on),
        )
        assert violations(timeline, date.today()) == []
        before = after

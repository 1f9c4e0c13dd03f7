"""Every benchmark still runs: each script at a tiny size, as a whole process, so that a rule or
schema change that breaks one (the synthetic store once dated records after today) fails here
instead of in the next engineer's measurement. Figures are not checked — only that each prints
its table with a row of the size asked for. Invented records only (benchmarks/synthetic.py)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (script and arguments, a line of the table it must print: its header or the size's row)
RUNS = [
    (["bench_report.py", "--sizes", "20", "--runs", "1"], "| 20 |"),
    (["esf.py", "20"], "| 20 | 18 | `veto report esf --format json` |"),
    (["employer_contacts.py", "20"], "| 20 | 200 | 6 |"),
    (["bench_workbook.py", "20"], "| step | wall s | CPU s | limit s | peak memory (MiB) |"),
    (["bench_import_table.py", "50"], "| step | wall s | CPU s | limit s |"),
    (
        ["bench_encryption.py", "--clients", "20", "--import-clients", "10", "--runs", "1"],
        "| command | plain | encrypted | cost |",
    ),
    # Bombs of 65 MiB, not 3 GiB and 300 MB: still over the 64 MiB veto reads of a part.
    (["bench_import_limits.py", "20", "65"], "| 20-client workbook |"),
    (
        ["bench_cli.py", "--clients", "20", "--runs", "1", "--no-warm-up"],
        "| command | veto CPU | veto wall | sqlite-utils | its CPU | its wall | ratio (CPU) |",
    ),
]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("VETO_TEST_ENCRYPTED")),
    reason="the benchmarks make their own stores; once per CI run is enough",
)


@pytest.mark.parametrize(("args", "row"), RUNS, ids=[run[0][0] for run in RUNS])
def test_each_benchmark_runs_at_a_tiny_size(args, row, tmp_path):
    if args[0] == "bench_cli.py" and importlib.util.find_spec("sqlite_utils") is None:
        pytest.skip("sqlite-utils (pip install -e '.[bench]') is what bench_cli compares with")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VETO_")}
    env |= {"PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path), "HOME": str(tmp_path)}
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert any(line.startswith(row) for line in run.stdout.splitlines()), run.stdout

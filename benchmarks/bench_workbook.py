"""Benchmark: export a 10,000-client store to the tracking workbook and import it back.

    python benchmarks/bench_workbook.py [CLIENTS]

Builds a synthetic store (`benchmarks/synthetic.py`), times `veto export xlsx` and then
`veto import xlsx` of that workbook into an empty store (each in its own process, so the
figures include start-up and imports), and prints a markdown table with the peak memory
(max RSS) of each. Limits from issue 5: export ≤ 5 s, import ≤ 10 s for 10,000 clients.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import build_store  # noqa: E402

LIMITS = {"export": 5.0, "import": 10.0, "import again": 10.0}


def _run(args: list[str], db: Path) -> tuple[float, float]:
    """Seconds and peak memory (MiB) of one `python -m veto ...` in a child process."""
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "bench"}
    env.pop("VETO_DATABASE_URL", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "veto", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far; each step is bigger than the last
    # or reported as at least as big, which is what a peak means.
    return seconds, max(peak, before) / 1024


def _drop_impossible_placements(db: Path) -> None:
    """The synthetic store has placements starting after the client's end, which
    `veto placement add` refuses and so the import refuses too; the benchmark drops them."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute(
            "DELETE FROM placement WHERE start_on > "
            "(SELECT ended_on FROM client WHERE client.id = placement.client_id)"
        )


def main() -> None:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source, target, book = tmp / "source.db", tmp / "target.db", tmp / "seuranta.xlsx"
        build_store(source, clients)
        _drop_impossible_placements(source)
        rows = []
        seconds, peak = _run(["export", "xlsx", "--out", str(book)], source)
        rows.append(("export", seconds, peak))
        size = book.stat().st_size / 1024 / 1024
        seconds, peak = _run(["import", "xlsx", str(book)], target)
        rows.append(("import", seconds, peak))
        seconds, peak = _run(["import", "xlsx", str(book)], target)
        rows.append(("import again", seconds, peak))
    print(f"{clients:,} clients, workbook {size:.1f} MiB\n")
    print("| step | seconds | limit | peak memory (MiB) |")
    print("|---|---:|---:|---:|")
    for step, seconds, peak in rows:
        print(f"| {step} | {seconds:.2f} | {LIMITS[step]:.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()

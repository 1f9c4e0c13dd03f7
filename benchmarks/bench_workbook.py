"""Benchmark: export a 10,000-client store to the tracking workbook and import it back.

    python benchmarks/bench_workbook.py [CLIENTS]

Builds a synthetic store (`benchmarks/synthetic.py`), times `veto export xlsx` and then
`veto import xlsx` of that workbook into an empty store, again, and into the store it came
from (rows paired by their ids) (each in its own process, so the
figures include start-up and imports), and prints a markdown table with the peak memory
(max RSS) of each. Limits from issue 5: export ≤ 5 s, import ≤ 10 s for 10,000 clients.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import build_store  # noqa: E402

LIMITS = {"export": 5.0, "import": 10.0, "import again": 10.0, "import into its own store": 10.0}


def _run(args: list[str], db: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak memory (MiB) of one `python -m veto ...` run in a
    child process. CPU time is shown because a busy machine stretches the wall time."""
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "bench"}
    env.pop("VETO_DATABASE_URL", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "veto", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"veto {' '.join(args)} failed: {child.stderr.read().decode()[:2000]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source, target, book = tmp / "source.db", tmp / "target.db", tmp / "seuranta.xlsx"
        build_store(source, clients)
        rows = []
        rows.append(("export", *_run(["export", "xlsx", "--out", str(book)], source)))
        size = book.stat().st_size / 1024 / 1024
        rows.append(("import", *_run(["import", "xlsx", str(book)], target)))
        rows.append(("import again", *_run(["import", "xlsx", str(book)], target)))
        # Its own store: every row pairs with its record by the Tunniste id.
        own = ["import", "xlsx", str(book)]
        rows.append(("import into its own store", *_run(own, source)))
    load = os.getloadavg()[0]
    print(f"{clients:,} clients, workbook {size:.1f} MiB, load average {load:.1f} on ", end="")
    print(f"{os.cpu_count()} CPUs\n")
    print("| step | wall s | CPU s | limit s | peak memory (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for step, seconds, cpu, peak in rows:
        print(f"| {step} | {seconds:.2f} | {cpu:.2f} | {LIMITS[step]:.0f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
    # Leave without the collector's last passes over every object of the modules loaded (veto,
    # SQLAlchemy, openpyxl...): ~0,1-0,3 s CPU at exit that no figure here includes.
    gc.freeze()

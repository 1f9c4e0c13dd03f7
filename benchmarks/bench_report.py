"""Benchmark of `veto report pilot` on synthetic stores of 1,000, 10,000 and 100,000 clients.

For each size it times, as fresh processes under /usr/bin/time (medians of several runs: wall
and CPU seconds, peak resident memory):

- `python -m veto --db STORE report pilot --format json` — the real command;
- the floor: a hand-written SQL query computing the same figures, run with the sqlite3 module
  in a bare `python -c`, and the same query in-process; the script checks that the floor's
  figures equal the report's;
- `python -c pass` and `python -m veto --version`: the interpreter's and veto's start.

The stores are cached in benchmarks/out/ (gitignored) and rebuilt when missing or out of date.
Prints a markdown table. Usage: `python benchmarks/bench_report.py [--sizes 1000,10000] [--runs 5]`
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

# The same figures as the report, written by hand for SQLite: the cohort, one GROUP BY per
# table, and the per-client hours after placement.
FLOOR_SQL = """
WITH firsts AS (
  SELECT client_id,
         MIN(CASE WHEN kind = 'placement' THEN start_on END) AS placed_on,
         MIN(CASE WHEN kind = 'coaching' THEN start_on END) AS coached_on,
         MIN(start_on) AS first_on
  FROM phase GROUP BY client_id),
cohort AS (
  SELECT c.id, c.gender, c.background, c.coach_id, c.outcome, c.outcome_field, f.placed_on,
         c.ended_on IS NOT NULL AS ended,
         CASE WHEN f.coached_on < f.placed_on
              THEN julianday(f.placed_on) - julianday(f.coached_on) END AS pre,
         CASE WHEN c.ended_on IS NOT NULL
              THEN julianday(c.ended_on) - julianday(f.first_on) END AS tot
  FROM client c JOIN firsts f ON f.client_id = c.id
  WHERE f.placed_on IS NOT NULL),
hours AS (
  SELECT co.id, SUM(a.hours) AS h
  FROM cohort co JOIN activity a ON a.client_id = co.id AND a.on_date >= co.placed_on
  GROUP BY co.id),
trials AS (
  SELECT co.background, COUNT(DISTINCT p.client_id) AS clients, COUNT(*) AS n
  FROM placement p JOIN cohort co ON co.id = p.client_id AND co.ended
  WHERE p.kind = 'work-trial' GROUP BY co.background)
SELECT 'g', gender, background, ended, outcome, outcome_field, COUNT(*), COUNT(pre), SUM(pre),
       MIN(pre), MAX(pre), SUM(tot), MIN(tot), MAX(tot)
  FROM cohort GROUP BY gender, background, ended, outcome, outcome_field
UNION ALL SELECT 'h', NULL, NULL, NULL, NULL, NULL, COUNT(*), SUM(h), MAX(h),
       SUM(h > 18), NULL, NULL, NULL, NULL FROM hours
UNION ALL SELECT 't', NULL, background, NULL, NULL, NULL, clients, n, NULL, NULL, NULL, NULL,
       NULL, NULL FROM trials
UNION ALL SELECT 'm', substr(placed_on, 1, 7), NULL, NULL, NULL, NULL, COUNT(*), NULL, NULL,
       NULL, NULL, NULL, NULL, NULL FROM cohort GROUP BY substr(placed_on, 1, 7)
UNION ALL SELECT 'c', coach_id, NULL, NULL, NULL, NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL,
       NULL, NULL FROM cohort GROUP BY coach_id
"""

FLOOR_SCRIPT = (
    "import sqlite3, sys; conn = sqlite3.connect(sys.argv[1]); "
    "rows = conn.execute(sys.argv[2]).fetchall(); print(len(rows))"
)


def store_for(clients: int) -> Path:
    """The cached store of `clients` synthetic clients, built if missing or out of date."""
    from benchmarks.synthetic import build_store
    from veto.store.migrations import HEAD

    path = OUT / f"clients-{clients}.db"
    if path.exists():
        try:
            with sqlite3.connect(path) as conn:
                current = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
                count = conn.execute("SELECT COUNT(*) FROM client").fetchone()[0]
            if current == HEAD and count == clients:
                return path
        except sqlite3.DatabaseError:
            pass
    started = time.perf_counter()
    build_store(path, clients)
    print(f"built {path.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


@dataclass
class Timing:
    """Medians over runs of one command: wall and CPU seconds, peak resident MB."""

    wall: float
    cpu: float
    mb: float
    out: str


def measure(args: list[str], runs: int, env: dict[str, str] | None = None) -> Timing:
    """Run `args` as fresh processes under /usr/bin/time. CPU time (user + sys) is reported
    beside wall time because wall time swings with whatever else the machine is doing.

    (Peak memory comes from /usr/bin/time, not from `getrusage` of children: a child forked
    from this process counts this process's own size before its exec.)"""
    walls, cpus, mbs = [], [], []
    out = ""
    for _ in range(runs):
        with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
            proc = subprocess.run(
                ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *args],
                capture_output=True,
                env=env,
            )
            if proc.returncode != 0:
                raise SystemExit(f"{args[:4]} failed: {proc.stderr.decode()}")
            wall, user, system, kb = report.read().split()[-4:]
        walls.append(float(wall))
        cpus.append(float(user) + float(system))
        mbs.append(int(kb) / 1024)
        out = proc.stdout.decode()
    return Timing(statistics.median(walls), statistics.median(cpus), statistics.median(mbs), out)


def floor_in_process(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        with sqlite3.connect(path) as conn:
            started = time.perf_counter()
            conn.execute(FLOOR_SQL).fetchall()
            times.append(time.perf_counter() - started)
    return statistics.median(times)


def check_same_figures(path: Path, report: dict) -> None:
    """The floor must compute what the report shows, or the comparison means nothing."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(FLOOR_SQL).fetchall()
    clients = sum(r[6] for r in rows if r[0] == "g")
    ended = sum(r[6] for r in rows if r[0] == "g" and r[3])
    hours = next(r for r in rows if r[0] == "h")
    assert clients == report["clients"]["total"], (clients, report["clients"]["total"])
    assert ended == report["ended"]["total"], (ended, report["ended"]["total"])
    assert round(hours[7] or 0, 2) == round(report["hours"]["total"], 2)
    assert hours[9] == report["hours"]["over_budget"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "VETO_USER": "benchmark"}
    env.pop("VETO_DATABASE_URL", None)
    python = sys.executable
    bare = measure([python, "-c", "pass"], options.runs)
    start = measure([python, "-m", "veto", "--version"], options.runs, env)
    rows = []
    for size in (int(s) for s in options.sizes.split(",")):
        path = store_for(size)
        veto = measure(
            [python, "-m", "veto", "--db", str(path), "report", "pilot", "--format", "json"],
            options.runs,
            env,
        )
        check_same_figures(path, json.loads(veto.out))
        floor = measure([python, "-c", FLOOR_SCRIPT, str(path), FLOOR_SQL], options.runs)
        rows.append((size, veto, floor, floor_in_process(path, options.runs)))
    print(
        f"Median of {options.runs} runs; wall / CPU (user + sys) seconds. Interpreter start "
        f"(`python -c pass`): {bare.wall:.2f} / {bare.cpu:.2f} s; veto start "
        f"(`veto --version`): {start.wall:.2f} / {start.cpu:.2f} s, {start.mb:.0f} MB."
    )
    print()
    print(
        "| clients | veto report pilot: wall / CPU (s) | CPU minus veto start (s) | peak MB | "
        "floor, python + SQL: wall / CPU (s) | floor SQL alone (s) | floor peak MB | "
        "veto ÷ (floor + veto start), CPU |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size, veto, floor, alone in rows:
        print(
            f"| {size:,} | {veto.wall:.2f} / {veto.cpu:.2f} | {veto.cpu - start.cpu:.2f} | "
            f"{veto.mb:.0f} | {floor.wall:.2f} / {floor.cpu:.2f} | {alone:.2f} | "
            f"{floor.mb:.0f} | {veto.cpu / (floor.cpu - bare.cpu + start.cpu):.2f} |"
        )


if __name__ == "__main__":
    main()

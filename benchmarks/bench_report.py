"""Benchmark of `veto report pilot` on synthetic stores of 1,000, 10,000 and 100,000 clients.

For each size it times, as fresh processes (median of several runs, peak memory from wait4):

- `python -m veto --db STORE report pilot --format json` — the real command;
- the floor: a hand-written SQL query computing the same figures, run with the sqlite3 module
  in a bare `python -c` (so both pay the interpreter start), and the same query in-process;
- a bare `python -c pass`, the interpreter start itself.

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


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall seconds and stdout of one fresh process."""
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, env=env)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{args[:4]} failed: {proc.stderr.decode()}")
    return wall, proc.stdout.decode()


def peak_mb(args: list[str], env: dict[str, str] | None = None) -> float:
    """Peak resident memory of one run of `args`, by /usr/bin/time -f %M.

    (`getrusage`/`wait4` of a child started from this process would report at least this
    process's own size: the fork counts before the exec.)"""
    with tempfile.NamedTemporaryFile("r", suffix=".txt") as report:
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", report.name, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            check=True,
        )
        return int(report.read().split()[-1]) / 1024  # kilobytes


def median_wall(args: list[str], runs: int, env=None) -> tuple[float, str]:
    walls = []
    out = ""
    for _ in range(runs):
        wall, out = run(args, env)
        walls.append(wall)
    return statistics.median(walls), out


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
    start_wall, _ = median_wall([python, "-c", "pass"], options.runs)
    veto_start, _ = median_wall([python, "-m", "veto", "--version"], options.runs, env)
    rows = []
    for size in (int(s) for s in options.sizes.split(",")):
        path = store_for(size)
        veto = [python, "-m", "veto", "--db", str(path), "report", "pilot", "--format", "json"]
        veto_wall, out = median_wall(veto, options.runs, env)
        check_same_figures(path, json.loads(out))
        floor = [python, "-c", FLOOR_SCRIPT, str(path), FLOOR_SQL]
        floor_wall, _ = median_wall(floor, options.runs)
        rows.append(
            {
                "clients": size,
                "veto": veto_wall,
                "veto_mb": peak_mb(veto, env),
                "floor": floor_wall,
                "floor_query": floor_in_process(path, options.runs),
                "floor_mb": peak_mb(floor),
            }
        )
    print(
        f"Median of {options.runs} runs. Interpreter start (`python -c pass`): {start_wall:.3f} s;"
        f" veto start (`python -m veto --version`): {veto_start:.3f} s."
    )
    print()
    print(
        "| clients | veto report pilot (s) | minus veto start (s) | peak MB | "
        "floor: python + SQL (s) | floor SQL alone (s) | floor peak MB | veto ÷ floor |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['clients']:,} | {r['veto']:.3f} | {r['veto'] - veto_start:.3f} | "
            f"{r['veto_mb']:.0f} | {r['floor']:.3f} | {r['floor_query']:.3f} | "
            f"{r['floor_mb']:.0f} | {r['veto'] / r['floor']:.2f} |"
        )


if __name__ == "__main__":
    main()

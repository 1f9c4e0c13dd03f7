"""How fast a coach's everyday commands are, against what a scripter would use: sqlite-utils.

    pip install -e '.[bench]'            # sqlite-utils, for the comparison only
    python benchmarks/bench_cli.py [--runs 9] [--clients 3000] [--no-warm-up]

One run measures, on one synthetic store of `--clients` clients (benchmarks/synthetic.py), each
everyday command as a whole fresh process (`client add`, `activity log`, `client list --format
json`, `client show`, `contact due`, and `today` when this veto has it) next to its sqlite-utils
equivalent on a copy of the same store, and the same veto commands as lines of one `veto shell`
(when this veto has it). Prints a markdown table: medians of `--runs` runs, CPU time (user +
system of the process: what the command costs, steady on a shared machine) and wall time.

Both tools start the same way, `python -c` importing their command-line entry point. sqlite-utils
imports numpy when it can (for numpy values in rows); a scripter's environment with sqlite-utils
from PyPI has no numpy, so numpy is blocked for it here (which makes sqlite-utils faster, not
slower). The store is a copy for each tool, both in WAL mode.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.synthetic import build_store  # noqa: E402

VETO = [sys.executable, "-c", "from veto.cli import main; main()"]
SQLITE_UTILS = [
    sys.executable,
    "-c",
    "import sys; sys.modules['numpy'] = None\nfrom sqlite_utils.cli import cli; cli()",
]
TARGET_RATIO = 2.5
LINE_TARGET_MS = 50


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{argv[3:]} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def medians(
    argv_of: Callable[[int], list[str]], env, runs: int, warm: bool = True
) -> tuple[float, float]:
    if warm:
        run(argv_of(-1), env)  # warm: page cache, bytecode
    samples = [run(argv_of(i), env) for i in range(runs)]
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def has_command(env, *words: str) -> bool:
    done = subprocess.run([*VETO, *words, "--help"], env=env, capture_output=True, text=True)
    return done.returncode == 0


def shell_lines(env, lines: list[str], runs: int) -> dict[str, list[float]]:
    """Median milliseconds (wall, CPU) of each line run `runs` times in one `veto shell`
    process (the shell's own `time_lines`; the first round is a warm-up)."""
    program = (
        "import json, sys\n"
        "from veto.shell import time_lines\n"
        "print(json.dumps(time_lines(json.loads(sys.argv[1]), int(sys.argv[2]))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, json.dumps(lines), str(runs)],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"veto shell timing failed: {done.stderr.strip()}")
    return json.loads(done.stdout)


def load() -> str:
    """The 1, 5 and 15 minute load averages (other work on the machine slows both tools)."""
    return " / ".join(fi(x, 1) for x in os.getloadavg())


def fi(x: float, decimals: int = 2) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--clients", type=int, default=3000)
    parser.add_argument(
        "--no-warm-up",
        action="store_true",
        help="skip each command's warm-up run (for a smoke test: the figures are then colder)",
    )
    args = parser.parse_args()
    runs = args.runs
    work = Path(tempfile.mkdtemp(prefix="veto-bench-"))
    try:
        measure(work, runs, args.clients, warm=not args.no_warm_up)
    finally:
        shutil.rmtree(work)


def measure(work: Path, runs: int, clients: int, warm: bool = True) -> None:
    veto_db, su_db = work / "veto.db", work / "su.db"
    build_store(veto_db, clients)
    env = {
        **os.environ,
        "VETO_DB": str(veto_db),
        "VETO_USER": "Valmentaja 00001",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("VETO_DATABASE_URL", None)
    with sqlite3.connect(veto_db) as db:
        active = db.execute(
            "SELECT code FROM client WHERE ended_on IS NULL ORDER BY id LIMIT 1"
        ).fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(veto_db, su_db)
    client_row = work / "client.json"
    activity_row = work / "activity.json"

    def su_client(i: int) -> list[str]:
        row = {"code": f"SU{i + 2:05d}", "name": f"Bench {i}", "gender": "female"}
        row |= {"background": "native", "created_at": "2026-01-01 00:00:00.000000"}
        client_row.write_text(json.dumps(row), encoding="utf-8")
        return [*SQLITE_UTILS, "insert", str(su_db), "client", str(client_row)]

    def su_activity(i: int) -> list[str]:
        row = {"client_id": 1, "on_date": "2026-01-02", "hours": 1.5, "kind": "meeting"}
        row |= {"created_at": "2026-01-01 00:00:00.000000"}
        activity_row.write_text(json.dumps(row), encoding="utf-8")
        return [*SQLITE_UTILS, "insert", str(su_db), "activity", str(activity_row)]

    su_rows = [*SQLITE_UTILS, "rows", str(su_db), "client"]
    su_one = [*su_rows, "--where", "code = :code", "-p", "code", active]
    add = ["client", "add", "--gender", "f", "--background", "native", "--name"]
    log = ["activity", "log", active, "--hours", "1,5", "--on", "2.1.2026"]
    cases: list[tuple[str, Callable[[int], list[str]], Callable[[int], list[str]], str]] = [
        ("client add", lambda i: [*VETO, *add, f"Bench {i}"], su_client, "insert client"),
        ("activity log", lambda i: [*VETO, *log], su_activity, "insert activity"),
        (
            "client list --format json",
            lambda i: [*VETO, "client", "list", "--format", "json"],
            lambda i: su_rows,
            "rows client",
        ),
        (
            "client show",
            lambda i: [*VETO, "client", "show", active],
            lambda i: su_one,
            "rows client --where code",
        ),
        (
            "contact due --all",
            lambda i: [*VETO, "contact", "due", "--all"],
            lambda i: su_one,
            "rows client --where code",
        ),
    ]
    has_today = has_command(env, "today")  # asked once: each `--help` is a process of its own
    if has_today:
        cases.append(
            ("today", lambda i: [*VETO, "today"], lambda i: su_one, "rows client --where code")
        )

    print(
        f"Store: {clients} clients ({veto_db.stat().st_size // 1024} KiB), medians of {runs} "
        f"runs, each a fresh process; CPU = user + system time; load average {load()}.\n"
    )
    print("| command | veto CPU | veto wall | sqlite-utils | its CPU | its wall | ratio (CPU) |")
    print("|---|---:|---:|---|---:|---:|---:|")
    worst = 0.0
    for name, veto_argv, su_argv, su_name in cases:
        v_wall, v_cpu = medians(veto_argv, env, runs, warm)
        s_wall, s_cpu = medians(su_argv, env, runs, warm)
        ratio = v_cpu / s_cpu
        worst = max(worst, ratio)
        print(
            f"| `veto {name}` | {fi(v_cpu)} s | {fi(v_wall)} s | `{su_name}` | {fi(s_cpu)} s "
            f"| {fi(s_wall)} s | {fi(ratio, 1)}× |"
        )
    print(
        f"\nWorst ratio {fi(worst, 1)}× (target ≤ {fi(TARGET_RATIO, 1)}×); load average {load()}."
    )

    if not has_command(env, "shell"):
        print("\n(no `veto shell` in this veto: shell lines not measured)")
        return
    lines = [
        "client add --gender f --background native --name 'Shell Bench'",
        f"activity log {active} --hours 1,5 --on 2.1.2026",
        f"client show {active}",
        "client list --format json",
        "contact due --all",
    ]
    if has_today:
        lines.append("today")
    per_line = shell_lines(env, lines, runs)
    print(f"\nThe same commands as lines of one `veto shell` (median of {runs} runs a line):\n")
    print("| line | time | CPU | target |")
    print("|---|---:|---:|---:|")
    for line in lines:
        target = f"≤ {LINE_TARGET_MS} ms" if line.split()[:2] in _LINE_TARGETS else "—"
        wall, cpu = per_line[line]
        print(f"| `{line}` | {fi(wall, 1)} ms | {fi(cpu, 1)} ms | {target} |")
    print(f"\nLoad average at the end: {load()}.")


_LINE_TARGETS = (["client", "add"], ["activity", "log"], ["client", "show"])


if __name__ == "__main__":
    main()
    # Leave without the collector's last passes over every object of the modules loaded (veto,
    # SQLAlchemy, openpyxl...): ~0,1-0,3 s CPU at exit that no figure here includes.
    gc.freeze()

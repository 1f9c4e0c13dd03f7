"""How fast a coach's everyday commands are, against the import floor of the stack itself.

    python benchmarks/bench_cli.py [--runs 7]

Prints a markdown table: the median wall time of `veto --version`, `veto client add`, the
165-command pilot journey as 165 processes and as one `veto batch`, and `python -c "import typer,
sqlmodel"` (the floor: no command can start faster than its libraries import).
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.journey import journey_commands  # noqa: E402


def veto_command() -> list[str]:
    script = Path(sys.executable).with_name("veto")
    return [str(script)] if script.exists() else [sys.executable, "-m", "veto"]


def timed(argv: list[str], env: dict[str, str], stdin: str | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, input=stdin, text=True, check=True, capture_output=True)
    return time.perf_counter() - start


def median(argvs, env, runs, prepare=None) -> float:
    samples = []
    for i in range(runs):
        if prepare:
            prepare(i)
        samples.append(timed(argvs(i), env))
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    veto = veto_command()
    work = Path(tempfile.mkdtemp(prefix="veto-bench-"))
    env = {**os.environ, "VETO_DB": str(work / "bench.db"), "VETO_USER": "bench"}
    subprocess.run([*veto, "db", "init"], env=env, check=True, capture_output=True)
    journey = journey_commands()
    (work / "journey.veto").write_text("\n".join(journey) + "\n", encoding="utf-8")

    floor = median(lambda i: [sys.executable, "-c", "import typer, sqlmodel"], env, runs)
    version = median(lambda i: [*veto, "--version"], env, runs)
    add = median(
        lambda i: [
            *veto,
            "client",
            "add",
            "--name",
            f"Bench {i}",
            "--gender",
            "f",
            "--background",
            "native",
        ],
        env,
        runs,
    )

    def fresh(i: int) -> None:
        for p in work.glob("journey*.db*"):
            p.unlink()

    batch_env = {**env, "VETO_DB": str(work / "journey.db")}
    batch = median(
        lambda i: [*veto, "batch", str(work / "journey.veto")], batch_env, runs, prepare=fresh
    )
    subprocess.run([*veto, "db", "init"], env=batch_env, check=True, capture_output=True)
    fresh(0)
    start = time.perf_counter()
    for line in journey:
        subprocess.run([*veto, *shlex.split(line)], env=batch_env, check=True, capture_output=True)
    separate = time.perf_counter() - start
    shutil.rmtree(work)

    print(f"| what | median of {runs} runs | vs floor |")
    print("|---|---|---|")
    print(f"| `python -c 'import typer, sqlmodel'` (floor) | {floor:.3f} s | 1.00× |")
    print(f"| `veto --version` | {version:.3f} s | {version / floor:.2f}× |")
    print(f"| `veto client add …` | {add:.3f} s | {add / floor:.2f}× |")
    print(f"| 165-command journey, 165 processes (1 run) | {separate:.2f} s | — |")
    print(f"| 165-command journey, one `veto batch` | {batch:.3f} s | — |")


if __name__ == "__main__":
    main()

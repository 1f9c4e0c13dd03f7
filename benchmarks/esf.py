"""How long `veto report esf` and `veto esf pending` take on large synthetic stores.

    python benchmarks/esf.py [SIZES...]        # default: 1000 10000 100000 clients

Builds each store with `benchmarks/synthetic.py`, gives nine clients in ten ESF+ participant
data (random statuses, education levels and answers, exit data for most leavers, follow-ups
for some), then runs each command as a real process three times and prints the median wall and CPU
time as a markdown table.
"""

from __future__ import annotations

import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import build_store  # noqa: E402

COMMANDS = {
    "--version (startup floor)": ["--version"],
    "report esf --format json": ["report", "esf", "--format", "json"],
    "report esf --period 2025 --suppress-below 5": [
        "report",
        "esf",
        "--period",
        "2025",
        "--suppress-below",
        "5",
        "--format",
        "csv",
    ],  # fmt: skip
    "esf pending --on 2026-06-30 --format csv": [
        "esf",
        "pending",
        "--on",
        "2026-06-30",
        "--format",
        "csv",
    ],  # fmt: skip
}


def add_participants(url: str, seed: int = 8) -> int:
    """Participant rows for nine clients in ten; returns how many."""
    from sqlalchemy import create_engine, select

    from veto.models import Client, Participant

    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    engine = create_engine(url)
    with engine.connect() as conn:
        clients = conn.execute(select(Client.id, Client.ended_on)).all()
    rows = []
    for cid, ended_on in clients:
        if rng.random() < 0.1:
            continue
        # executemany needs the same keys in every row
        row = dict.fromkeys(c.name for c in Participant.__table__.columns if c.name != "id")
        row |= {
            "client_id": cid,
            "status": rng.choice(["unemployed", "long-term-unemployed", "inactive", "employed"]),
            "isced": rng.choice(["0-2", "3-4", "5-8", "unknown"]),
            "created_at": now,
        }
        for column in ("disability", "third_country", "foreign_background", "minority"):
            row[column] = rng.choice(["yes", "no", "not-told", None])
        for column in ("homeless", "rural"):
            row[column] = rng.choice(["yes", "no", None])
        if ended_on is not None and rng.random() < 0.8:
            row["exit_answered_on"] = ended_on + timedelta(days=rng.randrange(0, 40))
            for column in ("job_searching", "in_education", "qualification", "employed_at_exit"):
                row[column] = rng.choice(["yes", "no", "unknown"])
            if rng.random() < 0.5:
                row["followup_on"] = ended_on + timedelta(days=190)
                row["employed_6m"] = rng.choice(["yes", "no", "unknown"])
                if row["status"] == "employed":
                    row["improved_6m"] = rng.choice(["yes", "no"])
        row["start_done"] = now.date() if rng.random() < 0.7 else None
        rows.append(row)
    with engine.begin() as conn:
        for i in range(0, len(rows), 20_000):
            conn.execute(Participant.__table__.insert(), rows[i : i + 20_000])
    engine.dispose()
    return len(rows)


def timed(args: list[str], db: Path) -> tuple[float, float]:
    """Median wall and CPU (user + system) seconds of three runs of `veto ARGS`; CPU time is
    the steadier figure on a busy machine."""
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "bench"}
    env.pop("VETO_DATABASE_URL", None)
    walls, cpus = [], []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "veto", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main(sizes: list[int]) -> None:
    print("| clients | participants | command | wall s | CPU s |")
    print("|---:|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            db = Path(tmp) / f"esf-{size}.db"
            url = build_store(db, clients=size)
            participants = add_participants(url)
            for name, args in COMMANDS.items():
                wall, cpu = timed(args, db)
                print(f"| {size:,} | {participants:,} | `veto {name}` | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
    # Leave without the collector's last passes over every object of the modules loaded (veto,
    # SQLAlchemy, openpyxl...): ~0,1-0,3 s CPU at exit that no figure here includes.
    gc.freeze()

"""Benchmark: `veto import table` of a coach's own 10,000-row sheet, against a plain load.

    python benchmarks/bench_import_table.py [ROWS]

Writes a Finnish Excel CSV (Windows-1252, ';', dates 1.8.2024) and the same rows as .xlsx,
one row per client with coaching start, placement start, end and outcome, and a work trial
on every third row — so 10,000 rows make 10,000 clients, about 20,000 phases, 3,300 work trials
and their employers. Each step runs in its own process (start-up and imports included):
import into an empty store, the same file again (nothing changes), a dry run, the .xlsx.
For comparison, what a user might do instead: `sqlite-utils insert --csv` (if installed) and
a plain csv + sqlite3 script, both loading the rows into one table with no checks at all.
Limit from issue 16: 10,000 rows checked and stored in at most 5 s.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = [
    "Nimi",
    "Sukupuoli",
    "Tausta",
    "Syntymävuosi",
    "Kunta",
    "Valmentaja",
    "Aloitus",
    "Työhönvalmennus alkoi",
    "Päättyi",
    "Tulos",
    "Työkokeilu",
    "Työkokeilu alkoi",
    "Työkokeilu päättyi",
    "Huomioita",
]
FIRST = ["Aino", "Juha", "Liisa", "Pekka", "Maria", "Mikko", "Sanna", "Ville", "Elina", "Omar"]
LAST = ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Lehto", "Laine", "Hassan", "Koski"]
PLAIN = """
import csv, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
with open(sys.argv[1], encoding="cp1252", newline="") as f:
    rows = list(csv.reader(f, delimiter=";"))
db.execute("CREATE TABLE IF NOT EXISTS seuranta (%s)" % ", ".join(f"c{i}" for i in range(len(rows[0]))))
db.executemany("INSERT INTO seuranta VALUES (%s)" % ", ".join("?" * len(rows[0])), rows[1:])
db.commit()
"""


def rows(count: int) -> list[list[str]]:
    random.seed(16)
    result = []
    for i in range(count):
        day = lambda low, high: f"{random.randint(1, 28)}.{random.randint(low, high)}.2024"  # noqa: E731
        ended = i % 2 == 1
        trial = i % 3 == 0
        result.append(
            [
                f"{random.choice(FIRST)} {random.choice(LAST)} {i}",
                random.choice(["N", "M", "nainen", "mies"]),
                random.choice(["kantasuomalainen", "maahanmuuttaja"]),
                str(random.randint(1960, 2004)),
                random.choice(["Tampere", "Nokia", "Ylöjärvi"]),
                f"Valmentaja {i % 12}",
                day(1, 3),
                day(5, 6),
                day(10, 11) if ended else "",
                "Työpaikka" if ended else "",
                f"Yritys {i % 300}" if trial else "",
                day(7, 7) if trial else "",
                day(8, 8) if trial else "",
                "",
            ]
        )
    return result


def _run(argv: list[str], db: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (CPU: a busy machine stretches the wall)."""
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "bench", "PYTHONPATH": str(ROOT)}
    env.pop("VETO_DATABASE_URL", None)
    start = time.perf_counter()
    child = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {child.stderr.read().decode()[:2000]}")
    return seconds, usage.ru_utime + usage.ru_stime


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    data = rows(count)
    veto = [sys.executable, "-m", "veto"]
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        csv_path, xlsx_path = tmp / "seuranta.csv", tmp / "seuranta.xlsx"
        lines = [";".join(HEADER)] + [";".join(r) for r in data]
        csv_path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Seuranta 2024")
        sheet.append(HEADER)
        for row in data:
            sheet.append([int(v) if v.isdigit() else v for v in row])
        book.save(xlsx_path)
        table = ["import", "table"]
        steps = [
            (
                "veto import table (CSV, empty store)",
                [*veto, *table, str(csv_path), "--into", "clients"],
                "a",
            ),
            (
                "veto import table (CSV again: nothing changes)",
                [*veto, *table, str(csv_path), "--into", "clients"],
                "a",
            ),
            (
                "veto import table --dry-run (CSV)",
                [*veto, *table, str(csv_path), "--into", "clients", "--dry-run"],
                "a",
            ),
            (
                "veto import table (xlsx, empty store)",
                [*veto, *table, str(xlsx_path), "--into", "clients"],
                "b",
            ),
            (
                "plain csv + sqlite3 script, no checks",
                [sys.executable, "-c", PLAIN, str(csv_path), str(tmp / "plain.db")],
                None,
            ),
        ]
        if shutil.which("sqlite-utils"):
            steps.append(
                (
                    "sqlite-utils insert --csv --delimiter ';', no checks",
                    [
                        "sqlite-utils",
                        "insert",
                        str(tmp / "su.db"),
                        "seuranta",
                        str(csv_path),
                        "--csv",
                        "--delimiter",
                        ";",
                        "--encoding",
                        "cp1252",
                    ],
                    None,
                )
            )
        results = [
            (name, *_run(argv, tmp / f"{store or 'none'}.db")) for name, argv, store in steps
        ]
    load = os.getloadavg()[0]
    print(f"{count:,} rows, load average {load:.1f} on {os.cpu_count()} CPUs\n")
    print("| step | wall s | CPU s | limit s |")
    print("|---|---:|---:|---:|")
    for name, wall, cpu in results:
        limit = "5" if name.startswith("veto") else ""
        print(f"| {name} | {wall:.2f} | {cpu:.2f} | {limit} |")


if __name__ == "__main__":
    main()

"""What an encrypted store (SQLCipher) costs: the same commands on a plain and on an encrypted
copy of one synthetic store.

Each command is a fresh `python -m veto` process (median wall time of several runs):
`client add`, `report pilot --format json`, `db check`, and `import xlsx` of a workbook of
`--import-clients` clients into an empty store; and, once, `db encrypt` of the whole store.
An encrypted store pays SQLCipher's key derivation (PBKDF2-HMAC-SHA512, 256 000 rounds) once
per connection, and AES on every page read or written.

Usage: `python benchmarks/bench_encryption.py [--clients 10000] [--import-clients 1000] [--runs 5]`
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KEY = "benchmark-avain"


def veto(db: Path, *args: str, key: bool) -> float:
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "bench", "PYTHONPATH": str(ROOT)}
    env.pop("VETO_KEY", None)
    env.pop("VETO_DATABASE_URL", None)
    if key:
        env["VETO_KEY"] = KEY
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "veto", *args], env=env, capture_output=True, text=True
    )
    # `db check` exits 1 on the synthetic store: its generator dates some records after today,
    # which the timeline rule reports; the check still runs in full, which is what is timed.
    if done.returncode not in ((0, 1) if args[:2] == ("db", "check") else (0,)):
        raise SystemExit(f"veto {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return time.perf_counter() - start


def median(runs: int, run) -> float:
    return statistics.median(run(i) for i in range(runs))


def empty_encrypted(path: Path) -> None:
    """A new encrypted store at the current schema, made in this process as `veto init --encrypt`
    makes it (SQLCipher's first page, then the migrations), with KEY."""
    from veto.store import cipher
    from veto.store.database import dispose_all, engine_for
    from veto.store.location import sqlite_location

    cipher.create_encrypted(path, KEY)
    engine_for(sqlite_location(path, "VETO_DB"))
    dispose_all()
    cipher.forget_keys()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--import-clients", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from benchmarks.synthetic import build_store, export_workbook

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        plain, encrypted = tmp / "plain.db", tmp / "encrypted.db"
        build_store(plain, clients=args.clients)
        shutil.copyfile(plain, encrypted)
        encrypt_seconds = veto(encrypted, "db", "encrypt", key=True)
        small = tmp / "small.db"
        build_store(small, clients=args.import_clients)
        workbook = tmp / "seuranta.xlsx"
        export_workbook(small, workbook)
        # Each encrypted import goes into a copy of one empty encrypted store: the import is
        # what is timed, not making its target.
        empty = tmp / "empty-encrypted.db"
        empty_encrypted(empty)

        rows = []
        for label, argv in (
            ("`veto client add …`", ["client", "add", "--name", "Testi Henkilö", "--gender",
                                     "f", "--background", "native"]),
            ("`veto report pilot --format json`", ["report", "pilot", "--format", "json"]),
            ("`veto db check`", ["db", "check"]),
        ):  # fmt: skip
            times = [
                median(args.runs, lambda _i, db=db, k=k, a=argv: veto(db, *a, key=k))
                for db, k in ((plain, False), (encrypted, True))
            ]
            rows.append((f"{label} ({args.clients:,} clients)", *times))

        def imported(i: int, key: bool) -> float:
            target = tmp / f"import-{key}-{i}.db"
            if key:
                shutil.copy(empty, target)  # its mode too (0600, as veto makes it)
            return veto(target, "import", "xlsx", str(workbook), key=key)

        rows.append(
            (
                f"`veto import xlsx` ({args.import_clients:,} clients, into an empty store)",
                median(args.runs, lambda i: imported(i, False)),
                median(args.runs, lambda i: imported(i, True)),
            )
        )
    print("| command | plain | encrypted | cost |\n|---|---:|---:|---:|")
    for label, plain_s, encrypted_s in rows:
        print(f"| {label} | {plain_s:.2f} s | {encrypted_s:.2f} s | {encrypted_s / plain_s:.2f}× |")
    print(f"\n`veto db encrypt` of the {args.clients:,}-client store: {encrypt_seconds:.2f} s")


if __name__ == "__main__":
    main()
    # Leave without the collector's last passes over every object of the modules loaded (veto,
    # SQLAlchemy, openpyxl...): ~0,1-0,3 s CPU at exit that no figure here includes.
    gc.freeze()

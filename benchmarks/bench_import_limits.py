"""Benchmark: peak memory of `veto import xlsx` on the 10,000-client workbook and on zip bombs.

    python benchmarks/bench_import_limits.py [CLIENTS [BOMB_MIB]]

Builds a synthetic store (`benchmarks/synthetic.py`), exports its workbook, and imports into an
empty store: that workbook, one whose client sheet holds 3 GiB of compressed whitespace, and one
with a 300 MB shared string (issue 18's examples). Each import runs in its own process; the
table shows its exit status, first stderr line and max RSS (the child's own, from wait4).
Limit from issue 18: every run under 500 MB. BOMB_MIB makes both bombs that size instead (the
test suite's smoke run: 65 MiB is still over the 64 MiB that veto reads of one part).
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import tempfile
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import build_store, export_workbook  # noqa: E402

LIMIT_MB = 500
CHUNK = 2**20


def _import(book: Path, db: Path) -> tuple[int, str, float]:
    """Exit status, first stderr line and peak memory (MiB) of one import in a child process
    (its own resource usage, from wait4)."""
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "bench"}
    env.pop("VETO_DATABASE_URL", None)
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(
            [sys.executable, "-m", "veto", "import", "xlsx", str(book)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        err.seek(0)
        lines = err.read().decode().strip().splitlines() or [""]
    code = os.waitstatus_to_exitcode(status)
    line = lines[-1] if code == 0 else lines[0]
    return code, line[:90], usage.ru_maxrss / 1024


def _export_apart(store: Path, book: Path) -> None:
    """Write the store's workbook in a forked child, not in this process: each import's max RSS
    (wait4) counts this process's peak too (a child shares its parent's memory until its exec),
    so this process must not grow by an export. Forked, not a new `python -m veto`, to save the
    start-up."""
    pid = os.fork()
    if pid == 0:
        try:
            export_workbook(store, book)
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the export of {store} failed")


def _bomb(source: Path, target: Path, part_of, write) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if not part_of(info.filename):
                new.writestr(info, data, zipfile.ZIP_DEFLATED)
                continue
            fresh = zipfile.ZipInfo(info.filename)
            fresh.compress_type = zipfile.ZIP_DEFLATED
            with new.open(fresh, "w", force_zip64=True) as stream:
                write(stream, data)


def _whitespace(mib: int):
    def write(stream, data: bytes) -> None:
        head, tail = data.split(b"<sheetData>", 1)
        stream.write(head + b"<sheetData>")
        spaces = b" " * CHUNK
        for _ in range(mib):
            stream.write(spaces)
        stream.write(tail)

    return write


def _shared_string(mib: int):
    def write(stream, data: bytes) -> None:
        head, tail = data.split(b"<si>", 1)
        stream.write(head + b"<si><t>")
        for _ in range(mib):
            stream.write(b"x" * CHUNK)
        stream.write(b"</t></si><si>" + tail)

    return write


def _size(mib: int, unit: str = "MiB") -> str:
    return f"{mib // 1024} GiB" if mib % 1024 == 0 else f"{mib} {unit}"


def main() -> None:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    bomb = int(sys.argv[2]) if len(sys.argv) > 2 else None
    spaces_mib, string_mib = (bomb, bomb) if bomb else (3 * 1024, 300)  # 3 GiB, 300 MiB
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source, book = tmp / "source.db", tmp / "seuranta.xlsx"
        build_store(source, clients)
        _export_apart(source, book)
        whitespace, string = tmp / "whitespace.xlsx", tmp / "string.xlsx"
        _bomb(book, string, lambda n: n == "xl/sharedStrings.xml", _shared_string(string_mib))
        # The client sheet is the largest sheet but one; which part it is does not matter here.
        _bomb(book, whitespace, lambda n: n == "xl/worksheets/sheet2.xml", _whitespace(spaces_mib))
        runs = [
            (f"{_size(spaces_mib)} of whitespace in a sheet", whitespace),
            (f"{_size(string_mib, 'MB')} shared string", string),
            (f"{clients:,}-client workbook", book),
        ]
        rows = []
        for name, path in runs:
            status, line, peak = _import(path, tmp / f"{path.stem}.db")
            rows.append((name, path.stat().st_size / 2**20, status, line, peak))
    print("| import xlsx of | file | exit | max RSS | stderr |")
    print("|---|---:|---:|---:|---|")
    for name, size, status, line, peak in rows:
        flag = "" if peak < LIMIT_MB else " (over the limit)"
        print(f"| {name} | {size:.1f} MiB | {status} | {peak:.0f} MiB{flag} | {line} |")


if __name__ == "__main__":
    main()
    # Leave without the collector's last passes over every object of the modules loaded (veto,
    # SQLAlchemy, openpyxl...): ~0,1-0,3 s CPU at exit that no figure here includes.
    gc.freeze()

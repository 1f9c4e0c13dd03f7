"""mypy over veto/ against a committed baseline that may only shrink.

    python tools/mypy_baseline.py           # exit 1 if mypy finds an error the baseline lacks
    python tools/mypy_baseline.py --update  # write the baseline (commit it: it should shrink)

The baseline (`tools/mypy-baseline.txt`) holds each known error as `path: message [code]`,
without its line number (lines move with every edit); an error counts as new when a file has
more of the same message than the baseline says. Settings: `[tool.mypy]` in pyproject.toml.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")


def current() -> Counter[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-error-summary",
            "--hide-error-context",
            "--no-pretty",
            "--show-error-codes",
        ],  # fmt: skip
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1) or done.stderr.strip():
        raise SystemExit(f"mypy did not run: {done.stderr.strip() or done.stdout.strip()}")
    found: Counter[str] = Counter()
    for line in done.stdout.splitlines():
        if m := ERROR.match(line):
            found[f"{m['path']}: {m['message']}"] += 1
    return found


def main() -> int:
    found = current()
    if "--update" in sys.argv[1:]:
        BASELINE.write_text("".join(f"{e}\n" for e in sorted(found.elements())), "utf-8")
        print(f"{sum(found.values())} errors in the baseline")
        return 0
    known = Counter(BASELINE.read_text("utf-8").splitlines()) if BASELINE.exists() else Counter()
    new = found - known
    fixed = known - found
    for error in sorted(new.elements()):
        print(f"new: {error}")
    if fixed:
        print(f"{sum(fixed.values())} baseline errors are fixed: run "
              "python tools/mypy_baseline.py --update and commit the smaller baseline")  # fmt: skip
    if new:
        print(f"{sum(new.values())} new mypy errors (fix them; use col() for SQLModel columns)")
        return 1
    print(f"mypy: no new errors ({sum(found.values())} in the baseline)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

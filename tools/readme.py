"""Keep the README's transcripts true: run every `$ veto …` line of each transcript block in a
fresh store and write the real output below it.

    python tools/readme.py          # rewrite README.md in place
    python tools/readme.py --check  # exit 1 if README.md is not what the commands print

A block is fenced as ```console right after a line `<!-- transcript -->`. Lines starting with
`$ veto ` are run (shell-quoted), and so are `$ LANG=fi_FI.UTF-8 veto ` lines (that locale for
that command; every other line runs with VETO_LANG=en); everything else in the block is output
and is regenerated.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- transcript -->\n```console\n)(.*?)(```)", re.S)


def _run(args: list[str], stdin: str | None = None) -> str:
    from typer.testing import CliRunner

    from veto.cli import app

    result = CliRunner().invoke(app, args, input=stdin)
    return result.stdout + result.stderr


# `$ LANG=fi_FI.UTF-8 veto ...`: a command run in that locale (VETO_LANG, which pins every
# other line to English, is lifted for it).
_LOCALE_LINE = re.compile(r"\$ (?:(?:LANG|LC_ALL|LC_MESSAGES|VETO_LANG)=\S+ )+veto ")


def _with_environment(setting: dict[str, str], args: list[str]) -> str:
    """`veto ARGS` run with the variables in `setting` set."""
    saved = dict(os.environ)
    if setting:
        os.environ.pop("VETO_LANG", None)
    os.environ.update(setting)
    try:
        return _run(args)
    finally:
        os.environ.clear()
        os.environ.update(saved)


def render_block(body: str) -> str:
    """The block with each command's output replaced by what it prints now."""
    out = []
    for line in body.splitlines():
        if line.startswith("$ veto ") or _LOCALE_LINE.match(line):
            out.append(line)
            words = shlex.split(line[2:])
            at = words.index("veto")
            setting = dict(w.split("=", 1) for w in words[:at])
            text = _with_environment(setting, words[at + 1 :])
            out.extend(text.rstrip("\n").splitlines() if text.strip() else [])
    return "\n".join(out) + "\n"


# The change history's clock during a render (9.00 Finnish time), so that the transcripts that
# show `veto history` or `veto undo` print the same times on every run.
HISTORY_CLOCK = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


@contextmanager
def _pinned_history_clock() -> Iterator[None]:
    from veto.store import history

    clock, zone = history.clock, os.environ.get("TZ")
    history.clock = lambda: HISTORY_CLOCK
    os.environ["TZ"] = "Europe/Helsinki"
    time.tzset()
    try:
        yield
    finally:
        history.clock = clock
        if zone is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = zone
        time.tzset()


def render(readme: str) -> str:
    from veto.store.database import dispose_all

    with tempfile.TemporaryDirectory() as tmp, _pinned_history_clock():
        names = ("VETO_DB", "VETO_DATABASE_URL", "VETO_USER", "COLUMNS")
        saved = {k: os.environ.get(k) for k in names}
        os.environ.update(VETO_DB=str(Path(tmp) / "readme.db"), VETO_USER="readme")
        os.environ["VETO_LANG"] = "en"  # whatever the locale of whoever regenerates it
        os.environ.pop("VETO_DATABASE_URL", None)
        os.environ.pop("COLUMNS", None)  # transcripts show whole tables, as a pipe gets them
        # Run where any store a transcript names (--db x.db) is thrown away afterwards, with
        # the example files it reads (docs/examples/…) there as in the repository.
        here = Path.cwd()
        shutil.copytree(ROOT / "docs" / "examples", Path(tmp) / "docs" / "examples")
        os.chdir(tmp)
        try:
            return BLOCK.sub(lambda m: m.group(1) + render_block(m.group(2)) + m.group(3), readme)
        finally:
            os.chdir(here)
            dispose_all()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def main() -> int:
    sys.path.insert(0, str(ROOT))
    current = README.read_text(encoding="utf-8")
    fresh = render(current)
    if "--check" in sys.argv:
        if fresh != current:
            print("README.md transcripts are stale: run python tools/readme.py", file=sys.stderr)
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

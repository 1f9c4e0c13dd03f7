"""A Finnish coach sees no English word (issue 14): the help of every command, the tables of the
demo store and the usual refusals, under VETO_LANG=fi and under LANG=fi_FI.UTF-8, searched for
common English words of a user interface (STOP).

What may stay English in a Finnish text is taken out first (`_scrub`): command lines (`veto
client list`), option names, metavars and Click's type names (`ASIAKAS`, `<str>`), quoted input
('X9999'), paths and record references (`phase:1`), and the words a coach types as values
(`allowed`: every enumeration value and alias, the --into tables, the import fields, the formats),
which `--help` lists beside their Finnish names. JSON and CSV are not searched (the contract keeps
them English). Slow (tests/slow_tests.txt): it builds the demo store and starts one process."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import invoke

STOP = frozenset(
    """
    the a an of to in at by for from with without into onto than then and or but not nor
    is are was were be been being has have had do does did can cannot could would should will must
    this that these those there here which who whom whose what when where why how
    unknown invalid missing expected required optional default error errors usage options option
    arguments argument commands command choose give use type enter print show shows prints
    client clients coach coaches employer employers contact contacts placement placements phase
    phases activity activities survey surveys plan plans note notes row rows column columns
    sheet sheets file files store date dates day days week month year hours hour name names value
    values field fields record records table tables report reports help message exit aborted
    already nothing first last new empty only more most less least every each any other none
    after before since until yet still also just about all some one two several such
    found read written kept removed added changed unchanged imported would yes
    """.split()
)
# Names and words a Finnish text uses as they are.
ALWAYS = frozenset(
    "veto SQLite SQLCipher PostgreSQL Excel LibreOffice CSV UTF BOM GDPR ESF EURA ISCED Enter "
    "exit quit none".split()
)


@cache
def allowed() -> frozenset[str]:
    """The words a coach types as values, which Finnish texts name as they are."""
    from veto import vocabulary
    from veto.imports.fields import TARGETS, fields_of

    words: set[str] = set(ALWAYS) | set(TARGETS)
    for enumeration, values in vocabulary._VALUES.items():
        words |= set(values) | set(vocabulary._ALIASES.get(enumeration, {}))
    for into in TARGETS:
        words |= set(fields_of(into))
    words |= {"table", "json", "csv", "md", "html", "pdf", "xlsx", "ods", "yaml"}
    split = {w for item in words for w in re.split(r"[^A-Za-z]+", item) if w}
    # A value that is also a common word ('unknown', 'client') is allowed only where values are
    # listed (`_scrub`): 'a|b', 'phone (puhelin)'.
    return frozenset(split - STOP) | ALWAYS


@cache
def command_names() -> frozenset[str]:
    """Every command and group name of the tree, and the aliases."""
    from veto.cli import ALIASES

    names = set(ALIASES)
    for path in _paths():
        names |= set(path)
    return frozenset(names)


@cache
def _paths() -> tuple[tuple[str, ...], ...]:
    """Every command's path in the tree (the root as ())."""
    import typer

    from veto.cli import app

    found = []

    def walk(command, path):
        found.append(path)
        for name in sorted(getattr(command, "commands", {}) or {}):
            walk(command.commands[name], (*path, name))

    walk(typer.main.get_command(app), ())
    return tuple(found)


def _scrub(text: str) -> str:
    """`text` without what may stay English in it (see the module docstring)."""
    names = "|".join(sorted(map(re.escape, command_names()), key=len, reverse=True))
    text = re.sub(r"`[^`]*`|'[^']*'|\"[^\"]*\"", " ", text)
    text = re.sub(r"\b[a-z_]+(\s+<[a-z ]+>)", r"\1", text)  # an argument's name before its type
    text = re.sub(r"<[a-z ]+>|\{[a-z_]+\}|\[[a-z_]+\]", " ", text)  # types; usage's arguments
    text = re.sub(rf"\bveto((?:\s+(?:{names}))*)\b", " ", text)
    text = re.sub(rf"^(│\s+)(?:{names})\b", r"\1", text, flags=re.M)  # a command panel's names
    text = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*(?:=\S*| ([a-z][\w-]*))?", _option, text)
    text = re.sub(r"\b[a-z_]+:\d+\b", " ", text)  # a record reference: phase:1
    text = re.sub(r"\[oletus: [^\]]*\]", " ", text)  # a default value, as typed
    fields = "|".join(sorted(_fields(), key=len, reverse=True))
    # an import's fields (what --column maps to): 'Nimi   name', 'name Eino Esimerkki, gender'
    text = re.sub(rf"(?:(?<=  )|(?<=, )|^)(?:{fields})(?= |$)", " ", text.strip())
    text = re.sub(r"[\w-]+(?=\s*\|)|(?<=\|)\s*[\w-]+", " ", text)  # values listed: a | b
    text = re.sub(r"\b[a-z][\w-]*(?= \([a-zåäö])", " ", text)  # a value before its Finnish name
    return re.sub(r"\S*[/\\.@_]\S*", " ", text)  # paths, files, e-mail, identifiers


def _option(found: re.Match) -> str:
    """An option is taken out with the value after it when that is one a coach types."""
    value = found.group(1)
    return " " if value is None or value in _values() else f" {value}"


@cache
def _fields() -> frozenset[str]:
    from veto.imports.fields import TARGETS, fields_of

    return frozenset(name for into in TARGETS for name in fields_of(into))


@cache
def _values() -> frozenset[str]:
    from veto import vocabulary
    from veto.imports.fields import TARGETS

    words = set(TARGETS) | {"table", "json", "csv", "md", "html", "pdf"}
    for enumeration, values in vocabulary._VALUES.items():
        words |= set(values) | set(vocabulary._ALIASES.get(enumeration, {}))
    return frozenset(words)


def english(text: str) -> list[str]:
    """Each line of `text` (a Finnish one) with the STOP words in it that are not allowed."""
    found = []
    for line in text.splitlines():
        words = [
            w
            for w in re.findall(r"[A-Za-zÀ-ÿ]+", _scrub(line))
            if w not in allowed()
            and not w.isupper()
            and w.lower() in STOP
            and (w.islower() or w.istitle())
        ]
        if words:
            found.append(f"{line.strip()}  <- {' '.join(words)}")
    return found


def test_the_stop_list_finds_english():
    assert english("Error: unknown client 'X9999': give a client code") == [
        "Error: unknown client 'X9999': give a client code  <- Error unknown client give a client"
    ]
    assert (
        english("Virhe: tuntematon asiakas 'X9999' (veto client find TEKSTI), --into hours") == []
    )


@pytest.fixture
def store(demo_store, tmp_path, monkeypatch) -> Path:
    """A copy of the demo store as VETO_DB (each case may be refused, never changes it)."""
    path = demo_store
    monkeypatch.setenv("VETO_DB", str(path))
    monkeypatch.setenv("COLUMNS", "80")
    (tmp_path / "nul.csv").write_bytes(b"Nimi;Sukupuoli\n\x00\n")
    (tmp_path / "tunnit.csv").write_text(
        "Asiakaskoodi;Nimi;Päivä;Tunnit\nX0009;;2.9.2025;1\n;Eino Esimerkki;3.9.2025;1\n"
        "DEMO01;;3.9.2025;abc\n",
        encoding="utf-8",
    )
    (tmp_path / "asiakkaat.csv").write_text(
        "Nimi;Sukupuoli\nEino Esimerkki;nainen\nEino Esimerkki;x\n", encoding="utf-8"
    )
    (tmp_path / "uudet.csv").write_text(
        "Nimi;Sukupuoli;Tausta;Syntymävuosi\nEino Esimerkki;mies;kantasuomalainen;1990\n"
        "Toivo Laakso;mies;kantasuomalainen;1980\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return path


LANGUAGES = {
    "VETO_LANG=fi": {"VETO_LANG": "fi"},
    "LANG=fi_FI.UTF-8": {
        "VETO_LANG": None,
        "LC_ALL": None,
        "LC_MESSAGES": None,
        "LANG": "fi_FI.UTF-8",
    },
}


@pytest.fixture(params=LANGUAGES)
def finnish(request, monkeypatch):
    for name, value in LANGUAGES[request.param].items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


# Tables of the demo store, and the usual refusals: (arguments, exit status).
RUNS = [
    ("client list", 0),
    ("client list --active", 0),
    ("client show DEMO01", 0),
    ("client find maija", 0),
    ("coach list", 0),
    ("coach show 1", 0),
    ("employer list", 0),
    ("employer show 1", 0),
    ("employer person list 1", 0),
    ("contact list", 0),
    ("contact due", 0),
    ("activity list DEMO01", 0),
    ("phase list DEMO01", 0),
    ("placement list", 0),
    ("placement show 1", 0),
    ("note list DEMO01", 0),
    ("survey list DEMO01", 0),
    ("plan list DEMO01", 0),
    ("today --all", 0),
    ("report pilot", 0),
    ("report fidelity", 0),
    ("report esf", 0),
    ("report esf --wide", 0),
    ("retention list --ended-before 1.1.2030", 0),
    ("esf entry DEMO01 --status unemployed --isced 3-4", 0),
    ("esf pending", 0),
    ("audit", 0),
    ("history DEMO01", 0),
    ("db check", 0),
    ("doc kartoitus DEMO01 --format md", 0),
    ("esf entry DEMO01 --status unemployed --isced 3-4 && esf show DEMO01", 0),
    ("import table uudet.csv --into clients --dry-run", 0),
    ("import table uudet.csv --into clients", 0),
    ("export xlsx --out seuranta.xlsx && import xlsx seuranta.xlsx --dry-run", 0),
    ("activity log DEMO01 --hours 9 && activity log DEMO01 --hours 9", 0),
    ("db backup varmuuskopio.db", 0),
    ("client export DEMO01 --out tiedot.json", 0),
    ("note add DEMO01 Soitettu && undo --yes", 0),
    (
        "client end DEMO01 --outcome employed --field IT && client reopen DEMO01 && history DEMO01",
        0,
    ),
    ("client show X9999", 2),
    ("survey show 999", 2),
    ("retention list", 2),
    ("undo", 2),
    ("esf show DEMO01", 2),
    ("activity log DEMO01 --hours 1 --on 32.1.2025", 2),
    ("activity log DEMO01 --hours 30", 2),
    ("client add --name Testi --gender q --background native", 2),
    ("contact log 1 --channel kirje --stage contact", 2),
    ("client end DEMO01 --outcome nope", 2),
    ("phase start placement DEMO02", 2),
    ("client list --bogus", 2),
    ("client show", 2),
    ("client show a b", 2),
    ("client lista", 2),
    ("placement add DEMO01", 2),
    ("doc nope DEMO01", 2),
    ("employer remove 1", 2),
    ("client erase DEMO02", 2),
    ("import table missing.csv --into clients", 2),
    ("import table nul.csv --into clients", 2),
    ("import table tunnit.csv --into hours", 2),
    ("import table asiakkaat.csv --into clients", 2),
    ("import table asiakkaat.csv --into nothing", 2),
    ("import xlsx nul.csv", 2),
]


@pytest.mark.parametrize(("args", "status"), RUNS, ids=[args for args, _status in RUNS])
def test_no_english_in_tables_and_refusals(store, finnish, args, status):
    """`args` is one command line, or several joined by '&&' (each must succeed but the last)."""
    *before, last = args.split(" && ")
    for line in before:
        run = invoke(*line.split())
        assert run.exit_code == 0, run.stderr
        assert english(run.stdout + run.stderr) == []
    run = invoke(*last.split())
    assert run.exit_code == status, run.stderr
    assert english(run.stdout + run.stderr) == []


_HELP = """
import json, sys
from click.testing import CliRunner
import typer
from veto.cli import app

root = typer.main.get_command(app)
pages = {}
for line in sys.stdin:
    path = json.loads(line)
    run = CliRunner().invoke(root, [*path, "--help"], prog_name="veto", env={"COLUMNS": "100"})
    pages[" ".join(path)] = run.stdout + run.stderr
print(json.dumps(pages))
"""


def test_no_english_in_any_help_page(tmp_path):
    """Every command's --help, in a process of its own under LANG=fi_FI.UTF-8 (a command's help
    is translated once, when it is first loaded)."""
    env = {k: v for k, v in os.environ.items() if k not in ("VETO_LANG", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="fi_FI.UTF-8", VETO_DB=str(tmp_path / "none.db"))
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).parent.parent), env.get("PYTHONPATH", "")]
    )
    paths = "\n".join(json.dumps(list(p)) for p in _paths())
    done = subprocess.run(
        [sys.executable, "-c", _HELP], input=paths, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    pages = json.loads(done.stdout)
    assert len(pages) == len(_paths()) > 100
    found = {path: english(page) for path, page in pages.items()}
    assert {path: lines for path, lines in found.items() if lines} == {}
    assert "Käyttö: veto client list [VALITSIMET]" in pages["client list"]

"""Start-up on a diet: an everyday command imports only what it needs, and loading commands
lazily (veto/cli.py) changes nothing a user sees."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest
import typer.main

from tests.conftest import imported_by, invoke, new_store
from veto.cli import COMMANDS, app, load_command
from veto.store.database import dispose_all

# Never needed by a command that adds, lists or shows records: documents (WeasyPrint, Jinja),
# workbooks (openpyxl), YAML answer files, migrations at the current revision (Alembic), PDF
# checks, the Finnish number formatting of reports (Babel).
HEAVY = {"weasyprint", "openpyxl", "jinja2", "yaml", "alembic", "pypdf", "babel", "psycopg"}
# What the stdlib path (veto/store/direct.py and the domain's SQL over a `Work`: direct.py,
# client_card.py, followups.py, hours.py, today.py, new_client.py) spares a command.
ORM = {"sqlalchemy", "sqlmodel", "pydantic"}
EVERYDAY = {
    "client list json": (["client", "list", "--format", "json"], HEAVY | ORM | {"rich"}),
    "client list": (["client", "list", "--coach", "1", "--active"], HEAVY | ORM),
    "client add": (
        ["client", "add", "--name", "Saara Esimerkki", "--gender", "f", "--background", "native"],
        HEAVY | ORM | {"rich"},
    ),
    "client show": (["client", "show", "A0001", "--format", "json"], HEAVY | ORM | {"rich"}),
    "client show by name": (["client", "show", "aino esimerkki", "-f", "json"], HEAVY | ORM),
    "activity log": (["activity", "log", "A0001", "--hours", "1,5"], HEAVY | ORM | {"rich"}),
    "contact due": (["contact", "due", "--all", "--format", "json"], HEAVY | ORM | {"rich"}),
    "contact due mine": (["contact", "due", "--format", "json"], HEAVY | ORM | {"rich"}),
    "today": (["today", "--format", "json"], HEAVY | ORM | {"rich"}),
    "today of a coach": (["today", "--coach", "Liisa Laine"], HEAVY | ORM),
    "version": (["--version"], HEAVY | ORM | {"rich"}),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store with one client, A0001, made in this process by the same commands (the set-up is
    not what these tests measure: each test's own process is)."""
    db = tmp_path_factory.mktemp("startup") / "veto.db"
    new_store(db)  # plain and current, as a first real process would make it
    add = ["client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native"]
    start = ["phase", "start", "coaching", "A0001"]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VETO_DB", str(db))
        env.setenv("VETO_USER", "tester")
        env.setenv("VETO_LANG", "en")
        env.delenv("VETO_DATABASE_URL", raising=False)
        for args in (["coach", "add", "Liisa Laine"], [*add, "--coach", "1"], start):
            result = invoke(*args)
            assert result.exit_code == 0, result.stderr
    dispose_all()  # the engine closed: each test's process finds the store as a closed file
    return db


@pytest.mark.parametrize("name", sorted(EVERYDAY))
def test_everyday_command_imports_nothing_it_does_not_need(store, name):
    args, denied = EVERYDAY[name]
    assert sorted(imported_by(args, store) & denied) == []


@pytest.mark.plain_file
def test_a_whole_process_closes_its_store_before_it_ends(tmp_path):
    """A veto process freezes its objects as it ends (veto.cli.main: the exit's garbage
    collections then skip them) only after closing the store's connections, so SQLite has
    still moved the WAL into the file: the store is one file again after each command."""
    db = tmp_path / "veto.db"
    env = {k: v for k, v in os.environ.items() if k != "VETO_KEY"} | {"VETO_DB": str(db)}
    for args in (["coach", "add", "Liisa Laine"], ["coach", "list"]):
        run = subprocess.run(
            [sys.executable, "-m", "veto", *args], capture_output=True, text=True, env=env
        )
        assert (run.returncode, run.stderr) == (0, "")
        assert sorted(path.name for path in tmp_path.iterdir()) == ["veto.db"]
    assert "Liisa Laine" in run.stdout


def test_a_command_imports_only_its_own_command_module(store):
    code_modules = imported_by(["client", "list", "--format", "json"], store, full=True)
    commands = sorted(m for m in code_modules if m.startswith("veto.commands."))
    assert commands == ["veto.commands.clients", "veto.commands.common", "veto.commands.privacy"]


def _walk(group, path=()):
    ctx = group.context_class(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _walk(command, (*path, name))


def test_every_registered_command_loads_with_its_name_and_help():
    root = typer.main.get_command(app)
    assert list(root.commands) == list(COMMANDS)
    for name in COMMANDS:
        command = load_command(name)
        assert command.name == name
        assert command.help, name


def test_every_command_path_is_offered_once():
    paths = [" ".join(p) for p, _ in _walk(typer.main.get_command(app))]
    assert len(paths) == len(set(paths))
    for expected in ("client add", "client export", "client erase", "report fidelity",
                     "report esf", "report pilot", "employer person add", "audit", "batch", "demo"):  # fmt: skip
        assert expected in paths


def test_client_list_on_the_stdlib_path_and_through_the_session(ok, backend, tmp_path):
    """The listing's SQL (veto/domain/direct.py) gives the same rows on SQLite's stdlib path,
    on PostgreSQL, and inside a batch whose earlier line added a client (session path)."""
    ok("coach", "add", "Liisa Laine")
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background",
       "immigrant", "--coach", "Liisa Laine")  # fmt: skip
    ok("phase", "start", "coaching", "A0001", "--on", "1.2.2024")
    ok("client", "add", "--name", "Eino Esimerkki", "--gender", "m", "--background", "native")
    ok("phase", "start", "coaching", "A0002", "--on", "1.3.2024")
    ok("client", "end", "A0002", "--outcome", "education", "--on", "3.3.2024")
    aino = {"id": 1, "code": "A0001", "name": "Aino Esimerkki", "gender": "female",
            "background": "immigrant", "coach": "Liisa Laine", "municipality": None,
            "phase": "coaching", "phase_since": "2024-02-01", "ended_on": None, "outcome": None}  # fmt: skip
    eino = {"id": 2, "code": "A0002", "name": "Eino Esimerkki", "gender": "male",
            "background": "native", "coach": None, "municipality": None, "phase": None,
            "phase_since": None, "ended_on": "2024-03-03", "outcome": "education"}  # fmt: skip
    assert json.loads(ok("client", "list", "-f", "json")) == [aino, eino]
    assert json.loads(ok("client", "list", "--coach", "Liisa Laine", "-f", "json")) == [aino]
    assert json.loads(ok("client", "list", "--coach", "1", "--ended", "-f", "json")) == []
    assert json.loads(ok("client", "list", "--active", "-f", "json")) == [aino]
    assert ok("client", "list", "--ended") == (
        "id   code    name             gender   background   coach   municipality   phase   "
        "phase_since   ended_on   outcome\n" + "─" * 117 + "\n"
        "2    A0002   Eino Esimerkki   male     native" + " " * 52 + "3.3.2024   education"
    )
    lines = tmp_path / "lines.veto"
    lines.write_text(
        "client add --name 'Saara Esimerkki' --gender f --background native --code S1\n"
        "client list --active --format json\n",
        encoding="utf-8",
    )
    out = ok("batch", str(lines)).splitlines()
    assert out[0] == "S1"
    assert [r["code"] for r in json.loads("\n".join(out[1:]))] == ["A0001", "S1"]


def test_client_show_and_the_day_on_the_stdlib_path_and_through_the_session(ok, backend, tmp_path):
    """`client show`, `contact due` and `today` (SQL over a `Work`) give the same on SQLite's
    stdlib path, on PostgreSQL, and inside a batch (the session path); hours summed by SQLite
    as a float print as the stored decimals (2, not 2.0)."""
    ok("coach", "add", "Liisa Laine")
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native",
       "--coach", "Liisa Laine")  # fmt: skip
    ok("phase", "start", "coaching", "A0001", "--on", "1.2.2024")
    ok("activity", "log", "A0001", "--hours", "1,25", "--on", "2.2.2024")
    ok("activity", "log", "A0001", "--hours", "0,75", "--on", "3.2.2024")
    ok("note", "add", "A0001", "Soitti itse", "--on", "3.2.2024")
    shown = json.loads(ok("client", "show", "aino esimerkki", "-f", "json"))
    assert {k: shown[k] for k in ("code", "coach", "hours", "placement_since", "placement_hours")} == {
        "code": "A0001", "coach": "Liisa Laine", "hours": 2, "placement_since": None,
        "placement_hours": 0}  # fmt: skip
    assert [(n["on"], n["text"]) for n in shown["notes"]] == [("2024-02-03", "Soitti itse")]
    assert [(p["kind"], p["start"], p["end"]) for p in shown["phases"]] == [
        ("coaching", "2024-02-01", None)
    ]
    lines = ["client show A0001 --format json", "contact due --all --format json",
             "today --coach 'Liisa Laine' --format json"]  # fmt: skip
    alone = [ok(*shlex.split(line)) for line in lines]
    script = tmp_path / "lines.veto"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ok("batch", str(script)) == "\n".join(alone)

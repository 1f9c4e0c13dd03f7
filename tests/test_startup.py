"""Start-up on a diet: an everyday command imports only what it needs, and loading commands
lazily (veto/cli.py) changes nothing a user sees."""

from __future__ import annotations

import pytest
import typer.main

from tests.conftest import imported_by
from veto.cli import COMMANDS, app, load_command

# Never needed by a command that adds, lists or shows records: documents (WeasyPrint, Jinja),
# workbooks (openpyxl), YAML answer files, migrations at the current revision (Alembic), PDF
# checks, the Finnish number formatting of reports (Babel).
HEAVY = {"weasyprint", "openpyxl", "jinja2", "yaml", "alembic", "pypdf", "babel", "psycopg"}
EVERYDAY = {
    "client list json": (["client", "list", "--format", "json"], HEAVY | {"rich"}),
    "client list": (["client", "list"], HEAVY),
    "client add": (
        ["client", "add", "--name", "Saara Esimerkki", "--gender", "f", "--background", "native"],
        HEAVY | {"rich"},
    ),
    "client show": (["client", "show", "A0001", "--format", "json"], HEAVY | {"rich"}),
    "activity log": (["activity", "log", "A0001", "--hours", "1,5"], HEAVY | {"rich"}),
    "contact due": (["contact", "due", "--all", "--format", "json"], HEAVY | {"rich"}),
    "version": (["--version"], HEAVY | {"rich", "sqlalchemy", "sqlmodel", "pydantic"}),
}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A store with one client, A0001, made in a real process."""
    import os
    import subprocess
    import sys

    db = tmp_path_factory.mktemp("startup") / "veto.db"
    env = {**os.environ, "VETO_DB": str(db), "VETO_USER": "tester"}
    add = ["client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native"]
    subprocess.run([sys.executable, "-m", "veto", *add], env=env, check=True, capture_output=True)
    return db


@pytest.mark.parametrize("name", sorted(EVERYDAY))
def test_everyday_command_imports_nothing_it_does_not_need(store, name):
    args, denied = EVERYDAY[name]
    assert sorted(imported_by(args, store) & denied) == []


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

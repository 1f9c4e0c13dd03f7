"""Every command that shows a person's records leaves a row in the access log."""

from __future__ import annotations

import json

import pytest
import typer

from tests.conftest import built_once
from veto.cli import app


@pytest.fixture
def people(ok, tmp_path):
    """S1 with a record of every kind, a coach, an employer with a contact person (built once
    per test process, each test gets its own copy of the store)."""
    built_once("access_reads.people", lambda: _people(ok, tmp_path))


def _people(ok, tmp_path) -> None:
    ok("coach", "add", "Liisa Laine")
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("employer", "person", "add", "Kahvila Aamu Oy", "--name", "Pekka Puro")
    ok("client", "add", "--name", "Saara Esimerkki", "--gender", "female", "--background",
       "immigrant", "--code", "S1", "--coach", "Liisa Laine")  # fmt: skip
    ok("phase", "start", "placement", "S1", "--on", "1.5.2024")
    ok("placement", "add", "S1", "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
       "--start", "2.5.2024")  # fmt: skip
    ok("activity", "log", "S1", "--hours", "2", "--on", "3.5.2024", "--note", "n")
    survey = tmp_path / "survey.yaml"
    survey.write_text('sleep: "y"\n', encoding="utf-8")
    ok("survey", "new", "S1", "--from", str(survey), "--on", "2.5.2024")
    plan = tmp_path / "plan.yaml"
    plan.write_text('strengths: "y"\n', encoding="utf-8")
    ok("plan", "new", "S1", "--from", str(plan), "--on", "3.5.2024")
    ok("esf", "entry", "S1", "--status", "unemployed", "--isced", "3-4")
    ok("contact", "log", "Kahvila Aamu Oy", "--channel", "phone", "--stage", "contact",
       "--client", "S1", "--on", "6.5.2024", "--next", "7.5.2024", "--note", "CV")  # fmt: skip


# Every command that reads records, with the action its access-log row names.
READS = {
    ("activity", "list"): (["activity", "list"], "activity.list"),
    ("activity", "list", "--client"): (["activity", "list", "--client", "S1"], "activity.list"),
    ("audit",): (["audit"], "audit.view"),
    ("client", "list"): (["client", "list"], "client.list"),
    ("client", "show"): (["client", "show", "S1"], "client.show"),
    ("client", "find"): (["client", "find", "S"], "client.find"),
    ("note", "list"): (["note", "list", "S1"], "note.list"),
    ("today",): (["today", "--all"], "today"),
    ("coach", "list"): (["coach", "list"], "coach.list"),
    ("coach", "show"): (["coach", "show", "Liisa Laine"], "coach.show"),
    ("contact", "due"): (["contact", "due", "--all"], "contact.due"),
    ("contact", "list"): (["contact", "list"], "contact.list"),
    ("contact", "list", "--client"): (["contact", "list", "--client", "S1"], "contact.list"),
    ("employer", "show"): (["employer", "show", "Kahvila Aamu Oy"], "employer.show"),
    ("employer", "person", "list"): (
        ["employer", "person", "list", "Kahvila Aamu Oy"],
        "employer.person.list",
    ),
    ("esf", "pending"): (["esf", "pending"], "esf.pending"),
    ("esf", "show"): (["esf", "show", "S1"], "esf.show"),
    ("phase", "list"): (["phase", "list", "S1"], "phase.list"),
    ("placement", "list"): (["placement", "list"], "placement.list"),
    ("placement", "show"): (["placement", "show", "1"], "placement.show"),
    ("plan", "list"): (["plan", "list", "S1"], "plan.list"),
    ("plan", "show"): (["plan", "show", "1"], "plan.show"),
    ("survey", "list"): (["survey", "list", "S1"], "survey.list"),
    ("survey", "show"): (["survey", "show", "1"], "survey.show"),
    ("retention", "list"): (
        ["retention", "list", "--ended-before", "2030-01-01"],
        "retention.list",
    ),
    ("report", "pilot"): (["report", "pilot"], "report.pilot"),
    ("report", "esf"): (["report", "esf"], "report.esf"),
    ("report", "fidelity"): (["report", "fidelity"], "report.fidelity"),
}
# Reads of nothing about a person: employers as organisations, where the store is, its health.
NO_PERSON = {("employer", "list"), ("db", "path"), ("db", "check"), ("db", "init"), ("init",)}


def _actions(ok) -> list[str]:
    return [row["action"] for row in json.loads(ok("audit", "-f", "json"))]


@pytest.mark.parametrize("name", sorted(READS), ids=" ".join)
def test_every_read_is_in_the_access_log(ok, people, name):
    args, action = READS[name]
    before = _actions(ok)
    ok(*args)
    after = _actions(ok)
    assert action in after[len(before) + 1 :], (args, after[len(before) :])


def _leaves(group, path=()):
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            yield from _leaves(command, (*path, name))
        elif not command.hidden:
            yield (*path, name)


def test_every_list_and_show_command_is_covered():
    """A new list/show/due/pending command must be added to READS (or NO_PERSON)."""
    root = typer.main.get_command(app)
    readers = {
        path
        for path in _leaves(root)
        if path[-1] in ("list", "show", "due", "pending", "path", "check", "init", "audit")
        or path[0] == "report"
    }
    covered = {name[:3] if name[0] == "employer" else name[:2] for name in READS} | NO_PERSON
    covered |= {("audit",)}
    assert readers - covered == set()

"""`veto undo` (issue 12 item 4): takes back the acting user's last command from the change
history, one command further back each time, and refuses (one line, store unchanged) when a
later command depends on it, the timeline rule would break, or it was an erasure."""

import json
import os

import pytest

from tests.conftest import snapshot


@pytest.fixture
def client(ok, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    code = ok(
        "client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native"
    )
    ok("phase", "start", "coaching", code, "--on", "1.3.2024")
    return code


def acting(user: str) -> str:
    """Who the history names: VETO_USER on SQLite, the server's session_user on PostgreSQL."""
    return user if not os.environ.get("VETO_DATABASE_URL") else os.environ["PGUSER"]


def listed(ok):
    rows = json.loads(ok("undo", "--list", "-f", "json"))
    for row in rows:
        assert row.pop("at").startswith("20")
    return rows


def hours(ok, code):
    return [(a["id"], a["hours"]) for a in json.loads(ok("activity", "list", code, "-f", "json"))]


def row(command_id, command, record, operation, field, old, new, undo, user="tester"):
    return {"command_id": command_id, "command": command, "user": acting(user), "record": record,
            "operation": operation, "field": field, "old": old, "new": new, "undo": undo}  # fmt: skip


def test_a_correction_is_undone_then_the_command_before_it(ok, veto, client):
    ok("activity", "log", client, "--hours", "10", "--on", "2.3.2024", "--note", "tapaaminen")
    ok("activity", "edit", "1", "--hours", "1")
    assert listed(ok) == [
        row(5, "veto activity edit", "activity:1", "update", "hours", "10", "1", "set back")
    ]
    result = veto("undo")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.startswith("Undone: veto activity edit (command 5, ")
    assert hours(ok, client) == [(1, 10)]
    # The undo is a command of its own in the history; the next undo goes one further back.
    history = json.loads(ok("history", client, "-f", "json"))
    assert [(h["command"], h["field"], h["old"], h["new"]) for h in history[-1:]] == [
        ("veto undo", "hours", "1", "10")
    ]
    assert [r["undo"] for r in listed(ok)] == ["remove"] * 5
    assert {r["command"] for r in listed(ok)} == {"veto activity log"}
    message = "veto undo removes a record: add --yes to confirm (not a terminal)"
    assert veto("undo").stderr == f"Error: {message}\n"
    ok("undo", "--yes")
    assert hours(ok, client) == []
    table = ok("undo", "--list").splitlines()
    assert table[0].split() == ["command_id", "command", "at", "user", "record", "operation",
                                "field", "old", "new", "undo"]  # fmt: skip
    assert table[2].split()[:3] == ["3", "veto", "phase"]
    access = [r for r in json.loads(ok("audit", "-f", "json")) if r["action"] == "undo"]
    assert [(r["client"], r["record"]) for r in access] == [(client, "command:5"),
                                                            (client, "command:4")]  # fmt: skip


def test_a_removal_comes_back_with_its_id(ok, client):
    ok("placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "job",
       "--start", "1.4.2024", "--title", "kokki")  # fmt: skip
    before = snapshot()["placement"]
    ok("placement", "remove", "1", "--yes")
    assert [r["undo"] for r in listed(ok)][:1] == ["put back"]
    ok("undo")
    assert snapshot()["placement"] == before


def test_an_erasure_cannot_be_undone(ok, refused, client):
    ok("client", "erase", client, "--yes")
    message = refused("undo")
    assert message.startswith("Error: your last command, veto client erase (command 4, ")
    assert message.endswith("erased a person's data and its history for good: it cannot be undone")


def test_nothing_to_undo(refused, backend):
    refused(
        "undo",
        message=f"nothing to undo: '{acting('tester')}' has changed nothing in this store "
        "(veto history CLIENT shows who changed what)",
    )


def test_a_client_goes_only_by_erasure(ok, refused, backend):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    message = refused("undo", "--yes")
    assert message.endswith(
        "it added client 1, and a client is removed only by erasure (veto client erase 1 --yes)"
    )


def test_each_batch_line_is_a_command(ok, client, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text(
        f"activity log {client} --hours 2 --on 2.3.2024\nactivity edit 1 --hours 3\n",
        encoding="utf-8",
    )
    ok("batch", str(lines))
    assert [r["command"] for r in listed(ok)] == ["veto activity edit"]
    ok("undo")
    assert hours(ok, client) == [(1, 2)]


def test_a_workbook_import_is_undone(ok, client, tmp_path):
    import openpyxl

    ok("activity", "log", client, "--hours", "10", "--on", "2.3.2024")
    ok("export", "xlsx", "--out", str(tmp_path / "w.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "w.xlsx")
    sheet = book["Tunnit"]
    sheet.append([cell.value for cell in sheet[2]][:-1])  # a new row: without the Tunniste id
    sheet.cell(sheet.max_row, 2).value = sheet.cell(2, 2).value
    book.save(tmp_path / "w2.xlsx")
    ok("import", "xlsx", str(tmp_path / "w2.xlsx"))
    assert len(hours(ok, client)) == 2
    assert {r["command"] for r in listed(ok)} == {"veto import xlsx"}
    ok("undo", "--yes")
    assert hours(ok, client) == [(1, 10)]


# --- a later command of someone else depends on it (the server names one role for every
# VETO_USER, so these run on SQLite; tests/test_roles.py has the PostgreSQL case)


@pytest.fixture
def sqlite_client(client, backend):
    if backend != "sqlite":
        pytest.skip("VETO_USER is the actor on SQLite only")
    return client


def test_a_row_changed_since_by_someone_else(ok, refused, sqlite_client, monkeypatch):
    ok("activity", "log", sqlite_client, "--hours", "10", "--on", "2.3.2024")
    monkeypatch.setenv("VETO_USER", "anna")
    ok("activity", "edit", "1", "--hours", "2")
    monkeypatch.setenv("VETO_USER", "tester")
    message = refused("undo", "--yes")
    assert message.startswith("Error: cannot undo veto activity log (command 4, ")
    assert "activity 1 was changed since by veto activity edit (command 5, " in message
    assert message.endswith(" of 'anna'; take that back or correct it first")
    monkeypatch.setenv("VETO_USER", "anna")
    ok("undo")
    monkeypatch.setenv("VETO_USER", "tester")
    ok("undo", "--yes")  # anna's edit is undone: nothing depends on the hours any more
    assert hours(ok, sqlite_client) == []


def test_hours_logged_on_a_phase_being_removed(ok, refused, sqlite_client, monkeypatch):
    ok("phase", "end", sqlite_client, "--on", "1.4.2024")
    ok("phase", "start", "placement", sqlite_client, "--on", "2.4.2024")
    monkeypatch.setenv("VETO_USER", "anna")
    ok("activity", "log", sqlite_client, "--hours", "2", "--on", "3.4.2024")
    monkeypatch.setenv("VETO_USER", "tester")
    message = refused("undo", "--yes")
    assert message.endswith(
        "activity 1 (2 h on 3.4.2024) was logged since on phase 2; remove or move it first"
    )


def test_a_row_another_refers_to(ok, refused, sqlite_client, monkeypatch):
    ok("employer", "add", "Leipomo Oy")
    monkeypatch.setenv("VETO_USER", "anna")
    ok("placement", "add", sqlite_client, "--employer", "Leipomo Oy", "--kind", "job",
       "--start", "1.4.2024")  # fmt: skip
    monkeypatch.setenv("VETO_USER", "tester")
    message = refused("undo", "--yes")
    assert message.endswith(
        "placement 1 refers to employer 2, which the undo would remove; remove it first"
    )


def test_the_timeline_rule_holds_on_the_result(ok, refused, sqlite_client, monkeypatch):
    ok("phase", "end", sqlite_client, "--on", "1.4.2024")
    monkeypatch.setenv("VETO_USER", "anna")
    ok("phase", "start", "placement", sqlite_client, "--on", "2.4.2024")
    monkeypatch.setenv("VETO_USER", "tester")
    message = refused("undo")
    assert message.startswith("Error: cannot undo veto phase end (command 4, ")
    assert message.endswith(
        "phases of A0001 overlap: phase 1 (coaching from 1.3.2024, open) is still open when "
        "phase 2 (placement from 2.4.2024, open) starts; accepted: phase 1 ending on 2.4.2024 or "
        "earlier"
    )

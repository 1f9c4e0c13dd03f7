"""veto shell: one command a line, each in its own transaction; Tab completion; history."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys

import pytest

from tests.conftest import new_store
from veto.shell import Names, Shell, complete, interact

DAY = """\
coach add "Liisa Laine"
client add --name "Aino Esimerkki" --gender f --background immigrant --coach "Liisa Laine"
client show NOPE   # fails: the shell goes on, what was stored stays
phase start coaching A0001 --on 1.9.2024
veto activity log A0001 --hours 1,5 --on 2.9.2024

client nope
activity log A0001 --hours 99
"""


def test_lines_piped_in_a_real_process(private_store):
    new_store(private_store)  # the shell's lines are the test, not migrating a new store
    env = {**os.environ, "VETO_USER": "anna", "VETO_HISTORY": ""}
    done = subprocess.run(
        [sys.executable, "-m", "veto", "shell"], input=DAY, capture_output=True, text=True, env=env
    )
    assert done.stdout == "1\nA0001\n1\n1\n"
    assert done.stderr.splitlines() == [
        "Error: unknown client 'NOPE': give a client code, numeric id or unique name "
        "(veto client find TEXT)",
        "Error: No such command 'nope'. Did you mean 'reopen'? (see 'veto client --help')",
        "Error: invalid hours '99': must be from 0.01 to 24",
    ]
    assert done.returncode == 2  # the last line's


def test_each_line_is_stored_on_its_own_and_logged_as_the_user(ok, backend, capsys, monkeypatch):
    monkeypatch.setenv("VETO_USER", "anna")
    assert interact(io.StringIO(DAY)) == 2
    out, _ = capsys.readouterr()
    assert out == "1\nA0001\n1\n1\n"
    monkeypatch.setenv("VETO_USER", "tester")
    assert json.loads(ok("activity", "list", "-f", "json")) == [
        {
            "id": 1,
            "client": "A0001",
            "on": "2024-09-02",
            "hours": 1.5,
            "kind": "meeting",
            "note": None,
        }  # fmt: skip
    ]
    log = json.loads(ok("audit", "-f", "json"))
    # On a shared PostgreSQL store the server records its authenticated user, not VETO_USER.
    anna, tester = ("anna", "tester") if backend == "sqlite" else (os.environ["PGUSER"],) * 2
    assert [(r["user"], r["action"]) for r in log] == [
        (anna, "coach.add"),
        (anna, "client.add"),
        (anna, "phase.start"),
        (anna, "activity.log"),
        (tester, "activity.list"),
    ]


def test_help_exit_and_no_shell_inside(capsys):
    shell = Shell()
    assert shell.run("client add --help") == 0
    assert shell.run("help") == 0
    assert shell.run("shell") == 2
    assert shell.run("exit") is None
    assert shell.run("   # only a comment") == 0
    assert shell.run("client add --name 'unclosed") == 2
    out, err = capsys.readouterr()
    assert "Usage: veto client add [OPTIONS]" in out
    assert "Usage: veto [OPTIONS] COMMAND [ARGS]..." in out
    assert err.splitlines() == [
        "Error: already in veto shell (type exit or press Ctrl-D to leave)",
        "Error: cannot split the line: No closing quotation",
    ]


@pytest.fixture
def names():
    stored = {
        "client": ["A0001", "A0002", "Aino Esimerkki", "Matti Meikäläinen"],
        "coach": ["Liisa Laine", "Pekka Puro"],
        "employer": ["Kahvila Aamu Oy", "Rakennus Oy"],
    }
    return Names(lambda: stored)


def test_completes_commands_subcommands_and_options(names):
    assert complete("", names)[:4] == ["activity", "audit", "batch", "client"]
    assert complete("cl", names) == ["client"]
    assert complete("ex", names) == ["exit", "export"]
    assert complete("client s", names) == ["show"]
    assert complete("veto client a", names) == ["add"]
    assert complete("client add --b", names) == ["--background", "--birth-date", "--birth-year"]
    assert complete("activity log A0001 --h", names) == ["--help", "--hours"]
    assert complete("nope ", names) == []


def test_completes_enumerations(names):
    assert complete("client add --gender ", names) == ["female", "male", "other"]
    assert complete("client add --name X --background i", names) == ["immigrant"]
    assert complete("activity log A0001 --kind ph", names) == ["phone"]
    assert complete("placement add A0001 --kind ", names) == ["apprenticeship", "job", "work-trial"]
    assert complete("phase start ", names) == ["coaching", "placement"]
    assert complete("client end A0001 --outcome e", names) == ["education", "employed"]
    assert complete("contact log X --channel ", names) == ["email", "event", "phone", "visit"]
    assert complete("client list --format j", names) == ["json"]


def test_completes_stored_names_quoted(names):
    names_offered = ["'Aino Esimerkki'", "'Matti Meikäläinen'", "A0001", "A0002"]
    assert complete("client show ", names) == [
        "'Aino Esimerkki'",
        "'Matti Meikäläinen'",
        "A0001",
        "A0002",
    ]
    assert complete("client show A0", names) == ["A0001", "A0002"]
    assert complete("client show A", names) == ["'Aino Esimerkki'", "A0001", "A0002"]
    assert complete("client show 'Ma", names) == ["'Matti Meikäläinen'"]
    assert complete("activity log ", names)[:2] == ["'Aino Esimerkki'", "'Matti Meikäläinen'"]
    assert complete("activity log A0001 --hours 1 --coach P", names) == ["'Pekka Puro'"]
    assert complete("client add --coach ", names) == ["'Liisa Laine'", "'Pekka Puro'"]
    assert complete("placement add A0001 --employer K", names) == ["'Kahvila Aamu Oy'"]
    assert complete("employer show R", names) == ["'Rakennus Oy'"]
    assert complete("activity list --client A0002", names) == ["A0002"]
    assert complete("survey Ma", names) == ["'Matti Meikäläinen'"]  # survey CLIENT
    assert complete("plan ", names) == ["edit", "list", "new", "remove", "show", *names_offered]


def test_names_come_from_the_store_and_the_read_is_logged(ok, backend):
    ok("coach", "add", "Liisa Laine")
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    shell = Shell()
    assert complete("client show ", shell.names) == ["'Aino Esimerkki'", "A0001"]
    assert complete("client add --coach ", shell.names) == ["'Liisa Laine'"]
    assert complete("contact log ", shell.names) == ["'Kahvila Aamu Oy'"]
    log = json.loads(ok("audit", "-f", "json"))
    assert [(r["action"], r["record"]) for r in log][-1] == ("shell.complete", "clients:1")


def test_erased_clients_are_not_offered(ok, backend):
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    ok("client", "add", "--name", "Matti Meikäläinen", "--gender", "m", "--background", "native")
    ok("phase", "start", "coaching", "A0001", "--on", "1.3.2024")
    ok("client", "end", "A0001", "--outcome", "employed", "--on", "2.3.2024")
    ok("client", "erase", "A0001", "--yes", "--keep-statistics")  # leaves an anonymous stub
    assert complete("client show ", Shell().names) == ["'Matti Meikäläinen'", "A0002"]


def test_history_file_is_private(tmp_path, monkeypatch):
    readline = pytest.importorskip("readline")
    from veto.shell import _with_readline

    history = tmp_path / "private" / "history"
    monkeypatch.setenv("VETO_HISTORY", str(history))
    save = _with_readline(Shell())
    readline.add_history("client show A0001")
    save()
    assert stat.S_IMODE(history.stat().st_mode) == 0o600
    assert "client show A0001" in history.read_text(encoding="utf-8")


def test_the_shell_in_finnish(names, capsys, monkeypatch):
    monkeypatch.setenv("VETO_LANG", "fi")
    shell = Shell()
    assert shell.run("shell") == 2
    assert shell.run("client add --name 'auki") == 2
    assert shell.run("client add --name auki\\") == 2
    _, err = capsys.readouterr()
    assert err.splitlines() == [
        "Virhe: olet jo veto shellissä (poistu kirjoittamalla exit tai painamalla Ctrl-D)",
        "Virhe: riviä ei voi jakaa sanoiksi: lainausmerkki jäi sulkematta",
        "Virhe: riviä ei voi jakaa sanoiksi: kenoviivan jälkeen ei ole merkkiä",
    ]
    # the same words as bash and zsh complete (veto.completion): Finnish names too
    assert complete("client end A0001 --outcome pid", names) == ["'pidempi työkokeilu'"]
    assert complete("activity log A0001 --kind puh", names) == ["puhelu"]
    assert complete("phase start tyo", names) == ["työhönvalmennus", "työvalmennus"]


def test_the_store_stays_open_between_lines(ok, private_store, monkeypatch, capsys):
    """A line's own connection is not the store's last (SQLite would empty the WAL into the file
    and sync it at every line); a command that replaces the file (db encrypt) still can."""
    from tests.conftest import encrypted_run
    from veto.store.cipher import PLAIN_HEADER
    from veto.store.database import dispose_all

    if encrypted_run():
        pytest.skip("the shell holds only a plain store open")
    ok("coach", "add", "Liisa Laine")
    dispose_all()  # no engine's pooled connection keeps the store open
    wal = private_store.with_name(private_store.name + "-wal")
    shell = Shell()
    assert shell.run("client add --name 'Aino Esimerkki' --gender f --background native") == 0
    assert shell.run("client show A0001 --format json") == 0
    assert wal.exists()
    monkeypatch.setenv("VETO_KEY", "kahvi ja pulla 1.8.2024")
    assert shell.run("db encrypt") == 0
    assert shell.run("client show A0001 --format json") == 0
    shell.close()
    assert private_store.read_bytes()[:16] != PLAIN_HEADER
    out, err = capsys.readouterr()
    assert out.count('"code": "A0001"') == 2

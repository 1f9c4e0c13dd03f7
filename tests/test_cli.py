"""The command surface: help everywhere, exit codes, stdout for scripts."""

import json
import subprocess
import sys

import typer

from veto import __version__
from veto.cli import app


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def test_every_command_has_help_text():
    root = typer.main.get_command(app)
    missing = [" ".join(p) for p, c in _commands(root) if not (c.help or c.short_help)]
    assert missing == []


def test_help_paragraphs_flow_to_the_terminal_width():
    """Typer's rich help keeps a docstring's single line breaks; veto joins them, so no help
    text shows ragged half-lines at 80 columns (`veto --help` listed undo and today so)."""
    root = typer.main.get_command(app)
    ragged = [
        " ".join(path)
        for path, command in _commands(root)
        for text in (command.help or "", command.short_help or "")
        if any("\n" in paragraph for paragraph in text.split("\n\n"))
    ]
    assert ragged == []


def test_every_command_answers_help(veto):
    root = typer.main.get_command(app)
    for path, _ in _commands(root):
        result = veto(*path, "--help")
        assert result.exit_code == 0, path
        assert "Usage" in result.stdout


def test_version(ok):
    assert ok("--version") == f"veto {__version__}"


def test_python_dash_m_works(private_store):
    out = subprocess.run(
        [sys.executable, "-m", "veto", "--version"], capture_output=True, text=True
    )
    assert out.stdout.strip() == f"veto {__version__}"


def test_unknown_option_is_one_line_and_exit_2(veto):
    result = veto("client", "add", "--nme", "X")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: No such option: --nme (Possible options: --name, --phone) (see 'veto client add --help')"
    ]


def test_create_commands_print_only_the_reference(veto):
    result = veto("coach", "add", "Liisa Laine")
    assert (result.stdout, result.exit_code) == ("1\n", 0)


def test_json_and_csv_listings(ok):
    ok("coach", "add", "Liisa Laine", "--area", "Seinäjoki, Ilmajoki")
    ok(
        "client",
        "add",
        "--name",
        "=cmd|' /C calc'!A0",
        "--gender",
        "f",
        "--background",
        "native",
        "--coach",
        "1",
    )
    ok("phase", "start", "coaching", "A0001", "--on", "1.8.2024")
    rows = json.loads(ok("client", "list", "-f", "json"))
    assert rows == [{
        "id": 1, "code": "A0001", "name": "=cmd|' /C calc'!A0", "gender": "female",
        "background": "native", "coach": "Liisa Laine", "municipality": None, "phase": "coaching",
        "phase_since": "2024-08-01", "ended_on": None, "outcome": None,
    }]  # fmt: skip
    assert ok("client", "list", "-f", "csv").splitlines() == [
        "id,code,name,gender,background,coach,municipality,phase,phase_since,ended_on,outcome",
        "1,A0001,'=cmd|' /C calc'!A0,female,native,Liisa Laine,,coaching,2024-08-01,,",
    ]
    assert ok("coach", "list", "-f", "csv").splitlines() == [
        "id,name,email,phone,area,clients,active",
        '1,Liisa Laine,,,"Seinäjoki, Ilmajoki",1,1',
    ]


def test_table_shows_finnish_dates_and_decimal_commas(ok):
    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    ok("phase", "start", "coaching", "A0001", "--on", "1.1.2024")
    ok(
        "activity",
        "log",
        "A0001",
        "--hours",
        "1,5",
        "--on",
        "2024-08-01",
        "--note",
        "[bold]ei muotoilua[/bold]",
    )
    table = ok("activity", "list")
    assert "1.8.2024" in table and "1,5" in table
    assert "[bold]ei muotoilua[/bold]" in table  # user text is never rich markup


def test_unexpected_errors_are_one_line_and_exit_1(veto, monkeypatch):
    import veto.domain.coaches as coaches

    def boom(*a, **k):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(coaches, "list_coaches", boom)
    result = veto("coach", "list")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "Error: unexpected RuntimeError: disk on fire (run with --debug for the traceback)"
    ]


def test_csv_keeps_a_carriage_return_inside_its_field(ok):
    import csv
    import io

    ok("client", "add", "--name", "Aino", "--gender", "f", "--background", "native")
    ok("phase", "start", "coaching", "A0001", "--on", "1.8.2024")
    ok("activity", "log", "A0001", "--hours", "1", "--on", "1.8.2024", "--note", "rivi\rtoinen")
    text = ok("activity", "list", "-f", "csv")
    rows = list(csv.reader(io.StringIO(text + "\n")))
    assert rows == [
        ["id", "client", "on", "hours", "kind", "note"],
        ["1", "A0001", "2024-08-01", "1", "meeting", "rivi\rtoinen"],
    ]

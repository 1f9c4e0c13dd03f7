"""VETO_USER cannot forge the access log, and text from the store cannot act on the terminal:
control characters and bidi overrides in table cells and error lines are written out."""

from __future__ import annotations

import json

import pytest

from veto.outputs.render import visible

ACCEPTED = "give at most 64 printable characters, such as liisa.laine"
HIDDEN = "holds control or invisible characters (line breaks, escape sequences, direction marks)"


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("liisa\n2026-01-01 admin client.erase", f"VETO_USER {HIDDEN}: {ACCEPTED}"),
        ("\x1b[2K\x1b[1Aadmin", f"VETO_USER {HIDDEN}: {ACCEPTED}"),
        ("nimda\u202e", f"VETO_USER {HIDDEN}: {ACCEPTED}"),
        ("a\x07b\x85", f"VETO_USER {HIDDEN}: {ACCEPTED}"),
        ("x" * 100_000, f"VETO_USER is 100000 characters long: {ACCEPTED}"),
        ("x" * 65, f"VETO_USER is 65 characters long: {ACCEPTED}"),
        ("   ", f"VETO_USER is empty: {ACCEPTED}"),
    ],
    ids=["newline", "escape", "bidi", "bell", "100kb", "65", "blank"],
)
def test_a_forging_veto_user_is_refused(ok, refused, monkeypatch, user, message):
    ok("client", "add", "--name", "Aino", "--gender", "female", "--background", "native")
    monkeypatch.setenv("VETO_USER", user)
    refused("client", "list", message=message)
    refused("client", "add", "--name", "Bertta", "--gender", "female", "--background", "native",
            message=message)  # fmt: skip
    refused("report", "pilot", message=message)  # the stdlib sqlite3 path too


def test_a_plain_user_name_is_recorded_as_given(ok, monkeypatch):
    for user in ("liisa.laine", "Åsa Öberg-Ström", "x" * 64):
        monkeypatch.setenv("VETO_USER", user)
        ok("client", "list")
    monkeypatch.setenv("VETO_USER", "tester")
    users = [row["user"] for row in json.loads(ok("audit", "-f", "json"))]
    assert users[:3] == ["liisa.laine", "Åsa Öberg-Ström", "x" * 64]


def test_table_cells_show_control_and_bidi_characters_written_out(ok):
    name = "Evil\x1b[2K\x1b[1A\u202eXY\x00\x07\rZ"
    ok("client", "add", "--name", name, "--gender", "female", "--background", "native")
    table = ok("client", "list")
    assert "Evil\\x1b[2K\\x1b[1A\\u202eXY\\x00\\x07\\x0dZ" in table
    assert "\x1b" not in table and "\u202e" not in table and "\x00" not in table
    # The store keeps the name as typed, and JSON (for programs) gives it back exactly.
    assert json.loads(ok("client", "list", "-f", "json"))[0]["name"] == name
    shown = ok("client", "show", "A0001")
    assert "\x1b" not in shown and "\\x1b[2K" in shown


def test_an_error_line_that_quotes_input_shows_it_written_out(veto):
    result = veto("client", "show", "\x1b[2Kx\u202ey")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unknown client '\\x1b[2Kx\\u202ey': give a client code, numeric id or unique name "
        "(veto client find TEXT)\n"
    )


def test_visible():
    assert visible("plain text, ääkköset") == "plain text, ääkköset"
    assert visible("a\tb\nc") == "a\\x09b\nc"
    assert visible("a\nb", lines=False) == "a\\x0ab"
    assert visible("\u2066\u2067\u2068\u2069\u200e\u200f\u061c\u2028\x85\x7f") == (
        "\\u2066\\u2067\\u2068\\u2069\\u200e\\u200f\\u061c\\u2028\\x85\\x7f"
    )

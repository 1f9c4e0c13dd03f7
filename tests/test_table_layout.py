"""Lists and shows that fit the terminal (issue 14): at COLUMNS=80 and 120 every table keeps its
codes, ids, dates and hours whole, wraps names and notes, or turns into one block per record;
`--wide`, and a pipe without COLUMNS, print the whole table; JSON and CSV never change.

The expected tables are in tests/golden/tables (exact output; after a deliberate change to the
layout or a header, rerun with VETO_REGENERATE_GOLDEN=1 and read the diff).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections import Counter
from pathlib import Path
from unittest import mock

import pytest
import typer.main
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import built_once
from veto.cli import app
from veto.outputs import fit

GOLDEN = Path(__file__).parent / "golden" / "tables"
REGENERATE = os.environ.get("VETO_REGENERATE_GOLDEN") == "1"


@pytest.fixture
def people(ok):
    """Invented people with long Finnish names, a long employer name, long notes (built once
    per test process, each test gets its own copy of the store)."""
    built_once("table_layout.people", lambda: _people(ok))


def _people(ok) -> None:
    ok("coach", "add", "Pirjo-Riitta Väisänen-Hyvärinen",
       "--email", "pirjo-riitta.vaisanen-hyvarinen@example.fi", "--phone", "040 123 4567",
       "--area", "Seinäjoki, Ilmajoki, Kurikka ja Jalasjärvi")  # fmt: skip
    ok("employer", "add", "Etelä-Pohjanmaan Kiinteistöhuolto ja Siivouspalvelut Oy",
       "--business-id", "0112038-9", "--sector", "kiinteistöhuolto",
       "--municipality", "Seinäjoki")  # fmt: skip
    ok("employer", "person", "add", "1", "--name", "Kaija-Liisa Yli-Härsilä",
       "--role", "henkilöstöpäällikkö", "--phone", "050 765 4321",
       "--email", "kaija-liisa.yli-harsila@example.fi")  # fmt: skip
    for code, name, gender, year, municipality in (
        ("T0001", "Marja-Leena Äijälä-Kärkkäinen", "female", "1978", "Mänttä-Vilppula"),
        ("T0002", "Aleksanteri Juhani Väänänen-Pietiläinen", "male", "1990", "Seinäjoki"),
    ):
        ok("client", "add", "--code", code, "--name", name, "--gender", gender,
           "--background", "native", "--birth-year", year, "--coach", "1",
           "--municipality", municipality)  # fmt: skip
    ok("phase", "start", "coaching", "T0001", "--on", "2025-02-03")
    ok("phase", "start", "placement", "T0001", "--on", "2025-04-14")
    ok("phase", "start", "coaching", "T0002", "--on", "2025-03-10")
    ok("placement", "add", "T0001", "--employer", "1", "--kind", "work-trial",
       "--start", "2025-04-14", "--end", "2025-07-11",
       "--title", "kiinteistönhoitajan avustavat tehtävät ja ulkoalueiden kunnossapito")  # fmt: skip
    ok("activity", "log", "T0001", "--hours", "1,5", "--on", "2025-02-03", "--kind", "meeting",
       "--note", "Ensitapaaminen: käytiin läpi työhistoria, toiveet ja arjen tukiverkosto; "
       "sovittiin seuraavasta tapaamisesta.")  # fmt: skip
    ok("activity", "log", "T0001", "--hours", "2", "--on", "2025-04-15", "--kind", "workplace")
    ok("note", "add", "T0001", "Marja-Leena toivoo osa-aikatyötä aamupäivisin, koska "
       "iltapäivisin hän hoitaa omaista. Työnantajan kanssa sovittu kokeilu "
       "kiinteistöhuollossa.", "--on", "2025-04-01")  # fmt: skip
    ok("contact", "log", "1", "--channel", "visit", "--stage", "negotiation",
       "--client", "T0001", "--on", "2025-04-01", "--next", "2025-12-01",
       "--note", "Tavattiin henkilöstöpäällikkö; työkokeilu sovittu alkamaan huhtikuussa, "
       "perehdytys ensimmäisellä viikolla.")  # fmt: skip


# Every kind of table: blocks (client list at both widths), a table whose free text wraps
# (activity, note), one that is whole at 120 and blocks at 80 (placement, employer, coach,
# contact), a show with nested tables (client show), a narrow table that never changes (phase).
TABLES = {
    "client-list": ["client", "list"],
    "client-find": ["client", "find", "äijälä"],
    "client-show": ["client", "show", "T0001"],
    "activity-list": ["activity", "list", "T0001"],
    "phase-list": ["phase", "list", "T0001"],
    "placement-list": ["placement", "list"],
    "placement-show": ["placement", "show", "1"],
    "contact-list": ["contact", "list"],
    "employer-list": ["employer", "list"],
    "employer-show": ["employer", "show", "1"],
    "employer-persons": ["employer", "person", "list", "1"],
    "coach-list": ["coach", "list"],
    "coach-show": ["coach", "show", "1"],
    "note-list": ["note", "list", "T0001"],
    "esf-pending": ["esf", "pending"],
}
# Listings whose content depends on today or the clock: checked to fit, not compared.
DATED = {
    "contact-due": ["contact", "due", "--all"],
    "today": ["today", "--all"],
    "audit": ["audit"],
    "history": ["history", "T0001"],
    "retention": ["retention", "list", "--ended-before", "2030-01-01"],
    "db-check": ["db", "check"],
    "undo-list": ["undo", "--list"],
}


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {name}: run with VETO_REGENERATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def _widest(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_at_80_and_120_columns(veto, people, monkeypatch, name, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    result = veto(*TABLES[name])
    assert result.exit_code == 0, result.stderr
    assert _widest(result.stdout) <= columns
    golden(f"{name}-{columns}.txt", result.stdout)


@pytest.mark.parametrize("columns", [80, 120])
def test_dated_listings_fit_too(ok, veto, people, monkeypatch, columns):
    ok("client", "end", "T0002", "--outcome", "employed", "--field", "kiinteistöhuolto",
       "--on", "2025-06-30")  # fmt: skip
    monkeypatch.setenv("COLUMNS", str(columns))
    for name, args in DATED.items():
        result = veto(*args)
        assert result.exit_code == 0, (name, result.stderr)
        assert result.stdout.count("\n") >= 2, name  # something was listed
        assert _widest(result.stdout) <= columns, (name, result.stdout)


def test_short_columns_keep_their_width_and_notes_wrap(ok, people, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert ok("activity", "list", "T0001") == (
        "id  client  on         hours  kind       note\n"
        "────────────────────────────────────────────────────────────────────────────────\n"
        "1   T0001   3.2.2025   1,5    meeting    Ensitapaaminen: käytiin läpi\n"
        "                                         työhistoria, toiveet ja arjen\n"
        "                                         tukiverkosto; sovittiin seuraavasta\n"
        "                                         tapaamisesta.\n"
        "2   T0001   15.4.2025  2      workplace"
    )


def test_a_table_too_wide_for_its_columns_is_one_block_per_record(ok, people, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert ok("contact", "list") == (
        "id: 1 · on: 1.4.2025 ·\n"
        "  employer: Etelä-Pohjanmaan Kiinteistöhuolto ja Siivouspalvelut Oy ·\n"
        "  channel: visit · stage: negotiation · client: T0001 ·\n"
        "  coach: Pirjo-Riitta Väisänen-Hyvärinen · next: 1.12.2025\n"
        "  note: Tavattiin henkilöstöpäällikkö; työkokeilu sovittu alkamaan huhtikuussa,\n"
        "    perehdytys ensimmäisellä viikolla."
    )


def test_demo_active_clients_at_80_columns_show_whole_codes_and_dates(ok, demo_store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = ok("--db", demo_store, "client", "list", "--active")
    assert _widest(out) <= 80
    assert out.splitlines()[:6] == [
        "id: 1 · code: DEMO01 · name: Toivo Laakso · gender: male · background: native ·",
        "  coach: Sanna Lehtimäki · municipality: Seinäjoki · phase: placement ·",
        "  phase_since: 13.7.2025",
        "id: 3 · code: DEMO03 · name: Samir Nasser · gender: male ·",
        "  background: immigrant · coach: Elina Koskela · municipality: Kauhava ·",
        "  phase: placement · phase_since: 10.12.2024",
    ]
    listed = json.loads(ok("--db", demo_store, "client", "list", "--active", "-f", "json"))
    assert re.findall(r"code: (\S+) ·", out) == [c["code"] for c in listed]
    since = [".".join(str(int(p)) for p in reversed(c["phase_since"].split("-"))) for c in listed]
    assert re.findall(r"phase_since: (\S+)", out) == since


def test_wide_and_a_pipe_print_the_whole_table(ok, demo_store, monkeypatch):
    piped = ok("--db", demo_store, "client", "list")
    assert piped.splitlines()[0].split() == [
        "id", "code", "name", "gender", "background", "coach", "municipality", "phase",
        "phase_since", "ended_on", "outcome",
    ]  # fmt: skip
    assert len(piped.splitlines()) == 2 + 25  # header, rule, one line a client
    monkeypatch.setenv("COLUMNS", "80")
    assert ok("--db", demo_store, "client", "list", "--wide") == piped
    assert ok("--db", demo_store, "client", "list") != piped


def test_wide_holds_for_its_own_line_of_a_batch_only(ok, people, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    fitted = ok("client", "find", "äijälä")
    whole = ok("client", "find", "äijälä", "--wide")
    assert _widest(whole) > 80 >= _widest(fitted)
    both = ok("batch", "-", input="client find äijälä --wide\nclient find äijälä\n")
    assert both == whole + "\n" + fitted


def test_json_and_csv_never_depend_on_the_width(ok, people, monkeypatch):
    for args in (["client", "list"], ["note", "list", "T0001"], ["client", "show", "T0001"]):
        whole = [ok(*args, "-f", fmt) for fmt in ("json", "csv")]
        monkeypatch.setenv("COLUMNS", "40")
        assert [ok(*args, "-f", fmt) for fmt in ("json", "csv")] == whole
        monkeypatch.delenv("COLUMNS")


def test_control_characters_stay_written_out(ok, monkeypatch):
    ok("client", "add", "--code", "X1", "--name", "Eve \x1b[2J Ä\u202eijälä-Kärkkäinen Nimi",
       "--gender", "female", "--background", "native")  # fmt: skip
    monkeypatch.setenv("COLUMNS", "80")
    out = ok("client", "list")
    assert "\x1b" not in out and "\u202e" not in out
    assert "name: Eve \\x1b[2J Ä\\u202eijälä-Kärkkäinen Nimi ·" in out
    show = ok("client", "show", "X1")
    assert re.search(r"^name +Eve \\x1b\[2J Ä\\u202eijälä-Kärkkäinen Nimi$", show, re.M)


def _table_commands():
    """Every command (path, Click command) that takes --format with table as its default."""

    def walk(group, path):
        ctx = group.context_class(group)
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if hasattr(command, "commands"):
                yield from walk(command, (*path, name))
                continue
            formats = [p for p in command.params if "--format" in getattr(p, "opts", ())]
            if formats and formats[0].default == "table":
                yield (*path, name), command

    return list(walk(typer.main.get_command(app), ()))


def test_every_command_with_a_table_takes_wide():
    commands = _table_commands()
    assert len(commands) > 25
    missing = [
        " ".join(path)
        for path, command in commands
        if not any("--wide" in getattr(p, "opts", ()) for p in command.params)
    ]
    assert missing == []


# --- the layout itself, for any cells -----------------------------------------------------

_words = st.text(st.sampled_from("aäbcdeö-Kk0123 ·:\n"), max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(_words, min_size=3, max_size=3), min_size=1, max_size=4),
    width=st.integers(min_value=10, max_value=160),
)
def test_nothing_is_cut_and_no_line_is_too_long(rows, width):
    headers = ["id", "nimi", "muistiinpano"]
    wraps = [fit.free_text(column) for column in zip(*rows, strict=True)]
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"COLUMNS": str(width)}):
        fit.print_table(out, headers, rows, wraps=wraps)
    printed = out.getvalue()
    assert _widest(printed) <= width
    shown = Counter(printed.replace(" ", "").replace("\n", ""))
    wanted = Counter("".join(cell for row in rows for cell in row))
    wanted = Counter({c: n for c, n in wanted.items() if c not in " \n"})
    assert shown & wanted == wanted  # every character of every cell is printed


_cell_text = st.text(st.sampled_from("aäbcdeö-K0 ·:.,\n漢😀é"), max_size=20)


@settings(max_examples=300, deadline=None)
@given(
    headers=st.lists(_cell_text, min_size=1, max_size=4),
    data=st.data(),
    title=st.one_of(st.none(), _cell_text, st.sampled_from(["phases", "placements"])),
    fitted=st.sampled_from([None, fit.GAP, fit.NARROW_GAP]),
)
def test_plain_lines_are_what_rich_prints(headers, data, title, fitted):
    """Off a terminal a table is laid out without rich (fit._plain_lines, ten times faster);
    whenever it is, it is what rich prints, character for character."""
    from rich.cells import cell_len

    rows = data.draw(st.lists(st.lists(_cell_text, min_size=len(headers), max_size=len(headers))))
    widths, gap = None, fit.GAP
    if fitted is not None:
        gap = fitted
        natural = [
            max(cell_len(line) for row in [headers, *rows] for line in row[i].split("\n"))
            for i in range(len(headers))
        ]
        widths = [w + data.draw(st.integers(0, 3)) for w in natural]
    plain = fit._plain_lines(headers, rows, title, widths, gap)
    if plain is None:
        return
    out = io.StringIO()
    width = None if widths is None else sum(widths) + gap * (len(widths) - 1)
    fit._print_rich(out, fit._rich_table(headers, rows, title, widths, gap), width)
    assert "".join(line.rstrip() + "\n" for line in plain) == out.getvalue()


def test_plain_lines_leave_to_rich_what_it_would_lay_out_otherwise():
    assert fit._plain_lines(["a[b]"], [["x"]], None) is None  # markup
    assert fit._plain_lines(["a"], [["x\\"]], None) is None
    assert fit._plain_lines(["a"], [["x\ty"]], None) is None  # a tab rich expands
    assert fit._plain_lines(["a"], [["x\n"]], None) is None
    assert fit._plain_lines(["a"], [["e\u0301"]], None) is None  # an accent of no width
    assert fit._plain_lines(["id"], [["1"]], "placements") is None  # a title wider than the table
    assert fit._plain_lines(["id"], [["12345"]], None, [3]) is None  # a cell wider than its column
    lines = fit._plain_lines(["id", "name"], [["1", "Aino\nEsimerkki"]], "phases")
    assert [line.rstrip() for line in lines or []] == [
        "    phases",
        "id   name",
        "──────────────",
        "1    Aino",
        "     Esimerkki",
    ]

"""Wide reports in a narrow terminal: one block per figure at the terminal's width (COLUMNS),
the full table with --wide or off a terminal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import built_once

REPORTS = (["report", "esf"], ["report", "fidelity"], ["report", "pilot"])


@pytest.fixture
def store(ok):
    """Two clients in placement with 5 hours each, one with ESF entry answers (built once per
    test process; each test gets its own copy of the store)."""
    built_once("report_layout.store", lambda: _build(ok))


def _build(ok):
    ok("coach", "add", "Valmentaja Yksi")
    ok("employer", "add", "Testipaja Oy")
    for code, gender in (("L1", "female"), ("L2", "male")):
        ok("client", "add", "--code", code, "--name", f"Testi {code}", "--gender", gender,
           "--background", "native", "--coach", "Valmentaja Yksi")  # fmt: skip
        ok("phase", "start", "coaching", code, "--on", "2025-01-01")
        ok("phase", "start", "placement", code, "--on", "2025-03-01")
        ok("activity", "log", code, "--hours", "5", "--on", "2025-03-02")
    ok("esf", "entry", "L1", "--status", "unemployed", "--isced", "3-4")


def _widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", REPORTS, ids=lambda c: c[1])
def test_every_line_fits_the_terminal(ok, store, monkeypatch, command, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert _widest(ok(*command, "--period", "2025")) <= columns


def test_esf_at_80_columns_is_one_block_per_indicator(ok, store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = ok("report", "esf", "--period", "2025")
    assert (
        "EECO01 Osallistujat yhteensä\n"
        "  naiset 1 · miehet 1 · muunsukupuoliset 0 · yhteensä 2\n"
        "  määritelmä: total number of participants (the sum of unemployed, inactive and\n"
        "    employed)\n"
        "  lähde: Reg. (EU) 2021/1057 Annex I; code: check against the SFC code list\n"
    ) in out
    assert (
        "EECO04 Työvoiman ulkopuolella olevat\n  naiset 0 · miehet 0 · muunsukupuoliset 0 · " in out
    )


def test_fidelity_at_80_columns_groups_the_coaches_under_each_measure(ok, store, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    out = ok("report", "fidelity", "--period", "2025")
    assert (
        "Työhönvalmennuksen tunnit / asiakas, ka.\n"
        "  Valmentaja Yksi: Arvo 5,0 h · Hankesuunnitelma ≤ 18 h: täyttyy\n"
        "  Yhteensä: Arvo 5,0 h · Hankesuunnitelma ≤ 18 h: täyttyy\n"
    ) in out


@pytest.mark.parametrize("command", REPORTS[:2], ids=lambda c: c[1])
def test_wide_gives_the_full_table(ok, store, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    wide = ok(*command, "--period", "2025", "--wide")
    monkeypatch.delenv("COLUMNS")
    assert wide == ok(*command, "--period", "2025")  # off a terminal: the full table
    assert _widest(wide) > 120
    header = {
        "esf": ["koodi", "indikaattori", "naiset", "määritelmä", "lähde"],
        "fidelity": ["Mittari", "Valmentaja", "Arvo", "IPS-asteikko", "Hankesuunnitelma"],
    }
    assert any(all(word in line for word in header[command[1]]) for line in wide.splitlines())


@pytest.mark.parametrize("command", REPORTS, ids=lambda c: c[1])
def test_every_report_as_markdown_and_a_document(ok, store, command, tmp_path):
    md = ok(*command, "--period", "2025", "--format", "md")
    assert md.startswith("# ") and "\n|---|---|" in md
    html = ok(*command, "--period", "2025", "--format", "html")
    assert html.startswith("<!DOCTYPE html>")
    assert '<span class="eu">Euroopan unionin osarahoittama</span>' in html
    assert 'counter(page) " / " counter(pages)' in html
    pdf = tmp_path / "report.pdf"
    ok(*command, "--period", "2025", "--format", "pdf", "--out", pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_out_is_private_and_not_overwritten_without_force(ok, veto, store, tmp_path):
    target = tmp_path / "pilot.html"
    ok("report", "pilot", "--format", "html", "--out", target)
    assert target.stat().st_mode & 0o777 == 0o600
    again = veto("report", "pilot", "--format", "html", "--out", target)
    assert again.exit_code == 2
    assert (
        again.stderr
        == f"Error: '{target}' exists: give another file name, or --force to replace it\n"
    )
    ok("report", "pilot", "--format", "html", "--out", target, "--force")


_report_text = st.text(
    st.sampled_from("aäbcdeö-K0 ·:.,–≤\xa0[]\\\n\t漢😀é" + "\u0301"), max_size=14
)
_figure = st.one_of(st.none(), st.integers(-20_000, 20_000), st.floats(-1e6, 1e6))


@settings(max_examples=100, deadline=None)
@given(
    columns=st.lists(_report_text, min_size=1, max_size=4),
    data=st.data(),
    title=st.one_of(st.just(""), _report_text, st.sampled_from(["Asiakkaat", "Kesto (kk)"])),
)
def test_a_report_table_laid_out_without_rich_is_what_rich_draws(columns, data, title):
    """A report's table of plain text is laid out without rich (report._plain_lines); whenever
    it is, it is what rich draws, character for character."""
    from veto.outputs import report

    cell = st.one_of(_report_text.map(report.Cell), _figure.map(lambda v: report.Cell(v, places=1)))
    rows = data.draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns))))
    table = report.Table(title, columns, rows)
    plain = report._plain_lines(table)
    if plain is not None:
        assert plain == report._drawn_by_rich(table)

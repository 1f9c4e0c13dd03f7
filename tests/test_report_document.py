"""`report pilot --format pdf|html`: the result tables as a document laid out like the forms,
with matplotlib's SVG charts; and every format checked against the JSON's unrounded figures."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.test_report_pilot import _store
from tests.test_workbook_roundtrip import build, client_plan
from veto.domain.dates import Period
from veto.outputs.finnish import fi_number
from veto.outputs.numbers import rounded
from veto.outputs.report import render_report
from veto.reports.pilot import pilot_report, suppress_small_cells
from veto.reports.pilot_tables import pilot_document
from veto.store.direct import direct_transaction
from veto.store.location import sqlite_location

ARGS = ("report", "pilot", "--period", "2025")


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif not isinstance(value, list):
        yield path, value


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, re.S)


def _texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_the_pdf_holds_every_figure_of_the_json(ok, tmp_path):
    _store(ok)
    report = json.loads(ok(*ARGS, "--format", "json"))
    pdf = tmp_path / "tulokset.pdf"
    ok(*ARGS, "--format", "pdf", "--out", pdf)
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4 in points
    text = "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
    assert "TYÖHÖNVALMENNUKSEN TULOKSET 1.1.2025–\n31.12.2025" in text  # a wrapped title
    assert "Euroopan unionin osarahoittama" in text
    assert f"Sivu 1 / {len(reader.pages)}" in text
    for path, value in _leaves(report):
        if isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        if path[0] in ("durations", "hours") and path[-1] not in ("n", "over_budget"):
            assert fi_number(value, 1) in text, path  # months and hours: one decimal
        else:
            assert re.search(rf"(?<![\d,]){value}(?![\d,])", text), path


def test_the_charts_are_svg_placed_with_their_tables(ok):
    _store(ok)
    html = ok(*ARGS, "--format", "html")
    assert "<img" not in html and not re.search(r'(src|href)="(https?:|//)', html)  # no fetch
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert captions == [
        "Työhönvalmennusasiakkaiden kertymä kuukausittain ja tavoite 18",
        "Päättyneet asiakkuudet tuloksittain",
        "Työhönvalmennuksen tunnit asiakasta kohden ja 18 tunnin budjetti",
        "Asiakkaat työvalmentajittain ja tavoite 10",
    ]
    intake, outcomes, hours, coaches = _svgs(html)
    # Whole numbers on every axis of counts; the labels name the months.
    for svg in (intake, outcomes, coaches):
        ticks = [t for t in _texts(svg) if re.fullmatch(r"[\d.,]+", t)]
        assert ticks and all(re.fullmatch(r"\d+", t) for t in ticks), ticks
    assert _texts(intake)[:3] == ["1/25", "3/25", "5/25"]
    assert {"työpaikka", "koulutuspaikka", "pidempi työkokeilu"} <= set(_texts(outcomes))
    assert "11,0 h" in _texts(hours) and "20,0 h" in _texts(hours)
    assert "budjetti" in _texts(hours) and "tavoite" in _texts(coaches)
    # The cumulative intake is a step line that never falls (SVG's y grows downwards).
    lines = re.findall(r'<path d="([^"]+)"[^>]*style="fill: none; stroke: #1d4f91', intake)
    line = max(lines, key=len)  # the other one is the legend's sample
    points = [tuple(map(float, p.split())) for p in re.findall(r"[ML] ([\d.]+ [\d.]+)", line)]
    ys = [y for _, y in points]
    assert all(a >= b for a, b in zip(ys, ys[1:], strict=False)) and ys[0] > ys[-1]
    xs = [x for x, _ in points]
    assert all(a <= b for a, b in zip(xs, xs[1:], strict=False))
    assert all(
        (x1 == x2) or (y1 == y2) for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)
    )


def test_charts_honour_suppress_below(ok):
    _store(ok)
    html = ok(*ARGS, "--format", "html", "--suppress-below", "3")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html)
    assert "Työhönvalmennusasiakkaiden kertymä kuukausittain ja tavoite 18" not in captions
    assert (
        "Kuvio: Työhönvalmennusasiakkaiden kertymä kuukausittain ja tavoite 18: jätetty pois, "
        "koska kertymän luvut on piilotettu (pienet luvut)."
    ) in html
    outcomes, hours, coaches = _svgs(html)
    # employed, education and other (1 each) are hidden: their bars read x; zeros are shown.
    assert _texts(outcomes).count("x") == 3
    assert _texts(hours).count("x") == 2  # mean and max go with the hidden number of clients
    assert "11,0 h" not in html and "20,0 h" not in html


def _numbers(text: str, unit: str) -> list[tuple[str, int]]:
    """Every `5,2 kk` or `1,5–9,7 kk` (unit kk or h) as (digits, decimals)."""
    found = []
    # (Babel groups thousands with a no-break space: 1 250,5.)
    for match in re.finditer(rf"(\d[\d\xa0]*,\d+)(?:–(\d[\d\xa0]*,\d+))? {unit}\b", text):
        for number in match.groups():
            if number:
                digits = number.replace("\xa0", "").replace(",", ".")
                found.append((digits, len(digits.split(".")[1])))
    return found


_runs = count()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(client_plan, min_size=1, max_size=6),
    period=st.sampled_from([Period(None, None), Period(date(2024, 2, 1), date(2025, 1, 31))]),
    below=st.none() | st.integers(3, 5),
)
def test_every_format_prints_the_json_figures_rounded_once(tmp_path, plans, period, below):
    """table, md, html and csv against the JSON: every months and hours figure printed is a
    JSON figure rounded once (half away from zero) to the decimals shown, and every JSON
    figure is printed; CSV carries the JSON's figures themselves."""
    from veto.store.database import transaction

    location = sqlite_location(tmp_path / f"f{next(_runs)}.db", "test")
    with transaction(location, actor="hypothesis") as session:
        build(session, plans, ["Yksi Oy", "Kaksi Oy", "Kolme Oy"], [])
    with direct_transaction(location, actor="hypothesis") as work:
        report = pilot_report(work, period=period)
    small: set[str] = set()
    if below is not None:
        report, small = suppress_small_cells(report, below=below)
    document = pilot_document(report, small)
    data = json.loads(render_report(document, "json"))
    months = [
        value
        for path, value in _leaves(data["durations"])
        if path[-1] in ("mean", "min", "max") and value is not None
    ]
    hours = [v for k, v in data["hours"].items() if k != "over_budget" and v is not None]
    for fmt in ("table", "md", "html"):
        text = render_report(document, fmt)
        for figures, unit in ((months, "kk"), (hours, "h")):
            printed = _numbers(text, unit)
            shown = {str(rounded(f, places)) for f in figures for places in (1,)}
            assert all(places == 1 for _, places in printed), (fmt, printed)
            assert {digits for digits, _ in printed} <= shown, (fmt, unit)
            assert shown <= {digits for digits, _ in printed}, (fmt, unit)
        for percent in re.findall(r"(\d+) %", text):
            targets = [100 * m["cumulative"] / data["intake"]["target"]
                       for m in data["intake"]["by_month"].values()
                       if m["cumulative"] is not None and data["intake"]["target"]]  # fmt: skip
            targets += [100 * n / data["coaches"]["target"]
                        for n in data["coaches"]["by_coach"].values() if n is not None]  # fmt: skip
            assert int(percent) in {int(rounded(t, 0)) for t in targets}, (fmt, percent)
    rows = list(csv.reader(io.StringIO(render_report(document, "csv"))))[1:]
    figures = {
        (path[0], ".".join(path[1:-1]) or "all", path[-1]): value
        for path, value in _leaves({k: v for k, v in data.items() if k != "suppressed"})
    }

    def typed(cell: str) -> str:  # a text that looks like a formula gets an apostrophe
        return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell

    for section, group, measure, value in rows:
        expected = figures[(section, typed(group), typed(measure))]
        if value in ("x", f"<{below}"):
            assert expected is None
            continue
        shown = "" if expected is None else str(expected)
        assert typed(value) == shown, (section, group, measure)

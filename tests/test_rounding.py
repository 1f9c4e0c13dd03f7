"""One rounding rule (veto.outputs.numbers): every output rounds the unrounded figure once, half
away from zero, to the decimals it shows; JSON carries the figure (float noise removed)."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from veto.outputs.finnish import fi_number
from veto.outputs.numbers import figure, rounded, whole


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (135.5 / 30.4375, 1, "4.5"),  # 4,4517… kk
        (4.45, 1, "4.5"),  # a half goes away from zero, not to the even 4,4
        (-4.45, 1, "-4.5"),
        (0.15, 1, "0.2"),  # the float 0.1499999… is the figure 0,15
        (1.15 + 1.15 + 1.15, 1, "3.5"),  # 3.4499999999999997 is 3,45 hours
        (2.675, 2, "2.68"),
        (12.5, 0, "13"),
        (7, 1, "7.0"),
    ],
)
def test_half_away_from_zero_from_the_figure(value, places, expected):
    assert rounded(value, places) == Decimal(expected)


def test_figure_keeps_nine_decimals_and_whole_numbers_whole():
    assert figure(135.5 / 30.4375) == 4.45174538
    assert figure(1.15 + 1.15 + 1.15) == 3.45
    assert figure(55.0) == 55 and isinstance(figure(55.0), int)
    assert figure(None) is None
    assert whole(100 * 1 / 8) == 13


def test_finnish_numbers_round_once_half_away():
    assert fi_number(4.45, 1) == "4,5"
    assert fi_number(0.125, 2) == "0,13"
    assert fi_number(2.0005) == "2,001"  # at most 3 decimals without `places`
    assert fi_number(1250.55, 1) == "1\xa0250,6"


def _two_native_clients(ok):
    """151 and 120 days of coaching before placement: the mean is 135,5 d = 4,4517… kk."""
    for code, placed in (("N1", "2025-06-01"), ("N2", "2025-05-01")):
        ok("client", "add", "--code", code, "--name", f"Testi {code}", "--gender", "female",
           "--background", "native")  # fmt: skip
        ok("phase", "start", "coaching", code, "--on", "2025-01-01")
        ok("phase", "start", "placement", code, "--on", placed)


def test_the_4_5_month_example_prints_4_5_everywhere(ok, tmp_path):
    _two_native_clients(ok)
    report = json.loads(ok("report", "pilot", "--period", "2025", "--format", "json"))
    pre = report["durations"]["native"]["pre_placement"]
    assert pre == {"n": 2, "mean": 4.45174538, "min": 3.942505133, "max": 4.960985626}
    for fmt in ("table", "md", "html"):
        out = ok("report", "pilot", "--period", "2025", "--format", fmt)
        assert "4,5 kk" in out, fmt
        assert "4,4 kk" not in out, fmt
    assert "keskimäärin 4,5 kk, vaihdellen 3,9 kuukaudesta 5,0 kuukauteen" in ok(
        "report", "pilot", "--period", "2025", "--format", "md"
    )
    csv = ok("report", "pilot", "--period", "2025", "--format", "csv").splitlines()
    assert "durations,native.pre_placement,mean,4.45174538" in csv
    book = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", book, "--period", "2025")
    sheet = openpyxl.load_workbook(book)["Tulokset"]
    means = [
        row[3]
        for row in sheet.iter_rows()
        if row[0].value == "kantasuomalainen" and str(row[1].value).startswith("työvalmennus")
    ]
    assert [(cell.value, cell.number_format) for cell in means] == [(4.45174538, "0.0")]

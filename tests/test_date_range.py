"""Dates within sense: every date veto accepts lies between 1.1.1900 and 31.12.2100 — typed in a
command, in a workbook's date cells or as a date serial — and a report over the whole range stays
fast. Invented people only."""

from __future__ import annotations

import json
import time
from datetime import date

import pytest

from veto.domain.dates import parse_date, parse_period
from veto.errors import InputError

RANGE = "dates go from 1.1.1900 to 31.12.2100"


@pytest.mark.parametrize(
    "text, day",
    [("1.1.1900", date(1900, 1, 1)), ("2100-12-31", date(2100, 12, 31))],
)
def test_the_ends_of_the_range_are_accepted(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["31.12.1899", "2101-01-01", "9999-12-30", "0001-01-01"])
def test_a_date_outside_the_range_is_refused(text):
    with pytest.raises(InputError) as refusal:
        parse_date(text, what="--on")
    assert str(refusal.value) == f"--on '{text}' is out of range: {RANGE}"


@pytest.mark.parametrize("text", ["0000", "1899", "2024-9999", "2101"])
def test_a_period_outside_the_range_is_refused(text):
    with pytest.raises(InputError) as refusal:
        parse_period(text)
    assert str(refusal.value) == f"invalid period '{text}': {RANGE}"


def test_the_example_of_issue_18_is_refused(ok, refused):
    """`phase start placement Z1 --on 9999-12-30` was stored; `report pilot` then ran > 5 min."""
    ok("client", "add", "--name", "Zeta Testixq", "--gender", "male", "--background", "native",
       "--code", "Z1")  # fmt: skip
    refused(
        "phase", "start", "placement", "Z1", "--on", "9999-12-30",
        message=f"date '9999-12-30' is out of range: {RANGE}",
    )  # fmt: skip
    refused("report", "pilot", "--period", "2024-9999",
            message=f"invalid period '2024-9999': {RANGE}")  # fmt: skip


def test_a_report_over_the_whole_range_stays_fast(ok):
    ok("client", "add", "--name", "Zeta Testixq", "--gender", "male", "--background", "native",
       "--code", "Z1")  # fmt: skip
    ok("phase", "start", "coaching", "Z1", "--on", "1.1.1900")
    ok("phase", "start", "placement", "Z1", "--on", "2.1.1900")
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("placement", "add", "Z1", "--employer", "Kahvila Aamu Oy", "--kind", "job",
       "--start", "3.1.1900", "--end", "31.12.2100")  # fmt: skip
    start = time.perf_counter()
    report = json.loads(ok("report", "pilot", "--period", "1900-2100", "-f", "json"))
    ok("report", "pilot", "--period", "1900-2100")
    seconds = time.perf_counter() - start
    months = list(report["intake"]["by_month"])
    assert (len(months), months[0], months[-1]) == (201 * 12, "1900-01", "2100-12")
    assert seconds < 10, seconds


def _workbook_with_a_date(ok, tmp_path, value):
    """The exported workbook with the first phase's start cell replaced by `value`, kept in a
    date format as a spreadsheet program would."""
    import openpyxl

    ok("client", "add", "--name", "Aino Testixq", "--gender", "female", "--background",
       "native", "--code", "A1")  # fmt: skip
    ok("phase", "start", "coaching", "A1", "--on", "1.2.2024")
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", str(out))
    book = openpyxl.load_workbook(out)
    sheet = book["Vaiheet"]
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("Alkoi") + 1)
    assert isinstance(cell.value, (date, str)) or cell.is_date, cell.value
    cell.value = value
    cell.number_format = "d.m.yyyy"
    book.save(out)
    return out, "Vaiheet, row 2, Alkoi"


@pytest.mark.parametrize(
    "serial, problem",
    [
        (-1, f"date '29.12.1899' is out of range: {RANGE}"),
        (-5, f"date '25.12.1899' is out of range: {RANGE}"),
        (99999999999, f"99999999999 is not a date: {RANGE}; type a date such as 1.8.2024"),
        (1e300, f"1e+300 is not a date: {RANGE}; type a date such as 1.8.2024"),
        (10**20, f"1e+20 is not a date: {RANGE}; type a date such as 1.8.2024"),
        (73416, f"date '1.1.2101' is out of range: {RANGE}"),
    ],
)
def test_a_date_serial_outside_the_range_is_a_problem(ok, veto, tmp_path, serial, problem):
    book, where = _workbook_with_a_date(ok, tmp_path, serial)
    result = veto("import", "xlsx", str(book))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "Error: 1 problem in seuranta.xlsx; nothing was imported (sheet, row, column: problem)",
        f"{where}: {problem}",
    ]


def test_a_date_cell_outside_the_range_is_a_problem(ok, veto, tmp_path):
    book, where = _workbook_with_a_date(ok, tmp_path, date(2300, 1, 1))
    result = veto("import", "xlsx", str(book))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == f"{where}: date '1.1.2300' is out of range: {RANGE}"

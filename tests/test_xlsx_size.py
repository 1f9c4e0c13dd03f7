"""An .xlsx sheet's size is read from its `<dimension>` element before `<sheetData>` only
(veto.workbook.reading.load_xlsx): a sheet written without one is not parsed whole an extra
time, and its rows are all read."""

from __future__ import annotations

import json

import openpyxl

from veto.workbook.reading import load_xlsx


def _book(path, *, write_only: bool):
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("Seuranta") if write_only else book.active
    if not write_only:
        sheet.title = "Seuranta"
    sheet.append(["Nimi", "Sukupuoli", "Tausta"])
    for n in range(3):
        sheet.append([f"Testi Henkilö {n}", "nainen", "kantasuomalainen"])
    book.save(path)
    return path


def test_a_sheet_without_dimension_is_left_unsized_and_read_whole(tmp_path, monkeypatch):
    def whole_sheet(parser):
        raise AssertionError("the whole sheet was parsed for its size")

    # openpyxl's own search for <dimension>, which runs to the end of <sheetData>.
    monkeypatch.setattr("openpyxl.worksheet._reader.WorkSheetParser.parse_dimensions", whole_sheet)
    with open(_book(tmp_path / "w.xlsx", write_only=True), "rb") as handle:
        book, lost = load_xlsx(handle)
        sheet = book["Seuranta"]
        assert (lost, sheet.max_row) == ([], None)
        assert [r[0] for r in sheet.iter_rows(values_only=True)] == [
            "Nimi", "Testi Henkilö 0", "Testi Henkilö 1", "Testi Henkilö 2"
        ]  # fmt: skip


def test_a_sheet_with_dimension_keeps_its_size(tmp_path):
    with open(_book(tmp_path / "d.xlsx", write_only=False), "rb") as handle:
        book, _lost = load_xlsx(handle)
        sheet = book["Seuranta"]
        assert (sheet.min_row, sheet.max_row, sheet.min_column, sheet.max_column) == (1, 4, 1, 3)


def test_openpyxl_s_own_sizing_is_back_after_loading(tmp_path):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    before = ReadOnlyWorksheet._get_size
    with open(_book(tmp_path / "w.xlsx", write_only=True), "rb") as handle:
        load_xlsx(handle)
    assert ReadOnlyWorksheet._get_size is before


def test_a_dimensionless_sheet_imports_every_row(ok, tmp_path):
    path = _book(tmp_path / "w.xlsx", write_only=True)
    ok("import", "table", str(path), "--into", "clients")
    names = [c["name"] for c in json.loads(ok("client", "list", "--format", "json"))]
    assert names == ["Testi Henkilö 0", "Testi Henkilö 1", "Testi Henkilö 2"]

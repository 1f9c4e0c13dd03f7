"""The Tulokset sheet: the pilot report's tables (section 2.5) with native Excel charts —
the outcomes of ended clients as bars, the cumulative intake as a line against the target."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from veto import vocabulary
from veto.domain.dates import parse_period
from veto.workbook.layout import FORMULA_START, RESULTS_TITLE

MONTHS_FORMAT = "0.0"
HOURS_FORMAT = "0.0#"
PRE_PLACEMENT = "työvalmennus ennen työhönvalmennusta"
WHOLE = "koko asiakkuus"


class _Rows:
    """The rows of the Tulokset sheet, and where each table landed; `xml` writes them."""

    def __init__(self, ws) -> None:
        from openpyxl.styles import Font

        self.ws = ws
        self.row = 0
        self.rows: list[list] = []
        self.bold = Font(bold=True)

    def add(self, *values: Any, bold: bool = False, formats: dict[int, str] | None = None) -> int:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(self.ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text, even if it looks like a formula
                cell.quotePrefix = value.startswith(FORMULA_START)
            if bold:
                cell.font = self.bold
            if formats and i in formats and isinstance(value, (int, float)):
                cell.number_format = formats[i]
            cells.append(cell)
        self.rows.append(cells)
        self.row += 1
        return self.row

    def gap(self) -> None:
        self.rows.append([])
        self.row += 1

    def xml(self) -> str | None:
        """The rows' `<sheetData>` content, as openpyxl's write-only sheet writes it (~30 µs a
        cell there). None when a cell is of a kind this does not write (or openpyxl writes with
        lxml): the rows then go to the sheet for openpyxl to write."""
        from openpyxl import LXML

        if LXML or not all(_plain(cell) for cells in self.rows for cell in cells):
            for cells in self.rows:
                self.ws.append(cells)
            return None
        return "".join(_row_xml(n, cells) for n, cells in enumerate(self.rows, 1))


def _plain(cell) -> bool:
    """Whether `_row_xml` writes the cell as openpyxl would: text, a finite number, yes/no, or
    nothing at all (no value, no style)."""
    from math import isfinite

    value, kind = cell._value, cell.data_type
    if value is None:
        return not cell.has_style
    if kind == "s":
        return type(value) is str and value != ""
    if kind == "n":
        return type(value) in (int, float, Decimal) and isfinite(value)
    return kind == "b" and type(value) is bool


def _row_xml(number: int, cells: list) -> str:
    """openpyxl's `WorksheetWriter.write_row` and `etree_write_cell` for `_plain` cells; the
    style ids are registered in the same order, cell by cell."""
    from openpyxl.compat import safe_string
    from openpyxl.utils import get_column_letter

    parts = [f'<row r="{number}">']
    for column, cell in enumerate(cells, 1):
        value = cell._value
        if value is None:
            continue  # as write_row: nothing to write
        ref = f"{get_column_letter(column)}{number}"
        style = f' s="{cell.style_id}"' if cell.has_style else ""
        kind = cell.data_type
        if kind == "s":
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and value != stripped else ""
            text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            parts.append(f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>')
        else:
            parts.append(f'<c r="{ref}"{style} t="{kind}"><v>{safe_string(value)}</v></c>')
    parts.append("</row>")
    return "".join(parts)


def _period_label(report: dict[str, Any]) -> str:
    start, end = report["period"]["start"], report["period"]["end"]
    return parse_period(f"{start or ''}..{end or ''}").label


def _month_label(month: str) -> str:
    return f"{int(month[5:7])}/{month[:4]}"


def _show_axes(chart) -> None:
    # openpyxl 3.1 leaves the axes' `delete` unset, which Excel reads as hidden axes.
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _count_axis(chart, top: int) -> None:
    """A value axis of whole clients: from 0, in whole steps (at most about 10 of them)."""
    from openpyxl.chart.data_source import NumFmt

    chart.y_axis.scaling.min = 0
    chart.y_axis.majorUnit = max(1, -(-top // 10))
    chart.y_axis.numFmt = NumFmt(formatCode="0", sourceLinked=False)


def results_sheet(book, report: dict[str, Any]) -> str | None:
    """Add the Tulokset sheet for `report` (the object `pilot_report` returns); returns its
    rows' XML for `veto.workbook.sheetdata.splice` to put in (None: openpyxl writes them)."""
    from openpyxl.chart import BarChart, LineChart, Reference

    from veto.workbook.sheetdata import memory_sheet

    ws = memory_sheet(book, RESULTS_TITLE)
    for letter, width in zip("ABCDEF", (40, 34, 12, 12, 12, 12), strict=True):
        ws.column_dimensions[letter].width = width
    out = _Rows(ws)
    out.add("Tulokset: työhönvalmennusasiakkaat", bold=True)
    out.add("Ajanjakso", _period_label(report))
    out.gap()

    clients = report["clients"]
    out.add("Asiakkaat", "Asiakkaita", bold=True)
    out.add("Yhteensä", clients["total"])
    for value, count in clients["by_gender"].items():
        out.add(vocabulary.label("gender", value), count)
    for value, count in clients["by_background"].items():
        out.add(vocabulary.label("background", value), count)
    out.gap()

    ended = report["ended"]
    out.add("Päättyneet asiakkuudet", "Asiakkaita", bold=True)
    out.add("Yhteensä", ended["total"])
    first_outcome = out.row + 1
    for value, count in ended["by_outcome"].items():
        out.add(vocabulary.label("outcome", value), count)
    last_outcome = out.row
    out.gap()

    out.add("Tulos", "Ala", "Asiakkaita", bold=True)
    for value, fields in ended["fields"].items():
        for name, count in fields.items():
            out.add(vocabulary.label("outcome", value), name, count)
    out.gap()

    out.add("Kesto (kk)", "Mitta", "Asiakkaita", "Keskiarvo", "Lyhin", "Pisin", bold=True)
    months = {i: MONTHS_FORMAT for i in (3, 4, 5)}
    for background, spans in report["durations"].items():
        for key, title in (("pre_placement", PRE_PLACEMENT), ("total", WHOLE)):
            s = spans[key]
            label = vocabulary.label("background", background)
            out.add(label, title, s["n"], s["mean"], s["min"], s["max"], formats=months)
    out.gap()

    out.add("Työkokeilut (päättyneet asiakkaat)", "Asiakkaita", "Työkokeiluja", bold=True)
    for background, trials in report["work_trials"].items():
        label = vocabulary.label("background", background)
        out.add(label, trials["clients"], trials["trials"])
    out.gap()

    hours = report["hours"]
    fmt = {1: HOURS_FORMAT}
    out.add("Valmennustunnit työhönvalmennuksessa", "Tunteja", bold=True)
    out.add("Budjetti asiakasta kohden", hours["budget"], formats=fmt)
    out.add("Yhteensä", hours["total"], formats=fmt)
    out.add("Keskimäärin asiakasta kohden", hours["mean"], formats=fmt)
    out.add("Enintään yhdellä asiakkaalla", hours["max"], formats=fmt)
    out.add("Asiakkaita yli budjetin", hours["over_budget"])
    out.gap()

    coaches = report.get("coaches")
    if coaches:
        out.add("Valmentaja", "Asiakkaita", "Tavoite", bold=True)
        for name, count in coaches["by_coach"].items():
            out.add(name, count, coaches["target"])
        if coaches["unassigned"]:
            out.add("(ei valmentajaa)", coaches["unassigned"])
        out.gap()

    intake = report.get("intake") or {"target": None, "by_month": {}}
    out.add("Kuukausi", "Uusia asiakkaita", "Kertymä", "Tavoite", bold=True)
    intake_header = out.row
    for month, figures in intake["by_month"].items():
        out.add(_month_label(month), figures["new"], figures["cumulative"], intake["target"])
    intake_last = out.row
    rows = out.xml()

    bars = BarChart()
    bars.type = "col"
    bars.title = "Päättyneet asiakkuudet tuloksittain"
    bars.y_axis.title = "Asiakkaita"
    bars.legend = None
    bars.add_data(Reference(ws, min_col=2, min_row=first_outcome, max_row=last_outcome))
    bars.set_categories(Reference(ws, min_col=1, min_row=first_outcome, max_row=last_outcome))
    bars.width, bars.height = 18, 8
    _show_axes(bars)
    _count_axis(bars, max([n or 0 for n in ended["by_outcome"].values()], default=0))
    ws.add_chart(bars, "H2")

    if intake_last > intake_header:
        line = LineChart()
        line.title = "Työhönvalmennusasiakkaiden kertymä ja tavoite"
        line.y_axis.title = "Asiakkaita"
        line.add_data(
            Reference(ws, min_col=3, max_col=4, min_row=intake_header, max_row=intake_last),
            titles_from_data=True,
        )
        line.set_categories(
            Reference(ws, min_col=1, min_row=intake_header + 1, max_row=intake_last)
        )
        line.width, line.height = 18, 8
        _show_axes(line)
        # A cumulative count never falls: straight segments, never a smoothed curve.
        for series in line.series:
            series.smooth = False
        cumulative = [m["cumulative"] or 0 for m in intake["by_month"].values()]
        _count_axis(line, max([*cumulative, intake["target"] or 0]))
        ws.add_chart(line, "H20")
    return rows

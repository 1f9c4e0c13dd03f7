"""Streaming the rows of a worksheet as SpreadsheetML, for the big sheets of the workbook.

openpyxl builds everything around the rows (styles, tables, validations, charts, frozen panes)
but spends about 15 µs on every cell it writes, so 10,000 clients took over 10 s. Here a row is
one formatted string: text as shared strings (never a formula; shared, because readers parse
them many times faster than inline strings), dates as serial numbers with a date style, numbers
as numbers. `splice` then puts these rows into the sheets openpyxl saved (`save_shell`: in
memory, sheets made by `memory_sheet`), and adds the shared string table.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from veto.workbook.layout import DATE, DECIMAL, ENUM, FORMULA_START, ID, INTEGER, NO, YES, YES_NO

_EPOCH = date(1899, 12, 30).toordinal()  # Excel's day 0 (its 1900 leap-year bug included)
# XML 1.0 cannot hold these control characters at all; a CR would be read back as LF.
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}
_ESCAPES.update({c: None for c in range(32) if c not in (9, 10, 13)})
_ESCAPES.update({0xFFFE: None, 0xFFFF: None})
_EMPTY_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_SHEET_VIEWS = "<sheetViews>"
_STRINGS_PART = "xl/sharedStrings.xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STRINGS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


class SharedStrings:
    """The workbook's table of distinct texts; cells refer to them by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def __call__(self, text: str) -> int:
        self.uses += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> Iterator[str]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_MAIN}" '
            f'count="{self.uses}" uniqueCount="{len(self.index)}">'
        )
        for text in self.index:
            yield f'<si><t xml:space="preserve">{text.translate(_ESCAPES)}</t></si>'
        yield "</sst>"


class RowWriter:
    """Formats rows of one sheet: `kinds` (layout cell kinds) and `labels` (value -> Finnish
    label, for enumeration columns) per column; `date_style`/`text_style` are style ids."""

    def __init__(
        self,
        kinds: Sequence[str],
        labels: Sequence[dict[str, str] | None],
        *,
        date_style: int,
        text_style: int,
        strings: SharedStrings,
    ) -> None:
        self.letters = [get_column_letter(i + 1) for i in range(len(kinds))]
        self.kinds = list(kinds)
        self.labels = list(labels)
        self.date_style = date_style
        self.text_style = text_style
        self.strings = strings

    def text(self, ref: str, value: str) -> str:
        style = f' s="{self.text_style}"' if value.startswith(FORMULA_START) else ""
        return f'<c r="{ref}" t="s"{style}><v>{self.strings(value)}</v></c>'

    def row(self, number: int, values: Iterable[Any]) -> str:
        cells = []
        for letter, kind, labels, value in zip(
            self.letters, self.kinds, self.labels, values, strict=False
        ):
            if value is None or value == "":
                continue
            ref = f"{letter}{number}"
            if kind == DATE:
                cells.append(
                    f'<c r="{ref}" s="{self.date_style}"><v>{value.toordinal() - _EPOCH}</v></c>'
                )
            elif kind in (DECIMAL, INTEGER, ID):
                number_text = format(value, "f") if isinstance(value, Decimal) else str(value)
                cells.append(f'<c r="{ref}"><v>{number_text}</v></c>')
            elif kind == YES_NO:
                cells.append(self.text(ref, YES if value else NO))
            elif kind == ENUM:
                cells.append(self.text(ref, labels.get(value, value)))
            else:
                cells.append(self.text(ref, str(value)))
        return f'<row r="{number}">{"".join(cells)}</row>'

    def header(self, headers: Sequence[str]) -> str:
        cells = (
            self.text(f"{letter}1", h) for letter, h in zip(self.letters, headers, strict=True)
        )
        return f'<row r="1">{"".join(cells)}</row>'


class _MemoryWriter(WorksheetWriter):
    def cleanup(self) -> None:
        pass  # no temporary file to remove


class _MemorySheet(WriteOnlyWorksheet):
    def _get_writer(self) -> None:
        sheet: Any = self
        if sheet._writer is None:
            writer = _MemoryWriter(self, out=io.BytesIO())
            writer.write_top()
            sheet._writer = writer


class _ShellWriter(ExcelWriter):
    def write_worksheet(self, ws) -> None:  # ExcelWriter's, with the sheet's XML in memory
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        if not ws.closed:
            ws.close()
        writer = ws._writer
        ws._rels = writer._rels
        self._archive.writestr(ws.path[1:], writer.read())
        self.manifest.append(ws)


def memory_sheet(book, title: str):
    """A new write-only sheet of `book` that openpyxl writes in memory, not in a temporary file
    of its own (created, written, read back and removed at every save); `save_shell` saves it."""
    sheet = _MemorySheet(parent=book, title=title)
    book._add_sheet(sheet)
    return sheet


def save_shell(book) -> io.BytesIO:
    """The write-only `book` (its sheets made by `memory_sheet`) saved as openpyxl saves it, in
    memory and uncompressed: `splice` reads it back at once and compresses what it writes."""
    shell = io.BytesIO()
    book.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
    with zipfile.ZipFile(shell, "w", zipfile.ZIP_STORED) as archive:
        _ShellWriter(book, archive).write_data()
    shell.seek(0)
    return shell


def _dimension(writer: RowWriter, rows: int) -> str:
    return f'<dimension ref="A1:{writer.letters[-1]}{rows + 1}"/>'


def splice(
    shell: IO[bytes],
    out: IO[bytes],
    sheets: dict[str, tuple[RowWriter, Sequence[str], Sequence[Sequence[Any]]]],
    strings: SharedStrings,
    filled: dict[str, str] | None = None,
) -> None:
    """Copy the workbook `shell` to `out`, filling the empty `<sheetData>` of each part named in
    `sheets` (zip path -> writer, headers, rows) with the header row and the data rows, and
    adding the shared strings those rows use; a part named in `filled` (zip path -> the rows'
    XML) gets those rows, and nothing else."""
    chunk = 2000
    with (
        zipfile.ZipFile(shell) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                override = f'<Override PartName="/{_STRINGS_PART}" ContentType="{_STRINGS_TYPE}"/>'
                data = data.replace(b"</Types>", override.encode() + b"</Types>")
            elif item.filename == "xl/_rels/workbook.xml.rels":
                relation = f'<Relationship Id="rIdVetoStrings" Type="{_STRINGS_REL}" '
                relation += 'Target="sharedStrings.xml"/>'
                data = data.replace(b"</Relationships>", relation.encode() + b"</Relationships>")
            if filled and item.filename in filled:
                text = data.decode("utf-8")
                found = _EMPTY_SHEET_DATA.search(text)
                if found is None:
                    raise RuntimeError(f"unexpected worksheet layout in {item.filename}")
                content = f"<sheetData>{filled[item.filename]}</sheetData>"
                data = (text[: found.start()] + content + text[found.end() :]).encode()
            if item.filename not in sheets:
                target.writestr(item.filename, data)
                continue
            writer, headers, rows = sheets[item.filename]
            text = data.decode("utf-8")
            found = _EMPTY_SHEET_DATA.search(text)
            views = text.find(_SHEET_VIEWS)
            if found is None or views < 0:
                raise RuntimeError(f"unexpected worksheet layout in {item.filename}")
            # A reader that finds no <dimension> scans the whole sheet to learn its size.
            head = text[:views] + _dimension(writer, len(rows)) + text[views : found.start()]
            with target.open(item.filename, "w", force_zip64=True) as part:
                part.write(head.encode())
                part.write(b"<sheetData>")
                part.write(writer.header(headers).encode())
                for start in range(0, len(rows), chunk):
                    lines = (
                        writer.row(start + i + 2, values)
                        for i, values in enumerate(rows[start : start + chunk])
                    )
                    part.write("".join(lines).encode())
                part.write(b"</sheetData>")
                part.write(text[found.end() :].encode())
        with target.open(_STRINGS_PART, "w", force_zip64=True) as part:
            for piece in strings.xml():
                part.write(piece.encode())

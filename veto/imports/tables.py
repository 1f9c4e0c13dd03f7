"""Reading any tabular file a coach has: .xlsx (any sheet), .ods and CSV as Finnish Excel writes
it (`;`, decimal comma, Windows-1252 or UTF-8 with or without a BOM) or plain comma CSV.

A table is its rows as (row number, cells), each cell (column number, value, kind) as
`veto.workbook.reading` gives them: kind 'f' for a formula (never evaluated), 'e' for an error
value, else the value is text, a number, a date or a boolean.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from veto.errors import InputError
from veto.i18n import N_, _

Cells = list[tuple[int, Any, str]]
MAX_CSV_BYTES = 256 * 1024 * 1024
# What a damaged zip raises: bad headers, bad deflate data, an encrypted or unknown-method part.
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    RuntimeError,
    NotImplementedError,
)


@dataclass
class Table:
    """The rows of one sheet of `path`; `detected` says how the file was read."""

    path: Path
    title: str
    detected: str
    rows: list[tuple[int, Cells]] = field(default_factory=list)


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The rows of `sheet` (default: the first sheet) of the file at `path`; InputError (one
    line) for a missing, unreadable or undecodable file or an unknown sheet."""
    path = Path(path)
    if not path.is_file():
        raise InputError(_("cannot read '{path}': no such file").format(path=path))
    with path.open("rb") as handle:
        head = handle.read(4)
    if head.startswith(b"PK\x03\x04"):
        from veto.workbook.reading import check_archive

        try:
            with zipfile.ZipFile(path) as archive:
                parts = archive.infolist()
                check_archive(path, archive)
        except _DAMAGED as exc:
            raise _unreadable(path, N_("a spreadsheet"), exc) from None
        names = {part.filename for part in parts}
        if "content.xml" in names:
            return _read_ods(path, sheet)
        if "xl/workbook.xml" in names:
            return _read_xlsx(path, sheet)
        raise InputError(
            _(
                "cannot read '{path}': a zip file that is neither .xlsx nor .ods; "
                "save it as .xlsx, .ods or CSV"
            ).format(path=path)
        )
    if sheet is not None:
        raise InputError(
            _("--sheet '{sheet}': {file} is a CSV file, which has no sheets").format(
                sheet=sheet, file=path.name
            )
        )
    return _read_csv(path)


def _unreadable(path: Path, what: str, exc: BaseException) -> InputError:
    from veto.workbook.reading import library_reason

    reason = library_reason(exc)
    return InputError(
        _(
            "cannot read '{path}' as {what} ({reason}): save it as .xlsx, .ods or CSV "
            "in Excel or LibreOffice"
        ).format(path=path, what=_(what), reason=reason)
    )


def _choose(path: Path, titles: list[str], sheet: str | None) -> str:
    if not titles:
        raise InputError(_("{file} has no sheets").format(file=path.name))
    if sheet is None:
        return titles[0]
    from veto.vocabulary import fold

    found = [t for t in titles if fold(t) == fold(sheet)]
    if not found:
        raise InputError(
            _("{file} has no sheet '{sheet}': its sheets are {sheets}").format(
                file=path.name, sheet=sheet, sheets=", ".join(titles)
            )
        )
    return found[0]


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    from openpyxl.utils.exceptions import InvalidFileException

    from veto.workbook.reading import _UNREADABLE, CellBudget, _cells, load_xlsx, quiet_library

    handle = path.open("rb")
    try:
        book, lost = load_xlsx(handle)
    except (InvalidFileException, *_UNREADABLE, *_DAMAGED) as exc:
        handle.close()
        raise _unreadable(path, N_("an .xlsx workbook"), exc) from None
    try:
        for name, why in lost:  # the sheet asked for is listed but cannot be read
            if sheet is not None and _same(name, sheet):
                raise InputError(
                    _(
                        "cannot read sheet '{name}' of {file}: {why}; save the file again "
                        "from Excel or LibreOffice"
                    ).format(name=name, file=path.name, why=why)
                )
        title = _choose(path, book.sheetnames, sheet)
        table = Table(path, title, _("xlsx, sheet '{title}'").format(title=title))
        budget = CellBudget(path)
        with quiet_library():
            table.rows = [(n, cells) for n, cells in _cells(book, book[title], budget) if cells]
    except (InvalidFileException, *_UNREADABLE, *_DAMAGED) as exc:
        raise _unreadable(path, N_("an .xlsx workbook"), exc) from None
    finally:
        book.close()
        handle.close()
    return table


# OpenDocument's namespaces, as ElementTree spells the tags.
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _read_ods(path: Path, sheet: str | None) -> Table:
    """The ODS sheet from content.xml with the C parser of xml.etree: repeated empty rows and
    cells (LibreOffice writes a million of them) are counted, never expanded; the cells read
    are held to the workbook reader's limits (`CellBudget`)."""
    from xml.etree.ElementTree import ParseError, iterparse

    from veto.workbook.reading import CellBudget

    budget = CellBudget(path)  # the same cell limits as an .xlsx
    try:
        with zipfile.ZipFile(path) as archive:
            with archive.open("content.xml") as source:
                titles: list[str] = []
                chosen: Table | None = None
                row_number = 0
                for event, element in iterparse(source, events=("start", "end")):
                    tag = element.tag
                    if event == "start":
                        if tag == f"{_TABLE}table":
                            titles.append(element.get(f"{_TABLE}name") or "")
                            row_number = 0
                        continue
                    if tag == f"{_TABLE}table-row":
                        repeat = int(element.get(f"{_TABLE}number-rows-repeated") or 1)
                        wanted = chosen is None and (
                            sheet is None and len(titles) == 1 or _same(titles[-1], sheet)
                        )
                        if wanted or (chosen is not None and chosen.title == titles[-1]):
                            if chosen is None:
                                chosen = Table(
                                    path,
                                    titles[-1],
                                    _("ods, sheet '{title}'").format(title=titles[-1]),
                                )
                            cells = _ods_cells(element)
                            if cells:
                                budget.spend(len(cells) * repeat)
                                for position, value, kind in cells:
                                    if kind == "s":
                                        budget.text(chosen.title, row_number + 1, position, value)
                                for _row in range(repeat):
                                    row_number += 1
                                    chosen.rows.append((row_number, cells))
                            else:
                                row_number += repeat
                        element.clear()
                    elif tag == f"{_TABLE}table":
                        element.clear()
    except InputError:
        raise
    except (*_DAMAGED, ParseError) as exc:
        raise _unreadable(path, N_("an .ods spreadsheet"), exc) from None
    if chosen is None:
        _choose(path, titles, sheet)  # raises: no such sheet
        chosen = Table(path, titles[0], _("ods, sheet '{title}'").format(title=titles[0]))
    return chosen


def _same(title: str, sheet: str | None) -> bool:
    from veto.vocabulary import fold

    return sheet is not None and fold(title) == fold(sheet)


def _ods_cells(row) -> Cells:
    cells: Cells = []
    position = 0
    for cell in row:
        if cell.tag not in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            continue
        repeat = int(cell.get(f"{_TABLE}number-columns-repeated") or 1)
        value, kind = _ods_value(cell)
        if value is None:
            position += repeat
            continue
        for _repeat in range(min(repeat, 1024)):
            position += 1
            cells.append((position, value, kind))
    return cells


def _ods_value(cell) -> tuple[Any, str]:
    formula = cell.get(f"{_TABLE}formula")
    if formula is not None:
        return formula.split(":", 1)[-1], "f"
    kind = cell.get(f"{_OFFICE}value-type")
    if kind is None:
        return None, ""
    if kind in ("float", "percentage", "currency"):
        text = cell.get(f"{_OFFICE}value") or ""
        number = float(text)
        return (int(number) if number.is_integer() else number), "n"
    if kind == "date":
        text = cell.get(f"{_OFFICE}date-value") or ""
        moment = datetime.fromisoformat(text)
        return (moment.date() if "T" not in text else moment), "d"
    if kind == "boolean":
        return cell.get(f"{_OFFICE}boolean-value") == "true", "b"
    lines = ["".join(p.itertext()) for p in cell.iter(f"{_TEXT}p")]
    text = "\n".join(lines)
    return (text if text.strip() else None), "s"


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8", N_("UTF-8 with BOM")),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding: a BOM decides; else UTF-8 if the
    bytes are UTF-8, else Windows-1252 (what Finnish Excel saves as "CSV (semicolon)")."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return _decoded(data, codec, name, path, skip=len(bom)), name
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return _decoded(data, "cp1252", "Windows-1252", path), "Windows-1252"


def _decoded(data: bytes, codec: str, name: str, path: Path, skip: int = 0) -> str:
    try:
        return data[skip:].decode(codec)
    except UnicodeDecodeError as exc:
        at = skip + exc.start
        line = data[:at].count(b"\n") + 1
        byte = data[at : at + 1].hex().upper()
        raise InputError(
            _(
                "cannot read '{path}': byte 0x{byte} on line {line} is neither UTF-8 nor "
                "{name}; save the file as CSV UTF-8 (or CSV (semicolon) in Excel)"
            ).format(path=path, byte=byte, line=line, name=_(name))
        ) from None


_SEPARATORS = {";": "';'", ",": "','", "\t": "tab"}


def separator(text: str) -> str:
    """The separator: the most frequent of ; , and tab outside quotes in the first lines
    (';' on a tie: a Finnish table with one column is one column either way)."""
    lines = [line for line in text.splitlines()[:50] if line.strip()][:10]
    counts = dict.fromkeys(_SEPARATORS, 0)
    for line in lines:
        quoted = False
        for char in line:
            if char == '"':
                quoted = not quoted
            elif not quoted and char in counts:
                counts[char] += 1
    return max(counts, key=lambda c: (counts[c], c == ";"))


def _read_csv(path: Path) -> Table:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError(
            _(
                "cannot read '{path}': {size} MB is more than a table of clients "
                "(at most {most} MB)"
            ).format(path=path, size=size // 2**20, most=MAX_CSV_BYTES // 2**20)
        )
    text, encoding = decode(path.read_bytes(), path)
    if "\x00" in text:
        raise InputError(
            _(
                "cannot read '{path}' as CSV: it holds NUL bytes (a binary file?); "
                "give a .xlsx, .ods or CSV file"
            ).format(path=path)
        )
    first, _newline, rest = text.partition("\n")
    if first.strip().lower() in ("sep=;", "sep=,", "sep=\t"):
        # Excel's own hint line; Excel does not show it as a row, so neither is it counted here.
        sep, text = first.strip()[4], rest
    else:
        sep = separator(text)
    detected = _("CSV, encoding {encoding}, separator {separator}")
    shown = _("tab") if sep == "\t" else _SEPARATORS[sep]
    table = Table(path, path.stem, detected.format(encoding=_(encoding), separator=shown))
    number = 0
    try:
        # Numbered by record, as a spreadsheet numbers the rows (a quoted cell may hold a newline).
        for number, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=sep), 1
        ):
            cells = [(i + 1, v, "s") for i, v in enumerate(record) if v.strip()]
            if cells:
                table.rows.append((number, cells))
    except csv.Error as exc:
        raise InputError(
            _("cannot read '{path}' as CSV (row {row}: {exc})").format(
                path=path, row=number + 1, exc=exc
            )
        ) from None
    return table

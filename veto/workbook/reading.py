"""Reading a tracking workbook as a coach may have left it, cell by cell, collecting every problem.

Sheets and columns are found by their Finnish or English names, in any order; extra columns and
sheets are ignored, blank rows skipped, stray spaces dropped. Dates may be real date cells,
1.8.2024 or 2024-08-01; enumerations Finnish labels, English values or aliases. A formula is
never evaluated: a cell holding one is a problem at its position.
"""

from __future__ import annotations

import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from veto import vocabulary
from veto.domain.dates import IN_RANGE, in_range, parse_date
from veto.domain.inputs import parse_decimal, parse_yes_no
from veto.errors import InputError
from veto.i18n import N_, _, ngettext, pgettext
from veto.workbook.layout import (
    DATE,
    DECIMAL,
    ENUM,
    ID,
    INTEGER,
    SHEETS,
    TEXT,
    YES_NO,
    Column,
    Sheet,
)

Progress = Callable[[int, int, str], None]


def get_column_letter(position: int) -> str:
    """openpyxl's letter of column `position` (1 → A); openpyxl is imported only when needed
    (a CSV import does not need its ~0,25 s of start-up)."""
    from openpyxl.utils import get_column_letter as letter

    return letter(position)


# What a damaged or foreign file raises inside openpyxl and the zip and XML layers beneath it.
_UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    AttributeError,
    SyntaxError,  # xml.etree's ParseError
    EOFError,
    OSError,
    NotImplementedError,  # a zip part compressed with a method zipfile cannot read
)


# What an import unpacks, at most (one place: the tracking workbook and `veto import table` read
# through these). The 10,000-client workbook veto exports is a 3,6 MB file of 33 parts that
# unpack to 22 MB (its largest sheet 14 MB, shared strings 0,5 MB) and 570 000 cells; its import
# peaks at about 260 MB of memory. These leave room for a workbook about 1,7 times that big
# saved by Excel or LibreOffice, and keep any file under 500 MB (benchmarks/bench_import_limits.py).
MAX_PARTS = 10_000
MAX_UNPACKED_BYTES = 160 * 2**20  # all parts together, as the zip's directory gives them
MAX_PART_BYTES = 64 * 2**20  # one part (a sheet, the shared strings), read as a stream
MAX_CELLS = 1_000_000
MAX_TEXT_CHARS = 32_767  # what Excel itself holds in one cell


CHART_SHEET = N_("it is a chart sheet, not a sheet of rows")


def library_reason(exc: BaseException) -> str:
    """What a reading library says went wrong, in one line; the common "File is not a zip
    file" in the current language (the others are the library's own English, like an OS
    error's)."""
    if isinstance(exc, zipfile.BadZipFile):
        return _("File is not a zip file")
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    """Refuse (InputError, one line) a zipped spreadsheet that would unpack to more than veto
    reads, before any part is unpacked. Python's zipfile never unpacks a part beyond the size
    the directory gives it, so these sizes are what reading costs."""
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise InputError(
            _(
                "cannot read '{path}': it has {count} parts (at most {most}); "
                "save it again from Excel or LibreOffice"
            ).format(path=path, count=len(parts), most=MAX_PARTS)
        )
    total = sum(p.file_size for p in parts)
    biggest = max(parts, key=lambda p: p.file_size, default=None)
    if biggest is not None and biggest.file_size > MAX_PART_BYTES:
        raise InputError(
            _(
                "cannot read '{path}': its part {part} unpacks to {size} (at most {most} is "
                "read); split the workbook or save it again"
            ).format(
                path=path,
                part=biggest.filename,
                size=_mb(biggest.file_size),
                most=_mb(MAX_PART_BYTES),
            )
        )
    if total > MAX_UNPACKED_BYTES:
        raise InputError(
            _(
                "cannot read '{path}': it unpacks to {size} (at most {most} is read); "
                "split the workbook or save it again"
            ).format(path=path, size=_mb(total), most=_mb(MAX_UNPACKED_BYTES))
        )


class CellBudget:
    """Counts the cells and checks the text of one file's reading against the limits."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cells = 0

    def spend(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_CELLS:
            raise InputError(
                _(
                    "cannot read '{path}': it has more than {most} cells "
                    "(what veto reads at most); split the workbook"
                ).format(path=self.path, most=f"{MAX_CELLS:,}".replace(",", " "))
            )

    def text(self, title: str, row: int, position: int, value: str) -> None:
        if len(value) > MAX_TEXT_CHARS:
            raise InputError(
                _(
                    "cannot read '{path}': {title}, row {row}, column {column} holds {count} "
                    "characters (a cell holds at most {most})"
                ).format(
                    path=self.path,
                    title=title,
                    row=row,
                    column=get_column_letter(position),
                    count=len(value),
                    most=MAX_TEXT_CHARS,
                )
            )


# (enumeration, text) -> value: a workbook repeats a few labels thousands of times.
_PARSED: dict[tuple[str, str], str] = {}


@dataclass(frozen=True, order=True)
class Problem:
    """What is wrong where: prints as `sheet, row N, column: message`."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.row:  # the sheet as a whole
            return _("{sheet}: {problem}").format(sheet=self.sheet, problem=self.message)
        return _("{sheet}, row {row}, {column}: {problem}").format(
            sheet=self.sheet, row=self.row, column=self.column, problem=self.message
        )


class WorkbookInvalid(InputError):
    """The workbook has problems; nothing of it was stored. Its message is a summary line and
    then one line per problem."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.problems = problems
        header = ngettext(
            "{count} problem in {file}; nothing was imported (sheet, row, column: problem)",
            "{count} problems in {file}; nothing was imported (sheet, row, column: problem)",
            len(problems),
        )
        lines = [header.format(count=len(problems), file=path.name)]
        lines += [str(p) for p in problems]
        super().__init__("\n".join(lines))


@dataclass
class Record:
    """One data row of a sheet: the converted values of the columns the sheet has."""

    row: int
    values: dict[str, Any]
    failed: set[str] = field(default_factory=set)  # columns whose cell is already a problem


@dataclass
class SheetData:
    sheet: Sheet
    title: str
    header_row: int
    columns: set[str] = field(default_factory=set)
    records: list[Record] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # column key -> its column number


@contextmanager
def quiet_library() -> Iterator[None]:
    """Around every openpyxl read of a file: its warnings (a data validation or other extension
    it does not support, a missing default style, print settings it drops) concern formatting
    veto never reads, so none reaches the user as a raw line; what veto does read is checked
    cell by cell and a damaged part is an error of its own."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def xml_events(source, events: tuple[Any, ...] | None = None) -> Iterator[Any]:
    """`xml.etree.ElementTree.iterparse(source, events)` for a file object, read in the same
    16 KiB pieces; without the iterator class iterparse builds on every call (~0,1 ms, several
    times for every sheet of a workbook)."""
    from xml.etree.ElementTree import XMLPullParser

    parser: Any = XMLPullParser(events=events)
    while True:
        yield from parser.read_events()
        data = source.read(16 * 1024)
        if not data:
            break
        parser.feed(data)
    parser.close()
    yield from parser.read_events()


@contextmanager
def _sized_by_its_head(worksheet_class: Any) -> Iterator[None]:
    """openpyxl's read-only sheets with their size read from the `<dimension>` element before
    `<sheetData>` only. openpyxl looks for it until the end of `<sheetData>`, so a sheet written
    without one (openpyxl's write-only mode, some other programs) was parsed whole once more
    before its rows were read (0,6 s of 10 000 rows); such a sheet is left unsized
    (`max_row` None), which its rows do not need. A sheet that has one gets the size openpyxl
    reads (`_get_size`: the first `<dimension>` to end, unless `<sheetData>` ends first), from
    the same pass over its head."""
    from openpyxl.worksheet.dimensions import SheetDimension

    dimension = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}dimension"
    data = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheetData"

    def get_size(sheet: Any) -> None:
        src = sheet._get_source()
        try:
            events = xml_events(src, ("start", "end"))
            for _event, element in events:
                if element.tag == data:
                    return
                if element.tag == dimension:
                    break
            else:
                return
            # From here as openpyxl's WorkSheetParser.parse_dimensions, on end events.
            for event, element in events:
                if event != "end":
                    continue
                if element.tag == dimension:
                    bounds = SheetDimension.from_tree(element).boundaries
                    sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = bounds
                    return
                if element.tag == data:
                    return
                element.clear()
        finally:
            src.close()

    original = worksheet_class._get_size
    worksheet_class._get_size = get_size
    try:
        yield
    finally:
        worksheet_class._get_size = original


def load_xlsx(handle) -> tuple[Any, list[tuple[str, str]]]:
    """The read-only openpyxl workbook in `handle` (library warnings silenced) and the sheets
    its workbook.xml lists that openpyxl could not load: (title, why). openpyxl itself drops a
    listed sheet whose part is missing and keeps a chart sheet apart, silently."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    with quiet_library(), _sized_by_its_head(ReadOnlyWorksheet):
        reader = ExcelReader(handle, read_only=True, data_only=False)
        reader.read()
        lost = []
        for sheet in reader.parser.sheets:
            try:
                rel = reader.parser.rels[sheet.id] if sheet.id else None
            except KeyError:
                rel = None
            if rel is None:
                lost.append((sheet.name, _("it names no part of the file")))
            elif rel.target not in reader.valid_files:
                missing = _("its part {part} is missing from the file").format(part=rel.target)
                lost.append((sheet.name, missing))
            elif "chartsheet" in rel.Type:
                lost.append((sheet.name, _(CHART_SHEET)))
    return reader.wb, lost


def _unreadable(path: Path, exc: BaseException) -> InputError:
    reason = library_reason(exc)
    return InputError(
        _(
            "cannot read '{path}' as an .xlsx workbook ({reason}): "
            "give a file saved as Excel 2007-365 (.xlsx) by Excel or LibreOffice"
        ).format(path=path, reason=reason)
    )


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "kyllä" if value else "ei"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    text = str(value).strip()
    return text or None


def convert(column: Column, value: Any) -> Any:
    """The stored value of a cell of `column`; raises InputError saying what is accepted."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        # The common cases first: a workbook holds hundreds of thousands of these cells.
        if column.kind == TEXT:
            return column.check(value) if column.check else value
        if column.kind == ENUM and (column.enumeration, value) in _PARSED:
            return _PARSED[(column.enumeration, value)]
    if value is None:
        return None
    what = column.header
    if column.kind == DATE:
        if isinstance(value, datetime):
            return in_range(value.date())
        if isinstance(value, date):
            return in_range(value)
        if isinstance(value, str):
            return parse_date(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            # A serial number no date cell can hold (before 1.1.1900, or astronomically far).
            shown = value if isinstance(value, int) else f"{value:g}"
            raise InputError(
                _("{shown} is not a date: {IN_RANGE}; type a date such as 1.8.2024").format(
                    shown=shown, IN_RANGE=IN_RANGE
                )
            )
        raise InputError(
            _("{shown} is not a date: type a date such as 1.8.2024").format(shown=_text(value))
        )
    if column.kind == DECIMAL:
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            raise InputError(
                _("'{shown}' is not a number: give a number such as 1,5").format(shown=_text(value))
            )
        raw = repr(value) if isinstance(value, float) else value
        maximum = Decimal(column.maximum) if column.maximum else None
        return parse_decimal(
            raw, what="number", minimum=Decimal(0), maximum=maximum, places=column.places
        )
    if column.kind == ID:
        return _record_id(value)
    if column.kind == INTEGER:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.isdigit():
            return int(value)
        raise InputError(
            _("'{shown}' is not a whole number: give e.g. 1990").format(shown=_text(value))
        )
    if column.kind == YES_NO:
        if isinstance(value, bool):
            return value
        return parse_yes_no(_text(value), what=what)
    if column.kind == ENUM:
        text = _text(value)
        known = _PARSED.get((column.enumeration, text))
        if known is None:
            try:
                known = vocabulary.parse(column.enumeration, text)
            except InputError:
                labels = ", ".join(column.choices())
                values = "|".join(vocabulary.values(column.enumeration))
                raise InputError(
                    _("unknown {enumeration} '{text}': choose {labels} (or {values})").format(
                        enumeration=pgettext("enumeration", str(column.enumeration)),
                        text=text,
                        labels=labels,
                        values=values,
                    )
                ) from None
            _PARSED[(column.enumeration, text)] = known
        return known
    return _text(value)


def _record_id(value: Any) -> int:
    """A Tunniste cell: the positive whole number veto wrote there."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    raise InputError(
        _(
            "'{shown}' is not a record id: leave the hidden Tunniste column as veto wrote "
            "it, or clear the cell to import the row as a new record"
        ).format(shown=_text(value))
    )


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _VALUE, _FORMULA, _TEXT = (f"{_MAIN}{tag}" for tag in ("row", "v", "f", "t"))
_DAY_ZERO = date(1899, 12, 30).toordinal()


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _cells(
    book, ws, budget: CellBudget | None = None
) -> Iterator[tuple[int, list[tuple[int, Any, str]]]]:
    """(row number, cells) for every stored row: each cell (column, value, data type), the
    type 'f' for a formula (never evaluated) and 'e' for an error value such as #N/A. The
    cells and their text are checked against `budget` (MAX_CELLS, MAX_TEXT_CHARS).

    A lean reading of the sheet's XML: openpyxl's own parser spends most of an import on
    objects and checks this needs none of, so the rows are read here with the C parser of
    xml.etree, using the shared strings, date styles and epoch openpyxl found in the file."""
    from openpyxl.utils import column_index_from_string
    from openpyxl.utils.datetime import from_excel

    budget = budget or CellBudget(Path(ws.title))
    strings = ws._shared_strings
    date_styles = book._date_formats
    epoch = book.epoch
    fast_dates = epoch == datetime(1899, 12, 30)  # the 1900 date system, not the Mac's 1904
    columns: dict[str, int] = {}
    with ws._get_source() as source:
        number = 0
        for _, element in xml_events(source):
            if element.tag != _ROW:
                continue
            number = int(element.get("r") or number + 1)
            cells = []
            position = 0
            for cell in element:
                ref = cell.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    position = columns.get(letters) or columns.setdefault(
                        letters, column_index_from_string(letters)
                    )
                else:
                    position += 1
                kind = cell.get("t", "n")
                formula = cell.find(_FORMULA)
                raw = cell.findtext(_VALUE)
                if formula is not None:
                    value, kind = f"={formula.text or ''}", "f"
                elif kind == "inlineStr":
                    value, kind = "".join(t.text or "" for t in cell.iter(_TEXT)), "s"
                elif raw is None:
                    continue
                elif kind == "s":
                    value = strings[int(raw)]
                elif kind == "n":
                    value = _number(raw)
                    if int(cell.get("s", 0)) in date_styles:
                        try:
                            if fast_dates and isinstance(value, int) and value > 60:
                                value = date.fromordinal(_DAY_ZERO + value)
                            else:
                                value = from_excel(value, epoch)
                            kind = "d"
                        except (OverflowError, ValueError):
                            pass  # no date at all: stays the number, which convert refuses
                elif kind == "b":
                    value = raw not in ("0", "false")
                elif kind == "d":
                    value = datetime.fromisoformat(raw)
                else:  # "str" (a cached formula result without the formula), "e"
                    value = raw
                if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                    budget.text(ws.title, number, position, value)
                cells.append((position, value, kind))
            element.clear()
            budget.spend(len(cells))
            yield number, cells


def _match_sheets(book, path: Path, lost: bool = False) -> list[tuple[Sheet, Any]]:
    found: dict[str, tuple[Sheet, Any]] = {}
    for ws in book.worksheets:
        key = vocabulary.fold(ws.title)
        for sheet in SHEETS:
            if key in sheet.names:
                if sheet.key in found:
                    raise InputError(
                        _(
                            "{file} has two sheets for {sheet}: '{one}' and '{other}'; keep one"
                        ).format(
                            file=path.name,
                            sheet=sheet.title,
                            one=found[sheet.key][1].title,
                            other=ws.title,
                        )
                    )
                found[sheet.key] = (sheet, ws)
    if not found and not lost:
        expected = ", ".join(s.title for s in SHEETS)
        raise InputError(
            _(
                "{file} has none of the tracking workbook's sheets ({expected}): "
                "export one with veto export xlsx --out FILE"
            ).format(file=path.name, expected=expected)
        )
    return [found[s.key] for s in SHEETS if s.key in found]


def _header(
    sheet: Sheet, title: str, number: int, cells: list[dict], problems
) -> dict[int, Column]:
    by_name = {name: c for c in sheet.columns for name in c.names}
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for position, value, _kind in cells:
        text = _text(value) if value is not None else None
        if text is None:
            continue
        column = by_name.get(vocabulary.fold(text).replace("-", " "))
        if column is None:
            continue  # a column of the coach's own: ignored
        if column.key in seen:
            letter = get_column_letter(position)
            problems.append(
                Problem(
                    title,
                    number,
                    column.header,
                    _("the column is there twice ({one} and {other}); keep one").format(
                        one=get_column_letter(seen[column.key]), other=letter
                    ),
                )
            )
            continue
        seen[column.key] = position
        mapping[position] = column
    present = {c.key for c in mapping.values()}
    for column in sheet.columns:
        if column.required and column.key not in present:
            problems.append(
                Problem(title, number, column.header, _("the column is missing; add it back"))
            )
    return mapping


def read_workbook(
    path: Path, *, progress: Progress | None = None
) -> tuple[list[SheetData], list, str | None]:
    """Every data sheet of the workbook at `path` with its records, every problem found in
    its cells, and the mark of the store it was exported from (None: not veto's export).
    Raises InputError (one line) for a file that is not a readable workbook."""
    from openpyxl.utils.exceptions import InvalidFileException

    path = Path(path)
    if not path.is_file():
        raise InputError(_("cannot read '{path}': no such file").format(path=path))
    # Opened as a stream, so what the file holds decides, not how its name ends.
    handle = path.open("rb")
    try:
        with zipfile.ZipFile(handle) as archive:
            check_archive(path, archive)
        handle.seek(0)
        book, lost = load_xlsx(handle)
    except (InvalidFileException, *_UNREADABLE) as exc:
        handle.close()
        raise _unreadable(path, exc) from None
    except InputError:
        handle.close()
        raise
    budget = CellBudget(path)
    try:
        problems: list[Problem] = _lost_sheets(lost)
        sheets = _match_sheets(book, path, bool(problems))
        mark = _store_mark(book)
        total = sum(ws.max_row or 0 for _, ws in sheets) if progress else 0
        with quiet_library():
            result = _read_sheets(book, sheets, budget, problems, progress, total)
    except (InvalidFileException, *_UNREADABLE) as exc:
        raise _unreadable(path, exc) from None
    finally:
        book.close()
        handle.close()
    return result, problems, mark


def _store_mark(book) -> str | None:
    from veto.workbook.matching import STORE_PROPERTY

    for prop in getattr(book, "custom_doc_props", None) or ():
        if prop.name == STORE_PROPERTY and isinstance(prop.value, str):
            return prop.value
    return None


def _lost_sheets(lost: list[tuple[str, str]]) -> list[Problem]:
    """A tracking sheet the workbook lists but veto cannot read: a problem, never a skip."""
    accepted = ", ".join(s.title for s in SHEETS)
    problems = []
    for title, why in lost:
        if any(vocabulary.fold(title) in s.names for s in SHEETS):
            fix = (
                _("rename or delete it and keep the rows on a sheet of that name")
                if why == _(CHART_SHEET)
                else _("save the workbook again from Excel or LibreOffice, or delete the sheet")
            )
            message = _("the workbook lists this sheet but {why}; {fix} (sheets read: {sheets})")
            message = message.format(why=why, fix=fix, sheets=accepted)
            problems.append(Problem(title, 0, "", message))
    return problems


def _read_sheets(book, sheets, budget, problems, progress, total) -> list[SheetData]:
    """The records of the matched sheets; each cell's problem goes into `problems`."""
    done = 0
    result: list[SheetData] = []
    for sheet, ws in sheets:
        data = None
        mapping: dict[int, Column] = {}
        for number, cells in _cells(book, ws, budget):
            done += 1
            if progress and done % 1000 == 0:
                progress(done, total, _("Reading the workbook"))
            if data is None:
                if any(_text(value) for _, value, _ in cells if value is not None):
                    data = SheetData(sheet, ws.title, number)
                    mapping = _header(sheet, ws.title, number, cells, problems)
                    data.columns = {c.key for c in mapping.values()}
                    data.positions = {c.key: p for p, c in mapping.items()}
                    result.append(data)
                continue
            record = _record(ws.title, number, cells, mapping, problems)
            if record is not None:
                data.records.append(record)
    if progress:
        progress(total, total, _("Reading the workbook"))
    return result


def _record(
    title: str, number: int, cells: list[dict], mapping: dict[int, Column], problems: list
) -> Record | None:
    values: dict[str, Any] = {}
    failed: set[str] = set()
    filled = False
    for position, raw, kind in cells:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        filled = True
        column = mapping.get(position)
        if kind in ("f", "e"):
            # Where the problem is, named only here: a sheet may hold a million cells of
            # columns veto does not read, and naming each cost more than reading it.
            where = (
                column.header
                if column
                else _("column {letter}").format(letter=get_column_letter(position))
            )
            if column is not None:
                failed.add(column.key)
            if kind == "f":
                problem = _("a formula ({formula}) is not accepted: type the value").format(
                    formula=raw
                )
            else:
                problem = _("an error value {value}: type the value").format(value=raw)
            problems.append(Problem(title, number, where, problem))
            continue
        if column is None:
            continue
        try:
            values[column.key] = convert(column, raw)
        except InputError as exc:
            failed.add(column.key)
            problems.append(Problem(title, number, column.header, str(exc)))
    if not filled:
        return None
    return Record(number, values, failed)

"""One renderer for every listing and report: table (rich), JSON or CSV.

Commands hand over rows (a list of dicts) or one object (a dict); nothing else prints data.
JSON and CSV carry ISO dates and plain numbers; the table shows Finnish dates and decimal commas.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

from veto.errors import InputError
from veto.i18n import _

FORMATS = ("table", "json", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What a terminal acts on instead of showing: C0 and C1 controls (ESC starts a sequence that can
# move the cursor or erase lines), DEL, the bidi overrides, embeddings, isolates and marks that
# reorder what is shown, and the line and paragraph separators.
_INVISIBLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029"
                        "\u202a-\u202e\u2066-\u2069]")  # fmt: skip
_INVISIBLE_LINE = re.compile(_INVISIBLE.pattern[:-1] + "\n]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, lines: bool = True) -> str:
    """`text` as a terminal may show it: every control character and bidi override written out
    as an escape (`\\x1b`, `\\u202e`), so stored text cannot move the cursor, erase a line or
    reverse what follows. Line breaks are kept when `lines` (a cell's own lines), else escaped."""
    pattern = _INVISIBLE if lines else _INVISIBLE_LINE
    return pattern.sub(_escape, text) if pattern.search(text) else text


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    value = (fmt or "table").strip().lower()
    if value not in allowed:
        raise InputError(
            _("unknown format '{fmt}': use one of {choices}").format(
                fmt=fmt, choices="|".join(allowed)
            )
        )
    return value


def json_value(value: Any) -> Any:
    """ISO dates, numbers as numbers (Decimal without a float's noise)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    return json.dumps(data, default=json_value, ensure_ascii=False, indent=2)


def safe_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if value.__class__ is str:  # most cells: the cheapest test first
        return "'" + value if value.startswith(_FORMULA_START) else value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, Decimal)):
        return json_value(value)
    if isinstance(value, (list, dict)):
        return safe_cell(json.dumps(value, default=json_value, ensure_ascii=False))
    return safe_cell(value)


def write_csv(
    rows: Iterable[Mapping[str, Any]], out: TextIO, columns: Sequence[str] | None = None
) -> None:
    rows = list(rows)
    columns = list(columns or (rows[0].keys() if rows else []))
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a field with a line break only when the break is in its line
    # terminator; a bare CR would split the row for readers, so such rows are quoted whole.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for row in rows:
        cells = [_csv_value(row.get(c)) for c in columns]
        has_cr = any("\r" in v for v in cells if v.__class__ is str)
        (quoted if has_cr else writer).writerow(cells)


def _table_value(value: Any) -> str:
    from veto.outputs.finnish import fi_date, fi_number

    if value is None:
        return ""
    if isinstance(value, bool):
        from veto.i18n import _

        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return f"{fi_date(value.date())} {value:%H:%M}"
    if isinstance(value, date):
        return fi_date(value)
    if isinstance(value, (Decimal, float)):
        return fi_number(value)
    return visible(str(value))


def _headers(columns: Sequence[str]) -> list[str]:
    """What a table's header row says for each column (in the current language)."""
    from veto.outputs.labels import header

    return [header(str(column)) for column in columns]


def _print_table(
    out: TextIO,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    wraps: Sequence[bool] | None = None,
) -> None:
    """The rows as a table fitted to the terminal (veto.outputs.fit); `wraps` says which
    columns may wrap, else the columns of free text."""
    from veto.outputs.fit import free_text, print_table
    from veto.outputs.labels import cell

    if wraps is None:
        wraps = [free_text(row.get(c) for row in rows) for c in columns]
    cells = [[_table_value(cell(c, row.get(c))) for c in columns] for row in rows]
    print_table(out, _headers(columns), cells, wraps=wraps, title=title)


def render_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: str = "table",
    *,
    columns: Sequence[str] | None = None,
    out: TextIO | None = None,
    title: str | None = None,
) -> None:
    """A listing: a table, a JSON array or CSV with a header row."""
    out = out or sys.stdout
    fmt = check_format(fmt)
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        out.write(to_json([{c: row.get(c) for c in columns} for row in rows]) + "\n")
    elif fmt == "csv":
        write_csv(rows, out, columns)
    else:
        if not rows:
            from veto.i18n import _

            print(_("(no rows)"), file=sys.stderr)
            return
        _print_table(out, rows, columns, title=title)


def render_object(obj: Mapping[str, Any], fmt: str = "table", *, out: TextIO | None = None) -> None:
    """One record: field/value pairs, with any nested lists as tables below."""
    out = out or sys.stdout
    fmt = check_format(fmt)
    if fmt == "json":
        out.write(to_json(obj) + "\n")
        return
    scalars = {k: v for k, v in obj.items() if not isinstance(v, (list, dict))}
    nested = {k: v for k, v in obj.items() if isinstance(v, list)}
    if fmt == "csv":
        write_csv([scalars], out)
        return
    from veto.outputs.labels import cell, header

    fields = [{"field": header(k), "value": cell(k, v)} for k, v in scalars.items()]
    _print_table(out, fields, ["field", "value"], wraps=[False, True])
    for name, rows in nested.items():
        if rows:
            _print_table(out, rows, list(rows[0].keys()), title=header(name))

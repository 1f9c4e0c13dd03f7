"""One renderer for the funder reports (`report pilot`, `report esf`, `report fidelity`).

A report is one `Report`: its JSON object as computed, and the same figures laid out for
readers as Finnish tables of `Cell`s that keep each figure unrounded with its unit and the
decimals shown. `write_report` turns it into table, json, csv, md, html or pdf; the figures are
rounded once, here, when they are printed (veto.outputs.numbers).

In a terminal narrower than a table (COLUMNS, else the terminal's width), the table is printed
as one block per row instead, each figure named; `wide=True` prints the full table anyway.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from veto.errors import InputError
from veto.i18n import _
from veto.outputs.fit import terminal_width

FORMATS = ("table", "json", "csv", "md", "html", "pdf")
# Cells longer than this get a line of their own in the block layout.
_SHORT = 24


@dataclass(frozen=True)
class Cell:
    """One cell: a figure (unrounded) with its unit and the decimals shown, or text.

    `mark` replaces a hidden figure (`<5` small, `x` hidden to protect one); `empty` is what an
    absent figure reads as. `high` makes the cell a range low–high."""

    value: Any = None
    places: int | None = None
    unit: str = ""
    mark: str | None = None
    empty: str = ""
    high: Any = None

    @property
    def text(self) -> str:
        from veto.outputs.finnish import fi_number

        if self.mark is not None:
            return self.mark
        if self.value is None:
            return self.empty
        if isinstance(self.value, str):
            return self.value
        if isinstance(self.value, bool):
            return "kyllä" if self.value else "ei"
        places = self.places if self.places is not None else 0
        shown = fi_number(self.value, places)
        if self.high is not None:
            shown = f"{shown}–{fi_number(self.high, places)}"
        return f"{shown} {self.unit}" if self.unit else shown

    @property
    def numeric(self) -> bool:
        return self.mark is not None or (
            self.value is not None and not isinstance(self.value, (str, bool))
        )


def text(value: Any) -> Cell:
    """A text cell ('' for None)."""
    return Cell("" if value is None else str(value))


@dataclass
class Table:
    """A titled table. The first `heading` columns name a row; the columns up to `keys` qualify
    it (in the block layout: the heading starts a block, the qualifiers start its lines)."""

    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    heading: int = 1
    keys: int = 1
    key: str = ""  # names the table for the charts that go after it

    def numeric(self) -> list[bool]:
        """Which columns hold figures (right-aligned)."""
        return [
            i >= self.keys and any(row[i].numeric for row in self.rows)
            for i in range(len(self.columns))
        ]

    def texts(self) -> list[list[str]]:
        return [[cell.text for cell in row] for row in self.rows]


@dataclass
class Chart:
    """A picture for the document formats: a title and its SVG markup (None: not drawn, the
    title says why), placed after the table whose `key` is `after`, else after the summary."""

    title: str
    svg: str | None
    after: str = ""


@dataclass
class Report:
    """Everything a report prints, whatever the format."""

    title: str
    data: dict[str, Any]  # the JSON object
    tables: list[Table]
    csv_columns: Sequence[str]
    csv_rows: list[dict[str, Any]]
    summary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    notes_title: str = "Huomautukset"
    charts: Callable[[], list[Chart]] | None = None  # drawn only for html and pdf


def check_report_format(
    fmt: str, out: str | None, *, force: bool = False, store: Path | None = None
) -> str:
    """The format asked for; pdf needs a file to go to; a bad --out is refused here, before the
    store is opened (veto.outputs.files)."""
    from veto.outputs.files import check_target
    from veto.outputs.render import check_format

    value = check_format(fmt, FORMATS)
    if value == "pdf" and not out:
        raise InputError(_("a PDF goes to a file: add --out FILE.pdf"))
    if out is not None:
        check_target(out, force=force, store=store)
    return value


def render_report(report: Report, fmt: str, *, width: int | None = None, wide: bool = False):
    """The report as text (table, json, csv, md, html) or PDF bytes."""
    import io

    if fmt == "pdf":
        from veto.documents.render import html_to_pdf

        return html_to_pdf(_html(report))
    if fmt == "html":
        return _html(report)
    buffer = io.StringIO()
    if fmt == "json":
        from veto.outputs.render import to_json

        buffer.write(to_json(report.data) + "\n")
    elif fmt == "csv":
        from veto.outputs.render import write_csv

        write_csv(report.csv_rows, buffer, report.csv_columns)
    elif fmt == "md":
        buffer.write(_markdown(report))
    else:
        _terminal(report, buffer, None if wide else width)
    return buffer.getvalue()


def write_report(
    report: Report,
    fmt: str,
    *,
    out: str | None = None,
    force: bool = False,
    store: Path | None = None,
    wide: bool = False,
    stdout: TextIO | None = None,
) -> None:
    """Print the report in `fmt` on stdout, or write it to the file `out` (mode 0600,
    atomically, never over the store: veto.outputs.files)."""
    stdout = stdout or sys.stdout
    width = None if out else terminal_width(stdout)
    document = render_report(report, fmt, width=width, wide=wide)
    if out is None:
        stdout.write(document)
        return
    from veto.outputs.files import write_private

    write_private(out, document, force=force, store=store)


# --- terminal --------------------------------------------------------------------------------


def _terminal(report: Report, out: TextIO, width: int | None) -> None:
    import textwrap

    def fill(line: str, first: str = "", more: str = "") -> str:
        # Off a terminal only the opening paragraph is wrapped (at 100); notes stay whole.
        if width is None:
            return first + line
        return textwrap.fill(line, width=width, initial_indent=first, subsequent_indent=more)

    out.write(f"{report.title}\n\n")
    if report.summary:
        out.write(textwrap.fill(" ".join(report.summary), width=width or 100) + "\n\n")
    for index, table in enumerate(report.tables):
        lines = _rich_lines(table)
        if width is not None and max(map(len, lines), default=0) > width:
            lines = _blocks(table, width)
        out.write("".join(line + "\n" for line in lines))
        if table.note:
            out.write(fill(table.note) + "\n")
        if index < len(report.tables) - 1 or report.notes:
            out.write("\n")
    if report.notes:
        if report.notes_title:
            out.write(f"{report.notes_title}:\n")
        for line in report.notes:
            first = "- " if report.notes_title else ""
            out.write(fill(line, first, "  " if first else "") + "\n")


def _plain_lines(table: Table) -> list[str] | None:
    """`_rich_lines` built without rich where `veto.outputs.fit._plain_lines` can (the same box,
    the figures justified right); None for any other table (rich draws it). A report over two
    centuries has 2 412 rows: rich took ~1 s to draw them."""
    from veto.outputs.fit import _plain_lines as plain_lines

    texts = table.texts()
    lines = plain_lines(table.columns, texts, table.title or None, right=table.numeric())
    return None if lines is None else [line.rstrip() for line in lines]


def _rich_lines(table: Table) -> list[str]:
    """The whole table as rich draws it, never wrapped, without trailing blanks."""
    plain = _plain_lines(table)
    return plain if plain is not None else _drawn_by_rich(table)


def _drawn_by_rich(table: Table) -> list[str]:
    import io

    from rich import box
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table as RichTable

    drawn = RichTable(
        title=table.title or None, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False
    )
    for column, right in zip(table.columns, table.numeric(), strict=True):
        drawn.add_column(column, justify="right" if right else "left")
    for row in table.texts():
        drawn.add_row(*(escape(cell) for cell in row))
    buffer = io.StringIO()
    Console(file=buffer, width=10_000, highlight=False, emoji=False).print(drawn)
    return [line.rstrip() for line in buffer.getvalue().splitlines()]


def _blocks(table: Table, width: int) -> list[str]:
    """One block per row: its heading, then each figure named (`naiset 3 · miehet 2`), long
    texts on lines of their own; wrapped to `width`."""
    # A figure and its name stay on one line (`keep`): the wrap breaks only between figures.
    from veto.outputs.fit import keep, wrap

    lines = wrap(table.title, width, "", "  ") + [""] if table.title else []
    previous = None
    for cells in table.rows:
        row = [cell.text for cell in cells]
        heading = " ".join(cell for cell in row[: table.heading] if cell)
        qualifier = " ".join(cell for cell in row[table.heading : table.keys] if cell)
        if heading and heading != previous:
            previous = heading
            if lines and lines[-1] != "":
                lines.append("")
            lines += wrap(heading, width, "", "  ")
        short, long = [], []
        columns = table.columns[table.keys :]
        for column, figure, cell in zip(
            columns, cells[table.keys :], row[table.keys :], strict=True
        ):
            if not cell:
                continue
            # A figure reads `naiset 3`; a text `määritelmä: inactive` (one with a colon of
            # its own: `IPS-asteikko ≤ 20: täyttyy`).
            if len(cell) > _SHORT:
                long.append(f"{column}: {cell}" if column else cell)
                continue
            joint = " " if figure.numeric or ":" in cell else ": "
            short.append(f"{column}{joint}{cell}" if column else cell)
        first = " · ".join(keep(item) for item in short)
        if qualifier:
            first = f"{qualifier}: {first}" if first else qualifier
        if first:
            lines += wrap(first, width, "  ", "    ")
        for item in long:
            lines += wrap(item, width, "  ", "    ")
    return lines


# --- documents -------------------------------------------------------------------------------


def _markdown_cell(value: str) -> str:
    """A table cell that Markdown shows as typed: no markup, links or table breaks."""
    out = value.replace("\\", "\\\\")
    for ch in "|*_`[]<>#!":
        out = out.replace(ch, "\\" + ch)
    return out


def _markdown(report: Report) -> str:
    from veto.outputs.templates import render_template

    tables = [
        {
            "title": _markdown_cell(t.title),
            "columns": [_markdown_cell(c) for c in t.columns],
            "rows": [[_markdown_cell(cell) for cell in row] for row in t.texts()],
            "note": _markdown_cell(t.note),
        }
        for t in report.tables
    ]
    return render_template(
        "report/report.md",
        title=_markdown_cell(report.title),
        summary=[_markdown_cell(s) for s in report.summary],
        tables=tables,
        notes=[_markdown_cell(n) for n in report.notes],
        notes_title=report.notes_title,
    )


def _html(report: Report) -> str:
    from markupsafe import Markup

    from veto.outputs.templates import render_template

    charts = report.charts() if report.charts else []

    def placed(after: str) -> list[dict[str, Any]]:
        return [
            {"title": c.title, "svg": Markup(c.svg) if c.svg else None}  # drawn by matplotlib
            for c in charts
            if c.after == after
        ]

    keys = {t.key for t in report.tables if t.key}
    tables = [
        {
            "title": t.title,
            "columns": t.columns,
            "numeric": t.numeric(),
            "rows": t.texts(),
            "note": t.note,
            "charts": placed(t.key) if t.key else [],
        }
        for t in report.tables
    ]
    rest = [c for c in charts if c.after not in keys]
    charts = [{"title": c.title, "svg": Markup(c.svg) if c.svg else None} for c in rest]
    return render_template(
        "report/report.html",
        title=report.title,
        summary=report.summary,
        tables=tables,
        charts=charts,
        notes=report.notes,
        notes_title=report.notes_title,
    )

"""Tables that fit the terminal, for every listing and record (veto.outputs.render) and the
reports' block layout (veto.outputs.report).

The width is COLUMNS if set, else the terminal's; off a terminal (a pipe, a file) without
COLUMNS, and with `--wide`, a table is printed whole, one row a line, as it always was. A table
wider than that keeps its short columns (codes, ids, dates, hours, kinds) whole and wraps the
columns of free text (names, notes, titles) to what is left; when even that does not fit, each
row is printed as one block of `header: value` items, wrapped between items. Nothing is cut.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from typing import Any, TextIO

# Between two columns of rich's SIMPLE_HEAD table: padding, divider, padding; a table that
# has to be narrowed drops one padding.
GAP = 3
NARROW_GAP = 2
# A free-text column is not wrapped narrower than this (nor than its header, nor than a word
# of up to LONG_WORD characters), else its rows turn into blocks.
MIN_TEXT = 16
LONG_WORD = 20
# A table whose rows grow taller than this when several columns wrap turns into blocks.
MAX_ROW_LINES = 4
KEEP = "\x00"  # a space the wrap never breaks at
# Between two items of a block; a line that breaks there ends with the dot.
SEPARATOR = KEEP + "· "

_wide: ContextVar[bool] = ContextVar("veto_wide_tables", default=False)


def set_wide(value: bool) -> None:
    """`--wide` of the running command: print tables whole whatever the terminal's width."""
    _wide.set(bool(value))


def terminal_width(out: TextIO) -> int | None:
    """The width to fit: COLUMNS if set, else the terminal's; None off a terminal (scripts and
    pipes get whole tables)."""
    if columns := os.environ.get("COLUMNS", "").strip():
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
    if out.isatty():
        import shutil

        return shutil.get_terminal_size().columns
    return None


def table_width(out: TextIO) -> int | None:
    """The width a table on `out` must fit, None for the whole table (`--wide`, or no
    terminal and no COLUMNS)."""
    return None if _wide.get() else terminal_width(out)


def free_text(values: Iterable[Any]) -> bool:
    """Whether a column holds free text that may wrap: some value is text longer than
    LONG_WORD, or words (letters and a space or line break: a name, a note). Codes, kinds,
    phone numbers, numbers, dates and times never wrap."""
    return any(isinstance(v, str) and _is_free_text(v) for v in values)


def _is_free_text(text: str) -> bool:
    if len(text) > LONG_WORD:
        return True
    return any(c.isspace() for c in text) and any(c.isalpha() for c in text)


def _cell_len(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _longest_line(text: str) -> int:
    return max((_cell_len(line) for line in text.splitlines()), default=0)


# Where a long word may break when it must: after the hyphen of a compound (Äijälä-|Kärkkäinen).
_HYPHEN = re.compile(r"(?<=\w-)(?=\w)")


def _longest_word(texts: Iterable[str]) -> int:
    return max(
        (_cell_len(piece) for t in texts for word in t.split() for piece in _HYPHEN.split(word)),
        default=0,
    )


def column_widths(
    headers: Sequence[str], cells: Sequence[Sequence[str]], wraps: Sequence[bool], width: int
) -> tuple[list[int], int] | None:
    """Each column's width and the gap between columns so that the table fits `width`: every
    column as wide as its widest cell if that fits; else with the narrow gap, the free-text
    columns (`wraps`) narrowed, the widest first, never below their least width (MIN_TEXT, the
    header, a word); then a column that lacks only a little is made whole again. None when
    that cannot fit."""
    columns = list(zip(*cells, strict=True)) if cells else [() for _ in headers]
    natural = [
        max([_cell_len(h), *map(_longest_line, column)])
        for h, column in zip(headers, columns, strict=True)
    ]
    if sum(natural) + GAP * (len(headers) - 1) <= width:
        return natural, GAP
    gaps = NARROW_GAP * (len(headers) - 1)
    least = [
        min(n, max(MIN_TEXT, _cell_len(h), min(_longest_word(column), LONG_WORD))) if w else n
        for n, h, column, w in zip(natural, headers, columns, wraps, strict=True)
    ]
    if sum(least) + gaps > width:
        return None
    widths = list(natural)
    for _ in range(sum(natural) + gaps - width):
        widest = max(
            (i for i, w in enumerate(widths) if w > least[i]), key=lambda i: (widths[i], -i)
        )
        widths[widest] -= 1
    # A column a few cells short of whole (up to a quarter) takes them from the widest column
    # that wraps anyway, if that stays above its least width.
    for i in sorted(range(len(widths)), key=lambda i: (natural[i] - widths[i], i)):
        lack = natural[i] - widths[i]
        if not 0 < lack <= max(2, widths[i] // 4):
            continue
        donors = [j for j in range(len(widths)) if j != i and widths[j] < natural[j]]
        donor = max(donors, key=lambda j: (widths[j] - least[j], -j), default=None)
        if donor is not None and widths[donor] - lack >= least[donor]:
            widths[donor] -= lack
            widths[i] = natural[i]
    return widths, NARROW_GAP


def wrap(
    text: str, width: int, indent: str = "", more: str = "", *, hyphens: bool = False
) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces (never at a KEEP), with
    `hyphens` also after a compound's hyphen; the first line starts with `indent`, the others
    with `more`; a word longer than a line is split."""
    lines: list[str] = []
    line = indent
    empty = True  # nothing but the indent on `line` yet
    for word in filter(None, text.split(" ")):
        pieces = _HYPHEN.split(word.replace(KEEP, " ")) if hyphens else [word.replace(KEEP, " ")]
        for n, piece in enumerate(pieces):
            joined = line + ("" if empty or n else " ") + piece
            if _cell_len(joined) <= width:
                line, empty = joined, False
                continue
            if not empty:
                lines.append(line)
                line, empty = more, True
            while _cell_len(line + piece) > width and len(piece) > 1:  # longer than a line
                cut = len(piece)
                while cut > 1 and _cell_len(line + piece[:cut]) > width:
                    cut -= 1
                lines.append(line + piece[:cut])
                line, piece = more, piece[cut:]
            line, empty = line + piece, False
    if not empty:
        lines.append(line)
    return lines


def keep(item: str) -> str:
    """`item` as one unbreakable piece for `wrap` (a name and its value stay together)."""
    return item.replace(" ", KEEP)


def blocks(
    headers: Sequence[str], cells: Sequence[Sequence[str]], width: int, title: str | None = None
) -> list[str]:
    """One block per row, its items `header: value` in column order (empty cells left out),
    wrapped between items, the block's later lines indented; an item too long for a line, or
    of several lines (a note), on lines of its own, wrapped between words."""
    lines = wrap(title, width, "", "  ") if title else []
    for row in cells:
        lines += _block([f"{h}: {c}" for h, c in zip(headers, row, strict=True) if c], width)
    return lines


def _block(items: Sequence[str], width: int) -> list[str]:
    block: list[str] = []
    flow: list[str] = []  # short items not yet laid out
    for item in [*items, None]:  # None: the end, lay out what is left
        if item is not None and "\n" not in item and _cell_len(item) <= width - 2:
            flow.append(item)
            continue
        lead = "  " if block else ""  # a block's first line starts at the margin
        if flow:
            block += wrap(SEPARATOR.join(map(keep, flow)), width, lead, "  ")
            flow = []
            lead = "  "
        if item is not None:
            first, *rest = item.splitlines()
            more = lead + "  "
            block += wrap(first, width, lead, more)
            for line in rest:
                block += wrap(line, width, more, more) or [more]
    return block


def print_table(
    out: TextIO,
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    *,
    wraps: Sequence[bool],
    title: str | None = None,
) -> None:
    """Print a table of text cells (already as shown) on `out`, fitted to its width."""
    width = table_width(out)
    if width is None:
        _print(out, headers, cells, title)
        return
    fitted = column_widths(headers, cells, wraps, width)
    narrowed: list[list[str]] = []
    if fitted is not None:
        narrowed = [
            [
                _fold(cell, w) if _longest_line(cell) > w else cell
                for cell, w in zip(row, fitted[0], strict=True)
            ]
            for row in cells
        ]
    if fitted is None or _squeezed(cells, narrowed):
        out.write("".join(line.rstrip() + "\n" for line in blocks(headers, cells, width, title)))
        return
    widths, gap = fitted
    _print(out, headers, narrowed, title, widths, gap)


def _squeezed(cells: Sequence[Sequence[str]], narrowed: Sequence[Sequence[str]]) -> bool:
    """Whether several columns had to wrap and that made a row taller than MAX_ROW_LINES: such a
    table reads better as blocks (one wrapping column, a note, may take the lines it needs)."""
    wrapped = {
        i
        for row, folded in zip(cells, narrowed, strict=True)
        for i, (cell, fold) in enumerate(zip(row, folded, strict=True))
        if fold != cell
    }
    tallest = max((fold.count("\n") + 1 for row in narrowed for fold in row), default=1)
    return len(wrapped) > 1 and tallest > MAX_ROW_LINES


def _fold(cell: str, width: int) -> str:
    """A cell's text in lines of at most `width` (its own line breaks kept)."""
    return "\n".join(
        folded for line in cell.splitlines() for folded in wrap(line, width, hyphens=True) or [""]
    )


def _print(out: TextIO, headers, cells, title, widths=None, gap=GAP) -> None:
    """The table as `_rich_table` lays it out: off a terminal as the plain lines of
    `_plain_lines` when it can build them, else (and on a terminal, for the styles) by rich."""
    if not out.isatty():
        lines = _plain_lines(headers, cells, title, widths, gap)
        if lines is not None:
            out.write("".join(line.rstrip() + "\n" for line in lines))
            return
    width = None if widths is None else sum(widths) + gap * (len(widths) - 1)
    _print_rich(out, _rich_table(headers, cells, title, widths, gap), width)


def _plain_lines(
    headers: Sequence[str],
    cells: Sequence[Sequence[str]],
    title: str | None,
    widths: Sequence[int] | None = None,
    gap: int = GAP,
    right: Sequence[bool] | None = None,
) -> list[str] | None:
    """The lines rich prints for `_rich_table(headers, cells, title, widths, gap)` off a
    terminal, built directly (rich lays a table out in about 3 ms, most of a `client show`);
    None for what only rich lays out the same way: markup characters, control characters, a
    title wider than the table, a cell wider than its column. `right` names the columns rich
    justifies right (a report's figures: `veto.outputs.report`)."""
    from rich.cells import cell_len

    texts = [*headers, *(c for row in cells for c in row)]
    if title is not None:
        texts.append(title)
    if not headers or any(not _plain_text(t) for t in texts):
        return None
    cell_lines = [[c.split("\n") for c in row] for row in [list(headers), *cells]]
    count = len(headers)
    if right and any(
        line != line.strip()
        for row in cell_lines
        for i in range(count)
        if right[i]
        for line in row[i]
    ):
        return None  # rich trims the blanks at the ends of a text it justifies right
    lead = [0, *[1 if gap == GAP else 0] * (count - 1)]  # no padding at the table's edges
    trail = [*[1] * (count - 1), 0]
    widths_given = widths
    if widths is None:
        widths = [
            max(cell_len(line) for row in cell_lines for line in row[i]) for i in range(count)
        ]
    if any(w + lead[i] + trail[i] == 0 for i, w in enumerate(widths)):
        return None  # rich makes such a column one wide
    if widths_given is None and 0 in widths:
        return None  # a column of nothing but empty cells: rich gives it a width of its own
    if any(
        cell_len(line) > widths[i] for row in cell_lines for i in range(count) for line in row[i]
    ):
        return None
    total = sum(widths) + sum(lead) + sum(trail) + count - 1
    if total > 10_000:  # wider than the console `_print_rich` gives rich: rich narrows it
        return None
    lines: list[str] = []
    if title:
        if cell_len(title) > total or title != title.strip() or "\n" in title:
            return None
        lines.append(" " * ((total - cell_len(title)) // 2) + title)
    for n, row in enumerate(cell_lines):
        height = max(len(c) for c in row)
        if n == 0:  # rich aligns the header row at its bottom, the others at their top
            row = [[""] * (height - len(c)) + c for c in row]
        for k in range(height):
            parts = []
            for i, c in enumerate(row):
                text = c[k] if k < len(c) else ""
                blank = " " * (widths[i] - cell_len(text))
                laid = blank + text if right and right[i] else text + blank
                parts.append(" " * lead[i] + laid + " " * trail[i])
            lines.append(" ".join(parts))
        if n == 0:
            lines.append("─" * total)
    return lines


def _plain_text(text: str) -> bool:
    """Text rich shows as it is: no markup ([ and backslash), no control character but a line
    break, and that not at the end, no character of no width (a combining accent)."""
    if "[" in text or "\\" in text or text.endswith("\n"):
        return False
    if not text.replace("\n", "").isprintable():
        return False
    return text.isascii() or all(_cell_len(c) for c in text if c != "\n")


def _rich_table(headers, cells, title, widths=None, gap=GAP):
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    padding = (0, 1) if gap == GAP else (0, 1, 0, 0)
    table = Table(
        title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=padding
    )
    for index, header in enumerate(headers):
        if widths is None:
            table.add_column(escape(header))
        else:  # exactly this wide, already folded: rich narrows and wraps nothing on its own
            table.add_column(escape(header), width=widths[index], no_wrap=True, overflow="fold")
    for row in cells:
        table.add_row(*map(escape, row))
    return table


def _print_rich(out: TextIO, table, width: int | None) -> None:
    """A terminal gets rich's styles; anything else plain lines without trailing blanks."""
    import io

    from rich.console import Console

    if out.isatty():
        Console(file=out, width=width or 10_000, highlight=False, emoji=False).print(table)
        return
    buffer = io.StringIO()
    Console(file=buffer, width=width or 10_000, highlight=False, emoji=False).print(table)
    out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))

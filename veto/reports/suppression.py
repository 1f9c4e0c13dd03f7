"""Small-cell suppression for result tables shared outside the project.

A count from 1 to `below - 1` is hidden (primary suppression). Then more cells are hidden
(secondary suppression) until no hidden count can be worked out from what is still shown:

- every margin (`parts` adding up to `total`) with a hidden cell has at least two hidden cells;
- where a margin's total is shown, no hidden part can be narrowed to one value by what a reader
  knows of it: a small count is 1…below-1, any other hidden count is 0 or at least `below`
  (two hidden small counts adding to 2 must both be 1, so a third cell is hidden);
- no hidden cell is determined by any linear combination of the margins (exact rank test).

Shown cells and their margins are the reader's whole knowledge here; bounds combined across
several margins at once (beyond the exact rank test) are not searched.

Zero counts are shown: "nobody" is not a disclosure about a person. Cells are addressed by
paths (tuples of keys into the report object); `apply` writes `None` into the report for every
hidden path and for the values that depend on it (e.g. the mean of a hidden group).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

Path = tuple[str, ...]


@dataclass(frozen=True)
class Margin:
    """`parts` add up to `total`: a row or column of a table and its sum."""

    total: Path
    parts: tuple[Path, ...]

    def cells(self) -> tuple[Path, ...]:
        return (*self.parts, self.total)


@dataclass
class Suppression:
    """The outcome: the counts with hidden ones as `None`, and the hidden paths in order."""

    values: dict[Path, int | None]
    hidden: list[Path] = field(default_factory=list)
    primary: int = 0  # the first `primary` hidden paths are the small counts themselves

    @property
    def paths(self) -> list[str]:
        return [path_text(p) for p in self.hidden]


def path_text(path: Path) -> str:
    """('clients', 'by_gender', 'female') -> 'clients.by_gender.female'."""
    return ".".join(str(p) for p in path)


def suppress(
    counts: Mapping[Path, int],
    margins: Sequence[Margin] = (),
    *,
    below: int,
    locked: Collection[Path] = (),
) -> Suppression:
    """Hide counts 1…below-1 and enough others that none of them can be recovered.

    `counts` holds every published count, and may hold `locked` cells: figures a reader can
    work out although they are not shown (e.g. "field not recorded"), which are never hidden
    but are used as known in the margins. Margins may name only cells in `counts`.
    """
    for margin in margins:
        for cell in margin.cells():
            if cell not in counts:
                raise KeyError(f"margin names an unknown cell {path_text(cell)}")
    if below <= 1:
        return Suppression(dict(counts), [])
    locked = set(locked)
    hidden: list[Path] = [p for p, v in counts.items() if 0 < v < below and p not in locked]
    seen = set(hidden)

    def hide(cell: Path) -> None:
        seen.add(cell)
        hidden.append(cell)

    primary = set(hidden)
    while True:
        extra = _next_secondary(counts, margins, seen, primary, locked, below)
        if extra is None:
            break
        hide(extra)
    values = {p: (None if p in seen else v) for p, v in counts.items() if p not in locked}
    return Suppression(values, hidden, len(primary))


def _candidates(margin: Margin, counts, seen, locked) -> list[Path]:
    """Cells of the margin that may still be hidden: small non-zero parts first, then the
    total, then zero parts (hiding a zero protects nothing by itself)."""
    shown = [c for c in margin.parts if c not in seen and c not in locked]
    nonzero = sorted((c for c in shown if counts[c] > 0), key=lambda c: counts[c])
    zeros = [c for c in shown if counts[c] == 0]
    total = [margin.total] if margin.total not in seen and margin.total not in locked else []
    return nonzero + total + zeros


def _next_secondary(counts, margins, seen, primary, locked, below) -> Path | None:
    for margin in margins:
        hidden_cells = [c for c in margin.cells() if c in seen]
        if not hidden_cells:
            continue
        weak = len(hidden_cells) == 1
        if not weak and margin.total not in seen:
            weak = _pinned(margin, counts, seen, primary, below)
        if weak:
            options = _candidates(margin, counts, seen, locked)
            if options:
                return options[0]
    for cell in _determined(counts, margins, seen):
        for margin in margins:
            if cell in margin.cells():
                options = _candidates(margin, counts, seen, locked)
                if options:
                    return options[0]
    return None


Interval = tuple[int, int | None]  # inclusive; None: no upper end


def _domain(cell: Path, primary: set[Path], below: int) -> list[Interval]:
    """What a reader knows of a hidden cell: a small count (1…below-1), or, hidden to protect
    another, zero or at least `below` (assume the reader can tell the two kinds apart)."""
    return [(1, below - 1)] if cell in primary else [(0, 0), (below, None)]


def _clip(intervals: list[Interval], limit: int) -> list[Interval]:
    out = []
    for lo, hi in intervals:
        hi = limit if hi is None else min(hi, limit)
        if lo <= hi:
            out.append((lo, hi))
    return out


def _add(a: list[Interval], b: list[Interval], limit: int) -> list[Interval]:
    sums = sorted((x + y, x2 + y2) for x, x2 in a for y, y2 in b)
    merged: list[list[int]] = []
    for lo, hi in sums:
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return _clip([(lo, hi) for lo, hi in merged], limit)


def _pinned(margin: Margin, counts, seen, primary, below) -> bool:
    """With the total shown, can a reader narrow a hidden part down to one value, knowing the
    hidden parts add up to the total minus the shown ones?"""
    hidden = [c for c in margin.parts if c in seen]
    rest = counts[margin.total] - sum(counts[c] for c in margin.parts if c not in seen)
    for cell in hidden:
        others: list[Interval] = [(0, 0)]
        for other in hidden:
            if other != cell:
                others = _add(others, _clip(_domain(other, primary, below), rest), rest)
        # values x of the cell with rest - x reachable by the others
        possible = 0
        for lo, hi in _clip(_domain(cell, primary, below), rest):
            for olo, ohi in others:
                low, high = max(lo, rest - ohi), min(hi, rest - olo)
                possible += max(0, high - low + 1)
        if possible < 2:
            return True
    return False


def _determined(counts, margins, seen) -> list[Path]:
    """Hidden cells whose value follows from the margins and the shown cells.

    A hidden cell x_i is determined exactly when the unit vector e_i lies in the row space of
    the margins' coefficients over the hidden cells; in reduced row echelon form that means
    some row equals e_i.
    """
    variables = sorted({c for m in margins for c in m.cells() if c in seen}, key=path_text)
    index = {c: i for i, c in enumerate(variables)}
    rows: list[list[Fraction]] = []
    for margin in margins:
        row = [Fraction(0)] * len(variables)
        for c in margin.parts:
            if c in index:
                row[index[c]] += 1
        if margin.total in index:
            row[index[margin.total]] -= 1
        if any(row):
            rows.append(row)
    reduced = _rref(rows, len(variables))
    found = []
    for row in reduced:
        nonzero = [i for i, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            found.append(variables[nonzero[0]])
    return found


def _rref(rows: list[list[Fraction]], width: int) -> list[list[Fraction]]:
    rows = [r[:] for r in rows]
    pivot_row = 0
    for col in range(width):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
        if pivot_row == len(rows):
            break
    return rows[:pivot_row]


def get_path(obj: Any, path: Path) -> Any:
    for key in path:
        obj = obj[key]
    return obj


def set_path(obj: Any, path: Path, value: Any) -> None:
    for key in path[:-1]:
        obj = obj[key]
    obj[path[-1]] = value


def counts_at(obj: Mapping[str, Any], paths: Iterable[Path]) -> dict[Path, int]:
    """The counts found at `paths` in a report object."""
    return {p: get_path(obj, p) for p in paths}


def apply(
    report: dict[str, Any],
    result: Suppression,
    *,
    dependents: Mapping[Path, Sequence[Path]] | None = None,
) -> dict[str, Any]:
    """Write `None` into the report for every hidden count and the values that depend on it
    (`dependents`: hidden path -> paths to blank with it). Returns the report."""
    dependents = dependents or {}
    for path in result.hidden:
        set_path(report, path, None)
        for other in dependents.get(path, ()):
            set_path(report, other, None)
    return report

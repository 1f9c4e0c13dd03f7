"""Small-cell suppression for result tables shared outside the project.

A count from 1 to `below - 1` is hidden (primary suppression). Then more cells are hidden
(secondary suppression) until no hidden count can be worked out from what is still shown:

- every margin (`parts` adding up to `total`) with a hidden cell has at least two hidden cells;
- no hidden cell can be narrowed to one value by what a reader knows of the hidden cells — a
  small count is 1…below-1, any other hidden count 0 or at least `below` — propagated through
  all the margins (two hidden small counts adding to 2 must both be 1, so a third is hidden);
- no hidden cell is determined by any linear combination of the margins (exact rank test).

Bounds propagation is not a complete search: a reader solving the whole integer system at
once could in rare tables narrow a cell further; the tests check small tables exhaustively.

Zero counts are shown: "nobody" is not a disclosure about a person. Cells are addressed by
paths (tuples of keys into the report object); `apply` writes `None` into the report for every
hidden path and for the values that depend on it (e.g. the mean of a hidden group).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from math import gcd
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
    unpublished: Collection[Path] = (),
) -> Suppression:
    """Hide counts 1…below-1 and enough others that none of them can be recovered.

    `counts` holds every published count, and may hold `unpublished` cells: parts of a margin
    that the report never shows (e.g. clients whose field was not recorded), unknown to a
    reader. They take part in the margins but are neither shown nor returned.
    Margins may name only cells in `counts`.
    """
    for margin in margins:
        for cell in margin.cells():
            if cell not in counts:
                raise KeyError(f"margin names an unknown cell {path_text(cell)}")
    if below <= 1:
        return Suppression({p: v for p, v in counts.items() if p not in unpublished}, [])
    unpublished = set(unpublished)
    hidden: list[Path] = [p for p, v in counts.items() if 0 < v < below and p not in unpublished]
    seen = set(hidden) | unpublished

    def hide(cell: Path) -> None:
        seen.add(cell)
        hidden.append(cell)

    primary = set(hidden)
    while True:
        extra = _next_secondary(counts, margins, seen, primary, unpublished, below)
        if extra is None:
            break
        hide(extra)
    values = {p: (None if p in seen else v) for p, v in counts.items() if p not in unpublished}
    return Suppression(values, hidden, len(primary))


def marks_reveal(
    counts: Mapping[Path, int],
    margins: Sequence[Margin],
    result: Suppression,
    *,
    below: int,
    unpublished: Collection[Path] = (),
) -> bool:
    """Whether telling the small hidden counts (`<N`) from the protecting ones (`x`) would
    itself give a count away: in a group too small to protect (two `<3` adding up to a `<3`
    total are 1 and 1), no further cell can be hidden, so all hidden cells must read alike."""
    unpublished = set(unpublished)
    seen = set(result.hidden) | unpublished
    primary = set(result.hidden[: result.primary])
    return bool(_narrowed(counts, margins, seen, primary, unpublished, below))


def _candidates(margin: Margin, counts, seen) -> list[Path]:
    """Cells of the margin that may still be hidden: small non-zero parts first, then the
    total, then zero parts (hiding a zero protects nothing by itself)."""
    shown = [c for c in margin.parts if c not in seen]
    nonzero = sorted((c for c in shown if counts[c] > 0), key=lambda c: counts[c])
    zeros = [c for c in shown if counts[c] == 0]
    total = [margin.total] if margin.total not in seen else []
    return nonzero + total + zeros


def _next_secondary(counts, margins, seen, primary, unpublished, below) -> Path | None:
    for margin in margins:
        if sum(1 for c in margin.cells() if c in seen) == 1:
            options = _candidates(margin, counts, seen)
            if options:
                return options[0]
    pinned = _narrowed(counts, margins, seen, primary, unpublished, below)
    for cell in pinned + _determined(counts, margins, seen):
        # Widen the margins the cell is in, those with a shown total first.
        for margin in sorted(margins, key=lambda m: m.total in seen):
            if cell in margin.cells():
                options = _candidates(margin, counts, seen)
                if options:
                    return options[0]
    return None


Interval = tuple[int, int]  # inclusive
Values = list[Interval]  # a union of disjoint intervals, in order


def _domain(cell: Path, primary, unpublished, below: int, cap: int) -> Values:
    """What a reader knows of a hidden cell: a small count is 1…below-1; a count hidden to
    protect another is 0 or at least `below` (assume the reader can tell the two apart); of
    an unpublished one, only that it is not negative."""
    if cell in unpublished:
        return [(0, cap)]
    if cell in primary:
        return [(1, min(below - 1, cap))]
    return _merge([(0, 0), (below, cap)], cap)


def _merge(intervals, cap: int) -> Values:
    merged: list[list[int]] = []
    for lo, hi in sorted((max(lo, 0), min(hi, cap)) for lo, hi in intervals):
        if lo > hi:
            continue
        if merged and lo <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(lo, hi) for lo, hi in merged]


def _one(lo: int, hi: int, cap: int) -> Values:
    """`_merge` of one interval."""
    lo, hi = max(lo, 0), min(hi, cap)
    return [(lo, hi)] if lo <= hi else []


# Most sets are one interval (a shown count, a sum of them): those skip `_merge`'s sort.
def _plus(a: Values, b: Values, cap: int) -> Values:
    if len(a) == 1 and len(b) == 1:
        return _one(a[0][0] + b[0][0], a[0][1] + b[0][1], cap)
    return _merge([(x + y, x2 + y2) for x, x2 in a for y, y2 in b], cap)


def _minus(a: Values, b: Values, cap: int) -> Values:
    if len(a) == 1 and len(b) == 1:
        return _one(a[0][0] - b[0][1], a[0][1] - b[0][0], cap)
    return _merge([(x - y2, x2 - y) for x, x2 in a for y, y2 in b], cap)


def _meet(a: Values, b: Values, cap: int) -> Values:
    if len(a) == 1 and len(b) == 1:
        return _one(max(a[0][0], b[0][0]), min(a[0][1], b[0][1]), cap)
    return _merge([(max(x, y), min(x2, y2)) for x, x2 in a for y, y2 in b], cap)


def _narrowed(counts, margins, seen, primary, unpublished, below) -> list[Path]:
    """Hidden cells a reader can narrow down to one value by combining the margins with what
    is known of each hidden cell (bounds propagated to a fixed point)."""
    cap = sum(counts.values())
    values: dict[Path, Values] = {}
    for margin in margins:
        for cell in margin.cells():
            if cell in seen:
                values[cell] = _domain(cell, primary, unpublished, below, cap)
            else:
                values[cell] = [(counts[cell], counts[cell])]
    changed = True
    while changed:
        changed = False
        for margin in margins:
            parts = margin.parts
            zero: Values = [(0, 0)]
            if len({id(p) for p in parts}) != len(parts):  # a part named twice: one by one
                for part in parts:
                    others = zero
                    for other in parts:
                        if other is not part:
                            others = _plus(others, values[other], cap)
                    narrowed = _meet(values[part], _minus(values[margin.total], others, cap), cap)
                    if narrowed != values[part]:
                        values[part], changed = narrowed, True
                whole = zero
                for part in parts:
                    whole = _plus(whole, values[part], cap)
            else:
                # The sum of the other parts as the parts before (as narrowed so far in this
                # pass) plus the parts after: every set here lies in 0…cap, where the capped
                # sums add up in any order to the same set.
                after = [zero] * (len(parts) + 1)
                for i in range(len(parts) - 1, -1, -1):
                    after[i] = _plus(after[i + 1], values[parts[i]], cap)
                whole = zero
                for i, part in enumerate(parts):
                    others = _plus(whole, after[i + 1], cap)
                    narrowed = _meet(values[part], _minus(values[margin.total], others, cap), cap)
                    if narrowed != values[part]:
                        values[part], changed = narrowed, True
                    whole = _plus(whole, values[part], cap)
            narrowed = _meet(values[margin.total], whole, cap)
            if narrowed != values[margin.total]:
                values[margin.total], changed = narrowed, True
    return [
        cell
        for cell, known in values.items()
        if cell in seen
        and cell not in unpublished
        and len(known) == 1
        and known[0][0] == known[0][1]
    ]


def _determined(counts, margins, seen) -> list[Path]:
    """Hidden cells whose value follows from the margins and the shown cells.

    A hidden cell x_i is determined exactly when the unit vector e_i lies in the row space of
    the margins' coefficients over the hidden cells; in reduced row echelon form that means
    some row equals e_i.
    """
    variables = sorted({c for m in margins for c in m.cells() if c in seen}, key=path_text)
    index = {c: i for i, c in enumerate(variables)}
    rows: list[dict[int, int]] = []
    for margin in margins:
        row: dict[int, int] = {}
        for c in margin.parts:
            if c in index:
                row[index[c]] = row.get(index[c], 0) + 1
        if margin.total in index:
            row[index[margin.total]] = row.get(index[margin.total], 0) - 1
        row = {i: x for i, x in row.items() if x}
        if row:
            rows.append(row)
    reduced = _rref(rows, len(variables))
    return [variables[next(iter(row))] for row in reduced if len(row) == 1]


def _rref(rows: list[dict[int, int]], width: int) -> list[dict[int, int]]:
    """The rows (column -> nonzero coefficient) in reduced row echelon form, each row up to a
    nonzero factor: by integer arithmetic (each step's row is the exact rational one times a
    nonzero integer), so every row is zero exactly where the rational form's is."""
    rows = [dict(r) for r in rows]
    pivot_row = 0
    for col in range(width):
        pivot = next((r for r in range(pivot_row, len(rows)) if col in rows[r]), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead_row = rows[pivot_row]
        lead = lead_row[col]
        for r in range(len(rows)):
            if r != pivot_row and col in rows[r]:
                factor = rows[r][col]
                row = {i: lead * x for i, x in rows[r].items()}
                for i, x in lead_row.items():
                    value = row.get(i, 0) - factor * x
                    if value:
                        row[i] = value
                    else:
                        row.pop(i, None)
                divisor = gcd(*row.values())
                rows[r] = {i: x // divisor for i, x in row.items()} if divisor > 1 else row
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

"""Small-cell suppression: cases where a naive suppression (hide only the small counts) leaks a
cell, checked against a brute-force reader who tries every value the hidden cells could take."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from veto.reports.suppression import Margin, apply, path_text, suppress


def _label(cell, primary, below, limit):
    """What the output tells of a hidden cell: `<below` (1…below-1), or `x` (0 or ≥ below)."""
    if cell in primary:
        return set(range(1, below))
    return {0, *range(below, limit + 1)}


def _possible_values(counts, margins, hidden, primary, below):
    """For each hidden cell, every value consistent with the shown cells, the margins and the
    labels, found by a small backtracking search (values capped well above any real one)."""
    limit = 2 * max(counts.values()) + below
    labels = {cell: _label(cell, primary, below, limit) for cell in hidden}
    possible = {cell: set() for cell in hidden}

    def search(known):
        known = dict(known)
        while True:  # fill in every cell that a margin forces
            forced = False
            for m in margins:
                unknown = [c for c in m.cells() if c not in known]
                if len(unknown) == 1:
                    cell = unknown[0]
                    parts = sum(known[p] for p in m.parts if p in known)
                    value = parts if cell == m.total else known[m.total] - parts
                    if value not in labels[cell]:
                        return
                    known[cell], forced = value, True
                elif not unknown and known[m.total] != sum(known[p] for p in m.parts):
                    return
            if not forced:
                break
        todo = [c for c in hidden if c not in known]
        if not todo:
            for cell in hidden:
                possible[cell].add(known[cell])
            return
        for value in sorted(labels[todo[0]]):
            search({**known, todo[0]: value})

    search({c: v for c, v in counts.items() if c not in hidden})
    return possible


def _assert_protected(counts, margins, result, below):
    """No hidden count can be worked out from the shown cells. (Where the labels alone pin a
    cell — `<2` is 1; a hidden 0 beside a column of `<3`s — no further hiding can help, so
    those are checked with every cell hidden.)"""
    primary = set(result.hidden[: result.primary])
    possible = _possible_values(counts, margins, result.hidden, primary, below)
    everything = None
    for cell, values in possible.items():
        assert counts[cell] in values
        if len(values) < 2:
            if everything is None:
                everything = _possible_values(counts, margins, list(counts), primary, below)
            assert len(everything[cell]) < 2, f"{path_text(cell)} recoverable: {values}"


def _row(**cells):
    counts = {(k,): v for k, v in cells.items()}
    parts = tuple((k,) for k in cells if k != "total")
    return counts, [Margin(("total",), parts)]


def test_one_small_cell_needs_a_partner():
    # Naive: hide female 3 only, and 13 - 10 - 0 gives it back.
    counts, margins = _row(female=3, male=10, other=0, total=13)
    naive = [("female",)]
    assert _possible_values(counts, margins, naive, set(naive), 5) == {("female",): {3}}
    result = suppress(counts, margins, below=5)
    assert result.hidden == [("female",), ("male",)]
    assert result.values == {("female",): None, ("male",): None, ("other",): 0, ("total",): 13}
    assert result.paths == ["female", "male"]
    _assert_protected(counts, margins, result, 5)


def test_two_small_cells_pinned_by_their_sum():
    # Naive: hide both 1s; they add up to 12 - 10 = 2, so each must be 1.
    counts, margins = _row(employed=1, education=1, returned=10, total=12)
    naive = [("employed",), ("education",)]
    assert _possible_values(counts, margins, naive, set(naive), 3) == {
        ("employed",): {1},
        ("education",): {1},
    }
    result = suppress(counts, margins, below=3)
    assert result.hidden == [("employed",), ("education",), ("returned",)]
    _assert_protected(counts, margins, result, 3)


def test_a_small_and_a_protecting_cell_told_apart():
    # Hiding 1 and 6 (sum 7, below 5): a reader who knows the 6 is not small (0 or ≥ 5) gets
    # 1 + 6 or 2 + 5 — not pinned; hiding 1 and 5 (sum 6) would pin 1 + 5.
    counts, margins = _row(a=1, b=5, c=9, total=15)
    result = suppress(counts, margins, below=5)
    assert ("c",) in result.hidden
    _assert_protected(counts, margins, result, 5)


def test_a_cell_recovered_from_several_margins_together():
    # Hiding x 1, z 2 and y 4 leaves two hidden cells in every margin, but
    # x + y = 5, y + z = 6, x + z = 3 give x = (5 + 3 - 6) / 2 = 1.
    x, y, z = ("x",), ("y",), ("z",)
    counts = {x: 1, y: 4, z: 2, ("xy",): 5, ("yz",): 6, ("xz",): 3}
    margins = [Margin(("xy",), (x, y)), Margin(("yz",), (y, z)), Margin(("xz",), (x, z))]
    naive = [x, z, y]
    assert _possible_values(counts, margins, naive, {x, z}, 3)[x] == {1}
    result = suppress(counts, margins, below=3)
    assert result.hidden[:3] == naive and len(result.hidden) == 4
    _assert_protected(counts, margins, result, 3)


def test_a_running_total_gives_away_the_month():
    # new: 3, 0, 7; cumulative 3, 3, 10. Hiding the small ones (new 3, cumulative 3 and 3)
    # leaves cumulative(2) = 10 - 7.
    n1, n2, n3, c1, c2, c3 = (("n1",), ("n2",), ("n3",), ("c1",), ("c2",), ("c3",))
    counts = {n1: 3, n2: 0, n3: 7, c1: 3, c2: 3, c3: 10}
    margins = [Margin(c1, (n1,)), Margin(c2, (c1, n2)), Margin(c3, (c2, n3))]
    result = suppress(counts, margins, below=5)
    assert result.hidden == [n1, c1, c2, n3]
    _assert_protected(counts, margins, result, 5)


def test_unpublished_remainder_is_unknown_to_the_reader():
    # 2 of 5 employed have no recorded field: IT 3 is safe to show beside a hidden kahvila 1?
    # No: the remainder (field not recorded) is not shown, so kahvila 1 alone is not pinned.
    counts = {("employed",): 6, ("IT",): 3, ("kahvila",): 1, ("rest",): 2}
    margins = [Margin(("employed",), (("IT",), ("kahvila",), ("rest",)))]
    result = suppress(counts, margins, below=3, unpublished=[("rest",)])
    assert result.hidden == [("kahvila",)]
    assert ("rest",) not in result.values


def test_zeros_stay_and_no_suppression_below_two():
    counts, margins = _row(a=0, b=7, total=7)
    assert suppress(counts, margins, below=5).hidden == []
    counts, margins = _row(a=1, b=7, total=8)
    assert suppress(counts, margins, below=1).hidden == []


def test_apply_blanks_dependent_figures():
    report = {"g": {"n": 2, "mean": 4.5}, "total": 9, "other": {"n": 7, "mean": 1.0}}
    counts = {("g", "n"): 2, ("other", "n"): 7, ("total",): 9}
    result = suppress(counts, [Margin(("total",), (("g", "n"), ("other", "n")))], below=3)
    apply(report, result, dependents={("g", "n"): [("g", "mean")]})
    assert report == {"g": {"n": None, "mean": None}, "total": 9, "other": {"n": None, "mean": 1.0}}


@settings(max_examples=60, deadline=None)
@given(
    parts=st.lists(st.integers(min_value=0, max_value=8), min_size=2, max_size=4),
    below=st.integers(min_value=2, max_value=5),
)
def test_no_hidden_cell_of_a_row_is_recoverable(parts, below):
    cells = {f"p{i}": v for i, v in enumerate(parts)}
    counts, margins = _row(**cells, total=sum(parts))
    result = suppress(counts, margins, below=below)
    small = {(k,) for k, v in cells.items() if 0 < v < below}
    assert small <= set(result.hidden)
    _assert_protected(counts, margins, result, below)


@settings(max_examples=40, deadline=None)
@given(
    table=st.lists(
        st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=2),
        min_size=2,
        max_size=2,
    ),
    below=st.integers(min_value=2, max_value=4),
)
def test_no_hidden_cell_of_a_two_way_table_is_recoverable(table, below):
    counts = {}
    margins = []
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            counts[(f"r{r}", f"c{c}")] = value
        counts[(f"r{r}",)] = sum(row)
        margins.append(Margin((f"r{r}",), tuple((f"r{r}", f"c{c}") for c in range(2))))
    for c in range(2):
        counts[(f"c{c}",)] = sum(row[c] for row in table)
        margins.append(Margin((f"c{c}",), tuple((f"r{r}", f"c{c}") for r in range(2))))
    counts[("all",)] = sum(map(sum, table))
    margins.append(Margin(("all",), (("r0",), ("r1",))))
    margins.append(Margin(("all",), (("c0",), ("c1",))))
    result = suppress(counts, margins, below=below)
    _assert_protected(counts, margins, result, below)

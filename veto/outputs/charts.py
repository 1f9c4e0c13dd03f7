"""The pilot report's charts, drawn by matplotlib into SVG for the HTML and PDF documents.

Nothing is fetched at run time: matplotlib draws with its own fonts (DejaVu Sans). Counts get
whole-number axes; the cumulative intake is a step line (it never falls) against the target.
A hidden figure (`--suppress-below`) is never drawn: its bar reads `x`, and a chart whose line
would show hidden counts is left out with a line saying so.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any

from veto import vocabulary as v
from veto.outputs.report import Chart

BLUE = "#1d4f91"
GREY = "#8a8a8a"
TARGET = "#c0392b"
WIDTH, HEIGHT = 6.3, 2.2  # inches: the A4 text width of the forms


def _figure():
    import matplotlib

    matplotlib.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 8,
            "svg.fonttype": "none",  # text stays text (searchable in the PDF)
            "svg.hashsalt": "veto",  # the same report draws the same SVG
            "text.parse_math": False,  # a name with $ signs is a name
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH, HEIGHT))
    return figure, figure.add_subplot()


_ID = re.compile(r'(id="|url\(#|href="#)([^")]+)')


def _svg(figure, name: str) -> str:
    """The figure as SVG markup for inside HTML: no XML declaration or DOCTYPE, and its ids
    prefixed with `name` (matplotlib numbers them alike in every figure of a document)."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    figure.tight_layout()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None})
    text = buffer.getvalue()
    return _ID.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", text[text.index("<svg") :])


def _whole_numbers(axis, top: float) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_major_formatter("{x:.0f}")


def _bars(
    name: str,
    labels: list[str],
    values: list[int | float | None],
    *,
    unit: str,
    line: tuple[float, str] | None = None,
    whole: bool = True,
    shown: Callable[[float], str] = str,
) -> str:
    """Horizontal bars (one per label), `x` for a hidden value, an optional reference line."""
    texts = tuple("x" if value is None else shown(value) for value in values)
    return _bars_svg(name, tuple(labels), tuple(values), texts, unit, line, whole)


# A chart is drawn from its arguments alone (~60 ms each), so the same figures give the same
# SVG; a process that draws them again (the tests draw the same few many times) reuses it. The
# printed texts are in the key: 1 and 1.0 draw the same bars but may be labelled differently.
@functools.lru_cache(maxsize=64)
def _bars_svg(
    name: str,
    labels: tuple[str, ...],
    values: tuple[int | float | None, ...],
    texts: tuple[str, ...],
    unit: str,
    line: tuple[float, str] | None,
    whole: bool,
) -> str:
    figure, ax = _figure()
    drawn = [0 if value is None else value for value in values]
    positions = list(range(len(labels)))[::-1]
    ax.barh(positions, drawn, color=BLUE, height=0.6)
    top = max([*drawn, line[0] if line else 0, 1])
    for y, value, text in zip(positions, values, texts, strict=True):
        ax.text((value or 0) + top * 0.01, y, text, va="center", ha="left")
    if line is not None:
        ax.axvline(line[0], color=TARGET, linestyle="--", linewidth=1.2)
        ax.text(line[0], len(labels) - 0.45, f" {line[1]}", color=TARGET, va="bottom")
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, top * 1.15)
    ax.set_ylim(-0.6, len(labels) - 0.1)
    ax.set_xlabel(unit)
    if whole:
        _whole_numbers(ax.xaxis, top)
    return _svg(figure, name)


def _intake(report: dict[str, Any]) -> Chart:
    intake = report["intake"]
    months = list(intake["by_month"])
    title = f"Työhönvalmennusasiakkaiden kertymä kuukausittain ja tavoite {intake['target']}"
    if not months:
        return Chart(f"{title}: ei kuukausia.", None, after="")
    cumulative = [intake["by_month"][m]["cumulative"] for m in months]
    if any(value is None for value in cumulative):
        why = "jätetty pois, koska kertymän luvut on piilotettu (pienet luvut)"
        return Chart(f"{title}: {why}.", None, after="")
    return Chart(title, _intake_svg(tuple(months), tuple(cumulative), intake["target"]), after="")


@functools.lru_cache(maxsize=64)  # as _bars_svg
def _intake_svg(months: tuple[str, ...], cumulative: tuple[int, ...], target: int) -> str:
    figure, ax = _figure()
    x = list(range(len(months)))
    # The last month's level runs to the end of that month.
    ax.step([*x, len(x)], [*cumulative, cumulative[-1]], where="post", color=BLUE, linewidth=2,
            label="asiakkaita yhteensä")  # fmt: skip
    ax.set_xlim(-0.2, len(x) + 0.2)
    ax.axhline(target, color=TARGET, linestyle="--", linewidth=1.2, label="tavoite")
    every = -(-len(months) // 9)  # at most 9 labels
    ax.set_xticks(x[::every], [f"{int(m[5:7])}/{m[2:4]}" for m in months[::every]])
    ax.set_ylim(0, max([*cumulative, target, 1]) * 1.1)
    ax.set_ylabel("asiakkaita")
    _whole_numbers(ax.yaxis, max(cumulative))
    ax.legend(loc="upper left", frameon=False)
    return _svg(figure, "intake")


def pilot_charts(report: dict[str, Any]) -> list[Chart]:
    """The charts of `report pilot`: the intake against the target first (after the summary),
    the others after their tables."""
    from veto.outputs.finnish import fi_number

    charts = [_intake(report)]
    outcomes = report["ended"]["by_outcome"]
    charts.append(
        Chart(
            "Päättyneet asiakkuudet tuloksittain",
            _bars(
                "outcomes",
                [v.label("outcome", k) for k in outcomes],
                list(outcomes.values()),
                unit="asiakkaita",
            ),
            after="ended",
        )
    )
    coaches = report["coaches"]
    names = [*coaches["by_coach"], "ei työvalmentajaa"]
    counts = [*coaches["by_coach"].values(), coaches["unassigned"]]
    charts.append(
        Chart(
            f"Asiakkaat työvalmentajittain ja tavoite {coaches['target']}",
            _bars("coaches", names, counts, unit="asiakkaita", line=(coaches["target"], "tavoite")),
            after="coaches",
        )
    )
    hours = report["hours"]
    budget = hours["budget"]
    charts.append(
        Chart(
            f"Työhönvalmennuksen tunnit asiakasta kohden ja {budget} tunnin budjetti",
            _bars(
                "hours",
                ["keskimäärin", "enimmillään"],
                [hours["mean"], hours["max"]],
                unit="tuntia",
                line=(budget, "budjetti"),
                whole=False,
                shown=lambda value: f"{fi_number(value, 1)} h",
            ),
            after="hours",
        )
    )
    return charts

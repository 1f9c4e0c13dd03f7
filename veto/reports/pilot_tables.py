"""The pilot report for readers: Finnish tables as section 2.5 (Tulokset) reads, and CSV rows.

One list of sections feeds the terminal table, the Markdown and the HTML templates, so the three
always show the same figures. Hidden small counts read `<N`; counts hidden only to protect them
read `x`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from veto import vocabulary as v
from veto.reports.suppression import path_text

GENDER_PLURAL = {"female": "naisia", "male": "miehiä", "other": "muu sukupuoli"}
BACKGROUND_PLURAL = {"native": "kantasuomalaiset", "immigrant": "maahanmuuttajat"}
MONTHS = "tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu".split()


@dataclass
class Section:
    """One table: a Finnish title, column headings, rows of display text and a footnote."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""


class _Cells:
    """Formats the figures of one report, knowing which counts are hidden and why."""

    def __init__(self, report: dict[str, Any], small: set[str]):
        self.report = report
        self.small = small
        self.below = report.get("suppress_below")

    def count(self, *path: str) -> str:
        value = self._at(path)
        if value is None and path_text(path) in self.report.get("suppressed", ()):
            return f"<{self.below}" if path_text(path) in self.small else "x"
        return "" if value is None else str(value)

    def months(self, value: float | None) -> str:
        from veto.outputs.finnish import fi_number

        return "–" if value is None else f"{fi_number(value, 1)} kk"

    def span(self, low: float | None, high: float | None) -> str:
        from veto.outputs.finnish import fi_number

        if low is None or high is None:
            return "–"
        return f"{fi_number(low, 1)}–{fi_number(high, 1)} kk"

    def hours(self, value: float | None) -> str:
        from veto.outputs.finnish import fi_number

        return "–" if value is None else f"{fi_number(value, 1)} h"

    def _at(self, path: tuple[str, ...]) -> Any:
        value: Any = self.report
        for key in path:
            value = value[key]
        return value


def period_title(report: dict[str, Any]) -> str:
    """1.1.2024–31.12.2025, or `koko aika` for all time."""
    from datetime import date

    from veto.outputs.finnish import fi_date

    start, end = report["period"]["start"], report["period"]["end"]
    if start is None and end is None:
        return "koko aika"
    first = fi_date(date.fromisoformat(start)) if start else ""
    last = fi_date(date.fromisoformat(end)) if end else ""
    return f"{first}–{last}"


def summary(report: dict[str, Any]) -> list[str]:
    """The opening paragraph of section 2.5 in words, from the figures; empty when counts are
    suppressed (the tables then carry the marks)."""
    if report.get("suppressed"):
        return []
    from veto.outputs.finnish import fi_number

    clients, ended = report["clients"], report["ended"]
    gender, background = clients["by_gender"], clients["by_background"]
    outcome = ended["by_outcome"]
    text = [
        f"Työhönvalmennusasiakkaita on {clients['total']}.",
        f"Naisia heistä on {gender['female']} ja miehiä {gender['male']}"
        + (f", muita {gender['other']}." if gender["other"] else "."),
        f"Kantasuomalaisia asiakkaista on {background['native']} ja maahanmuuttajia "
        f"{background['immigrant']}.",
        f"Päättyneitä asiakkuuksia on {ended['total']}, joista työpaikan saaneita on "
        f"{outcome['employed']}, koulutuspaikan saaneita {outcome['education']} ja pidempään "
        f"työkokeiluun menneitä {outcome['work-trial']}.",
        f"Työvoimaviranomaiselle palautuneita asiakkaita on {outcome['returned']}"
        + (f" ja muulla tavoin päättyneitä {outcome['other']}." if outcome["other"] else "."),
    ]
    for background_key, who in (("native", "Kantasuomalaisilla"), ("immigrant", "Maahanmuuttaja-")):
        pre = report["durations"][background_key]["pre_placement"]
        whole = report["durations"][background_key]["total"]
        subject = f"{who} asiakkailla" if background_key == "native" else f"{who}asiakkailla"
        if pre["n"]:
            text.append(
                f"{subject} työvalmennus ennen työhönvalmennuksen aloittamista kesti keskimäärin "
                f"{fi_number(pre['mean'], 1)} kk, vaihdellen {fi_number(pre['min'], 1)} "
                f"kuukaudesta {fi_number(pre['max'], 1)} kuukauteen."
            )
        if whole["n"]:
            text.append(
                f"Koko asiakkuuden kesto on keskimäärin ollut {fi_number(whole['mean'], 1)} kk."
            )
    hours = report["hours"]
    if hours["mean"] is not None:
        text.append(
            f"Työhönvalmennusta annettiin keskimäärin {fi_number(hours['mean'], 1)} h asiakasta "
            f"kohden ({hours['budget']} tunnin budjetti); budjetin ylitti "
            f"{hours['over_budget']} asiakasta."
        )
    return text


def _month_label(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]}kuu {month[:4]}"


def sections(report: dict[str, Any], small: set[str] | frozenset = frozenset()) -> list[Section]:
    """The report's tables in Finnish, in the order of section 2.5 and then the follow-up."""
    from veto.outputs.numbers import whole

    c = _Cells(report, set(small))
    out = []

    clients = Section("Työhönvalmennusasiakkaat", ["", "asiakkaita"])
    clients.rows.append(["yhteensä", c.count("clients", "total")])
    for key in report["clients"]["by_gender"]:
        clients.rows.append([GENDER_PLURAL[key], c.count("clients", "by_gender", key)])
    for key in report["clients"]["by_background"]:
        clients.rows.append([BACKGROUND_PLURAL[key], c.count("clients", "by_background", key)])
    out.append(clients)

    ended = Section("Päättyneet asiakkuudet", ["tulos", "asiakkaita", "alat"])
    for key in report["ended"]["by_outcome"]:
        fields = report["ended"]["fields"][key]
        named = ", ".join(
            f"{name} {c.count('ended', 'fields', key, name)}" for name in sorted(fields)
        )
        ended.rows.append([v.label("outcome", key), c.count("ended", "by_outcome", key), named])
    ended.rows.append(["yhteensä", c.count("ended", "total"), ""])
    out.append(ended)

    durations = Section(
        "Kestot taustan mukaan",
        ["tausta", "kesto", "asiakkaita", "keskimäärin", "vaihteluväli"],
        note="Kuukausi = 30,4375 päivää. Työvalmennus ennen työhönvalmennusta: asiakkaat, joilla "
        "työvalmennus alkoi ennen työhönvalmennusta; koko asiakkuus: päättyneet asiakkuudet.",
    )
    what = {"pre_placement": "työvalmennus ennen työhönvalmennusta", "total": "koko asiakkuus"}
    for background, stats in report["durations"].items():
        for measure, label in what.items():
            s = stats[measure]
            durations.rows.append(
                [
                    BACKGROUND_PLURAL[background],
                    label,
                    c.count("durations", background, measure, "n"),
                    c.months(s["mean"]),
                    c.span(s["min"], s["max"]),
                ]
            )
    out.append(durations)

    trials = Section(
        "Työkokeilut päättyneissä asiakkuuksissa", ["tausta", "asiakkaita", "työkokeiluja"]
    )
    for background, figures in report["work_trials"].items():
        shown = figures["trials"]
        trials.rows.append(
            [
                BACKGROUND_PLURAL[background],
                c.count("work_trials", background, "clients"),
                "x" if shown is None else str(shown),
            ]
        )
    out.append(trials)

    h = report["hours"]
    hours = Section(
        "Työhönvalmennuksen tunnit",
        ["", "tunnit"],
        note="Tunnit työhönvalmennuksen alusta jakson loppuun; ennen työhönvalmennusta "
        "kirjatut eivät sisälly.",
    )
    hours.rows += [
        ["budjetti asiakasta kohden", c.hours(h["budget"])],
        ["yhteensä", c.hours(h["total"])],
        ["keskimäärin asiakasta kohden", c.hours(h["mean"])],
        ["enimmillään yhdellä asiakkaalla", c.hours(h["max"])],
        ["budjetin ylittäneitä asiakkaita", c.count("hours", "over_budget")],
    ]
    out.append(hours)

    intake = report["intake"]
    growth = Section(
        f"Asiakasmäärän kertymä (tavoite {intake['target']})",
        ["kuukausi", "uusia", "yhteensä", "tavoitteesta"],
    )
    for month, figures in intake["by_month"].items():
        cumulative = figures["cumulative"]
        share = (
            ""
            if cumulative is None or not intake["target"]
            else f"{whole(100 * cumulative / intake['target'])} %"
        )
        growth.rows.append(
            [
                _month_label(month),
                c.count("intake", "by_month", month, "new"),
                c.count("intake", "by_month", month, "cumulative"),
                share,
            ]
        )
    if intake["reached_target"]:
        growth.note = f"Tavoite saavutettiin {_month_label(intake['reached_target'])}."
    else:
        growth.note = "Tavoitetta ei ole vielä saavutettu."
    out.append(growth)

    coaches = report["coaches"]
    per_coach = Section(
        f"Asiakkaat työvalmentajittain (tavoite {coaches['target']})",
        ["työvalmentaja", "asiakkaita", "tavoitteesta"],
    )
    for name, n in coaches["by_coach"].items():
        share = "" if n is None else f"{whole(100 * n / coaches['target'])} %"
        per_coach.rows.append([name, c.count("coaches", "by_coach", name), share])
    per_coach.rows.append(["ei työvalmentajaa", c.count("coaches", "unassigned"), ""])
    out.append(per_coach)

    if report.get("suppressed"):
        for section in out:
            if any(cell in ("x",) or cell.startswith("<") for row in section.rows for cell in row):
                extra = (
                    f"<{c.below}: alle {c.below} henkilöä; x: piilotettu, jottei pieni luku "
                    "paljastu summista."
                )
                section.note = f"{section.note} {extra}".strip()
    return out


def csv_rows(report: dict[str, Any], small: set[str] | frozenset = frozenset()) -> list[dict]:
    """One row per figure: `section,group,measure,value`, following the JSON's paths
    (section = first key, measure = last key, group = the keys between, or `all`)."""
    below = report.get("suppress_below")
    hidden = set(report.get("suppressed", ()))
    rows: list[dict] = []

    def walk(value: Any, path: tuple[str, ...]) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(inner, (*path, key))
            return
        if isinstance(value, list):
            return
        text = path_text(path)
        if value is None and text in hidden:
            value = f"<{below}" if text in small else "x"
        rows.append(
            {
                "section": path[0],
                "group": ".".join(path[1:-1]) or "all",
                "measure": path[-1],
                "value": value,
            }
        )

    for key, value in report.items():
        if key not in ("suppressed",):
            walk(value, (key,))
    return rows


def markdown_cell(text: str) -> str:
    """A table cell that Markdown shows as typed: no markup, links or table breaks."""
    out = text.replace("\\", "\\\\")
    for ch in "|*_`[]<>#!":
        out = out.replace(ch, "\\" + ch)
    return out


REPORT_FORMATS = ("table", "json", "csv", "md", "html")


def write_report(
    report: dict[str, Any], fmt: str, out, small: set[str] | frozenset = frozenset()
) -> None:
    """The report in one of REPORT_FORMATS on `out`."""
    from veto.outputs.render import render_rows, to_json, write_csv

    if fmt == "json":
        out.write(to_json(report) + "\n")
        return
    if fmt == "csv":
        write_csv(csv_rows(report, small), out, ["section", "group", "measure", "value"])
        return
    tables = sections(report, small)
    title = period_title(report)
    if fmt in ("md", "html"):
        from veto.outputs.templates import render_template

        if fmt == "md":
            for section in tables:
                section.rows = [[markdown_cell(cell) for cell in row] for row in section.rows]
                section.columns = [markdown_cell(col) for col in section.columns]
        out.write(
            render_template(
                f"report/pilot.{fmt}", period=title, summary=summary(report), sections=tables
            )
        )
        return
    out.write(f"Työhönvalmennuksen tulokset {title}\n\n")
    if words := summary(report):
        import textwrap

        out.write(textwrap.fill(" ".join(words), width=100) + "\n\n")
    for section in tables:
        rows = [dict(zip(section.columns, row, strict=True)) for row in section.rows]
        render_rows(rows, "table", columns=section.columns, out=out, title=section.title)
        if section.note:
            out.write(f"{section.note}\n")
        out.write("\n")

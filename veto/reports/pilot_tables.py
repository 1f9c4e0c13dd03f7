"""The pilot report for readers: Finnish tables as section 2.5 (Tulokset) reads, and CSV rows.

One `Report` (veto.outputs.report) feeds every format, so all of them show the same figures.
Hidden small counts read `<N`; figures hidden only to protect them read `x`.
"""

from __future__ import annotations

from typing import Any

from veto import vocabulary as v
from veto.outputs.report import Cell, Report, Table, text
from veto.reports.suppression import path_text

GENDER_PLURAL = {"female": "naisia", "male": "miehiä", "other": "muu sukupuoli"}
BACKGROUND_PLURAL = {"native": "kantasuomalaiset", "immigrant": "maahanmuuttajat"}
MONTHS = "tammi helmi maalis huhti touko kesä heinä elo syys loka marras joulu".split()


class _Cells:
    """Makes the cells of one report, knowing which figures are hidden and why."""

    def __init__(self, report: dict[str, Any], small: set[str]):
        self.report = report
        self.small = small
        self.below = report.get("suppress_below")
        self.hidden = set(report.get("suppressed", ()))

    def _mark(self, path: tuple[str, ...]) -> str | None:
        text = path_text(path)
        if text not in self.hidden:
            return None
        return f"<{self.below}" if text in self.small else "x"

    def count(self, *path: str) -> Cell:
        return Cell(self._at(path), mark=self._mark(path))

    def months(self, *path: str) -> Cell:
        return Cell(self._at(path), places=1, unit="kk", empty="–", mark=self._mark(path))

    def span(self, *path: str) -> Cell:
        low, high = self._at((*path, "min")), self._at((*path, "max"))
        if low is None or high is None:
            return Cell(empty="–")
        return Cell(low, places=1, unit="kk", high=high)

    def hours(self, *path: str) -> Cell:
        return Cell(self._at(path), places=1, unit="h", empty="–", mark=self._mark(path))

    def share(self, count: int | None, target: int) -> Cell:
        if count is None or not target:
            return Cell()
        return Cell(100 * count / target, places=0, unit="%")

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
        from veto.i18n import catalogue

        # The report is Finnish whatever the locale; the count decides the form (ngettext).
        over = hours["over_budget"]
        went_over = catalogue("fi").ngettext(
            "{n} client went over the budget", "{n} clients went over the budget", over
        )
        text.append(
            f"Työhönvalmennusta annettiin keskimäärin {fi_number(hours['mean'], 1)} h asiakasta "
            f"kohden ({hours['budget']} tunnin budjetti); {went_over.format(n=over)}."
        )
    return text


def _month_label(month: str) -> str:
    return f"{MONTHS[int(month[5:7]) - 1]}kuu {month[:4]}"


def sections(report: dict[str, Any], small: set[str] | frozenset = frozenset()) -> list[Table]:
    """The report's tables in Finnish, in the order of section 2.5 and then the follow-up."""
    c = _Cells(report, set(small))
    out = []

    clients = Table("Työhönvalmennusasiakkaat", ["", "asiakkaita"])
    clients.rows.append([text("yhteensä"), c.count("clients", "total")])
    for key in report["clients"]["by_gender"]:
        clients.rows.append([text(GENDER_PLURAL[key]), c.count("clients", "by_gender", key)])
    for key in report["clients"]["by_background"]:
        clients.rows.append(
            [text(BACKGROUND_PLURAL[key]), c.count("clients", "by_background", key)]
        )
    out.append(clients)

    ended = Table("Päättyneet asiakkuudet", ["tulos", "asiakkaita", "alat"], key="ended")
    for key in report["ended"]["by_outcome"]:
        fields = report["ended"]["fields"][key]
        named = ", ".join(
            f"{name} {c.count('ended', 'fields', key, name).text}" for name in sorted(fields)
        )
        ended.rows.append(
            [text(v.label("outcome", key)), c.count("ended", "by_outcome", key), text(named)]
        )
    ended.rows.append([text("yhteensä"), c.count("ended", "total"), text("")])
    out.append(ended)

    durations = Table(
        "Kestot taustan mukaan",
        ["tausta", "kesto", "asiakkaita", "keskimäärin", "vaihteluväli"],
        note="Kuukausi = 30,4375 päivää. Työvalmennus ennen työhönvalmennusta: asiakkaat, joilla "
        "työvalmennus alkoi ennen työhönvalmennusta; koko asiakkuus: päättyneet asiakkuudet.",
        keys=2,
    )
    what = {"pre_placement": "työvalmennus ennen työhönvalmennusta", "total": "koko asiakkuus"}
    for background in report["durations"]:
        for measure, label in what.items():
            durations.rows.append(
                [
                    text(BACKGROUND_PLURAL[background]),
                    text(label),
                    c.count("durations", background, measure, "n"),
                    c.months("durations", background, measure, "mean"),
                    c.span("durations", background, measure),
                ]
            )
    out.append(durations)

    trials = Table(
        "Työkokeilut päättyneissä asiakkuuksissa", ["tausta", "asiakkaita", "työkokeiluja"]
    )
    for background in report["work_trials"]:
        shown = c.count("work_trials", background, "trials")
        trials.rows.append(
            [
                text(BACKGROUND_PLURAL[background]),
                c.count("work_trials", background, "clients"),
                shown if shown.value is not None else Cell(mark="x"),
            ]
        )
    out.append(trials)

    hours = Table(
        "Työhönvalmennuksen tunnit",
        ["", "tunnit"],
        key="hours",
        note="Tunnit työhönvalmennuksen alusta jakson loppuun; ennen työhönvalmennusta "
        "kirjatut eivät sisälly.",
    )
    hours.rows += [
        [text("budjetti asiakasta kohden"), c.hours("hours", "budget")],
        [text("yhteensä"), c.hours("hours", "total")],
        [text("keskimäärin asiakasta kohden"), c.hours("hours", "mean")],
        [text("enimmillään yhdellä asiakkaalla"), c.hours("hours", "max")],
        [text("budjetin ylittäneitä asiakkaita"), c.count("hours", "over_budget")],
    ]
    out.append(hours)

    intake = report["intake"]
    growth = Table(
        f"Asiakasmäärän kertymä (tavoite {intake['target']})",
        ["kuukausi", "uusia", "yhteensä", "tavoitteesta"],
        key="intake",
    )
    for month, figures in intake["by_month"].items():
        growth.rows.append(
            [
                text(_month_label(month)),
                c.count("intake", "by_month", month, "new"),
                c.count("intake", "by_month", month, "cumulative"),
                c.share(figures["cumulative"], intake["target"]),
            ]
        )
    if "intake.reached_target" in c.hidden:
        growth.note = "Tavoitteen saavuttamiskuukausi on piilotettu, jottei pieni luku paljastu."
    elif intake["reached_target"]:
        growth.note = f"Tavoite saavutettiin {_month_label(intake['reached_target'])}."
    else:
        growth.note = "Tavoitetta ei ole vielä saavutettu."
    out.append(growth)

    coaches = report["coaches"]
    per_coach = Table(
        f"Asiakkaat työvalmentajittain (tavoite {coaches['target']})",
        ["työvalmentaja", "asiakkaita", "tavoitteesta"],
        key="coaches",
    )
    for name, n in coaches["by_coach"].items():
        per_coach.rows.append(
            [text(name), c.count("coaches", "by_coach", name), c.share(n, coaches["target"])]
        )
    per_coach.rows.append([text("ei työvalmentajaa"), c.count("coaches", "unassigned"), Cell()])
    out.append(per_coach)

    if report.get("suppressed"):
        for table in out:
            if any(cell.mark for row in table.rows for cell in row):
                extra = (
                    f"<{c.below}: alle {c.below} henkilöä; x: piilotettu, jottei pieni luku "
                    "paljastu summista."
                    if c.small
                    else f"x: piilotettu (alle {c.below} henkilöä, tai luku, josta pieni luku "
                    "olisi laskettavissa)."
                )
                table.note = f"{table.note} {extra}".strip()
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


def pilot_document(report: dict[str, Any], small: set[str] | frozenset = frozenset()) -> Report:
    """The pilot report as one `Report` for veto.outputs.report (with its charts)."""
    from veto.outputs.charts import pilot_charts

    return Report(
        title=f"Työhönvalmennuksen tulokset {period_title(report)}",
        data=report,
        tables=sections(report, small),
        csv_columns=["section", "group", "measure", "value"],
        csv_rows=csv_rows(report, small),
        summary=summary(report),
        charts=lambda: pilot_charts(report),
    )

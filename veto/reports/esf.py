"""The ESF+ common indicators on participants (Regulation (EU) 2021/1057, Annex I), computed in
SQL from the store, each broken down by women, men and non-binary persons.

Participants of a period are those whose entry (recorded entry date, else first phase start)
falls within it; the result indicators are over those whose exit falls within it. Age is the
age at entry. Answers not given are counted in their own rows ("ei tiedossa"), never guessed:
with only a birth year, an age on a band's edge (17/18, 29/30, 54/55) is not placed in a band.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from sqlalchemy import and_, case, extract, func, not_, or_
from sqlmodel import Session, select

from veto.domain.audit import log_access
from veto.domain.dates import Period
from veto.domain.participants import (
    IMMEDIATE_WINDOW_DAYS,
    latest_exit_due_by,
    timeline,
)
from veto.errors import InputError

GENDERS = {"female": "women", "male": "men", "other": "non_binary"}
COUNT_COLUMNS = ["women", "men", "non_binary", "total"]
ROW_COLUMNS = ["code", "indicator", *COUNT_COLUMNS, "definition", "source"]

ANNEX = "Reg. (EU) 2021/1057 Annex I"
CHECK = "code: check against the SFC code list"
CONFIRMED = "code confirmed by the Commission SFC FAQ"
# The SFC support portal's FAQ of 13.4.2023 defines EECO13, EECO14 and EECO15 by these codes.
FAQ_13_15 = "code confirmed by the Commission SFC FAQ (13.4.2023)"


@dataclass(frozen=True)
class Indicator:
    """A common indicator: its code, Finnish name, the Annex's wording and where it is from."""

    code: str
    label: str
    definition: str
    source: str


OUTPUT_INDICATORS = [
    Indicator(
        "EECO01",
        "Osallistujat yhteensä",
        "total number of participants (the sum of unemployed, inactive and employed)",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO02",
        "Työttömät, myös pitkäaikaistyöttömät",
        "unemployed, including long-term unemployed",
        f"{ANNEX}; {CONFIRMED}",
    ),
    Indicator("EECO03", "Pitkäaikaistyöttömät", "long-term unemployed", f"{ANNEX}; {CHECK}"),
    Indicator("EECO04", "Työvoiman ulkopuolella olevat", "inactive", f"{ANNEX}; {CHECK}"),
    Indicator(
        "EECO05",
        "Työlliset, myös yrittäjät",
        "employed, including self-employed",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator("EECO06", "Alle 18-vuotiaat", "children below 18 years of age", f"{ANNEX}; {CHECK}"),
    Indicator(
        "EECO07",
        "18–29-vuotiaat nuoret",
        "young people between 18 and 29 years of age",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO08",
        "55 vuotta täyttäneet",
        "participants of 55 years of age and above",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO09",
        "Enintään perusasteen koulutus (ISCED 0–2)",
        "with lower secondary education or less (ISCED 0-2)",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO10",
        "Toisen asteen tai toisen asteen jälkeinen koulutus (ISCED 3–4)",
        "with upper secondary (ISCED 3) or post-secondary education (ISCED 4)",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO11",
        "Korkea-asteen koulutus (ISCED 5–8)",
        "with tertiary education (ISCED 5 to 8)",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO12",
        "Osallistujat, joilla on vamma",
        "participants with disabilities",
        f"{ANNEX}; {CONFIRMED}; special-category data",
    ),
    Indicator(
        "EECO13",
        "Kolmansien maiden kansalaiset",
        "third-country nationals",
        f"{ANNEX}; {FAQ_13_15}",
    ),
    Indicator(
        "EECO14",
        "Ulkomaalaistaustaiset osallistujat",
        "participants with a foreign background",
        f"{ANNEX}; {FAQ_13_15}",
    ),
    Indicator(
        "EECO15",
        "Vähemmistöt (myös marginalisoidut yhteisöt, kuten romanit)",
        "minorities (including marginalised communities such as Roma)",
        f"{ANNEX}; {FAQ_13_15}; special-category data",
    ),
    Indicator(
        "EECO16",
        "Asunnottomat tai asuntomarkkinoilta syrjäytyneet",
        "homeless or affected by housing exclusion",
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO17",
        "Maaseutualueilta tulevat osallistujat",
        "participants from rural areas",
        f"{ANNEX}; {CHECK}",
    ),
]

_WINDOW = "4-week window: Commission monitoring and evaluation guidance"
RESULT_INDICATORS = [
    Indicator(
        "EECR01",
        "Työnhakijana osallistumisen päättyessä",
        "participants engaged in job searching upon leaving",
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR02",
        "Koulutuksessa osallistumisen päättyessä",
        "participants in education or training upon leaving",
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR03",
        "Tutkinnon tai todistuksen saaneet osallistumisen päättyessä",
        "participants gaining a qualification upon leaving",
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR04",
        "Työssä, myös yrittäjänä, osallistumisen päättyessä",
        "participants in employment, including self-employment, upon leaving",
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR05",
        "Työssä, myös yrittäjänä, 6 kk päättymisen jälkeen",
        "participants in employment, including self-employment, six months after leaving",
        ANNEX,
    ),
    Indicator(
        "EECR06",
        "Työmarkkinatilanne parantunut 6 kk päättymisen jälkeen",
        "participants with an improved labour market situation six months after leaving "
        "(of those employed at entry)",
        f"{ANNEX}; definition: Commission SFC FAQ (2014–2020 definition carried over)",
    ),
]

_TRAITS = {
    "EECO12": ("disability", "Vamma"),
    "EECO13": ("third_country", "Kolmannen maan kansalaisuus"),
    "EECO14": ("foreign_background", "Ulkomaalaistausta"),
    "EECO15": ("minority", "Vähemmistö"),
    "EECO16": ("homeless", "Asunnottomuus"),
    "EECO17": ("rural", "Maaseutu"),
}
_EXIT = {
    "EECR01": "job_searching",
    "EECR02": "in_education",
    "EECR03": "qualification",
    "EECR04": "employed_at_exit",
}

NOTES = [
    "Lähde: Euroopan parlamentin ja neuvoston asetus (EU) 2021/1057 (ESR+), liite I: yhteiset "
    "tuotos- ja tulosindikaattorit osallistujista, eriteltyinä naisiin, miehiin ja "
    "muunsukupuolisiin; EECR06:n määritelmä ja koodien EECO02 ja EECO12 vahvistus: komission "
    "SFC-tukiportaalin usein kysytyt kysymykset.",
    "Koodit EECO01, EECO03–EECO11 ja EECO13–EECO17 ovat välillisestä lähteestä: tarkista ne "
    "SFC2021-koodilistasta ennen raportointia.",
    "Osallistujat: aloitus (kirjattu aloituspäivä, muuten ensimmäisen vaiheen alku) kaudella. "
    "Tulokset: osallistuminen päättynyt kaudella. Uudelleen aloittanut on yksi osallistuja; "
    "aloitustiedot ensimmäiseltä kerralta, päättyminen viimeiseltä.",
    "Ikä aloitushetkellä. Jos vain syntymävuosi on tiedossa ja ikä osuu rajalle (17/18, 29/30, "
    "54/55), osallistujaa ei arvata ikäryhmään vaan hänet lasketaan riville 'ikä rajalla'.",
    "EECR01–EECR04: tilanne, joka on kirjattu enintään 4 viikon kuluttua päättymisestä. "
    "EECR05–EECR06: 6 kk seurannan vastaukset.",
    "EECR06 koskee vain aloitettaessa työllisiä: parantunut tilanne = epävarmasta työstä "
    "vakaaseen, vajaatyöllisyydestä kokoaikatyöhön, vaativampaan työhön tai ylennys; pelkkä "
    "palkankorotus ei riitä (komission SFC-ohje, kaudelta 2014–2020).",
    "Tuntemattomat vastaukset (ei halunnut kertoa, ei kysytty, ei tiedossa) lasketaan omille "
    "riveilleen; niitä ei lueta indikaattoreihin.",
    "veto ei korvaa EURA 2021 -järjestelmää: osallistujat kirjaavat aloitus- ja lopetustietonsa "
    "sinne (asetus (EU) 2021/1060, 69 art.; laki 757/2021).",
]


def _days_between(session: Session, earlier, later):
    """`later - earlier` in days, on SQLite and PostgreSQL alike."""
    if session.get_bind().dialect.name == "postgresql":
        return later - earlier
    return func.julianday(later) - func.julianday(earlier)


def _within(column, period: Period):
    rules = [column.is_not(None)]
    if period.start is not None:
        rules.append(column >= period.start)
    if period.end is not None:
        rules.append(column <= period.end)
    return and_(*rules)


def _entry_conditions(t) -> dict[str, Any]:
    """Counting rules over entrants: indicator codes and the keys of the unknown rows."""
    entry_y = extract("year", t.c.entry_on)
    entry_md = extract("month", t.c.entry_on) * 100 + extract("day", t.c.entry_on)
    birth_md = extract("month", t.c.birth_date) * 100 + extract("day", t.c.birth_date)
    exact_age = entry_y - extract("year", t.c.birth_date) - case((entry_md < birth_md, 1), else_=0)
    # With only a birth year the age at entry is `years` or `years - 1`.
    years = entry_y - t.c.birth_year
    dated = t.c.birth_date.is_not(None)
    year_only = and_(t.c.birth_date.is_(None), t.c.birth_year.is_not(None))
    status = t.c.status
    rules: dict[str, Any] = {
        "EECO02": status.in_(("unemployed", "long-term-unemployed")),
        "EECO03": status == "long-term-unemployed",
        "EECO04": status == "inactive",
        "EECO05": status == "employed",
        "EECO06": or_(and_(dated, exact_age < 18), and_(year_only, years <= 17)),
        "EECO07": or_(
            and_(dated, exact_age >= 18, exact_age <= 29),
            and_(year_only, years >= 19, years <= 29),
        ),
        "EECO08": or_(and_(dated, exact_age >= 55), and_(year_only, years >= 56)),
        "EECO09": t.c.isced == "0-2",
        "EECO10": t.c.isced == "3-4",
        "EECO11": t.c.isced == "5-8",
        "entry_missing": t.c.participant_id.is_(None),
        "age_unknown": and_(t.c.birth_date.is_(None), t.c.birth_year.is_(None)),
        "age_edge": and_(year_only, years.in_((18, 30, 55))),
        "isced_unknown": t.c.isced == "unknown",
    }
    for code, (column, _) in _TRAITS.items():
        answer = t.c[column]
        rules[code] = answer == "yes"
        rules[f"{code}_not_told"] = answer == "not-told"
        rules[f"{code}_not_asked"] = and_(t.c.participant_id.is_not(None), answer.is_(None))
    return rules


def _exit_conditions(session: Session, t, today: date) -> dict[str, Any]:
    """Counting rules over leavers."""
    answered = t.c.exit_answered_on.is_not(None)
    in_window = and_(
        answered, _days_between(session, t.c.exit_on, t.c.exit_answered_on) <= IMMEDIATE_WINDOW_DAYS
    )
    followed = t.c.followup_on.is_not(None)
    employed_at_entry = t.c.status == "employed"
    due = t.c.exit_on <= latest_exit_due_by(today)
    rules: dict[str, Any] = {
        "leavers_employed_at_entry": employed_at_entry,
        "exit_missing": not_(answered),
        "exit_late": and_(answered, not_(in_window)),
        "EECR05": and_(followed, t.c.employed_6m == "yes"),
        "EECR06": and_(followed, employed_at_entry, t.c.improved_6m == "yes"),
        "followup_not_due": and_(not_(followed), not_(due)),
        "followup_missing": and_(not_(followed), due),
        "EECR05_unknown": and_(
            followed, or_(t.c.employed_6m.is_(None), t.c.employed_6m == "unknown")
        ),
        "EECR06_unknown": and_(
            followed,
            employed_at_entry,
            or_(t.c.improved_6m.is_(None), t.c.improved_6m == "unknown"),
        ),
    }
    for code, column in _EXIT.items():
        answer = t.c[column]
        rules[code] = and_(in_window, answer == "yes")
        rules[f"{code}_unknown"] = and_(in_window, or_(answer.is_(None), answer == "unknown"))
    return rules


def _count_by_gender(session: Session, t, where, rules: dict[str, Any]) -> dict[str, dict]:
    """{rule key: {women, men, non_binary, total}} from one GROUP BY gender query."""
    query = (
        select(
            t.c.gender,
            func.count().label("all"),
            *(func.sum(case((rule, 1), else_=0)).label(key) for key, rule in rules.items()),
        )
        .where(where)
        .group_by(t.c.gender)
    )
    counts = {key: dict.fromkeys(COUNT_COLUMNS, 0) for key in ["all", *rules]}
    for row in session.exec(query):
        mapping = row._mapping
        for key in counts:
            value = int(mapping[key] or 0)
            counts[key][GENDERS[row.gender]] += value
            counts[key]["total"] += value
    return counts


def _row(code: str, label: str, figures: dict, definition: str = "", source: str = "") -> dict:
    return {
        "code": code,
        "indicator": label,
        **figures,
        "definition": definition,
        "source": source,
    }


def _unknown_rows(entry: dict, leave: dict) -> list[tuple[str, dict]]:
    """(rule key, row) for every unknown or missing answer, in reading order."""
    rows = [
        (
            "entry_missing",
            _row(
                "EECO02–EECO05, EECO09–EECO17",
                "ESF-aloitustiedot puuttuvat veto:sta",
                entry["entry_missing"],
                "no entry data recorded (veto esf entry)",
            ),
        ),
        (
            "age_unknown",
            _row("EECO06–EECO08", "Ikä ei tiedossa", entry["age_unknown"], "no birth date or year"),
        ),
        (
            "age_edge",
            _row(
                "EECO06–EECO08",
                "Ikä rajalla, vain syntymävuosi tiedossa",
                entry["age_edge"],
                "birth year only and the age at entry may be 17/18, 29/30 or 54/55",
            ),
        ),
        (
            "isced_unknown",
            _row(
                "EECO09–EECO11", "Koulutustaso ei tiedossa", entry["isced_unknown"], "ISCED unknown"
            ),
        ),
    ]
    for code, (_, name) in _TRAITS.items():
        told, asked = f"{code}_not_told", f"{code}_not_asked"
        rows.append((told, _row(code, f"{name}: ei halunnut kertoa", entry[told], "not told")))
        rows.append((asked, _row(code, f"{name}: ei kysytty", entry[asked], "not asked")))
    rows += [
        (
            "exit_missing",
            _row(
                "EECR01–EECR04",
                "Tilanne päättyessä kirjaamatta",
                leave["exit_missing"],
                "no exit situation recorded (veto esf exit)",
            ),
        ),
        (
            "exit_late",
            _row(
                "EECR01–EECR04",
                "Tilanne kirjattu yli 4 viikkoa päättymisen jälkeen (ei lasketa)",
                leave["exit_late"],
                "situation recorded more than 4 weeks after leaving: not an immediate result",
            ),
        ),
    ]
    for code in _EXIT:
        key = f"{code}_unknown"
        rows.append((key, _row(code, "Ei tiedossa päättyessä", leave[key], "answer unknown")))
    rows += [
        (
            "followup_not_due",
            _row(
                "EECR05–EECR06",
                "6 kk seuranta ei vielä erääntynyt",
                leave["followup_not_due"],
                "six months after leaving not yet reached",
            ),
        ),
        (
            "followup_missing",
            _row(
                "EECR05–EECR06",
                "6 kk seuranta erääntynyt, vastaus puuttuu",
                leave["followup_missing"],
                "follow-up due, no answer recorded (veto esf followup)",
            ),
        ),
    ]
    for code in ("EECR05", "EECR06"):
        key = f"{code}_unknown"
        rows.append((key, _row(code, "Ei tiedossa 6 kk kohdalla", leave[key], "answer unknown")))
    return rows


def esf_report(
    session: Session,
    *,
    period: Period,
    today: date | None = None,
) -> dict[str, Any]:
    """The common output and result indicators on participants for `period`, with the
    definitions and sources beside each code, the bases of the results, and every unknown or
    missing answer counted in its own row (`unknown`, each with its rule `key`)."""
    today = today or date.today()
    t = timeline()
    entry = _count_by_gender(session, t, _within(t.c.entry_on, period), _entry_conditions(t))
    leave = _count_by_gender(
        session, t, _within(t.c.exit_on, period), _exit_conditions(session, t, today)
    )
    entry["EECO01"] = entry["all"]
    output = [
        _row(i.code, i.label, entry[i.code], i.definition, i.source) for i in OUTPUT_INDICATORS
    ]
    results = [
        _row(i.code, i.label, leave[i.code], i.definition, i.source) for i in RESULT_INDICATORS
    ]
    bases = [
        _row(
            "EECR01–EECR05", "Päättyneet kaudella (tulosindikaattorien perusjoukko)", leave["all"]
        ),
        _row(
            "EECR06",
            "Päättyneet, aloitettaessa työllisiä (EECR06:n perusjoukko)",
            leave["leavers_employed_at_entry"],
        ),
    ]
    unknown = [{"key": key, **row} for key, row in _unknown_rows(entry, leave)]
    log_access(session, action="report.esf", record=f"esf:{period.start}..{period.end}")
    return {
        "period": {"start": period.start, "end": period.end},
        "output_indicators": output,
        "result_indicators": results,
        "bases": bases,
        "unknown": unknown,
        "notes": list(NOTES),
        "suppress_below": None,
        "suppressed": [],
    }


def _margins(report: dict[str, Any]):
    """Every published count, and the sums a reader can check: each row's genders add up to
    its total; in each column, EECO01 is the sum of the statuses at entry, and of the
    education levels, with the entrants lacking entry data."""
    from veto.reports.suppression import Margin

    counts: dict[tuple, int] = {}
    margins = []
    for section in SECTIONS:
        for index, row in enumerate(report[section]):
            cells = [(section, index, column) for column in COUNT_COLUMNS]
            counts.update({cell: row[cell[2]] for cell in cells})
            margins.append(Margin(cells[-1], tuple(cells[:-1])))
    output = {row["code"]: i for i, row in enumerate(report["output_indicators"])}
    unknown = {row["key"]: i for i, row in enumerate(report["unknown"])}
    for column in COUNT_COLUMNS:
        total = ("output_indicators", output["EECO01"], column)
        missing = ("unknown", unknown["entry_missing"], column)
        for codes, extra in (
            (("EECO02", "EECO04", "EECO05"), ()),
            (("EECO09", "EECO10", "EECO11"), (("unknown", unknown["isced_unknown"], column),)),
        ):
            parts = tuple(("output_indicators", output[c], column) for c in codes)
            margins.append(Margin(total, (*parts, *extra, missing)))
    return counts, margins


def suppress_small_cells(report: dict[str, Any], *, below: int) -> tuple[dict[str, Any], set[str]]:
    """The report for sharing outside the project, as the pilot report does it: counts
    1…below-1 and the cells that would give them away become `None`; `suppressed` lists their
    paths. Also returns the paths of the small counts themselves (shown as `<below`)."""
    from veto.reports.suppression import apply, suppress

    if below < 2:
        raise InputError(f"invalid --suppress-below {below}: give 2 or more (e.g. 5)")
    counts, margins = _margins(report)
    result = suppress(counts, margins, below=below)
    apply(report, result)
    report["suppress_below"] = below
    report["suppressed"] = result.paths
    report["notes"].append(
        f"Pienet luvut peitetty: <{below} = alle {below} henkilöä; x = piilotettu, jottei pieni "
        f"luku olisi laskettavissa muista luvuista."
    )
    return report, set(result.paths[: result.primary])


SECTIONS = {
    "output_indicators": "Yhteiset tuotosindikaattorit: osallistujat (aloitus kaudella)",
    "result_indicators": "Yhteiset tulosindikaattorit: osallistujat (päättyminen kaudella)",
    "bases": "Perusjoukot",
    "unknown": "Tuntemattomat ja puuttuvat vastaukset",
}
_TABLE_HEADERS = {
    "code": "koodi",
    "indicator": "indikaattori",
    "women": "naiset",
    "men": "miehet",
    "non_binary": "muunsukupuoliset",
    "total": "yhteensä",
    "definition": "määritelmä",
    "source": "lähde",
}


def _shown(report: dict[str, Any], small: set[str]) -> dict[str, list[dict]]:
    """The sections with hidden counts written `<N` (small) or `x` (hidden to protect them)."""
    from veto.reports.suppression import path_text

    below = report["suppress_below"]
    shown = {}
    for section in SECTIONS:
        rows = []
        for index, row in enumerate(report[section]):
            row = dict(row)
            for column in COUNT_COLUMNS:
                if row[column] is None:
                    small_cell = path_text((section, index, column)) in small
                    row[column] = f"<{below}" if small_cell else "x"
            rows.append(row)
        shown[section] = rows
    return shown


def render_esf(
    report: dict[str, Any],
    fmt: str,
    *,
    small: set[str] | frozenset = frozenset(),
    out: TextIO | None = None,
) -> None:
    """The report as Finnish tables, one JSON object (hidden counts `null`), or CSV with one
    row per line; in tables and CSV a hidden small count reads `<N`, a protecting one `x`."""
    from veto.outputs.render import check_format, render_rows, to_json, write_csv

    out = out or sys.stdout
    fmt = check_format(fmt)
    if fmt == "json":
        out.write(to_json(report) + "\n")
        return
    shown = _shown(report, set(small))
    if fmt == "csv":
        rows = [{"section": s, **row} for s in SECTIONS for row in shown[s]]
        write_csv(rows, out, ["section", *ROW_COLUMNS])
        return
    period = Period(report["period"]["start"], report["period"]["end"])
    out.write(f"ESR+-indikaattorit, kausi: {period.label}\n")
    for section, title in SECTIONS.items():
        rows = [{_TABLE_HEADERS[c]: row[c] for c in ROW_COLUMNS} for row in shown[section]]
        out.write("\n")
        render_rows(rows, "table", columns=list(_TABLE_HEADERS.values()), out=out, title=title)
    out.write("\nHuomautukset:\n")
    for line in report["notes"]:
        out.write(f"- {line}\n")

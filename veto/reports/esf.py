"""The ESF+ common indicators on participants (Regulation (EU) 2021/1057, Annex I), computed in
SQL from the store, each broken down by women, men and non-binary persons.

Participants of a period are those whose entry (recorded entry date, else first phase start)
falls within it; the result indicators are over those whose exit falls within it. Age is the
age at entry. Answers not given are counted in their own rows ("ei tiedossa"), never guessed:
with only a birth year, an age on a band's edge (17/18, 29/30, 54/55) is not placed in a band.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from veto.domain.audit import log_access_direct
from veto.domain.dates import Period
from veto.domain.participation import IMMEDIATE_WINDOW_DAYS, TIMELINE, latest_exit_due_by
from veto.errors import InputError
from veto.i18n import N_, _
from veto.store import report_functions
from veto.store.dialect import days_between, month_day_of, year_of
from veto.store.report_functions import FIRST_DAY, LAST_DAY, ReportQuery

if TYPE_CHECKING:
    from veto.outputs.report import Report
    from veto.store.direct import Work

GENDERS = {"female": "women", "male": "men", "other": "non_binary"}
COUNT_COLUMNS = ["women", "men", "non_binary", "total"]
ROW_COLUMNS = ["code", "indicator", *COUNT_COLUMNS, "definition", "source"]

ANNEX = N_("Reg. (EU) 2021/1057 Annex I")
CHECK = N_("code: check against the SFC code list")
CONFIRMED = N_("code confirmed by the Commission SFC FAQ")
# The SFC support portal's FAQ of 13.4.2023 defines EECO13, EECO14 and EECO15 by these codes.
SPECIAL = N_("special-category data")
CARRIED_OVER = N_("definition: Commission SFC FAQ (2014–2020 definition carried over)")
FAQ_13_15 = N_("code confirmed by the Commission SFC FAQ (13.4.2023)")


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
        N_("total number of participants (the sum of unemployed, inactive and employed)"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO02",
        "Työttömät, myös pitkäaikaistyöttömät",
        N_("unemployed, including long-term unemployed"),
        f"{ANNEX}; {CONFIRMED}",
    ),
    Indicator("EECO03", "Pitkäaikaistyöttömät", N_("long-term unemployed"), f"{ANNEX}; {CHECK}"),
    Indicator("EECO04", "Työvoiman ulkopuolella olevat", N_("inactive"), f"{ANNEX}; {CHECK}"),
    Indicator(
        "EECO05",
        "Työlliset, myös yrittäjät",
        N_("employed, including self-employed"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO06", "Alle 18-vuotiaat", N_("children below 18 years of age"), f"{ANNEX}; {CHECK}"
    ),
    Indicator(
        "EECO07",
        "18–29-vuotiaat nuoret",
        N_("young people between 18 and 29 years of age"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO08",
        "55 vuotta täyttäneet",
        N_("participants of 55 years of age and above"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO09",
        "Enintään perusasteen koulutus (ISCED 0–2)",
        N_("with lower secondary education or less (ISCED 0-2)"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO10",
        "Toisen asteen tai toisen asteen jälkeinen koulutus (ISCED 3–4)",
        N_("with upper secondary (ISCED 3) or post-secondary education (ISCED 4)"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO11",
        "Korkea-asteen koulutus (ISCED 5–8)",
        N_("with tertiary education (ISCED 5 to 8)"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO12",
        "Osallistujat, joilla on vamma",
        N_("participants with disabilities"),
        f"{ANNEX}; {CONFIRMED}; {SPECIAL}",
    ),
    Indicator(
        "EECO13",
        "Kolmansien maiden kansalaiset",
        N_("third-country nationals"),
        f"{ANNEX}; {FAQ_13_15}",
    ),
    Indicator(
        "EECO14",
        "Ulkomaalaistaustaiset osallistujat",
        N_("participants with a foreign background"),
        f"{ANNEX}; {FAQ_13_15}",
    ),
    Indicator(
        "EECO15",
        "Vähemmistöt (myös marginalisoidut yhteisöt, kuten romanit)",
        N_("minorities (including marginalised communities such as Roma)"),
        f"{ANNEX}; {FAQ_13_15}; {SPECIAL}",
    ),
    Indicator(
        "EECO16",
        "Asunnottomat tai asuntomarkkinoilta syrjäytyneet",
        N_("homeless or affected by housing exclusion"),
        f"{ANNEX}; {CHECK}",
    ),
    Indicator(
        "EECO17",
        "Maaseutualueilta tulevat osallistujat",
        N_("participants from rural areas"),
        f"{ANNEX}; {CHECK}",
    ),
]

_WINDOW = N_("4-week window: Commission monitoring and evaluation guidance")
RESULT_INDICATORS = [
    Indicator(
        "EECR01",
        "Työnhakijana osallistumisen päättyessä",
        N_("participants engaged in job searching upon leaving"),
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR02",
        "Koulutuksessa osallistumisen päättyessä",
        N_("participants in education or training upon leaving"),
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR03",
        "Tutkinnon tai todistuksen saaneet osallistumisen päättyessä",
        N_("participants gaining a qualification upon leaving"),
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR04",
        "Työssä, myös yrittäjänä, osallistumisen päättyessä",
        N_("participants in employment, including self-employment, upon leaving"),
        f"{ANNEX}; {_WINDOW}",
    ),
    Indicator(
        "EECR05",
        "Työssä, myös yrittäjänä, 6 kk päättymisen jälkeen",
        N_("participants in employment, including self-employment, six months after leaving"),
        ANNEX,
    ),
    Indicator(
        "EECR06",
        "Työmarkkinatilanne parantunut 6 kk päättymisen jälkeen",
        N_(
            "participants with an improved labour market situation six months after leaving "
            "(of those employed at entry)"
        ),
        f"{ANNEX}; {CARRIED_OVER}",
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


def _within(column: str, period: Period) -> tuple[str, dict[str, date]]:
    """The SQL condition that `column` is a day of `period`, and its parameters."""
    rules, params = [f"{column} IS NOT NULL"], {}
    if period.start is not None:
        rules.append(f"{column} >= :start")
        params["start"] = period.start
    if period.end is not None:
        rules.append(f"{column} <= :end")
        params["end"] = period.end
    return " AND ".join(rules), params


def _entry_conditions(dialect: str) -> dict[str, str]:
    """Counting rules over entrants (SQL over the timeline `t`): indicator codes and the keys of
    the unknown rows."""
    entry_year = year_of(dialect, "t.entry_on")
    birthday_to_come = (
        f"{month_day_of(dialect, 't.entry_on')} < {month_day_of(dialect, 't.birth_date')}"
    )
    exact_age = (
        f"({entry_year} - {year_of(dialect, 't.birth_date')}"
        f" - CASE WHEN {birthday_to_come} THEN 1 ELSE 0 END)"
    )
    # With only a birth year the age at entry is `years` or `years - 1`.
    years = f"({entry_year} - t.birth_year)"
    dated = "t.birth_date IS NOT NULL"
    year_only = "t.birth_date IS NULL AND t.birth_year IS NOT NULL"
    rules = {
        "EECO02": "t.status IN ('unemployed', 'long-term-unemployed')",
        "EECO03": "t.status = 'long-term-unemployed'",
        "EECO04": "t.status = 'inactive'",
        "EECO05": "t.status = 'employed'",
        "EECO06": f"({dated} AND {exact_age} < 18) OR ({year_only} AND {years} <= 17)",
        "EECO07": (
            f"({dated} AND {exact_age} BETWEEN 18 AND 29) "
            f"OR ({year_only} AND {years} BETWEEN 19 AND 29)"
        ),
        "EECO08": f"({dated} AND {exact_age} >= 55) OR ({year_only} AND {years} >= 56)",
        "EECO09": "t.isced = '0-2'",
        "EECO10": "t.isced = '3-4'",
        "EECO11": "t.isced = '5-8'",
        "entry_missing": "t.participant_id IS NULL",
        "age_unknown": "t.birth_date IS NULL AND t.birth_year IS NULL",
        "age_edge": f"{year_only} AND {years} IN (18, 30, 55)",
        "isced_unknown": "t.isced = 'unknown'",
    }
    for code, (column, _name) in _TRAITS.items():
        rules[code] = f"t.{column} = 'yes'"
        rules[f"{code}_not_told"] = f"t.{column} = 'not-told'"
        rules[f"{code}_not_asked"] = f"t.participant_id IS NOT NULL AND t.{column} IS NULL"
    return rules


def _exit_conditions(dialect: str) -> dict[str, str]:
    """Counting rules over leavers (SQL over the timeline `t`; `:due` is the last exit day
    whose six-month follow-up is due)."""
    answered = "t.exit_answered_on IS NOT NULL"
    waited = days_between(dialect, "t.exit_answered_on", "t.exit_on")
    in_window = f"({answered} AND {waited} <= {IMMEDIATE_WINDOW_DAYS})"
    followed = "t.followup_on IS NOT NULL"
    employed_at_entry = "t.status = 'employed'"
    due = "t.exit_on <= :due"
    rules = {
        "leavers_employed_at_entry": employed_at_entry,
        "exit_missing": f"NOT ({answered})",
        "exit_late": f"{answered} AND NOT {in_window}",
        "EECR05": f"{followed} AND t.employed_6m = 'yes'",
        "EECR06": f"{followed} AND {employed_at_entry} AND t.improved_6m = 'yes'",
        "followup_not_due": f"NOT ({followed}) AND NOT ({due})",
        "followup_missing": f"NOT ({followed}) AND {due}",
        "EECR05_unknown": f"{followed} AND (t.employed_6m IS NULL OR t.employed_6m = 'unknown')",
        "EECR06_unknown": (
            f"{followed} AND {employed_at_entry} "
            "AND (t.improved_6m IS NULL OR t.improved_6m = 'unknown')"
        ),
    }
    for code, column in _EXIT.items():
        rules[code] = f"{in_window} AND t.{column} = 'yes'"
        rules[f"{code}_unknown"] = f"{in_window} AND (t.{column} IS NULL OR t.{column} = 'unknown')"
    return rules


def _count_sql(condition: str, rules: dict[str, str]) -> str:
    """One GROUP BY gender query counting each rule over the timeline rows meeting `condition`."""
    sums = ",\n       ".join(
        f'SUM(CASE WHEN {rule} THEN 1 ELSE 0 END) AS "{key}"' for key, rule in rules.items()
    )
    return (
        f'SELECT t.gender, COUNT(*) AS "all",\n       {sums}\n'
        f"FROM {TIMELINE} AS t\nWHERE {condition}\nGROUP BY t.gender"
    )


# Each count: the timeline's date column a period selects by, and its rules.
_COUNTS = {"entry": ("t.entry_on", _entry_conditions), "exit": ("t.exit_on", _exit_conditions)}


def _query(name: str, dialect: str) -> ReportQuery:
    """Count `name` as the store's function: both period ends always compared."""
    column, conditions = _COUNTS[name]
    whole = _within(column, Period(FIRST_DAY, LAST_DAY))[0]
    return ReportQuery(f"esf_{name}", _count_sql(whole, conditions(dialect)))


def server_queries() -> list[ReportQuery]:
    return [_query(name, "postgresql") for name in _COUNTS]


def _count_by_gender(
    work: Work, name: str, period: Period, params: dict | None = None
) -> dict[str, dict]:
    """{rule key: {women, men, non_binary, total}} of count `name` (entry or exit) over
    `period`, from one GROUP BY gender query."""
    column, conditions = _COUNTS[name]
    rules = conditions(work.dialect)
    condition, bounds = _within(column, period)
    extra = params or {}
    found = report_functions.rows(
        work,
        _query(name, work.dialect),
        {"start": period.start or FIRST_DAY, "end": period.end or LAST_DAY, **extra},
        sql=_count_sql(condition, rules),
        direct_params={**bounds, **extra},
    )
    counts = {key: dict.fromkeys(COUNT_COLUMNS, 0) for key in ["all", *rules]}
    for row in found:
        for key in counts:
            value = int(getattr(row, key) or 0)
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
                N_("no entry data recorded (veto esf entry)"),
            ),
        ),
        (
            "age_unknown",
            _row(
                "EECO06–EECO08",
                "Ikä ei tiedossa",
                entry["age_unknown"],
                N_("no birth date or year"),
            ),
        ),
        (
            "age_edge",
            _row(
                "EECO06–EECO08",
                "Ikä rajalla, vain syntymävuosi tiedossa",
                entry["age_edge"],
                N_("birth year only and the age at entry may be 17/18, 29/30 or 54/55"),
            ),
        ),
        (
            "isced_unknown",
            _row(
                "EECO09–EECO11",
                "Koulutustaso ei tiedossa",
                entry["isced_unknown"],
                N_("ISCED unknown"),
            ),
        ),
    ]
    for code, (_column, name) in _TRAITS.items():
        told, asked = f"{code}_not_told", f"{code}_not_asked"
        rows.append((told, _row(code, f"{name}: ei halunnut kertoa", entry[told], N_("not told"))))
        rows.append((asked, _row(code, f"{name}: ei kysytty", entry[asked], N_("not asked"))))
    rows += [
        (
            "exit_missing",
            _row(
                "EECR01–EECR04",
                "Tilanne päättyessä kirjaamatta",
                leave["exit_missing"],
                N_("no exit situation recorded (veto esf exit)"),
            ),
        ),
        (
            "exit_late",
            _row(
                "EECR01–EECR04",
                "Tilanne kirjattu yli 4 viikkoa päättymisen jälkeen (ei lasketa)",
                leave["exit_late"],
                N_("situation recorded more than 4 weeks after leaving: not an immediate result"),
            ),
        ),
    ]
    for code in _EXIT:
        key = f"{code}_unknown"
        rows.append((key, _row(code, "Ei tiedossa päättyessä", leave[key], N_("answer unknown"))))
    rows += [
        (
            "followup_not_due",
            _row(
                "EECR05–EECR06",
                "6 kk seuranta ei vielä erääntynyt",
                leave["followup_not_due"],
                N_("six months after leaving not yet reached"),
            ),
        ),
        (
            "followup_missing",
            _row(
                "EECR05–EECR06",
                "6 kk seuranta erääntynyt, vastaus puuttuu",
                leave["followup_missing"],
                N_("follow-up due, no answer recorded (veto esf followup)"),
            ),
        ),
    ]
    for code in ("EECR05", "EECR06"):
        key = f"{code}_unknown"
        rows.append(
            (key, _row(code, "Ei tiedossa 6 kk kohdalla", leave[key], N_("answer unknown")))
        )
    return rows


def esf_report(
    work: Work,
    *,
    period: Period,
    today: date | None = None,
) -> dict[str, Any]:
    """The common output and result indicators on participants for `period`, with the
    definitions and sources beside each code, the bases of the results, and every unknown or
    missing answer counted in its own row (`unknown`, each with its rule `key`)."""
    today = today or date.today()
    entry = _count_by_gender(work, "entry", period)
    leave = _count_by_gender(work, "exit", period, {"due": latest_exit_due_by(today)})
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
    log_access_direct(work, action="report.esf", record=f"esf:{period.start}..{period.end}")
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
    from veto.reports.suppression import apply, marks_reveal, suppress

    if below < 2:
        raise InputError(
            _("invalid --suppress-below {below}: give 2 or more (e.g. 5)").format(below=below)
        )
    counts, margins = _margins(report)
    result = suppress(counts, margins, below=below)
    apply(report, result)
    report["suppress_below"] = below
    report["suppressed"] = result.paths
    if marks_reveal(counts, margins, result, below=below):
        report["notes"].append(
            f"Pienet luvut peitetty: x = piilotettu (alle {below} henkilöä, tai luku, josta pieni "
            "luku olisi laskettavissa muista luvuista)."
        )
        return report, set()
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


def _in_words(column: str, value: Any) -> Any:
    """A definition or a source in the current language (the Annex's English in English)."""
    if not value or column not in ("definition", "source"):
        return value
    return "; ".join(_(part) for part in value.split("; "))


def esf_document(report: dict[str, Any], small: set[str] | frozenset = frozenset()) -> Report:
    """The report as one `Report` (veto.outputs.report): Finnish tables with hidden counts
    written `<N` (small) or `x` (hidden to protect them); CSV with one row per line."""
    from veto.outputs.report import Cell, Report, Table, text
    from veto.reports.suppression import path_text

    below = report["suppress_below"]
    tables, csv_rows = [], []
    for section, title in SECTIONS.items():
        table = Table(title, list(_TABLE_HEADERS.values()), heading=2, keys=2)
        for index, row in enumerate(report[section]):
            cells, flat = [], {"section": section}
            for column in ROW_COLUMNS:
                value = row[column]
                if column in COUNT_COLUMNS:
                    mark = None
                    if value is None:
                        mark = "x"
                        if path_text((section, index, column)) in small:
                            mark = f"<{below}"
                    cells.append(Cell(value, mark=mark))
                    flat[column] = mark if mark else value
                else:
                    cells.append(text(_in_words(column, value)))
                    flat[column] = value
            table.rows.append(cells)
            csv_rows.append(flat)
        tables.append(table)
    period = Period(report["period"]["start"], report["period"]["end"])
    return Report(
        title=f"ESR+-indikaattorit, kausi: {period.label}",
        data=report,
        tables=tables,
        csv_columns=["section", *ROW_COLUMNS],
        csv_rows=csv_rows,
        notes=report["notes"],
    )

"""The tracking workbook (seurantaexcel): the ONE definition of its sheets and columns.

Export writes exactly these sheets and columns in this order; import finds them again by their
Finnish header, their English key (`code`, `start`, …) or an alias, in any order. Enumerations
are written as their Finnish labels (the dropdowns offer those); import accepts the labels, the
English values and every alias of `veto.vocabulary`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from veto import vocabulary
from veto.domain.employers import parse_business_id, parse_email

# Kinds of cell: how a value is written and read back.
TEXT, DATE, INTEGER, DECIMAL, YES_NO, ENUM = "text", "date", "integer", "decimal", "yes_no", "enum"
ID = "id"  # the record's id in the store: veto's own column, hidden, last on every sheet
YES, NO = "kyllä", "ei"
DATE_FORMAT = "d.m.yyyy"


@dataclass(frozen=True)
class Column:
    """One column: `key` names the field in rows (and is accepted as an English header)."""

    key: str
    header: str
    kind: str = TEXT
    enumeration: str | None = None
    width: int = 14
    required: bool = False
    aliases: tuple[str, ...] = ()
    places: int = 2
    maximum: str | None = None
    # A text column's own rule (e.g. the Y-tunnus check digit), the same one the commands apply.
    check: Callable[[str], str] | None = None

    @property
    def names(self) -> set[str]:
        """Every header, folded, that names this column on import."""
        spellings = (self.header, self.key, self.key.replace("_", " "), *self.aliases)
        return {vocabulary.fold(s).replace("-", " ") for s in spellings}

    def choices(self) -> list[str]:
        """The dropdown entries of an enumeration or yes/no column ([] for others)."""
        if self.kind == ENUM:
            return list(vocabulary.labels(self.enumeration).values())
        if self.kind == YES_NO:
            return [YES, NO]
        return []


@dataclass(frozen=True)
class Sheet:
    """A sheet of records: `key` is its English name (also accepted on import)."""

    key: str
    title: str
    table: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        return {vocabulary.fold(s) for s in (self.title, self.key, *self.aliases)}

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


# The key of the id column (not `id`: a coach's own sheet may well number its rows "id").
RECORD_ID = "veto_id"


def _record_id() -> Column:
    """The last column of every sheet: which stored record the row is (blank on a new row)."""
    return Column(RECORD_ID, "Tunniste", ID, width=9, aliases=("veto-tunniste",))


def _client() -> Column:
    return Column("client", "Asiakaskoodi", width=13, required=True, aliases=("koodi", "asiakas"))


COACHES = Sheet(
    "coaches",
    "Valmentajat",
    "Valmentajat",
    (
        Column("name", "Nimi", width=24, required=True),
        Column("email", "Sähköposti", width=26),
        Column("phone", "Puhelin", width=16),
        Column("area", "Alue", width=18),
        _record_id(),
    ),
    aliases=("työvalmentajat",),
)

CLIENTS = Sheet(
    "clients",
    "Asiakkaat",
    "Asiakkaat",
    (
        Column("code", "Asiakaskoodi", width=13, required=True, aliases=("koodi", "client")),
        Column("name", "Nimi", width=24, required=True),
        Column("gender", "Sukupuoli", ENUM, "gender", width=11, required=True),
        Column("background", "Tausta", ENUM, "background", width=18, required=True),
        Column("birth_year", "Syntymävuosi", INTEGER, width=12),
        Column("birth_date", "Syntymäaika", DATE, width=12),
        Column("coach", "Valmentaja", width=20),
        Column("municipality", "Kunta", width=14),
        Column("phone", "Puhelin", width=16),
        Column("email", "Sähköposti", width=26),
        Column("ended", "Päättynyt", DATE, width=12, aliases=("ended on", "päättyi")),
        Column("outcome", "Tulos", ENUM, "outcome", width=30),
        Column("field", "Ala", width=20, aliases=("outcome field",)),
        _record_id(),
    ),
)

PHASES = Sheet(
    "phases",
    "Vaiheet",
    "Vaiheet",
    (
        _client(),
        Column("kind", "Vaihe", ENUM, "phase kind", width=18, required=True, aliases=("phase",)),
        Column("start", "Alkoi", DATE, width=12, required=True, aliases=("alku",)),
        Column("end", "Päättyi", DATE, width=12, aliases=("loppu",)),
        _record_id(),
    ),
)

EMPLOYERS = Sheet(
    "employers",
    "Työnantajat",
    "Tyonantajat",
    (
        Column("name", "Nimi", width=30, required=True, aliases=("työnantaja",)),
        Column("business_id", "Y-tunnus", width=12, aliases=("ytunnus",), check=parse_business_id),
        Column("sector", "Toimiala", width=18),
        Column("municipality", "Kunta", width=14),
        Column("address", "Osoite", width=30),
        _record_id(),
    ),
)

CONTACT_PERSONS = Sheet(
    "contact_persons",
    "Yhteyshenkilöt",
    "Yhteyshenkilot",
    (
        Column("employer", "Työnantaja", width=30, required=True),
        Column("name", "Nimi", width=24, required=True, aliases=("yhteyshenkilö",)),
        Column("role", "Rooli", width=18, aliases=("tehtävä",)),
        Column("phone", "Puhelin", width=16),
        Column("email", "Sähköposti", width=26, check=parse_email),
        _record_id(),
    ),
    aliases=("contact persons",),
)

PLACEMENTS = Sheet(
    "placements",
    "Työpaikat",
    "Tyopaikat",
    (
        _client(),
        Column("employer", "Työnantaja", width=30, required=True),
        Column("kind", "Laji", ENUM, "placement kind", width=14, required=True),
        Column("start", "Alkoi", DATE, width=12, required=True, aliases=("alku",)),
        Column("end", "Päättyi", DATE, width=12, aliases=("loppu",)),
        Column("title", "Tehtävänimike", width=20),
        Column("tasks", "Työtehtävät", width=30),
        Column("supervisor_name", "Esihenkilö", width=20, aliases=("supervisor",)),
        Column("supervisor_contact", "Esihenkilön yhteystiedot", width=24),
        Column("employment_form", "Työsuhteen muoto", ENUM, "employment form", width=26),
        Column("employment_other", "Muu muoto", width=16),
        Column(
            "hours_per_month", "Tunteja kuukaudessa", DECIMAL, width=12, places=1, maximum="99999"
        ),
        Column("full_time", "Kokoaikainen", YES_NO, width=12),
        Column("pay_per_hour", "Tuntipalkka €", DECIMAL, width=12, maximum="999999"),
        Column("pay_per_month", "Kuukausipalkka €", DECIMAL, width=14, maximum="99999999"),
        Column("wage_subsidy", "Palkkatuki", YES_NO, width=11),
        Column("arrangement_support", "Järjestelytuki", YES_NO, width=13),
        _record_id(),
    ),
    aliases=("työkokeilut",),
)

CONTACTS = Sheet(
    "contacts",
    "Yhteydenotot",
    "Yhteydenotot",
    (
        Column("employer", "Työnantaja", width=30, required=True),
        Column("on", "Päivä", DATE, width=12, required=True, aliases=("päivämäärä", "date")),
        Column("channel", "Kanava", ENUM, "channel", width=12, required=True),
        Column("stage", "Vaihe", ENUM, "stage", width=14, required=True),
        Column("person", "Yhteyshenkilö", width=20, aliases=("contact person",)),
        Column("client", "Asiakaskoodi", width=13, aliases=("koodi", "asiakas")),
        Column("coach", "Valmentaja", width=20),
        Column("next", "Seuraava yhteydenotto", DATE, width=14, aliases=("seuraava",)),
        Column("note", "Muistiinpano", width=40, aliases=("muistiinpanot", "huom")),
        _record_id(),
    ),
)

HOURS = Sheet(
    "hours",
    "Tunnit",
    "Tunnit",
    (
        _client(),
        Column("on", "Päivä", DATE, width=12, required=True, aliases=("päivämäärä", "date")),
        Column("hours", "Tunnit", DECIMAL, width=8, required=True, maximum="24"),
        Column("kind", "Laji", ENUM, "activity kind", width=20),
        Column("note", "Muistiinpano", width=40, aliases=("muistiinpanot", "huom")),
        Column("coach", "Valmentaja", width=20),
        _record_id(),
    ),
    aliases=("activities", "valmennustunnit"),
)

# In the order of the workbook; Tulokset (results) follows them and is never imported.
SHEETS = (COACHES, CLIENTS, PHASES, EMPLOYERS, CONTACT_PERSONS, PLACEMENTS, CONTACTS, HOURS)
RESULTS_TITLE = "Tulokset"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

"""The fields a coach's columns can be mapped to, per kind of record (`--into`), the usual
Finnish and English headers of each, and the mapping a user gives (`--map`, `--column`).

A field is stored through a column of the tracking workbook's layout (`veto.workbook.layout`),
so a value is parsed exactly as `veto import xlsx` parses it: enumerations through
`veto.vocabulary` (Finnish labels, English values, aliases), dates 1.8.2024 or 2024-08-01,
numbers with a decimal comma or point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from veto.errors import InputError
from veto.i18n import _
from veto.vocabulary import fold
from veto.workbook import layout
from veto.workbook.layout import DATE, ID, INTEGER, Column

TARGETS = ("clients", "phases", "placements", "hours", "employers", "contacts")
IGNORE = "-"


@dataclass(frozen=True)
class Field:
    """`name` is what users map a header to; `column` parses the value (its `key` is the
    workbook column the value goes to); `names` are extra headers that mean this field."""

    name: str
    column: Column
    names: tuple[str, ...] = ()


def header_key(text: str) -> str:
    """A header folded for matching: case, accents, '-', '_', '.', ':' and extra spaces aside."""
    return " ".join(re.sub(r"[-_.:*()/]", " ", fold(text)).split())


def _model_name(key: str) -> str:
    """The workbook column's key as the model names the field (start -> start_on, …)."""
    from veto.workbook.plan import model_field

    return model_field(key)


def _from_sheet(sheet: layout.Sheet, extra: dict[str, tuple[str, ...]]) -> list[Field]:
    return [
        Field(_model_name(c.key), c, extra.get(_model_name(c.key), ()))
        for c in sheet.columns
        if c.kind != ID  # veto's own record id: a coach's table has none
    ]


# Columns that say who the client is, where a row is about a client's other records.
_WHO = [
    Field(
        "client",
        Column("client", "Asiakaskoodi"),
        ("asiakaskoodi", "koodi", "code", "client code", "client"),
    ),
    Field(
        "name",
        Column("name", "Nimi"),
        ("nimi", "asiakas", "asiakkaan nimi", "name", "client name", "full name"),
    ),
    Field(
        "birth_year",
        Column("birth_year", "Syntymävuosi", INTEGER),
        ("syntymavuosi", "syntynyt", "vuosi", "birth year", "year of birth", "born"),
    ),
]

_CLIENT_NAMES = {
    "code": ("asiakaskoodi", "koodi", "tunnus", "client code", "id"),
    "name": ("asiakas", "asiakkaan nimi", "nimi", "name", "full name", "client"),
    "gender": ("sukupuoli", "sukup", "gender", "sex"),
    "background": ("tausta", "maahanmuuttajatausta", "background", "origin"),
    "birth_year": (
        "syntymavuosi",
        "synt vuosi",
        "syntynyt",
        "vuosi",
        "birth year",
        "year of birth",
        "born",
    ),
    "birth_date": ("syntymaaika", "syntymapaiva", "birth date", "date of birth"),
    "coach": ("valmentaja", "tyovalmentaja", "tyohonvalmentaja", "vastuuvalmentaja", "coach"),
    "municipality": ("kunta", "kotikunta", "asuinkunta", "municipality", "city"),
    "ended_on": ("paattynyt", "paattyi", "lopetus", "lopetettu", "paattymispaiva", "ended", "end"),
    "outcome": ("tulos", "jatko", "jatkosijoittuminen", "sijoittuminen", "outcome", "result"),
    "outcome_field": ("ala", "tulos ala", "outcome field", "field"),
}

CLIENT_FIELDS = [
    *_from_sheet(layout.CLIENTS, _CLIENT_NAMES),
    Field(
        "coaching_start",
        Column("coaching_start", "Aloitus", DATE),
        (
            "aloitus",
            "aloitettu",
            "aloituspaiva",
            "aloitus pvm",
            "aloituspvm",
            "alkoi",
            "valmennus alkoi",
            "tyovalmennus alkoi",
            "tyovalmennus",
            "coaching start",
            "coaching started",
            "start",
            "started",
        ),
    ),
    Field(
        "placement_start",
        Column("placement_start", "Työhönvalmennus alkoi", DATE),
        (
            "tyohonvalmennus alkoi",
            "tyohonvalm alkoi",
            "tyohonvalmennus",
            "placement start",
            "placement started",
        ),
    ),
    Field(
        "employer",
        Column("employer", "Työnantaja"),
        ("tyokokeilu", "tyokokeilupaikka", "tyonantaja", "employer", "work trial", "trial"),
    ),
    Field(
        "trial_start",
        Column("trial_start", "Työkokeilu alkoi", DATE),
        ("tyokokeilu alkoi", "kokeilu alkoi", "trial start", "work trial start"),
    ),
    Field(
        "trial_end",
        Column("trial_end", "Työkokeilu päättyi", DATE),
        ("tyokokeilu paattyi", "kokeilu paattyi", "trial end", "work trial end"),
    ),
]


def _about_client(sheet: layout.Sheet, extra: dict[str, tuple[str, ...]]) -> list[Field]:
    own = [f for f in _from_sheet(sheet, extra) if f.name != "client"]
    return [*_WHO, *own]


FIELDS: dict[str, list[Field]] = {
    "clients": CLIENT_FIELDS,
    "phases": _about_client(
        layout.PHASES,
        {
            "kind": ("vaihe", "laji", "phase", "kind"),
            "start_on": ("alkoi", "alku", "aloitus", "start", "started"),
            "end_on": ("paattyi", "loppu", "end", "ended"),
        },
    ),
    "placements": _about_client(
        layout.PLACEMENTS,
        {
            "employer": ("tyonantaja", "tyopaikka", "tyokokeilu", "tyokokeilupaikka", "employer"),
            "kind": ("laji", "muoto", "kind"),
            "start_on": ("alkoi", "alku", "aloitus", "start"),
            "end_on": ("paattyi", "loppu", "end"),
        },
    ),
    "hours": _about_client(
        layout.HOURS,
        {
            "on_date": ("paiva", "pvm", "paivamaara", "date", "day"),
            "hours": ("tunnit", "tuntia", "h", "hours"),
            "kind": ("laji", "toiminta", "kind"),
            "coach": ("valmentaja", "coach"),
        },
    ),
    "employers": _from_sheet(
        layout.EMPLOYERS, {"name": ("tyonantaja", "yritys", "nimi", "employer", "name")}
    ),
    "contacts": _from_sheet(layout.CONTACTS, {"client": ("asiakaskoodi", "koodi", "client")}),
}
# What each kind of record cannot do without (a field, or any one of several).
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "clients": [("code", "name")],
    "phases": [("client", "name"), ("kind",), ("start_on",)],
    "placements": [("client", "name"), ("employer",), ("start_on",)],
    "hours": [("client", "name"), ("on_date",), ("hours",)],
    "employers": [("name",)],
    "contacts": [("employer",), ("on_date",), ("channel",), ("stage",)],
}


def fields_of(into: str) -> dict[str, Field]:
    if into not in FIELDS:
        raise InputError(
            _("unknown --into '{into}': use one of {choices}").format(
                into=into, choices="|".join(TARGETS)
            )
        )
    return {f.name: f for f in FIELDS[into]}


def header_names(into: str) -> dict[str, str]:
    """Folded header -> field name; a field's own extra names win over another's layout names."""
    found: dict[str, str] = {}
    fields = FIELDS[into]
    for f in fields:
        for name in f.column.names | {f.name, f.name.replace("_", " ")}:
            found.setdefault(header_key(name), f.name)
    for f in fields:
        for name in f.names:
            found[header_key(name)] = f.name
    return found


@dataclass
class Mapping:
    """What the user said: the sheet, header -> field (IGNORE for a column not to import) and
    per field extra value aliases (folded text -> the value to parse instead)."""

    sheet: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    spelled: dict[str, str] = field(default_factory=dict)  # folded header -> as the user wrote it


def _field_name(text: object, into: str, where: str) -> str:
    if text is None or str(text).strip() in ("", IGNORE, "ignore"):
        return IGNORE
    name = str(text).strip()
    if name not in fields_of(into):
        raise InputError(
            f"{where}: unknown field '{name}' for --into {into}: use one of "
            + ", ".join(fields_of(into))
            + f" (or {IGNORE} to leave the column out)"
        )
    return name


def load_mapping(path: Path | None, columns: list[str], *, into: str) -> Mapping:
    """The mapping file (YAML: `sheet`, `columns: {HEADER: FIELD}`, `values: {FIELD: {TEXT:
    VALUE}}`) with `--column HEADER=FIELD` options over it."""
    fields_of(into)
    mapping = Mapping()
    if path is not None:
        mapping = _read_mapping(Path(path), into)
    for option in columns:
        header, sep, name = option.rpartition("=")
        if not sep or not header.strip():
            raise InputError(
                _("--column '{option}': give HEADER=FIELD, e.g. --column 'Asiakas=name'").format(
                    option=option
                )
            )
        mapping.columns[header_key(header)] = _field_name(name, into, f"--column '{option}'")
        mapping.spelled[header_key(header)] = header.strip()
    return mapping


def _read_mapping(path: Path, into: str) -> Mapping:
    import yaml

    if not path.is_file():
        raise InputError(_("cannot read mapping '{path}': no such file").format(path=path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(
            _("cannot read mapping '{path}': save it as UTF-8 text").format(path=path)
        ) from None
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0]
        raise InputError(
            _("cannot read mapping '{path}' as YAML ({reason})").format(path=path, reason=reason)
        ) from None
    where = path.name
    if data is None:
        data = {}
    if not isinstance(data, dict) or set(map(str, data)) - {"sheet", "columns", "values"}:
        raise InputError(
            _("{where}: give a mapping with the keys sheet, columns and values").format(where=where)
        )
    mapping = Mapping()
    if data.get("sheet") is not None:
        mapping.sheet = str(data["sheet"])
    columns = data.get("columns") or {}
    values = data.get("values") or {}
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise InputError(
            _("{where}: columns and values are mappings (HEADER: FIELD, FIELD: {{}})").format(
                where=where
            )
        )
    for header, name in columns.items():
        mapping.columns[header_key(str(header))] = _field_name(
            name, into, f"{where}, columns, '{header}'"
        )
        mapping.spelled[header_key(str(header))] = str(header).strip()
    known = fields_of(into)
    for name, aliases in values.items():
        name = str(name)
        if name not in known:
            _field_name(name, into, f"{where}, values")
        if not isinstance(aliases, dict):
            raise InputError(
                _("{where}, values, {name}: give TEXT: VALUE pairs").format(where=where, name=name)
            )
        mapping.values[name] = {fold(str(k)): str(v) for k, v in aliases.items()}
    return mapping


_SHORT_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{2})\s*$")


def full_year(text: str, *, today: date | None = None) -> str:
    """A date with a two-digit year (LibreOffice's Finnish default, 05.08.24) with the century
    written out: the year is at most next year (24 -> 2024, 85 -> 1985). Other text as it is."""
    found = _SHORT_DATE.match(text)
    if found is None:
        return text
    day, month, short = found.groups()
    pivot = (today or date.today()).year + 1
    year = pivot - (pivot - int(short)) % 100
    return f"{int(day)}.{int(month)}.{year}"


def with_header(f: Field, header: str) -> Column:
    """The field's column as the user's sheet names it (for the problems it reports)."""
    return replace(f.column, header=header)

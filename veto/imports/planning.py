"""`veto import table`: a coach's own table into the store, every row checked, all or nothing.

The rows are read (`veto.imports.tables`), their headers mapped to fields (`veto.imports.fields`),
each row matched to a stored client (by code, else by name and birth year; a row that could be
two clients is a problem), and turned into the records of the tracking workbook's sheets: one
row of a clients table may give a client, its phases, its end, an employer and a work trial.
Those records then go through the same plan as `veto import xlsx` (`veto.workbook.plan`):
the same checks, the same workflow rules, the same natural keys — so importing a table twice
changes nothing — and the same bulk write, in the command's one transaction.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from veto.domain.clients import next_codes
from veto.domain.dates import finnish
from veto.errors import InputError
from veto.i18n import N_, NC_, _, ngettext, pgettext
from veto.imports.fields import (
    IGNORE,
    REQUIRED,
    Field,
    Mapping,
    fields_of,
    full_year,
    header_key,
    header_names,
    load_mapping,
    with_header,
)
from veto.imports.tables import Table, read_table
from veto.models import Client, Coach, Employer
from veto.vocabulary import fold
from veto.workbook import layout
from veto.workbook.layout import DATE
from veto.workbook.plan import Plan, counted
from veto.workbook.reading import (
    Problem,
    Progress,
    Record,
    SheetData,
    WorkbookInvalid,
    convert,
)
from veto.workbook.write import write_plan

PREVIEW_ROWS = 5
# Where a header row may be: under a title or a blank line or two, not further down.
HEADER_WITHIN = 10


class SourceRow(int):
    """A row number of the user's table that knows which of the user's headers each workbook
    column of the record came from (a row gives a coaching and a placement phase, each with
    its own date column)."""

    headers: dict[str, str]

    def __new__(cls, number: int, headers: dict[str, str]):
        row = super().__new__(cls, number)
        row.headers = headers
        return row


@dataclass
class Row:
    """One data row: its number, its values by field name, the fields whose cell was a problem,
    and, once matched, the client it is about and how it was found."""

    number: int
    values: dict[str, Any]
    failed: set[str] = field(default_factory=set)
    code: str | None = None
    matched: str = ""


@dataclass
class Prepared:
    """A table read, mapped, matched and planned; `problems` empty means it can be stored."""

    table: Table
    into: str
    header_row: int
    columns: list[tuple[str, str]]  # (user header, field or IGNORE), in the sheet's order
    rows: list[Row]
    problems: list[Problem]
    plan: Plan | None = None

    def describe_mapping(self) -> str:
        data = len(self.rows)
        read = ngettext(
            "read {file}: {detected}; header on row {row}, {count} data row",
            "read {file}: {detected}; header on row {row}, {count} data rows",
            data,
        )
        lines = [
            read.format(
                file=self.table.path.name,
                detected=self.table.detected,
                row=self.header_row,
                count=data,
            ),
            _("columns -> fields (--into {into}):").format(into=self.into),
        ]
        width = max((len(h) for h, _ in self.columns), default=0)
        for header, name in self.columns:
            shown = name if name != IGNORE else _("(not imported)")
            lines.append(f"  {header.ljust(width)}  {shown}")
        return "\n".join(lines)

    def describe_rows(self, count: int = PREVIEW_ROWS) -> str:
        first = _("first rows as veto would store them ({count}):")
        lines = [first.format(count=min(count, len(self.rows)))]
        order = [name for _, name in self.columns if name != IGNORE]
        for row in self.rows[:count]:
            if row.code:
                who = _("row {row}: client {code} ({matched})")
            else:
                who = _("row {row}")
            lines.append("  " + who.format(row=row.number, code=row.code, matched=_(row.matched)))
            shown = [
                f"{name} {_shown(name, row.values[name])}"
                for name in order
                if row.values.get(name) is not None and name not in row.failed
            ]
            text = ", ".join(shown) or _("(nothing)")
            lines += textwrap.wrap(text, 78, initial_indent="    ", subsequent_indent="    ")
        return "\n".join(lines)

    def summary(self, *, dry_run: bool) -> str:
        counts = self.plan.counts if self.plan else {}
        parts = [
            counted(pgettext("sheet", title), c)
            for title, c in counts.items()
            if c.new or c.changed or c.unchanged
        ]
        if dry_run:
            text = _("would import {file}: {counts}; nothing was written (--dry-run)")
        else:
            text = _("imported {file}: {counts}")
        return text.format(file=self.table.path.name, counts="; ".join(parts) or _("nothing"))

    def check(self) -> None:
        if self.problems:
            raise WorkbookInvalid(self.table.path, self.problems)


# The tables `import table` writes, as its summary names them (the --into values).
SHEET_NAMES = (
    NC_("sheet", "clients"),
    NC_("sheet", "coaches"),
    NC_("sheet", "phases"),
    NC_("sheet", "placements"),
    NC_("sheet", "hours"),
    NC_("sheet", "employers"),
    NC_("sheet", "contacts"),
)


def _shown(name: str, value: Any) -> str:
    if isinstance(value, date):
        return finnish(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        from veto.outputs.labels import cell

        return cell(name, value)
    if isinstance(value, Decimal):
        from veto.outputs.finnish import fi_number

        return fi_number(value)
    return str(value)


def prepare_table(
    session: Session,
    *,
    path: Path,
    into: str,
    sheet: str | None = None,
    mapping_file: Path | None = None,
    columns: tuple[str, ...] | list[str] = (),
) -> Prepared:
    """Read, map, match and plan the table; every problem is collected, nothing is written."""
    mapping = load_mapping(mapping_file, list(columns), into=into)
    table = read_table(Path(path), sheet=sheet or mapping.sheet)
    problems: list[Problem] = []
    header_row, positions, shown = _header(table, into, mapping, problems)
    rows = _rows(table, header_row, positions, into, mapping, problems)
    prepared = Prepared(table, into, header_row, shown, rows, problems)
    if not any(p.row == header_row for p in problems):
        _Builder(session, prepared, {name: h for h, name in shown if name != IGNORE}).run()
    prepared.problems = sorted(set(problems), key=_order(shown))
    return prepared


def write_table(session: Session, prepared: Prepared, progress: Progress | None = None) -> None:
    """Store what `prepared` planned (it must have no problems), in the session's transaction."""
    prepared.check()
    plan = prepared.plan
    if plan is not None and any(c.new or c.changed for c in plan.counts.values()):
        write_plan(session, plan, progress, action="table.import")


def _order(shown: list[tuple[str, str]]):
    position = {header: i for i, (header, _) in enumerate(shown)}

    def key(p: Problem) -> tuple:
        return (p.row, position.get(p.column, len(position)), p.column, p.message)

    return key


# -- headers and cells -----------------------------------------------------------------------


def _header(table: Table, into: str, mapping: Mapping, problems: list[Problem]):
    """The header row (the first of the first rows naming two fields, else the first row),
    each column's field, and (header, field) pairs for the user."""
    known = header_names(into)

    def field_of(text: str) -> str | None:
        key = header_key(text)
        return mapping.columns.get(key) or known.get(key)

    if not table.rows:
        raise InputError(
            _("{file}: sheet '{sheet}' is empty: nothing to import").format(
                file=table.path.name, sheet=table.title
            )
        )
    header_row, cells = table.rows[0]
    for number, candidate in table.rows[:HEADER_WITHIN]:
        named = [c for c in candidate if isinstance(c[1], str) and field_of(c[1])]
        if len(named) >= 2:
            header_row, cells = number, candidate
            break
    positions: dict[int, tuple[str, Field]] = {}
    shown: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    fields = fields_of(into)
    for _position, value, _kind in cells:
        header = str(value).strip()
        name = field_of(header) or IGNORE
        shown.append((header, name))
        if name == IGNORE:
            continue
        if name in seen:
            problems.append(
                Problem(
                    table.title,
                    header_row,
                    header,
                    _(
                        "'{other}' is {field} already; map one of them elsewhere "
                        "(--column '{header}=-' leaves this one out)"
                    ).format(other=seen[name], field=name, header=header),
                )
            )
            continue
        seen[name] = header
        positions[_position] = (header, fields[name], with_header(fields[name], header))
    for header in mapping.columns:
        if not any(header_key(h) == header for h, _ in shown):
            problems.append(
                Problem(
                    table.title,
                    header_row,
                    mapping.spelled.get(header, header),
                    _("no such column in the header row: {headers}").format(
                        headers=", ".join(h for h, _kind in shown)
                    ),
                )
            )
    for needs in REQUIRED[into]:
        if not any(n in seen for n in needs):
            what = _(" or ").join(needs)
            first = fields[needs[0]].column.header
            problems.append(
                Problem(
                    table.title,
                    header_row,
                    first,
                    _(
                        "no column for {fields}: name one {header} or map it with "
                        "--column 'HEADER={field}'"
                    ).format(fields=what, header=first, field=needs[0]),
                )
            )
    return header_row, positions, shown


def _rows(table, header_row, positions, into, mapping, problems) -> list[Row]:
    rows = []
    for number, cells in table.rows:
        if number <= header_row:
            continue
        row = Row(number, {})
        for position, raw, kind in cells:
            if position not in positions:
                continue
            header, f, column = positions[position]
            if kind in ("f", "e"):
                row.failed.add(f.name)
                if kind == "f":
                    what = _("a formula ({formula}) is not accepted: type the value")
                else:
                    what = _("an error value {formula}: type the value")
                problems.append(Problem(table.title, number, header, what.format(formula=raw)))
                continue
            aliases = mapping.values.get(f.name)
            if aliases and isinstance(raw, str) and fold(raw) in aliases:
                raw = aliases[fold(raw)]
            if column.kind == DATE and isinstance(raw, str):
                raw = full_year(raw)
            try:
                value = convert(column, raw)
            except InputError as exc:
                row.failed.add(f.name)
                problems.append(Problem(table.title, number, header, str(exc)))
                continue
            if value is not None:
                row.values[f.name] = value
        if row.values or row.failed:
            rows.append(row)
    if into == "clients":
        headers = {f.name: header for header, f, _ in positions.values()}
        for row in rows:
            born, year = row.values.get("birth_date"), row.values.get("birth_year")
            if born is not None and year is None:
                row.values["birth_year"] = born.year
            elif born is not None and year != born.year:
                row.failed.add("birth_year")
                problems.append(
                    Problem(
                        table.title,
                        row.number,
                        headers["birth_year"],
                        _("{year} is not the year of {header} {born}: correct one of them").format(
                            year=year, header=headers["birth_date"], born=finnish(born)
                        ),
                    )
                )
    return rows


# -- from rows to the workbook's records ----------------------------------------------------


def _locator(title: str, headers: dict[str, str], fallback: str):
    """Where the workbook plan's problems are in the user's table: its sheet, rows, headers."""

    def locate(data: SheetData, row: int, key: str) -> tuple[str, int, str]:
        header = getattr(row, "headers", {}).get(key) or headers.get(key) or fallback
        return title, int(row), header

    return locate


@dataclass
class _Sheet:
    sheet: layout.Sheet
    columns: set[str]
    records: list[Record] = field(default_factory=list)

    def add(self, row: Row, values: dict[str, Any], headers: dict[str, str]) -> None:
        self.records.append(Record(SourceRow(row.number, headers), values, set()))


class _Builder:
    """Matches the rows to clients and makes the workbook's records of them."""

    def __init__(self, session: Session, prepared: Prepared, headers: dict[str, str]) -> None:
        self.session = session
        self.prepared = prepared
        self.title = prepared.table.title
        self.headers = headers  # field -> the user's header
        self.sheets: dict[str, _Sheet] = {}

    def problem(self, row: Row, name: str, message: str) -> None:
        header = self.headers.get(name) or next(iter(self.headers.values()), name)
        self.prepared.problems.append(Problem(self.title, row.number, header, message))

    def sheet(self, key: str, columns: set[str]) -> _Sheet:
        if key not in self.sheets:
            self.sheets[key] = _Sheet(getattr(layout, key.upper()), set(columns))
        return self.sheets[key]

    def run(self) -> None:
        self.coaches = self._names(Coach)
        self.employers = self._names(Employer)
        into = self.prepared.into
        getattr(self, f"_{into}")(self.prepared.rows)
        order = ("coaches", "clients", "phases", "employers", "placements", "hours", "contacts")
        data = [
            SheetData(s.sheet, key, 1, s.columns, s.records)
            for key in order
            if (s := self.sheets.get(key)) is not None
        ]
        layout_headers = {
            "code": self.headers.get("code") or self.headers.get("name"),
            "client": self.headers.get("client") or self.headers.get("name"),
            "ended": self.headers.get("ended_on"),
            "field": self.headers.get("outcome_field"),
            "start": self.headers.get("start_on"),
            "end": self.headers.get("end_on"),
            "on": self.headers.get("on_date"),
            "next": self.headers.get("next_on"),
        }
        headers = {**self.headers, **{k: v for k, v in layout_headers.items() if v}}
        fallback = next(iter(self.headers.values()), "")
        plan = Plan(
            self.session,
            data,
            self.prepared.problems,
            locate=_locator(self.title, headers, fallback),
        )
        plan.run()
        self.prepared.plan = plan

    # -- names of coaches and employers: the stored spelling, else a new record -------------

    def _names(self, model) -> dict[str, str]:
        return {fold(n): n for n in self.session.execute(select(model.name)).scalars()}

    def _named(self, key: str, known: dict[str, str], row: Row, name: str | None) -> str | None:
        """The stored spelling of a coach's or employer's name; a new one is added."""
        if name is None:
            return None
        folded = _folded(name)
        stored = known.get(folded)
        if stored is None:
            known[folded] = stored = name
            self.sheet(key, {"name"}).add(row, {"name": name}, {"name": self.headers_for(key)})
        return stored

    def headers_for(self, key: str) -> str:
        return self.headers.get("coach" if key == "coaches" else "employer", "")

    # -- matching rows to clients -----------------------------------------------------------

    def _stored_clients(self) -> None:
        columns = [Client.id, Client.code, Client.name, Client.birth_year]
        self.by_code: dict[str, dict] = {}
        self.by_name: dict[str, list[dict]] = {}
        for row in self.session.execute(select(*columns)):
            client = row._asdict()
            self.by_code[client["code"]] = client
            self.by_name.setdefault(_person(client["name"]), []).append(client)

    def _candidates(self, name: str, born: int | None) -> list[dict]:
        found = self.by_name.get(_person(name), [])
        if born is None:
            return found
        return [c for c in found if c["birth_year"] in (born, None)]

    def _match(self, row: Row, *, code_field: str, create: bool) -> str | None:
        """The code of the client the row is about: by code, else by name and birth year.
        `create`: a row naming no stored client is a new client (its code comes later)."""
        code = row.values.get(code_field)
        if code is not None:
            if code in self.by_code:
                row.matched = N_("matched by code")
            elif not create:
                unknown = _("unknown client '{code}': give a stored code").format(code=code)
                self.problem(row, code_field, unknown)
                return None
            else:
                row.matched = N_("new")
            return code
        name, born = row.values.get("name"), row.values.get("birth_year")
        if name is None:
            if not ({code_field, "name"} & row.failed):
                self.problem(row, "name", _("no name and no code: fill in one"))
            return None
        found = self._candidates(name, born)
        if len(found) > 1:
            codes = ", ".join(sorted(c["code"] for c in found))
            self.problem(
                row,
                "name",
                _(
                    "'{name}' could be any of {codes}: give the code in a {field} column "
                    "(e.g. Asiakaskoodi)"
                ).format(name=name, codes=codes, field=code_field),
            )
            return None
        if found:
            row.matched = N_("matched by name and birth year") if born else N_("matched by name")
            return found[0]["code"]
        if not create:
            if born:
                absent = _(
                    "no client '{name}' born {born} in the store: import the clients first "
                    "(--into clients) or give the code"
                )
            else:
                absent = _(
                    "no client '{name}' in the store: import the clients first "
                    "(--into clients) or give the code"
                )
            self.problem(row, "name", absent.format(name=name, born=born))
            return None
        row.matched = N_("new")
        return None

    def _who(self, rows: list[Row], *, create: bool, code_field: str = "client") -> list[Row]:
        """The rows whose client is known (code set), each client once; new ones get a code."""
        self._stored_clients()
        seen: dict[Any, int] = {}
        fresh: list[Row] = []
        usable = []
        for row in rows:
            code = self._match(row, code_field=code_field, create=create)
            if code is None and row.matched != "new":
                continue
            if create:
                key = code or ("new", _person(row.values["name"]), row.values.get("birth_year"))
                if key in seen:
                    self.problem(
                        row,
                        code_field if code else "name",
                        _("the same client as on row {row}: keep one row per client").format(
                            row=seen[key]
                        ),
                    )
                    continue
                seen[key] = row.number
            row.code = code
            if code is None:
                fresh.append(row)
            usable.append(row)
        if fresh:
            taken = set(self.by_code) | {r.code for r in usable if r.code}
            for row, code in zip(
                fresh, next_codes(self.session, len(fresh), taken=taken), strict=True
            ):
                row.code = code
        return usable

    # -- each kind of table ---------------------------------------------------------------

    def _clients(self, rows: list[Row]) -> None:
        present = {name for name in self.headers}
        # The workbook's required columns are always there: a matched client keeps its stored
        # values, and a new one without them is a problem of its own.
        columns = {"code", "name", "gender", "background"} | {
            key
            for name, key in _CLIENT_COLUMNS.items()
            if name in present or (name == "birth_year" and "birth_date" in present)
        }
        clients = self.sheet("clients", columns)
        stored = self._stored_values(columns)
        absent = [n for n in ("gender", "background") if n not in present]
        unknown: list[int] = []  # rows of new clients, when the table cannot make them
        for row in self._who(rows, create=True, code_field="code"):
            if row.matched == "new" and absent:
                unknown.append(row.number)
                continue
            values = {key: row.values.get(name) for name, key in _CLIENT_COLUMNS.items()}
            values["code"] = row.code
            values["coach"] = self._named("coaches", self.coaches, row, values["coach"])
            before = stored.get(row.code)
            if before is not None:  # a blank cell leaves the stored value as it is
                for key, value in before.items():
                    if values.get(key) is None and key not in _failed(row, _CLIENT_COLUMNS):
                        values[key] = value
            clients.records.append(Record(row.number, values, _failed(row, _CLIENT_COLUMNS)))
            self._phases_of(row)
            self._trial_of(row)
        if unknown:
            shown = ", ".join(map(str, unknown[:5])) + (", …" if len(unknown) > 5 else "")
            self.prepared.problems.append(
                Problem(
                    self.title,
                    self.prepared.header_row,
                    _CLIENT_HEADERS[absent[0]].split(" ")[0],
                    _(
                        "no column for {fields}, which new clients need (rows {rows}): add "
                        "{needs} or map a column with --column 'HEADER={field}'"
                    ).format(
                        fields=_(" or ").join(absent),
                        rows=shown,
                        needs=_(" and ").join(_CLIENT_HEADERS[n] for n in absent),
                        field=absent[0],
                    ),
                )
            )

    def _stored_values(self, columns: set[str]) -> dict[str, dict[str, Any]]:
        coach = select(Coach.name).where(Coach.id == Client.coach_id).scalar_subquery()
        model = {"ended": "ended_on", "field": "outcome_field"}
        wanted = [k for k in columns if k not in ("code", "coach")]
        query = select(
            Client.code, coach.label("coach"), *(getattr(Client, model.get(k, k)) for k in wanted)
        )
        stored = {}
        for row in self.session.execute(query):
            item = dict(zip(["code", "coach", *wanted], row, strict=True))
            stored[item.pop("code")] = item
        return stored

    def _phases_of(self, row: Row) -> None:
        for name, kind in (("coaching_start", "coaching"), ("placement_start", "placement")):
            start = row.values.get(name)
            if start is None:
                continue
            header = self.headers[name]
            phases = self.sheet("phases", {"client", "kind", "start"})
            phases.add(
                row,
                {"client": row.code, "kind": kind, "start": start},
                {"start": header, "kind": header, "end": header},
            )

    def _trial_of(self, row: Row) -> None:
        employer, start = row.values.get("employer"), row.values.get("trial_start")
        if {"employer", "trial_start", "trial_end"} & row.failed:
            return
        if employer is None and start is None:
            if row.values.get("trial_end") is not None:
                self.problem(row, "trial_end", _("a work trial needs its employer and start"))
            return
        if employer is None or start is None:
            missing = "employer" if employer is None else "trial_start"
            header = self.headers.get(missing, missing)
            self.problem(
                row, missing, _("empty: a work trial needs {header} too").format(header=header)
            )
            return
        employer = self._named("employers", self.employers, row, employer)
        columns = {"client", "employer", "kind", "start"}
        if "trial_end" in self.headers:
            columns.add("end")
        trials = self.sheet("placements", columns)
        values = {"client": row.code, "employer": employer, "kind": "work-trial", "start": start}
        values["end"] = row.values.get("trial_end")
        headers = {"start": self.headers["trial_start"], "end": self.headers.get("trial_end", "")}
        headers |= {"employer": self.headers["employer"], "kind": self.headers["employer"]}
        trials.add(row, values, headers)

    def _records_of(self, key: str, rows: list[Row], *, defaults: dict[str, Any] | None = None):
        """Rows of a table about one kind of record, by the workbook column of each field."""
        sheet = getattr(layout, key.upper())
        by_field = {f.name: f.column.key for f in fields_of(key).values()}
        keys = {c.key for c in sheet.columns}
        columns = {by_field[n] for n in self.headers if by_field.get(n) in keys}
        columns |= set(defaults or {})
        target = self.sheet(key, columns)
        for row in rows:
            values = {by_field[n]: v for n, v in row.values.items() if by_field.get(n) in keys}
            for name, value in (defaults or {}).items():
                if values.get(name) is None:
                    values[name] = value
            failed = {by_field[n] for n in row.failed if n in by_field}
            target.records.append(Record(row.number, values, failed))
            yield row, values

    def _about_clients(self, key: str, rows: list[Row], defaults=None) -> None:
        rows = self._who(rows, create=False)
        for row, values in self._records_of(key, rows, defaults=defaults):
            values["client"] = row.code
            if "employer" in values:
                values["employer"] = self._named(
                    "employers", self.employers, row, values["employer"]
                )
            if "coach" in values:
                values["coach"] = self._named("coaches", self.coaches, row, values["coach"])
        self.sheets[key].columns.add("client")

    def _phases(self, rows: list[Row]) -> None:
        self._about_clients("phases", rows)

    def _placements(self, rows: list[Row]) -> None:
        self._about_clients("placements", rows, defaults={"kind": "work-trial"})

    def _hours(self, rows: list[Row]) -> None:
        self._about_clients("hours", rows)

    def _employers(self, rows: list[Row]) -> None:
        for _row, values in self._records_of("employers", rows):
            if values.get("name") is not None:
                values["name"] = self.employers.get(fold(values["name"]), values["name"])

    def _contacts(self, rows: list[Row]) -> None:
        for row, values in self._records_of("contacts", rows):
            values["employer"] = self._named(
                "employers", self.employers, row, values.get("employer")
            )
            values["coach"] = self._named("coaches", self.coaches, row, values.get("coach"))


# A clients table's fields -> the Asiakkaat sheet's columns.
_CLIENT_COLUMNS = {
    "name": "name",
    "gender": "gender",
    "background": "background",
    "birth_year": "birth_year",
    "birth_date": "birth_date",
    "coach": "coach",
    "municipality": "municipality",
    "phone": "phone",
    "email": "email",
    "ended_on": "ended",
    "outcome": "outcome",
    "outcome_field": "field",
}


_CLIENT_HEADERS = {"gender": "Sukupuoli (gender)", "background": "Tausta (background)"}


def _failed(row: Row, columns: dict[str, str]) -> set[str]:
    return {columns[n] for n in row.failed if n in columns}


def _person(name: str) -> str:
    """A person's name folded for matching: case, accents and spacing aside."""
    return " ".join(_folded(name).split())


@lru_cache(maxsize=4096)
def _folded(name: str) -> str:
    """`fold`, remembered: a table repeats its few coaches and employers on every row."""
    return fold(name)

"""What an import would do: every row checked and paired with its stored record, nothing written.

Every row is checked — its cells (`veto.workbook.reading`), its references (client code,
employer, coach) and the one timeline rule (`veto.domain.timeline`) over each client's phases,
placements, hours and end as they would be after the import (a violation the store already had
is not the workbook's). Each problem is added to `problems`.

Rows find their stored records as `veto.workbook.matching` says: by the id of the hidden
Tunniste column in a workbook of this store, else by natural keys — a coach and an employer by
name, a client by code, a phase by (client, kind, start), a placement by (client, employer,
kind, start), coaching hours by (client, day, hours, kind, note), a contact by (employer, day,
channel, stage, client), a contact person by (employer, name). A paired record takes the
workbook's values of the columns the sheet has (a blank cell clears the field; a deleted column
leaves it alone). A stored record no row of its sheet pairs with is "not in the workbook": kept,
or removed with `delete_missing` unless something else still depends on it.

`veto import table` plans through here too (`Plan(..., locate=...)`, then `write_plan`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from veto.domain.clients import check_birth_year, check_code
from veto.domain.dates import finnish
from veto.domain.removal import Naming, refuse_if_named
from veto.domain.timeline import Hours, Span, Timeline, Violation, violations
from veto.errors import InputError, WorkflowError
from veto.i18n import NC_, _, pgettext
from veto.models import (
    Activity,
    Client,
    Coach,
    Contact,
    ContactPerson,
    Employer,
    Phase,
    Placement,
)
from veto.workbook import layout
from veto.workbook.layout import RECORD_ID
from veto.workbook.matching import Pool, hours_key, record_id, snapshot, stored_value
from veto.workbook.reading import Problem, Record, SheetData

# Sheet key -> the fields a row sets besides its references.
FIELDS = {
    "coaches": ("email", "phone", "area"),
    "employers": ("business_id", "sector", "municipality", "address"),
    "contact_persons": ("role", "phone", "email"),
    "clients": (
        "name",
        "gender",
        "background",
        "birth_year",
        "birth_date",
        "municipality",
        "phone",
        "email",
    ),
    "placements": tuple(
        c.key
        for c in layout.PLACEMENTS.columns
        if c.key not in ("client", "employer", "kind", RECORD_ID)
    ),
}
# Workbook column -> model field, where the names differ.
_RENAMED = {"ended": "ended_on", "field": "outcome_field", "start": "start_on", "end": "end_on"}
_RENAMED |= {"on": "on_date", "next": "next_on"}
# Sheet key -> the model of its records, in the order they are written (parents first).
MODELS: dict[str, Any] = {
    "coaches": Coach,
    "employers": Employer,
    "clients": Client,
    "contact_persons": ContactPerson,
    "phases": Phase,
    "placements": Placement,
    "hours": Activity,
    "contacts": Contact,
}
_WHAT = {
    "coaches": NC_("record", "coach"),
    "employers": NC_("record", "employer"),
    "clients": NC_("record", "client"),
    "contact_persons": NC_("record", "contact person"),
    "phases": NC_("record", "phase"),
    "placements": NC_("record", "placement"),
    "hours": NC_("record", "hours row"),
    "contacts": NC_("record", "contact"),
}


def _record_name(what: str) -> str:
    """A record's kind (a value of _WHAT) as a message names it."""
    return pgettext("record", what)


# How a table that depends on a removed record is named in the problem (`Naming` adds the s).
_DEPENDENT = {
    "client": "client",
    "activity": "hours row",
    "phase": "phase",
    "placement": "placement",
    "contact": "contact",
    "contact_person": "contact person",
    "client_note": "note",
    "survey": "survey",
    "job_search_plan": "job search plan",
    "participant": "ESF+ answer set",
    "capture_draft": "unfinished form",
    "anonymous_stub": "anonymised record",
}

# (data, row, column key) -> (sheet, row, column) as the user sees them.
Locate = Callable[[SheetData, int, str], tuple[str, int, str]]


def model_field(key: str) -> str:
    """The workbook column's key as the model names the field (start -> start_on, …)."""
    return _RENAMED.get(key, key)


@dataclass
class Count:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    missing: int = 0  # stored records no row pairs with


def counted(title: str, c: Count) -> str:
    """One sheet's or table's counts: "Asiakkaat 1 new, 0 changed, 2 unchanged"."""
    text = _("{title} {new} new, {changed} changed, {unchanged} unchanged")
    return text.format(title=title, new=c.new, changed=c.changed, unchanged=c.unchanged)


def _now() -> datetime:
    return datetime.now(UTC)


def _shown(value: Any) -> str:
    if isinstance(value, date):
        return finnish(value)
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


class Plan:
    """Everything the import would do, worked out against a snapshot of the store.

    `own_ids`: the workbook is this store's export, so a row's id names its record.
    `delete_missing`: stored records missing from a sheet are to be removed.
    `locate` tells where a problem is for the user (default: the sheet, row and header)."""

    def __init__(
        self,
        session: Session,
        sheets: list[SheetData],
        problems: list[Problem],
        *,
        own_ids: bool = False,
        delete_missing: bool = False,
        locate: Locate | None = None,
    ):
        self.session = session
        self.problems = problems
        self.own_ids = own_ids
        self.delete_missing = delete_missing
        self.locate = locate
        self.sheets = {s.sheet.key: s for s in sheets}
        self.inserts: dict[str, list[dict]] = defaultdict(list)
        self.updates: dict[str, list[dict]] = defaultdict(list)
        self.deletes: dict[str, list[dict]] = defaultdict(list)
        self.missing: dict[str, list[dict]] = {}
        self.pools: dict[str, Pool] = {}
        self.counts: dict[str, Count] = {s.title: Count() for s in sheets}
        self.touched: set[str] = set()  # codes of clients whose records change
        self.claims: dict[int, dict] = {}  # id(record) -> the stored record its Tunniste names
        self.person_names: dict[Any, str] = {}  # contact person id -> name, once read
        self.persons: set[tuple[str, str]] = set()  # (employer, name) after the import
        self.phase_entries: dict[str, list[dict]] = {}
        # For the timeline rule: records the workbook adds, and stored ones it pairs a row with
        # (with the code of the client they belong to afterwards), and those it removes.
        self.new_items: dict[str, list[Span | Hours]] = defaultdict(list)
        self.changed_items: dict[tuple[str, int], tuple[str, Span | Hours]] = {}
        self.removed_items: set[tuple[str, int]] = set()

    def run(self) -> None:
        self.coaches = self.named("coaches", Coach)
        self.employers = self.named("employers", Employer)
        self.clients()
        self.phases()
        self.placements()
        self.hours()
        self.contact_persons()
        self.contacts()
        self.check_timelines()
        self.check_removals()

    # -- helpers ---------------------------------------------------------------------------

    def problem(self, data: SheetData, row: int, key: str, message: str) -> None:
        if self.locate is not None:
            self.problems.append(Problem(*self.locate(data, row, key), message))
        else:
            self.problems.append(Problem(data.title, row, data.sheet.column(key).header, message))

    def records(self, key: str) -> Iterable[tuple[SheetData, Record, dict[str, Any]]]:
        """(sheet, record, values of every column the sheet has, None where blank); rows whose
        Tunniste is already a problem are left out."""
        data = self.sheets.get(key)
        if data is None:
            return
        if any(c.required and c.key not in data.columns for c in data.sheet.columns):
            return  # a required column is missing: a problem of its own
        columns = data.columns
        blank = dict.fromkeys(columns)  # the same dict as the comprehension below, made in C
        for record in data.records:
            if RECORD_ID in record.failed:
                continue
            if record.values.keys() <= columns:
                values = blank.copy()
                values.update(record.values)
            else:
                values = {k: record.values.get(k) for k in columns}
            yield data, record, values

    def filled(self, data: SheetData, record: Record, values: dict, keys: Iterable[str]) -> bool:
        """Whether the required cells are filled (a problem for each empty one)."""
        ok = not (record.failed & set(keys))
        for key in keys:
            if key in data.columns and values.get(key) is None and key not in record.failed:
                header = data.sheet.column(key).header
                self.problem(
                    data, record.row, key, _("empty: fill in {header}").format(header=header)
                )
                ok = False
        return ok

    def known(self, data, record, values, key: str, names, what: str, sheet) -> bool:
        value = values.get(key)
        if value is None or value in names:
            return True
        self.problem(
            data,
            record.row,
            key,
            (
                _("unknown client '{value}': add it to {sheet} or give a stored client's code")
                if what == "client"
                else _(
                    "unknown {what} '{value}': add it to {sheet} or give a stored {what}'s "
                    "exact name"
                )
            ).format(what=_record_name(what), value=value, sheet=sheet.title),
        )
        return False

    def usable(self, data, record, values, required: tuple, refers: tuple) -> bool:
        """Whether the row has its required cells and its references name known records."""
        return self.filled(data, record, values, required) and self.references(
            data, record, values, refers
        )

    def references(self, data, record, values, keys: Iterable[str]) -> bool:
        """Whether the client codes, employer and coach names in `keys` name records the store
        holds after the import (a problem for each that does not)."""
        targets = {
            "client": ("client_codes", layout.CLIENTS),
            "employer": ("employers", layout.EMPLOYERS),
            "coach": ("coaches", layout.COACHES),
        }
        ok = True
        for key in keys:
            names, sheet = targets[key]
            ok &= self.known(data, record, values, key, getattr(self, names), key, sheet)
        return ok

    def repeated(self, data, record, rows: dict, key: tuple, what: str, paired) -> bool:
        """Whether an earlier row of the sheet has the natural `key` of this row, which pairs
        with no stored record: the same record twice (a problem at its start). Rows that pair
        with stored records of one key are those records (an export of them round trips), and
        so are rows of distinct Tunniste (an export of a store that holds identical records)."""
        first = rows.setdefault(key, int(record.row))
        if first == int(record.row) or paired is not None or record_id(record.values):
            return False
        same = _("same {what} as row {row}; keep one of them")
        self.problem(data, record.row, "start", same.format(what=_record_name(what), row=first))
        return True

    def count(self, data: SheetData, outcome: str) -> None:
        tally = self.counts[data.title]
        setattr(tally, outcome, getattr(tally, outcome) + 1)

    def apply(
        self, data, key: str, stored: dict | None, values: dict, fields: Iterable[str], new: dict
    ) -> dict | None:
        """Plan an insert (`stored` None) or the update of the changed `fields`; count it."""
        if stored is None:
            self.inserts[key].append({**new, "created_at": _now()})
            self.count(data, "new")
            return new
        changes = {}
        for k in fields:  # written out: it runs for every cell of a big workbook
            if k in values:
                name = _RENAMED.get(k, k)
                old = stored[name]
                if isinstance(old, str):
                    old = old.strip() or None
                if values[k] != old:
                    changes[name] = values[k]
        if changes:
            self.updates[key].append({"id": stored["id"], **changes})
        self.count(data, "changed" if changes else "unchanged")
        return changes or None

    # -- pairing: Tunniste first, then natural keys; what is left is missing ---------------

    def pool(self, key: str, rows: Iterable[dict], natural: Callable[[dict], tuple]) -> Pool:
        """The stored records of sheet `key`, with every row's Tunniste checked and claimed:
        the same id twice, or (in this store's workbook) an id naming no such record, is a
        problem of the row."""
        pool = self.pools[key] = Pool(rows, natural)
        data = self.sheets.get(key)
        if data is None:
            return pool
        what = _WHAT[key]
        seen: dict[int, int] = {}
        for record in data.records:
            number = record_id(record.values)
            if number is None or RECORD_ID in record.failed:
                continue
            if number in seen:
                record.failed.add(RECORD_ID)
                letter = _letter(data, RECORD_ID)
                self.problem(
                    data,
                    record.row,
                    RECORD_ID,
                    _(
                        "Tunniste {number} is also on row {row}: a copied row keeps the id of its "
                        "original; clear the Tunniste cell (hidden column {letter}) of the copy "
                        "to import it as a new record"
                    ).format(number=number, row=seen[number], letter=letter),
                )
                continue
            seen[number] = int(record.row)
            if not self.own_ids:
                continue  # another store's ids: they name nothing here
            stored = pool.claim(number)
            if stored is None:
                record.failed.add(RECORD_ID)
                letter = _letter(data, RECORD_ID)
                self.problem(
                    data,
                    record.row,
                    RECORD_ID,
                    _(
                        "no {what} has Tunniste {number} in this store: leave the hidden column "
                        "{letter} as veto wrote it, or clear the cell to import the row as a new "
                        "{what}"
                    ).format(what=_record_name(what), number=number, letter=letter),
                )
                continue
            self.claims[id(record)] = stored
        return pool

    def paired(self, pool: Pool, record: Record, natural: tuple) -> dict | None:
        """The stored record of the row: the one its Tunniste names, else the next free one
        with its natural key."""
        return self.claims.get(id(record)) or pool.pair(natural)

    def leftover(self, key: str) -> list[dict]:
        """The stored records of sheet `key` no row pairs with (none for a sheet the workbook
        does not have): counted, and planned for removal with `delete_missing`."""
        data = self.sheets.get(key)
        if data is None or any(
            c.required and c.key not in data.columns for c in data.sheet.columns
        ):
            return []
        left = self.pools[key].missing()
        self.missing[key] = left
        self.counts[data.title].missing = len(left)
        if self.delete_missing:
            self.deletes[key] = left
        return left

    def taken_name(self, data, record, key: str, value, holder: dict | None, stored) -> bool:
        """Whether the unique `value` (a name, a code) belongs to another stored record than
        the row's own: a problem (rename one of them)."""
        if holder is None or (stored is not None and holder["id"] == stored["id"]):
            return False
        what = _WHAT[data.sheet.key]
        self.problem(
            data,
            record.row,
            key,
            _(
                "'{value}' is already {what} Tunniste {id}'s: give another, or change that row "
                "instead"
            ).format(value=value, what=_record_name(what), id=holder["id"]),
        )
        return True

    # -- coaches and employers: by name ----------------------------------------------------

    def named(self, key: str, model) -> set[str]:
        rows = [r._asdict() for r in self.session.execute(snapshot(model).order_by(model.id))]
        holders = {r["name"]: r for r in rows}
        pool = self.pool(key, rows, lambda r: (r["name"],))
        final = {r["id"]: r["name"] for r in rows}  # id -> name after the import
        names: set[str] = set()
        seen: dict[str, int] = {}
        for data, record, values in self.records(key):
            if not self.filled(data, record, values, ["name"]):
                continue
            name = values["name"]
            if name.isdigit():
                digits = _("'{name}' is all digits: give a name").format(name=name)
                self.problem(data, record.row, "name", digits)
                continue
            if name in seen:
                again = _("'{name}' is also on row {row}").format(name=name, row=seen[name])
                self.problem(data, record.row, "name", again)
                continue
            seen[name] = record.row
            stored = self.paired(pool, record, (name,))
            if self.taken_name(data, record, "name", name, holders.get(name), stored):
                continue
            fields = ("name", *FIELDS[key])
            new = {"name": name, **{k: values.get(k) for k in FIELDS[key]}}
            self.apply(data, key, stored, values, fields, new)
            if stored is not None:
                final[stored["id"]] = name
            names.add(name)
        for gone in self.leftover(key):
            if self.delete_missing:
                del final[gone["id"]]
        if key == "coaches":
            self.coach_names = final
        else:
            self.employer_names = final
        return names | set(final.values())

    # -- clients: by code ------------------------------------------------------------------

    def clients(self) -> None:
        """Plan the clients; `self.final` is code -> the client as it would be afterwards."""
        rows = [r._asdict() for r in self.session.execute(snapshot(Client).order_by(Client.id))]
        holders = {r["code"]: r for r in rows}
        self.stored_clients = {r["id"]: r for r in rows}
        pool = self.pool("clients", rows, lambda r: (r["code"],))
        self.final = {
            r["code"]: {**r, "coach": self.coach_names.get(r["coach_id"]), "record": None}
            for r in rows
        }
        seen: dict[str, int] = {}
        required = ("code", "name", "gender", "background")
        for data, record, values in self.records("clients"):
            if not self.filled(data, record, values, ["code"]):
                continue
            try:
                code = check_code(values["code"])
            except InputError as exc:
                self.problem(data, record.row, "code", str(exc))
                continue
            if code in seen:
                again = _("client {code} is also on row {row}").format(code=code, row=seen[code])
                self.problem(data, record.row, "code", again)
                continue
            seen[code] = record.row
            stored = self.paired(pool, record, (code,))
            if self.taken_name(data, record, "code", code, holders.get(code), stored):
                continue
            if stored is None:
                missing = [k for k in required if k not in data.columns]
                if missing:
                    headers = ", ".join(data.sheet.column(k).header for k in missing)
                    needs = _("a new client needs {headers}").format(headers=headers)
                    self.problem(data, record.row, "code", needs)
                    continue
            if not self.filled(data, record, values, required):
                continue
            if values.get("birth_year") is not None:
                try:
                    check_birth_year(values["birth_year"])
                except InputError as exc:
                    self.problem(data, record.row, "birth_year", str(exc))
            self.references(data, record, values, ("coach",))
            if stored is not None:
                client = dict(self.final.pop(stored["code"]))
            else:
                client = {"id": None, "code": code, "coach": None}
            client["code"] = code
            for key in data.columns - {"code", RECORD_ID}:
                client["coach" if key == "coach" else model_field(key)] = values[key]
            client["record"] = record
            if (client.get("ended_on") is None) != (client.get("outcome") is None):
                key = "outcome" if client.get("ended_on") is not None else "ended"
                self.problem(
                    data,
                    record.row,
                    key if key in data.columns else "code",
                    "an ended client needs both the end date (Päättynyt) and the outcome (Tulos)",
                )
            self.final[code] = client
            fields = ["code", *FIELDS["clients"], "ended", "outcome", "field", "coach"]
            before = None
            if stored is not None:
                before = {**stored, "coach": self.coach_names.get(stored["coach_id"])}
            new = {"code": code, **{model_field(k): client.get(model_field(k)) for k in fields}}
            new["coach"] = client.get("coach")
            if self.apply(data, "clients", before, values, fields, new):
                self.touched.add(code)
        left = self.leftover("clients")
        self.removed_codes = {r["code"] for r in left} if self.delete_missing else set()
        self.client_codes = set(self.final) - self.removed_codes
        # Stored client id -> its code after the import (a removed client keeps its own).
        self.codes = {c["id"]: code for code, c in self.final.items() if c["id"] is not None}

    # -- phases: by (client, kind, start) --------------------------------------------------

    def phases(self) -> None:
        rows = []
        for row in self.session.execute(snapshot(Phase).order_by(Phase.id)):
            item = {**row._asdict(), "record": None}
            item["client"] = self.codes[item["client_id"]]
            item["stored"] = dict(item)
            rows.append(item)
        pool = self.pool("phases", rows, lambda e: (e["client"], e["kind"], e["start_on"]))
        checked = {code for code, c in self.final.items() if c["record"] is not None}
        seen: dict[tuple, int] = {}
        added: list[dict] = []
        for data, record, values in self.records("phases"):
            if not self.usable(data, record, values, ("client", "kind", "start"), ("client",)):
                continue
            code, kind, start = values["client"], values["kind"], values["start"]
            checked.add(code)
            entry = self.paired(pool, record, (code, kind, start))
            if self.repeated(data, record, seen, (code, kind, start), "phase", entry):
                continue
            if entry is None:
                entry = {"id": None, "client": code, "kind": kind, "start_on": start}
                entry["end_on"] = values.get("end")
                added.append(entry)
            else:
                checked.add(entry["client"])
                entry |= {"client": code, "kind": kind, "start_on": start}
                if "end" in data.columns:
                    entry["end_on"] = values["end"]
            entry["record"] = record
        left = self.leftover("phases")
        removed = {e["id"] for e in left} if self.delete_missing else set()
        entries: dict[str, list[dict]] = defaultdict(list)
        for entry in (*rows, *added):
            if entry["id"] not in removed:
                entries[entry["client"]].append(entry)
            else:
                self.touched.add(entry["client"])
        for code in checked:
            self.close_open_phases(code, entries.get(code, []))
        self.phase_entries = entries
        phases = self.sheets.get("phases")
        for code, client_phases in entries.items():
            for entry in client_phases:
                changes = self.phase_changes(entry)
                if entry["id"] is None:
                    self.inserts["phases"].append(
                        {k: entry[k] for k in ("client", "kind", "start_on", "end_on")}
                    )
                elif changes:
                    self.updates["phases"].append({"id": entry["id"], **changes})
                if changes:
                    self.touched |= {code, entry.get("stored", entry)["client"]}
                if entry["record"] is not None and phases is not None:
                    outcome = "new" if entry["id"] is None else "changed" if changes else None
                    self.count(phases, outcome or "unchanged")

    @staticmethod
    def phase_changes(entry: dict) -> dict:
        if entry["id"] is None:
            return {k: entry[k] for k in ("client", "kind", "start_on", "end_on")}
        before = entry["stored"]
        return {
            k: entry[k] for k in ("client", "kind", "start_on", "end_on") if entry[k] != before[k]
        }

    def close_open_phases(self, code: str, entries: list[dict]) -> None:
        """What the workbook means, as the commands do: a placement closes an open coaching
        phase on its start, and the end of the client closes the open phase on the end date.
        Whether the result is a valid timeline is `check_timelines`' business."""
        order = sorted(entries, key=lambda e: (e["start_on"], e["end_on"] is None))
        for this, following in zip(order, order[1:], strict=False):
            if this["end_on"] is None and (this["kind"], following["kind"]) == (
                "coaching",
                "placement",
            ):
                this["end_on"] = following["start_on"]
        ended = self.final[code].get("ended_on") if code in self.final else None
        if ended is not None and order and order[-1]["end_on"] is None:
            if order[-1]["start_on"] <= ended:
                order[-1]["end_on"] = ended

    # -- the one timeline rule over every client as the import would leave it ---------------

    def check_timelines(self) -> None:
        """`veto.domain.timeline.violations` over each client's timeline after the import;
        a violation the stored timeline did not already have is a problem of the row that
        brings it (the client's row for its end)."""
        today = date.today()
        before_items, after_items = self.timeline_items()
        codes = {c for c, client in self.final.items() if client["record"] is not None}
        codes |= (
            set(self.new_items)
            | self.touched
            | {code for code, rows in self.phase_entries.items() if any(e["record"] for e in rows)}
        )
        stored_phases: dict[str, list[Span]] = defaultdict(list)
        for client_phases in self.phase_entries.values():
            for e in client_phases:
                if e["id"] is not None:
                    was = e["stored"]
                    span = Span(e["id"], was["kind"], was["start_on"], was["end_on"])
                    stored_phases[was["client"]].append(span)
        for gone in self.deletes.get("phases", []):
            was = gone["stored"]
            stored_phases[was["client"]].append(
                Span(gone["id"], was["kind"], was["start_on"], was["end_on"])
            )
        for code in sorted((codes & set(self.final)) - self.removed_codes):
            client = self.final[code]
            stored = self.stored_clients.get(client["id"])
            old: set[str] = set()
            if stored is not None:
                placements, hours = before_items.get(code, ([], []))
                before = Timeline(
                    client=code,
                    phases=tuple(stored_phases.get(stored["code"], [])),
                    placements=tuple(placements),
                    hours=tuple(hours),
                    ended_on=stored["ended_on"],
                )
                old = {v.message for v in violations(before, today)}
            placements, hours = after_items.get(code, ([], []))
            after = Timeline(
                client=code,
                phases=tuple(
                    Span(
                        e["id"],
                        e["kind"],
                        e["start_on"],
                        e["end_on"],
                        tag=("phases", e["record"]) if e["record"] else None,
                    )
                    for e in self.phase_entries.get(code, [])
                ),
                placements=tuple(placements),
                hours=tuple(hours),
                ended_on=client.get("ended_on"),
            )
            for violation in violations(after, today):
                if violation.message not in old:
                    self.blame(code, violation)

    def blame(self, code: str, violation: Violation) -> None:
        """The violation as a problem of the first involved record that has a workbook row,
        else of the client's row (else of any row of the client)."""
        for record in violation.records:
            if record.tag is not None:
                tag = cast(tuple, record.tag)
                data = self.sheets[tag[0]]
                # The field names a date of the first record; another one is blamed at its start.
                field = violation.field if record is violation.records[0] else "start"
                key = field if field in data.columns else None
                key = key or next(k for k in ("start", "on", "client") if k in data.columns)
                self.problem(data, tag[1].row, key, violation.message)
                return
        client = self.final[code]
        if client["record"] is not None:
            data = self.sheets["clients"]
            key = "ended" if violation.field == "ended" and "ended" in data.columns else "code"
            self.problem(data, client["record"].row, key, violation.message)
            return
        for entry in self.phase_entries.get(code, []):
            if entry["record"] is not None:
                self.problem(
                    self.sheets["phases"], entry["record"].row, "client", violation.message
                )
                return
        for item in self.new_items.get(code, []):
            data = self.sheets["hours" if isinstance(item, Hours) else "placements"]
            self.problem(data, cast(tuple, item.tag)[1].row, "client", violation.message)
            return

    def timeline_items(self):
        """Each client's placements and hours, before the import (by the stored client's code)
        and after it (by the code of the client they belong to then), as the rule reads them."""
        before: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        after: dict[str, tuple[list, list]] = defaultdict(lambda: ([], []))
        stored_code = {c["id"]: c["code"] for c in self.stored_clients.values()}
        columns = (Placement.id, Placement.client_id, Placement.kind)
        stored: list[tuple[str, int, int, Span | Hours]] = []
        for i, client_id, kind, start, end in self.session.execute(
            select(*columns, Placement.start_on, Placement.end_on)
        ):
            stored.append(("placement", 0, client_id, Span(i, kind, start, end)))
        for i, client_id, on, amount in self.session.execute(
            select(Activity.id, Activity.client_id, Activity.on_date, Activity.hours)
        ):
            stored.append(("activity", 1, client_id, Hours(i, on, amount)))
        for kind, which, client_id, item in stored:
            before[stored_code[client_id]][which].append(item)
            if (kind, item.id) in self.removed_items:
                continue
            code, changed = self.changed_items.get((kind, item.id), (None, None))
            if changed is not None:
                after[code][which].append(changed)
            else:
                after[self.codes[client_id]][which].append(item)
        for code, items in self.new_items.items():
            for item in items:
                after[code][1 if isinstance(item, Hours) else 0].append(item)
        return before, after

    # -- placements, hours and contacts ------------------------------------------------------

    def stored_rows(self, model) -> list[dict]:
        """Every stored record of `model`, its references by the names the workbook uses."""
        rows = []
        for row in self.session.execute(snapshot(model).order_by(model.id)):
            item = row._asdict()
            item["client"] = self.codes.get(item.get("client_id"))
            item["employer"] = self.employer_names.get(item.get("employer_id"))
            item["coach"] = self.coach_names.get(item.get("coach_id"))
            item["person"] = self.person_names.get(item.get("person_id"))
            rows.append(item)
        return rows

    def removed(self, key: str, kind: str) -> None:
        """The leftover records of sheet `key`; with `delete_missing`, out of the timelines."""
        for gone in self.leftover(key):
            if self.delete_missing and gone.get("client"):
                self.removed_items.add((kind, gone["id"]))
                self.touched.add(gone["client"])

    def placements(self) -> None:
        if "placements" not in self.sheets:
            return
        pool = self.pool(
            "placements",
            self.stored_rows(Placement),
            lambda p: (p["client"], p["employer"], p["kind"], p["start_on"]),
        )
        fields = ("client", "employer", "kind", "start", *FIELDS["placements"])
        seen: dict[tuple, int] = {}
        for data, record, values in self.records("placements"):
            if not self.usable(
                data,
                record,
                values,
                ("client", "employer", "kind", "start"),
                ("client", "employer"),
            ):
                continue
            start = values["start"]
            key = (values["client"], values["employer"], values["kind"], start)
            stored = self.paired(pool, record, key)
            if self.repeated(data, record, seen, key, "placement", stored):
                continue
            end = values.get("end") if "end" in data.columns or stored is None else None
            if stored is None:
                span = Span(None, values["kind"], start, end, tag=("placements", record))
                self.new_items[values["client"]].append(span)
            else:
                end = end if "end" in data.columns else stored["end_on"]
                span = Span(stored["id"], values["kind"], start, end, tag=("placements", record))
                self.changed_items[("placement", stored["id"])] = (values["client"], span)
            new = {k: values[k] for k in ("client", "employer", "kind")}
            new |= {model_field(k): values.get(k) for k in FIELDS["placements"]}
            if self.apply(data, "placements", stored, values, fields, new):
                self.touched.add(values["client"])
                if stored is not None:
                    self.touched.add(stored["client"])
        self.removed("placements", "placement")

    def hours(self) -> None:
        if "hours" not in self.sheets:
            return
        pool = self.pool(
            "hours",
            self.stored_rows(Activity),
            lambda a: (
                a["client"],
                a["on_date"],
                hours_key(a["hours"]),
                a["kind"],
                stored_value(a["note"]),
            ),
        )
        fields = ("client", "on", "hours", "kind", "note", "coach")
        for data, record, values in self.records("hours"):
            if not self.usable(
                data, record, values, ("client", "on", "hours"), ("client", "coach")
            ):
                continue
            if values["hours"] <= 0:
                self.problem(data, record.row, "hours", "hours must be more than 0 (at most 24)")
                continue
            code, day = values["client"], values["on"]
            kind = values.get("kind") or "meeting"
            if "kind" in data.columns:
                values["kind"] = kind
            key = (code, day, hours_key(values["hours"]), kind, values.get("note"))
            stored = self.paired(pool, record, key)
            number = stored["id"] if stored is not None else None
            item = Hours(number, day, values["hours"], tag=("hours", record))
            if stored is None:
                self.new_items[code].append(item)
            else:
                self.changed_items[("activity", stored["id"])] = (code, item)
            coach = values["coach"] if "coach" in data.columns else self.final[code].get("coach")
            new = {"client": code, "on_date": day, "hours": values["hours"], "kind": kind}
            new |= {"note": values.get("note"), "coach": coach}
            if self.apply(data, "hours", stored, values, fields, new):
                self.touched.add(code)
                if stored is not None:
                    self.touched.add(stored["client"])
        self.removed("hours", "activity")

    def contacts(self) -> None:
        if "contacts" not in self.sheets:
            return
        pool = self.pool(
            "contacts",
            self.stored_rows(Contact),
            lambda c: (c["employer"], c["on_date"], c["channel"], c["stage"], c["client"]),
        )
        self.contact_employers = {c["id"]: c["employer"] for c in pool.rows}
        fields = ("employer", "on", "channel", "stage", "client", "next", "note", "coach", "person")
        for data, record, values in self.records("contacts"):
            if not self.usable(
                data,
                record,
                values,
                ("employer", "on", "channel", "stage"),
                ("employer", "client", "coach"),
            ):
                continue
            person = values.get("person")
            if person is not None and (values["employer"], person) not in self.persons:
                self.problem(
                    data,
                    record.row,
                    "person",
                    _(
                        "unknown contact person '{person}' at {employer}: add them to {sheet} or "
                        "give a stored person's exact name"
                    ).format(
                        person=person,
                        employer=values["employer"],
                        sheet=layout.CONTACT_PERSONS.title,
                    ),
                )
                continue
            day, follow_up = values["on"], values.get("next")
            if follow_up is not None and follow_up < day:
                self.problem(
                    data,
                    record.row,
                    "next",
                    _("the follow-up ({next}) cannot be before the contact ({day})").format(
                        next=finnish(follow_up), day=finnish(day)
                    ),
                )
            key = (
                values["employer"],
                day,
                values["channel"],
                values["stage"],
                values.get("client"),
            )
            new = {k: values.get(k) for k in ("employer", "channel", "stage", "client", "coach")}
            new["person"] = person
            new |= {"on_date": day, "next_on": follow_up, "note": values.get("note")}
            stored = self.paired(pool, record, key)
            if self.apply(data, "contacts", stored, values, fields, new):
                self.touched |= {
                    c for c in (values.get("client"), stored and stored["client"]) if c
                }
        self.leftover("contacts")

    def contact_persons(self) -> None:
        """By employer and name; two people of one name at one employer pair up in order."""
        rows = self.stored_rows(ContactPerson)
        pool = self.pool("contact_persons", rows, lambda p: (p["employer"], p["name"]))
        final = {p["id"]: p["name"] for p in rows}
        self.persons = {(p["employer"], p["name"]) for p in rows}
        fields = ("employer", "name", *FIELDS["contact_persons"])
        for data, record, values in self.records("contact_persons"):
            if not self.usable(data, record, values, ("employer", "name"), ("employer",)):
                continue
            stored = self.paired(pool, record, (values["employer"], values["name"]))
            new = {"employer": values["employer"], "name": values["name"]}
            new |= {k: values.get(k) for k in FIELDS["contact_persons"]}
            self.apply(data, "contact_persons", stored, values, fields, new)
            if stored is not None:
                final[stored["id"]] = values["name"]
        if "contact_persons" in self.sheets:
            # Who is there afterwards: the rows, and stored people the sheet does not list.
            left = self.leftover("contact_persons")
            kept = [] if self.delete_missing else left
            self.persons = {(p["employer"], p["name"]) for p in kept}
            for _data, record, _values in self.records("contact_persons"):
                employer, name = record.values.get("employer"), record.values.get("name")
                if employer is not None and name is not None:
                    self.persons.add((employer, name))
        self.person_names = final

    # -- removals: only what nothing else depends on -----------------------------------------

    def check_removals(self) -> None:
        """Each record planned for removal that a stored row outside the workbook (or one kept)
        still refers to is a problem of its sheet: nothing is removed then."""
        kept: dict[str, set[int]] = {}  # table -> ids that stay or go as the workbook says
        for key, pool in self.pools.items():
            kept[MODELS[key].__tablename__] = set(pool.taken) | {
                r["id"] for r in self.deletes.get(key, [])
            }
        for key, gone in self.deletes.items():
            if not gone:
                continue
            target = MODELS[key].__table__
            ids = [r["id"] for r in gone]
            uses: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
            for table in SQLModel.metadata.sorted_tables:
                for fk in table.foreign_keys:
                    if fk.column.table is not target or table.name == "change_history":
                        continue
                    own = next(iter(table.primary_key.columns))
                    handled = kept.get(table.name, set())
                    for start in range(0, len(ids), 500):
                        query = select(own, fk.parent).where(
                            fk.parent.in_(ids[start : start + 500])
                        )
                        for row_id, used in self.session.execute(query):
                            if row_id not in handled:
                                uses[used][table.name].append(row_id)
            data = self.sheets[key]
            for row in gone:
                if row["id"] in uses:
                    namings = [
                        Naming(_DEPENDENT.get(t, t), sorted(refs))
                        for t, refs in sorted(uses[row["id"]].items())
                    ]
                    try:
                        refuse_if_named(
                            _("{record}, not in the workbook,").format(record=describe(key, row)),
                            namings,
                            otherwise=_("keep its row (or import without --delete-missing)"),
                        )
                    except WorkflowError as refused:
                        self.problems.append(Problem(data.title, 0, "", str(refused)))

    def missing_lines(self) -> list[str]:
        """One line per stored record not in the workbook, sheet by sheet."""
        if self.delete_missing:
            line = _("{sheet}: {record}: not in the workbook: removed")
        else:
            line = _("{sheet}: {record}: not in the workbook: kept")
        lines = []
        for key, data in self.sheets.items():
            for row in self.missing.get(key, []):
                lines.append(line.format(sheet=data.title, record=describe(key, row)))
        return lines


def describe(key: str, row: dict) -> str:
    """A stored record as a coach finds it in the sheet: its Tunniste and natural key."""
    shown = {
        "coaches": ("name",),
        "employers": ("name",),
        "clients": ("code", "name"),
        "contact_persons": ("employer", "name"),
        "phases": ("client", "kind", "start_on"),
        "placements": ("client", "employer", "kind", "start_on"),
        "hours": ("client", "on_date", "hours"),
        "contacts": ("employer", "on_date", "channel"),
    }[key]
    values = row.get("stored", row)
    parts = ", ".join(_shown(values[k]) for k in shown if values.get(k) is not None)
    return _("{what} Tunniste {id} ({parts})").format(
        what=_record_name(_WHAT[key]), id=row["id"], parts=parts
    )


def _letter(data: SheetData, key: str) -> str:
    from openpyxl.utils import get_column_letter

    position = data.positions.get(key)
    if position is None:
        position = [c.key for c in data.sheet.columns].index(key) + 1
    return get_column_letter(position)

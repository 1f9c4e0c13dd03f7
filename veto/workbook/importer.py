"""`veto import xlsx`: a tracking workbook back into the store, all rows or none.

Every row is checked first — its cells (`veto.workbook.reading`), its references (client code,
employer, coach) and the one timeline rule (`veto.domain.timeline`) over each client's phases,
placements, hours and end as they would be after the import (a violation the store already had
is not the workbook's). Any problem: every problem is reported and nothing is stored.

Rows are matched to stored records by natural keys: a coach and an employer by name, a client
by code, a phase by (client, kind, start), a placement by (client, employer, kind, start), coaching
hours by (client, day, hours, kind, note), a contact by (employer, day, channel, stage, client).
Identical rows pair off in order, so importing the same workbook twice changes nothing. A
matched record takes the workbook's values of the columns the sheet has (a blank cell clears the
field; a deleted column leaves it alone); records missing from the workbook stay as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from veto.domain.audit import access_entry, log_access
from veto.domain.clients import check_birth_year, check_code
from veto.domain.dates import finnish
from veto.domain.timeline import Hours, Span, Timeline, Violation, violations
from veto.errors import InputError
from veto.models import (
    Activity,
    AuditEntry,
    Client,
    Coach,
    Contact,
    ContactPerson,
    Employer,
    Phase,
    Placement,
)
from veto.store.history import insert_rows, record_bulk_updates
from veto.workbook import layout
from veto.workbook.reading import (
    Problem,
    Progress,
    Record,
    SheetData,
    WorkbookInvalid,
    read_workbook,
)

# Sheet key -> the model and the fields a row sets besides its references.
_FIELDS = {
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
        c.key for c in layout.PLACEMENTS.columns if c.key not in ("client", "employer", "kind")
    ),
}
# Workbook column -> model field, where the names differ.
_RENAMED = {"ended": "ended_on", "field": "outcome_field", "start": "start_on", "end": "end_on"}
_RENAMED |= {"on": "on_date", "next": "next_on"}


@dataclass
class Count:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


@dataclass
class Summary:
    """What an import stored (or, on a dry run, would store), per sheet title."""

    path: Path
    counts: dict[str, Count] = field(default_factory=dict)

    def describe(self, *, dry_run: bool) -> str:
        parts = [
            f"{title} {c.new} new, {c.changed} changed, {c.unchanged} unchanged"
            for title, c in self.counts.items()
        ]
        done = "would import" if dry_run else "imported"
        tail = "; nothing was written (--dry-run)" if dry_run else ""
        return f"{done} {self.path.name}: " + "; ".join(parts) + tail

    @property
    def changes(self) -> int:
        return sum(c.new + c.changed for c in self.counts.values())


def _now() -> datetime:
    return datetime.now(UTC)


def _field(key: str) -> str:
    return _RENAMED.get(key, key)


def _stored(value: Any) -> Any:
    """A stored value as the workbook would give it back (text stripped, '' as nothing)."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _hours_key(value: Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


class _Plan:
    """Everything the import would do, worked out against a snapshot of the store; every
    problem found on the way is added to `problems`."""

    def __init__(self, session: Session, sheets: list[SheetData], problems: list[Problem]):
        self.session = session
        self.problems = problems
        self.sheets = {s.sheet.key: s for s in sheets}
        self.inserts: dict[str, list[dict]] = defaultdict(list)
        self.updates: dict[str, list[dict]] = defaultdict(list)
        self.counts: dict[str, Count] = {s.title: Count() for s in sheets}
        self.touched: set[str] = set()  # codes of clients whose records change
        self.person_names: dict[int, str] = {}  # contact person id -> name, once read
        self.persons: set[tuple[str, str]] = set()  # (employer, name), stored or in the book
        self.phase_entries: dict[str, list[dict]] = {}
        # For the timeline rule: records the workbook adds, and stored ones it pairs a row with.
        self.new_items: dict[str, list[Span | Hours]] = defaultdict(list)
        self.changed_items: dict[tuple[str, int], Span | Hours] = {}

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

    # -- helpers ---------------------------------------------------------------------------

    def problem(self, data: SheetData, row: int, key: str, message: str) -> None:
        self.problems.append(Problem(data.title, row, data.sheet.column(key).header, message))

    def records(self, key: str) -> Iterable[tuple[SheetData, Record, dict[str, Any]]]:
        """(sheet, record, values of every column the sheet has, None where blank)."""
        data = self.sheets.get(key)
        if data is None:
            return
        if any(c.required and c.key not in data.columns for c in data.sheet.columns):
            return  # a required column is missing: a problem of its own
        for record in data.records:
            yield data, record, {k: record.values.get(k) for k in data.columns}

    def filled(self, data: SheetData, record: Record, values: dict, keys: Iterable[str]) -> bool:
        """Whether the required cells are filled (a problem for each empty one)."""
        ok = not (record.failed & set(keys))
        for key in keys:
            if key in data.columns and values.get(key) is None and key not in record.failed:
                header = data.sheet.column(key).header
                self.problem(data, record.row, key, f"empty: fill in {header}")
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
            f"unknown {what} '{value}': add it to {sheet.title} or give a stored {what}'s "
            + ("code" if what == "client" else "exact name"),
        )
        return False

    def usable(self, data, record, values, required: tuple, refers: tuple) -> bool:
        """Whether the row has its required cells and its references name known records."""
        return self.filled(data, record, values, required) and self.references(
            data, record, values, refers
        )

    def references(self, data, record, values, keys: Iterable[str]) -> bool:
        """Whether the client codes, employer and coach names in `keys` name records of the
        workbook or the store (a problem for each that does not)."""
        targets = {
            "client": (self.final, layout.CLIENTS),
            "employer": (self.employers, layout.EMPLOYERS),
            "coach": (self.coaches, layout.COACHES),
        }
        ok = True
        for key in keys:
            names, sheet = targets[key]
            ok &= self.known(data, record, values, key, names, key, sheet)
        return ok

    def repeated(self, data, record, rows: dict, key: tuple, what: str, paired) -> bool:
        """Whether an earlier row of the sheet has the natural `key` of this row, which pairs
        with no stored record: the same record twice (a problem at its start). Rows that pair
        with stored records of one key are those records (an export of them round trips)."""
        first = rows.setdefault(key, int(record.row))
        if first == int(record.row) or paired is not None:
            return False
        self.problem(data, record.row, "start", f"same {what} as row {first}; keep one of them")
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
        changes = {
            _field(k): values[k]
            for k in fields
            if k in values and values[k] != _stored(stored[_field(k)])
        }
        if changes:
            self.updates[key].append({"id": stored["id"], **changes})
        self.count(data, "changed" if changes else "unchanged")
        return changes or None

    # -- coaches and employers: by name ----------------------------------------------------

    def named(self, key: str, model) -> set[str]:
        stored = {r.name: r._asdict() for r in self.session.execute(_snapshot(model))}
        if key == "coaches":
            self.coach_names = {r["id"]: name for name, r in stored.items()}
        else:
            self.employer_names = {r["id"]: name for name, r in stored.items()}
        names = set(stored)
        seen: dict[str, int] = {}
        for data, record, values in self.records(key):
            if not self.filled(data, record, values, ["name"]):
                continue
            name = values["name"]
            if name.isdigit():
                self.problem(data, record.row, "name", f"'{name}' is all digits: give a name")
                continue
            if name in seen:
                self.problem(data, record.row, "name", f"'{name}' is also on row {seen[name]}")
                continue
            seen[name] = record.row
            fields = _FIELDS[key]
            new = {"name": name, **{k: values.get(k) for k in fields}}
            self.apply(data, key, stored.get(name), values, fields, new)
            names.add(name)
        return names

    # -- clients: by code ------------------------------------------------------------------

    def clients(self) -> None:
        """Plan the clients; `self.final` is code -> the client as it would be afterwards."""
        stored = {r.code: r._asdict() for r in self.session.execute(_snapshot(Client))}
        self.stored_clients = stored
        self.final = {
            code: {**r, "coach": self.coach_names.get(r["coach_id"]), "record": None}
            for code, r in stored.items()
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
                self.problem(data, record.row, "code", f"client {code} is also on row {seen[code]}")
                continue
            seen[code] = record.row
            if code not in stored:
                missing = [k for k in required if k not in data.columns]
                if missing:
                    headers = ", ".join(data.sheet.column(k).header for k in missing)
                    self.problem(data, record.row, "code", f"a new client needs {headers}")
                    continue
            if not self.filled(data, record, values, required):
                continue
            if values.get("birth_year") is not None:
                try:
                    check_birth_year(values["birth_year"])
                except InputError as exc:
                    self.problem(data, record.row, "birth_year", str(exc))
            self.references(data, record, values, ("coach",))
            client = dict(self.final.get(code) or {"id": None, "code": code, "coach": None})
            for key in data.columns - {"code"}:
                client["coach" if key == "coach" else _field(key)] = values[key]
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
            fields = [*_FIELDS["clients"], "ended", "outcome", "field", "coach"]
            before = stored.get(code)
            if before is not None:
                before = {**before, "coach": self.coach_names.get(before["coach_id"])}
            new = {"code": code, **{_field(k): client.get(_field(k)) for k in fields}}
            new["coach"] = client.get("coach")
            if self.apply(data, "clients", before, values, fields, new):
                self.touched.add(code)

    # -- phases: by (client, kind, start), checked with the workflow rules -----------------

    def phases(self) -> None:
        by_code = {c["id"]: code for code, c in self.final.items() if c["id"] is not None}
        entries: dict[str, list[dict]] = defaultdict(list)
        for row in self.session.execute(_snapshot(Phase).order_by(Phase.id)):
            entry = {**row._asdict(), "record": None, "stored_end": row.end_on}
            entries[by_code[row.client_id]].append(entry)
        unpaired = {
            code: _by_key(rows, lambda e: (e["kind"], e["start_on"]))
            for code, rows in entries.items()
        }
        data = self.sheets.get("phases")
        checked = {code for code, c in self.final.items() if c["record"] is not None}
        rows: dict[tuple, int] = {}
        for data, record, values in self.records("phases"):
            if not self.usable(data, record, values, ("client", "kind", "start"), ("client",)):
                continue
            code = values["client"]
            checked.add(code)
            entry = _pair(unpaired.get(code, {}), (values["kind"], values["start"]))
            if self.repeated(
                data, record, rows, (code, values["kind"], values["start"]), "phase", entry
            ):
                continue
            if entry is None:
                entry = {"id": None, "kind": values["kind"], "start_on": values["start"]}
                entry |= {"end_on": values.get("end"), "stored_end": None}
                entries[code].append(entry)
            elif "end" in data.columns:
                entry["end_on"] = values["end"]
            entry["record"] = record
        for code in checked:
            self.close_open_phases(code, entries.get(code, []))
        self.phase_entries = entries
        for code, client_phases in entries.items():
            for entry in client_phases:
                if entry["id"] is None:
                    self.inserts["phases"].append(
                        {
                            "client": code,
                            "kind": entry["kind"],
                            "start_on": entry["start_on"],
                            "end_on": entry["end_on"],
                        }
                    )
                    self.touched.add(code)
                elif entry["end_on"] != entry["stored_end"]:
                    self.updates["phases"].append({"id": entry["id"], "end_on": entry["end_on"]})
                    self.touched.add(code)
                if entry["record"] is not None:
                    changed = entry["id"] is not None and entry["end_on"] != entry["stored_end"]
                    outcome = "new" if entry["id"] is None else "changed" if changed else None
                    self.count(data, outcome or "unchanged")

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
        ended = self.final[code].get("ended_on")
        if ended is not None and order and order[-1]["end_on"] is None:
            if order[-1]["start_on"] <= ended:
                order[-1]["end_on"] = ended

    # -- the one timeline rule over every client as the import would leave it ---------------

    def check_timelines(self) -> None:
        """`veto.domain.timeline.violations` over each client's timeline after the import;
        a violation the stored timeline did not already have is a problem of the row that
        brings it (the client's row for its end)."""
        today = date.today()
        stored_items = self.timeline_items()
        codes = {c for c, client in self.final.items() if client["record"] is not None}
        codes |= (
            set(self.new_items)
            | self.touched
            | {code for code, rows in self.phase_entries.items() if any(e["record"] for e in rows)}
        )
        for code in sorted(codes):
            client = self.final[code]
            stored = self.stored_clients.get(code)
            placements, hours = stored_items.get(code, ({}, {}))
            phases = self.phase_entries.get(code, [])
            old: set[str] = set()
            if stored is not None:
                before = Timeline(
                    client=code,
                    phases=tuple(
                        Span(e["id"], e["kind"], e["start_on"], e["stored_end"])
                        for e in phases
                        if e["id"] is not None
                    ),
                    placements=tuple(placements.values()),
                    hours=tuple(hours.values()),
                    ended_on=stored["ended_on"],
                )
                old = {v.message for v in violations(before, today)}
            after_placements = {
                i: self.changed_items.get(("placement", i), p) for i, p in placements.items()
            }
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
                    for e in phases
                ),
                placements=(
                    *after_placements.values(),
                    *(i for i in self.new_items.get(code, []) if isinstance(i, Span)),
                ),
                hours=(
                    *(self.changed_items.get(("activity", i), h) for i, h in hours.items()),
                    *(i for i in self.new_items.get(code, []) if isinstance(i, Hours)),
                ),
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
                data = self.sheets[record.tag[0]]
                # The field names a date of the first record; another one is blamed at its start.
                field = violation.field if record is violation.records[0] else "start"
                key = field if field in data.columns else None
                key = key or next(k for k in ("start", "on", "client") if k in data.columns)
                self.problem(data, record.tag[1].row, key, violation.message)
                return
        client = self.final[code]
        if client["record"] is not None:
            data = self.sheets["clients"]
            key = "ended" if violation.field == "ended" and "ended" in data.columns else "code"
            self.problem(data, client["record"].row, key, violation.message)
            return
        for item in (*self.phase_entries.get(code, []),):
            if item["record"] is not None:
                self.problem(self.sheets["phases"], item["record"].row, "client", violation.message)
                return
        for item in self.new_items.get(code, []):
            data = self.sheets["hours" if isinstance(item, Hours) else "placements"]
            self.problem(data, item.tag[1].row, "client", violation.message)
            return

    def timeline_items(self) -> dict[str, tuple[dict[int, Span], dict[int, Hours]]]:
        """Each client's stored placements and hours, as the timeline rule reads them."""
        codes = {c["id"]: code for code, c in self.final.items() if c["id"] is not None}
        items: dict[str, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
        columns = (Placement.id, Placement.client_id, Placement.kind)
        for i, client_id, kind, start, end in self.session.execute(
            select(*columns, Placement.start_on, Placement.end_on)
        ):
            items[codes[client_id]][0][i] = Span(i, kind, start, end)
        for i, client_id, on, amount in self.session.execute(
            select(Activity.id, Activity.client_id, Activity.on_date, Activity.hours)
        ):
            items[codes[client_id]][1][i] = Hours(i, on, amount)
        return items

    # -- placements, hours and contacts ------------------------------------------------------

    def stored_by(self, model, key) -> dict[tuple, list[dict]]:
        codes = {c["id"]: code for code, c in self.final.items() if c["id"] is not None}
        rows = []
        for row in self.session.execute(_snapshot(model).order_by(model.id)):
            item = row._asdict()
            item["client"] = codes.get(item.get("client_id"))
            item["employer"] = self.employer_names.get(item.get("employer_id"))
            item["coach"] = self.coach_names.get(item.get("coach_id"))
            item["person"] = self.person_names.get(item.get("person_id"))
            rows.append(item)
        return _by_key(rows, key)

    def placements(self) -> None:
        if "placements" not in self.sheets:
            return
        unpaired = self.stored_by(
            Placement, lambda p: (p["client"], p["employer"], p["kind"], p["start_on"])
        )
        fields = _FIELDS["placements"]
        rows: dict[tuple, int] = {}
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
            stored = _pair(unpaired, key)
            if self.repeated(data, record, rows, key, "placement", stored):
                continue
            end = values.get("end") if "end" in data.columns or stored is None else None
            if stored is None:
                span = Span(None, values["kind"], start, end, tag=("placements", record))
                self.new_items[values["client"]].append(span)
            else:
                end = end if "end" in data.columns else stored["end_on"]
                span = Span(stored["id"], values["kind"], start, end, tag=("placements", record))
                self.changed_items[("placement", stored["id"])] = span
            new = {k: values[k] for k in ("client", "employer", "kind")}
            new |= {_field(k): values.get(k) for k in fields}
            if self.apply(data, "placements", stored, values, fields, new):
                self.touched.add(values["client"])

    def hours(self) -> None:
        if "hours" not in self.sheets:
            return
        unpaired = self.stored_by(
            Activity,
            lambda a: (
                a["client"],
                a["on_date"],
                _hours_key(a["hours"]),
                a["kind"],
                _stored(a["note"]),
            ),
        )
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
            values["kind"] = kind
            key = (code, day, _hours_key(values["hours"]), kind, values.get("note"))
            stored = _pair(unpaired, key)
            item = Hours(stored and stored["id"], day, values["hours"], tag=("hours", record))
            if stored is None:
                self.new_items[code].append(item)
            else:
                self.changed_items[("activity", stored["id"])] = item
            coach = values["coach"] if "coach" in data.columns else self.final[code].get("coach")
            new = {"client": code, "on_date": day, "hours": values["hours"], "kind": kind}
            new |= {"note": values.get("note"), "coach": coach}
            if self.apply(data, "hours", stored, values, ["coach"], new):
                self.touched.add(code)

    def contacts(self) -> None:
        if "contacts" not in self.sheets:
            return
        unpaired = self.stored_by(
            Contact,
            lambda c: (c["employer"], c["on_date"], c["channel"], c["stage"], c["client"]),
        )
        self.contact_employers = {c["id"]: c["employer"] for b in unpaired.values() for c in b}
        fields = ("next", "note", "coach", "person")
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
                    f"unknown contact person '{person}' at {values['employer']}: add them to "
                    f"{layout.CONTACT_PERSONS.title} or give a stored person's exact name",
                )
                continue
            day, follow_up = values["on"], values.get("next")
            if follow_up is not None and follow_up < day:
                self.problem(
                    data,
                    record.row,
                    "next",
                    f"the follow-up ({finnish(follow_up)}) cannot be before the contact "
                    f"({finnish(day)})",
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
            if self.apply(data, "contacts", _pair(unpaired, key), values, fields, new) and (
                values.get("client")
            ):
                self.touched.add(values["client"])

    def contact_persons(self) -> None:
        """By employer and name; two people of one name at one employer pair up in order."""
        unpaired = self.stored_by(ContactPerson, lambda p: (p["employer"], p["name"]))
        self.person_names = {p["id"]: p["name"] for bucket in unpaired.values() for p in bucket}
        self.persons = set(unpaired)
        fields = _FIELDS["contact_persons"]
        for data, record, values in self.records("contact_persons"):
            if not self.usable(data, record, values, ("employer", "name"), ("employer",)):
                continue
            self.persons.add((values["employer"], values["name"]))
            stored = _pair(unpaired, (values["employer"], values["name"]))
            new = {"employer": values["employer"], "name": values["name"]}
            new |= {k: values.get(k) for k in fields}
            self.apply(data, "contact_persons", stored, values, fields, new)


def _snapshot(model):
    """Every stored row of `model` without its creation time, which nothing here compares
    and which costs a third of reading a big table on SQLite (text to datetime)."""
    return select(*(c for c in model.__table__.c if c.name != "created_at"))


def _pair(stored: dict[tuple, list[dict]], key: tuple) -> dict | None:
    """The next stored record with `key` not yet paired with a workbook row."""
    bucket = stored.get(key)
    return bucket.pop(0) if bucket else None


def _by_key(rows: Iterable[dict], key) -> dict[tuple, list[dict]]:
    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def import_workbook(
    session: Session, *, path: Path, dry_run: bool = False, progress: Progress | None = None
) -> Summary:
    """Check the whole workbook at `path`, then store all of it (nothing on `dry_run`).

    Raises `WorkbookInvalid` listing every problem (sheet, row, column), or InputError for a
    file that is not a readable workbook; in both cases nothing is stored."""
    path = Path(path)
    sheets, problems = read_workbook(path, progress=progress)
    plan = _Plan(session, sheets, problems)
    plan.run()
    if plan.problems:
        raise WorkbookInvalid(path, sorted(set(plan.problems), key=_problem_order(sheets)))
    summary = Summary(path, {title: c for title, c in plan.counts.items()})
    if not dry_run and summary.changes:
        _write(session, plan, progress)
    return summary


def _problem_order(sheets: list[SheetData]):
    """Problems in reading order: sheet by sheet, row by row, left to right in the layout
    (a column of the coach's own, named by its letter, after the layout's)."""
    order = {s.title: i for i, s in enumerate(sheets)}
    columns = {s.title: {c.header: i for i, c in enumerate(s.sheet.columns)} for s in sheets}

    def key(p: Problem) -> tuple:
        position = columns.get(p.sheet, {}).get(p.column, len(columns.get(p.sheet, {})))
        # A sheet the workbook lists but veto could not read (row 0) comes first.
        where = order.get(p.sheet, -1 if p.row == 0 else len(order))
        return (where, p.row, position, p.column, p.message)

    return key


def _write(
    session: Session, plan: _Plan, progress: Progress | None, *, action: str = "workbook.import"
) -> None:
    """Apply the plan: parents first, each kind in one bulk statement; the access log names
    the `action` (`veto import table` writes through here too)."""
    total = sum(map(len, plan.inserts.values())) + sum(map(len, plan.updates.values()))
    done = 0

    def store(key: str, model, prepare=dict) -> None:
        """One kind of record: its planned inserts and updates, `prepare`d, in bulk."""
        nonlocal done
        inserts, updates = plan.inserts[key], plan.updates[key]
        _bulk(session, model, [prepare(r) for r in inserts], [prepare(r) for r in updates])
        done += len(inserts) + len(updates)
        if progress:
            progress(done, total, "Tallennetaan")

    ids = {}
    for key, model in (("coaches", Coach), ("employers", Employer)):
        store(key, model)
        ids[key] = {n: i for n, i in session.execute(select(model.name, model.id))}
    coach_ids = ids["coaches"]

    def with_coach(row: dict) -> dict:
        row = dict(row)
        if "coach" in row:
            name = row.pop("coach")
            row["coach_id"] = coach_ids[name] if name is not None else None
        return row

    store("clients", Client, with_coach)
    client_ids = {c: i for c, i in session.execute(select(Client.code, Client.id))}

    person_ids: dict[tuple[int, str], int] = {}  # (employer id, name) -> the first such person

    def resolved(row: dict) -> dict:
        row = with_coach(row)
        if "client" in row:
            code = row.pop("client")
            row["client_id"] = client_ids[code] if code is not None else None
        if "employer" in row:
            row["employer_id"] = ids["employers"][row.pop("employer")]
        if "person" in row:  # a contact's person, at the contact's employer (an update row
            # carries no employer: the stored contact's is the one)
            name = row.pop("person")
            employer = row.get("employer_id") or ids["employers"][plan.contact_employers[row["id"]]]
            row["person_id"] = person_ids[(employer, name)] if name is not None else None
        return row

    store("contact_persons", ContactPerson, resolved)
    people = select(ContactPerson.id, ContactPerson.employer_id, ContactPerson.name)
    for person, employer, name in session.execute(people.order_by(ContactPerson.id.desc())):
        person_ids[(employer, name)] = person
    for key, model in (
        ("phases", Phase),
        ("placements", Placement),
        ("hours", Activity),
        ("contacts", Contact),
    ):
        store(key, model, resolved)

    entries = [
        access_entry(
            session.info,
            action=action,
            client_id=client_ids[code],
            record=f"client:{client_ids[code]}",
        )
        for code in sorted(plan.touched)
    ]
    if entries:
        session.execute(insert(AuditEntry.__table__), entries)
    log_access(session, action=action, record=f"file:{plan_name(plan)}")
    session.flush()


def plan_name(plan: _Plan) -> str:
    return ",".join(f"{t}:{c.new}+{c.changed}" for t, c in plan.counts.items())


def _bulk(session: Session, model, inserts: list[dict], updates: list[dict]) -> None:
    chunk = 5000
    # Core inserts: one executemany per chunk (the ORM's bulk path ran one statement a row),
    # each row kept in the change history.
    for start in range(0, len(inserts), chunk):
        insert_rows(session, model.__table__, inserts[start : start + chunk])
    # Bulk UPDATE by primary key wants the same columns in every row of one statement.
    groups: dict[frozenset, list[dict]] = defaultdict(list)
    for row in updates:
        groups[frozenset(row)].append(row)
    for rows in groups.values():
        record_bulk_updates(session, model.__table__, rows)
        session.execute(update(model), rows)

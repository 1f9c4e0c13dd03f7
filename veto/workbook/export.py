"""`veto export xlsx`: every record of the store in the tracking workbook, and the results.

One sheet per kind of record (`veto.workbook.layout`), one row per record, the client code on
every row that belongs to a client. Each sheet is an Excel table with a frozen header row,
dropdowns for its enumerations and real dates shown d.m.yyyy. The Tulokset sheet holds the
pilot report's tables with native charts (`veto.workbook.results`).
"""

from __future__ import annotations

import io
import warnings
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import Period
from veto.domain.targets import PERIOD_INTAKE_TARGET
from veto.errors import InputError
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
from veto.workbook.layout import DATE_FORMAT, ENUM, Sheet

LAST_ROW = 1_048_576  # validations cover the whole column, so rows a coach adds get them too


def _queries() -> dict[str, Select]:
    """The rows of every sheet, columns in the layout's order, in a stable order."""
    coach = aliased(Coach)
    client = aliased(Client)
    person = aliased(ContactPerson)
    return {
        "coaches": select(Coach.name, Coach.email, Coach.phone, Coach.area).order_by(Coach.name),
        "clients": select(
            Client.code,
            Client.name,
            Client.gender,
            Client.background,
            Client.birth_year,
            Client.birth_date,
            Coach.name,
            Client.municipality,
            Client.phone,
            Client.email,
            Client.ended_on,
            Client.outcome,
            Client.outcome_field,
        )
        .outerjoin(Coach, Coach.id == Client.coach_id)
        .order_by(Client.code),
        "phases": select(Client.code, Phase.kind, Phase.start_on, Phase.end_on)
        .join(Client, Client.id == Phase.client_id)
        .order_by(Client.code, Phase.start_on, Phase.id),
        "employers": select(
            Employer.name,
            Employer.business_id,
            Employer.sector,
            Employer.municipality,
            Employer.address,
        ).order_by(Employer.name),
        "contact_persons": select(
            Employer.name,
            ContactPerson.name,
            ContactPerson.role,
            ContactPerson.phone,
            ContactPerson.email,
        )
        .join(Employer, Employer.id == ContactPerson.employer_id)
        .order_by(Employer.name, ContactPerson.name, ContactPerson.id),
        "placements": select(
            Client.code,
            Employer.name,
            Placement.kind,
            Placement.start_on,
            Placement.end_on,
            Placement.title,
            Placement.tasks,
            Placement.supervisor_name,
            Placement.supervisor_contact,
            Placement.employment_form,
            Placement.employment_other,
            Placement.hours_per_month,
            Placement.full_time,
            Placement.pay_per_hour,
            Placement.pay_per_month,
            Placement.wage_subsidy,
            Placement.arrangement_support,
        )
        .join(Client, Client.id == Placement.client_id)
        .join(Employer, Employer.id == Placement.employer_id)
        .order_by(Client.code, Placement.start_on, Placement.id),
        "contacts": select(
            Employer.name,
            Contact.on_date,
            Contact.channel,
            Contact.stage,
            person.name,
            client.code,
            coach.name,
            Contact.next_on,
            Contact.note,
        )
        .join(Employer, Employer.id == Contact.employer_id)
        .outerjoin(person, person.id == Contact.person_id)
        .outerjoin(client, client.id == Contact.client_id)
        .outerjoin(coach, coach.id == Contact.coach_id)
        .order_by(Contact.on_date, Employer.name, Contact.id),
        "hours": select(
            Client.code, Activity.on_date, Activity.hours, Activity.kind, Activity.note, Coach.name
        )
        .join(Client, Client.id == Activity.client_id)
        .outerjoin(Coach, Coach.id == Activity.coach_id)
        .order_by(Client.code, Activity.on_date, Activity.id),
    }


def workbook_rows(session: Session) -> dict[str, list[tuple]]:
    """Every sheet's rows (sheet key -> tuples in the layout's column order). The sheets of
    contact persons and of employer contacts are left out when there are none."""
    rows = {key: [tuple(r) for r in session.execute(q)] for key, q in _queries().items()}
    for optional in ("contact_persons", "contacts"):
        if not rows[optional]:
            del rows[optional]
    return rows


def _data_sheet(book, sheet: Sheet, count: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    ws = book.create_sheet(sheet.title)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.columns))
    # A table needs a data row; an empty sheet gets one blank row, skipped on import.
    ref = f"A1:{last}{max(count, 1) + 1}"
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if choices := column.choices():
            rule = DataValidation(
                type="list",
                formula1='"' + ",".join(choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.header,
                error="Valitse luettelosta: " + ", ".join(choices),
                promptTitle=column.header,
                prompt="Valitse luettelosta.",
                showInputMessage=False,
            )
            rule.add(f"{letter}2:{letter}{LAST_ROW}")
            ws.data_validations.append(rule)
    table = Table(displayName=sheet.table, ref=ref)
    table.tableColumns = [
        TableColumn(id=i, name=c.header) for i, c in enumerate(sheet.columns, start=1)
    ]
    table.autoFilter = AutoFilter(ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "add table columns manually": done just above
        ws.add_table(table)


def _styles(book) -> tuple[int, int]:
    """The style ids of a date cell (d.m.yyyy) and of a text cell kept as text when edited."""
    from openpyxl.cell import WriteOnlyCell

    probe = book.create_sheet("probe")
    dated = WriteOnlyCell(probe, value=date(2024, 1, 1))
    dated.number_format = DATE_FORMAT
    quoted = WriteOnlyCell(probe, value="x")
    quoted.quotePrefix = True
    styles = (dated.style_id, quoted.style_id)
    book.remove(probe)
    return styles


def write_workbook(
    path: Path,
    rows: dict[str, list[tuple]],
    report: dict[str, Any] | None = None,
    *,
    force: bool = False,
    store: Path | None = None,
) -> None:
    """Write the workbook to `path` as a private file, complete or not at all
    (`veto.outputs.files`: an existing file only with `force`, never the `store`)."""
    from openpyxl import Workbook

    from veto.outputs.files import private_output
    from veto.workbook.results import results_sheet
    from veto.workbook.sheetdata import RowWriter, SharedStrings, splice

    book = Workbook(write_only=True)
    date_style, text_style = _styles(book)
    parts = {}
    strings = SharedStrings()
    for sheet in layout.SHEETS:
        if sheet.key not in rows:
            continue
        _data_sheet(book, sheet, len(rows[sheet.key]))
        writer = RowWriter(
            [c.kind for c in sheet.columns],
            [vocabulary.labels(c.enumeration) if c.kind == ENUM else None for c in sheet.columns],
            date_style=date_style,
            text_style=text_style,
            strings=strings,
        )
        part = f"xl/worksheets/sheet{len(book.worksheets)}.xml"
        parts[part] = (writer, [c.header for c in sheet.columns], rows[sheet.key])
    if report is not None:
        results_sheet(book, report)
    shell = io.BytesIO()
    book.save(shell)
    shell.seek(0)
    with private_output(path, force=force, store=store) as (out, _):
        splice(shell, out, parts, strings)


def check_workbook_target(out: Path, *, force: bool = False, store: Path | None = None) -> None:
    """Refuse, before anything is read, a target that is not a new .xlsx file veto may write."""
    from veto.outputs.files import check_target

    out = Path(out)
    if out.is_dir():
        raise InputError(f"--out '{out}' is a folder: give a file name such as seuranta.xlsx")
    check_target(out, force=force, store=store)
    if out.suffix.lower() != ".xlsx":
        raise InputError(f"cannot write '{out}': give a file name ending in .xlsx")


def export_workbook(
    session: Session,
    *,
    out: Path,
    period: Period | None = None,
    target: int = PERIOD_INTAKE_TARGET,
    force: bool = False,
    store: Path | None = None,
) -> dict[str, int]:
    """Write the tracking workbook of the whole store to `out`; returns rows per sheet title.
    An existing `out` is replaced only with `force`; the `store` file never is.

    The Tulokset sheet shows the pilot report for `period` (all time when None)."""
    from veto.reports.pilot import pilot_report
    from veto.store.direct import SessionWork

    out = Path(out)
    check_workbook_target(out, force=force, store=store)
    rows = workbook_rows(session)
    report = pilot_report(SessionWork(session), period=period or Period(None, None), target=target)
    write_workbook(out, rows, report, force=force, store=store)
    clients = session.execute(select(func.count(Client.id))).scalar_one()
    log_access(session, action="workbook.export", record=f"clients:{clients}")
    titles = {s.key: s.title for s in layout.SHEETS}
    return {titles[key]: len(r) for key, r in rows.items()}

"""`veto export xlsx`: every record of the store in the tracking workbook, and the results.

One sheet per kind of record (`veto.workbook.layout`), one row per record, the client code on
every row that belongs to a client. Each sheet is an Excel table with a frozen header row,
dropdowns for its enumerations and real dates shown d.m.yyyy. The Tulokset sheet holds the
pilot report's tables with native charts (`veto.workbook.results`).
"""

from __future__ import annotations

import warnings
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from veto import vocabulary
from veto.domain.audit import log_access
from veto.domain.dates import Period
from veto.domain.targets import PERIOD_INTAKE_TARGET
from veto.errors import InputError
from veto.i18n import _
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
from veto.workbook.layout import DATE_FORMAT, ENUM, ID, Sheet
from veto.workbook.matching import STORE_PROPERTY, store_mark

LAST_ROW = 1_048_576  # validations cover the whole column, so rows a coach adds get them too


@cache
def _queries() -> dict[str, Select]:
    """The rows of every sheet, columns in the layout's order (the record's id last), in a
    stable order (built once: statements are immutable)."""
    coach: Any = aliased(Coach)
    client: Any = aliased(Client)
    person: Any = aliased(ContactPerson)
    return {
        "coaches": select(
            col(Coach.name), col(Coach.email), col(Coach.phone), col(Coach.area), col(Coach.id)
        ).order_by(col(Coach.name)),
        "clients": select(
            col(Client.code),
            col(Client.name),
            col(Client.gender),
            col(Client.background),
            col(Client.birth_year),
            col(Client.birth_date),
            col(Coach.name),
            col(Client.municipality),
            col(Client.phone),
            col(Client.email),
            col(Client.ended_on),
            col(Client.outcome),
            col(Client.outcome_field),
            col(Client.id),
        )
        .outerjoin(Coach, col(Coach.id) == col(Client.coach_id))
        .order_by(col(Client.code)),
        "phases": select(
            col(Client.code), col(Phase.kind), col(Phase.start_on), col(Phase.end_on), col(Phase.id)
        )
        .join(Client, col(Client.id) == col(Phase.client_id))
        .order_by(col(Client.code), col(Phase.start_on), col(Phase.id)),
        "employers": select(
            col(Employer.name),
            col(Employer.business_id),
            col(Employer.sector),
            col(Employer.municipality),
            col(Employer.address),
            col(Employer.id),
        ).order_by(col(Employer.name)),
        "contact_persons": select(
            col(Employer.name),
            col(ContactPerson.name),
            col(ContactPerson.role),
            col(ContactPerson.phone),
            col(ContactPerson.email),
            col(ContactPerson.id),
        )
        .join(Employer, col(Employer.id) == col(ContactPerson.employer_id))
        .order_by(col(Employer.name), col(ContactPerson.name), col(ContactPerson.id)),
        "placements": select(
            col(Client.code),
            col(Employer.name),
            col(Placement.kind),
            col(Placement.start_on),
            col(Placement.end_on),
            col(Placement.title),
            col(Placement.tasks),
            col(Placement.supervisor_name),
            col(Placement.supervisor_contact),
            col(Placement.employment_form),
            col(Placement.employment_other),
            col(Placement.hours_per_month),
            col(Placement.full_time),
            col(Placement.pay_per_hour),
            col(Placement.pay_per_month),
            col(Placement.wage_subsidy),
            col(Placement.arrangement_support),
            col(Placement.id),
        )
        .join(Client, col(Client.id) == col(Placement.client_id))
        .join(Employer, col(Employer.id) == col(Placement.employer_id))
        .order_by(col(Client.code), col(Placement.start_on), col(Placement.id)),
        "contacts": select(
            col(Employer.name),
            col(Contact.on_date),
            col(Contact.channel),
            col(Contact.stage),
            person.name,
            client.code,
            coach.name,
            col(Contact.next_on),
            col(Contact.note),
            col(Contact.id),
        )
        .join(Employer, col(Employer.id) == col(Contact.employer_id))
        .outerjoin(person, person.id == col(Contact.person_id))
        .outerjoin(client, client.id == col(Contact.client_id))
        .outerjoin(coach, coach.id == col(Contact.coach_id))
        .order_by(col(Contact.on_date), col(Employer.name), col(Contact.id)),
        "hours": select(
            col(Client.code),
            col(Activity.on_date),
            col(Activity.hours),
            col(Activity.kind),
            col(Activity.note),
            col(Coach.name),
            col(Activity.id),
        )
        .join(Client, col(Client.id) == col(Activity.client_id))
        .outerjoin(Coach, col(Coach.id) == col(Activity.coach_id))
        .order_by(col(Client.code), col(Activity.on_date), col(Activity.id)),
    }


def workbook_rows(session: Session) -> dict[str, list[tuple]]:
    """Every sheet's rows (sheet key -> tuples in the layout's column order). The sheets of
    contact persons and of employer contacts are left out when there are none."""
    if session.autoflush:
        session.flush()  # as session.execute would first
    # Through the session's connection: plain rows of columns need none of the ORM's work.
    connection = session.connection()
    rows = {key: [tuple(r) for r in connection.execute(q)] for key, q in _queries().items()}
    for optional in ("contact_persons", "contacts"):
        if not rows[optional]:
            del rows[optional]
    return rows


def _data_sheet(book, sheet: Sheet, count: int) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    from veto.workbook.sheetdata import memory_sheet

    ws = memory_sheet(book, sheet.title)
    ws.freeze_panes = "A2"
    last = get_column_letter(len(sheet.columns))
    # A table needs a data row; an empty sheet gets one blank row, skipped on import.
    ref = f"A1:{last}{max(count, 1) + 1}"
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if column.kind == ID:  # veto's own: out of a coach's way, read back on import
            ws.column_dimensions[letter].hidden = True
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
    mark: str | None = None,
) -> None:
    """Write the workbook to `path` as a private file, complete or not at all
    (`veto.outputs.files`: an existing file only with `force`, never the `store`); `mark`
    names the store the rows' ids belong to (`veto.workbook.matching`)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty

    from veto.outputs.files import private_output
    from veto.workbook.results import results_sheet
    from veto.workbook.sheetdata import RowWriter, SharedStrings, save_shell, splice

    book = Workbook(write_only=True)
    if mark is not None:
        book.custom_doc_props.append(StringProperty(name=STORE_PROPERTY, value=mark))
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
    filled = {}
    if report is not None:
        results = results_sheet(book, report)
        if results is not None:
            filled[f"xl/worksheets/sheet{len(book.worksheets)}.xml"] = results
    shell = save_shell(book)
    with private_output(path, force=force, store=store) as (out, _):
        splice(shell, out, parts, strings, filled)


def check_workbook_target(out: Path, *, force: bool = False, store: Path | None = None) -> None:
    """Refuse, before anything is read, a target that is not a new .xlsx file veto may write."""
    from veto.outputs.files import check_target

    out = Path(out)
    if out.is_dir():
        raise InputError(
            _("--out '{out}' is a folder: give a file name such as seuranta.xlsx").format(out=out)
        )
    check_target(out, force=force, store=store)
    if out.suffix.lower() != ".xlsx":
        raise InputError(
            _("cannot write '{out}': give a file name ending in .xlsx").format(out=out)
        )


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
    clients = session.execute(select(func.count(Client.id))).scalar_one()
    # Logged first, so that even a new store has the first access-log row its mark comes from.
    log_access(session, action="workbook.export", record=f"clients:{clients}")
    session.flush()
    write_workbook(out, rows, report, force=force, store=store, mark=store_mark(session))
    titles = {s.key: s.title for s in layout.SHEETS}
    return {titles[key]: len(r) for key, r in rows.items()}

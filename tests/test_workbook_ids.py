"""The tracking workbook carries identity (issue 12 item 5): each row's hidden Tunniste names its
record, so a corrected cell updates that record; a row deleted from a sheet is listed, and
removed only with --delete-missing, into the change history. Invented people only."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import exported_once, snapshot
from tests.test_workbook import an_empty_store, dump
from tests.test_workbook_roundtrip import _soffice, needs_soffice

HEAD = (
    "Valmentajat 0 new, 0 changed, 1 unchanged; Asiakkaat 0 new, 0 changed, 2 unchanged; "
    "Vaiheet 0 new, 0 changed, 2 unchanged; Työnantajat 0 new, 0 changed, 1 unchanged; "
    "Työpaikat 0 new, 0 changed, 1 unchanged"
)


@pytest.fixture
def exported(ok, tmp_path):
    """Two clients with a phase each, a work trial, 10 hours and 1 hour logged; the workbook
    (both made once per test process; each test gets its own copies)."""
    return exported_once("workbook_ids.exported", lambda: _fill(ok), tmp_path / "seuranta.xlsx")


def _fill(ok) -> None:
    ok("coach", "add", "Liisa Laine")
    ok("client", "add", "--name", "Aino Rantala", "--gender", "female", "--background", "native")
    ok("client", "add", "--name", "Omar Hassan", "--gender", "male", "--background", "immigrant")
    ok("phase", "start", "coaching", "A0001", "--on", "1.2.2024")
    ok("phase", "start", "coaching", "A0002", "--on", "1.3.2024")
    ok("employer", "add", "Rakennus Oy")
    ok(
        "placement", "add", "A0001", "--employer", "Rakennus Oy", "--kind", "work-trial",
        "--start", "2.3.2024", "--end", "30.3.2024",
    )  # fmt: skip
    ok("activity", "log", "A0001", "--hours", "10", "--on", "4.3.2024")
    ok("activity", "log", "A0002", "--hours", "1", "--on", "5.3.2024", "--note", "puhelu")


def _edit(path, edit) -> None:
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)


def _hours() -> list[tuple]:
    return sorted(
        (dict(r)["client_id"], dict(r)["on_date"], dict(r)["hours"]) for r in dump()["activity"]
    )


def _history(table: str) -> list[tuple]:
    from sqlmodel import Session

    from veto.models import ChangeEntry
    from veto.store.database import engine_for
    from veto.store.location import resolve

    with Session(engine_for(resolve(None))) as session:
        query = select(ChangeEntry.operation, ChangeEntry.row_id, ChangeEntry.new)
        # The corrections and removals (the history keeps the inserts too, for veto undo).
        query = query.where(ChangeEntry.table_name == table, ChangeEntry.operation != "insert")
        rows = session.execute(query.order_by(ChangeEntry.id))
        return [
            (op, row, new if not isinstance(new, str) else json.loads(new)) for op, row, new in rows
        ]


def test_the_export_carries_each_records_id_in_a_hidden_last_column(backend, exported):
    book = openpyxl.load_workbook(exported)
    hours = book["Tunnit"]
    assert [c.value for c in hours[1]][-1] == "Tunniste"
    assert [[c.value for c in row][-1] for row in hours.iter_rows(min_row=2)] == [1, 2]
    assert hours.column_dimensions["G"].hidden is True
    assert book.custom_doc_props["veto-store"].value  # the store the ids belong to


def test_a_changed_hours_cell_updates_that_record(backend, ok, veto, exported):
    _edit(exported, lambda book: book["Tunnit"].cell(2, 3, 1))  # 10 -> 1
    run = veto("import", "xlsx", exported)
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == f"imported seuranta.xlsx: {HEAD}; Tunnit 0 new, 1 changed, 1 unchanged\n"
    assert _hours() == [("A0001", date(2024, 3, 4), 1), ("A0002", date(2024, 3, 5), 1)]
    assert _history("activity") == [("update", 1, {"hours": "1"})]
    assert veto("import", "xlsx", exported).stderr == (
        f"imported seuranta.xlsx: {HEAD}; Tunnit 0 new, 0 changed, 2 unchanged\n"
    )


def test_a_changed_key_cell_moves_the_record_and_the_timeline_rule_decides(
    backend, ok, veto, exported
):
    """The hours move to the other client (a new natural key, the same record); moved before
    that client's first phase they break the one timeline rule, at the row's date."""
    _edit(exported, lambda book: book["Tunnit"].cell(2, 1, "A0002"))
    run = veto("import", "xlsx", exported)
    assert run.stderr == f"imported seuranta.xlsx: {HEAD}; Tunnit 0 new, 1 changed, 1 unchanged\n"
    assert _hours() == [("A0002", date(2024, 3, 4), 10), ("A0002", date(2024, 3, 5), 1)]
    _edit(exported, lambda book: book["Tunnit"].cell(2, 2, date(2024, 2, 20)))
    before = snapshot()
    run = veto("import", "xlsx", exported)
    assert (run.exit_code, run.stderr.splitlines()) == (
        2,
        [
            "Error: 1 problem in seuranta.xlsx; nothing was imported (sheet, row, column: problem)",
            "Tunnit, row 2, Päivä: hours 1 is dated 20.2.2024, before the first phase of A0002 "
            "starts (1.3.2024): accepted: 1.3.2024 or later, or a phase starting on 20.2.2024 or "
            "earlier",
        ],
    )
    assert snapshot() == before


def test_a_deleted_row_is_listed_and_kept(backend, ok, veto, exported):
    _edit(exported, lambda book: book["Tunnit"].delete_rows(2))
    before = dump()
    dry = veto("import", "xlsx", exported, "--dry-run")
    assert (dry.exit_code, dry.stderr) == (
        0,
        f"would import seuranta.xlsx: {HEAD}; Tunnit 0 new, 0 changed, 1 unchanged, 1 not in the "
        "workbook: kept; nothing was written (--dry-run)\n"
        "Tunnit: hours row Tunniste 1 (A0001, 4.3.2024, 10): not in the workbook: kept\n",
    )
    run = veto("import", "xlsx", exported)
    assert run.stderr == (
        f"imported seuranta.xlsx: {HEAD}; Tunnit 0 new, 0 changed, 1 unchanged, 1 not in the "
        "workbook: kept\n"
    )
    assert dump() == before


def test_delete_missing_removes_the_deleted_rows_records_into_the_history(
    backend, ok, veto, exported
):
    _edit(exported, lambda book: (book["Tunnit"].delete_rows(2), book["Työpaikat"].delete_rows(2)))
    run = veto("import", "xlsx", exported, "--delete-missing")
    assert (run.exit_code, run.stderr) == (
        0,
        "imported seuranta.xlsx: Valmentajat 0 new, 0 changed, 1 unchanged; Asiakkaat 0 new, "
        "0 changed, 2 unchanged; Vaiheet 0 new, 0 changed, 2 unchanged; Työnantajat 0 new, "
        "0 changed, 1 unchanged; Työpaikat 0 new, 0 changed, 0 unchanged, 1 not in the "
        "workbook: removed; Tunnit 0 new, 0 changed, 1 unchanged, 1 not in the workbook: "
        "removed\n",
    )
    assert _hours() == [("A0002", date(2024, 3, 5), 1)]
    assert dump()["placement"] == []
    assert _history("activity") == [("delete", 1, None)]
    assert _history("placement") == [("delete", 1, None)]
    before = dump()
    ok("undo", "--yes")  # the removals are one command of the history
    assert len(dump()["activity"]) == 2 and len(dump()["placement"]) == 1
    ok("import", "xlsx", exported, "--delete-missing")
    assert dump() == before
    assert (
        "Tunnit 0 new, 0 changed, 1 unchanged\n"
        in veto("import", "xlsx", exported, "--delete-missing").stderr
    )


def test_delete_missing_refuses_what_something_else_depends_on(backend, ok, veto, exported):
    """A client deleted from Asiakkaat whose rows elsewhere stay: those rows name an unknown
    client; deleted from every sheet but with a note outside the workbook: refused too."""
    ok("note", "add", "A0002", "soitti")
    _edit(exported, lambda book: book["Asiakkaat"].delete_rows(3))
    before = snapshot()
    run = veto("import", "xlsx", exported, "--delete-missing")
    assert (run.exit_code, run.stdout) == (2, "")
    gone = (
        "Asiakkaat: client Tunniste 2 (A0002, Omar Hassan), not in the workbook, cannot be "
        "removed: note 1 name it; keep its row (or import without --delete-missing)"
    )
    assert run.stderr.splitlines() == [
        "Error: 3 problems in seuranta.xlsx; nothing was imported (sheet, row, column: problem)",
        gone,
        "Vaiheet, row 3, Asiakaskoodi: unknown client 'A0002': add it to Asiakkaat or give a "
        "stored client's code",
        "Tunnit, row 3, Asiakaskoodi: unknown client 'A0002': add it to Asiakkaat or give a "
        "stored client's code",
    ]
    _edit(exported, lambda book: (book["Vaiheet"].delete_rows(3), book["Tunnit"].delete_rows(3)))
    run = veto("import", "xlsx", exported, "--delete-missing")
    assert run.stderr.splitlines() == [
        "Error: 1 problem in seuranta.xlsx; nothing was imported (sheet, row, column: problem)",
        gone,
    ]
    assert snapshot() == before
    dry = veto("import", "xlsx", exported, "--dry-run")
    assert dry.stderr.splitlines()[1:] == [
        "Asiakkaat: client Tunniste 2 (A0002, Omar Hassan): not in the workbook: kept",
        "Vaiheet: phase Tunniste 2 (A0002, coaching, 1.3.2024): not in the workbook: kept",
        "Tunnit: hours row Tunniste 2 (A0002, 5.3.2024, 1): not in the workbook: kept",
    ]


def test_a_damaged_unknown_or_repeated_id_is_a_problem_and_nothing_is_imported(
    backend, ok, veto, exported
):
    def damage(book):
        hours = book["Tunnit"]
        hours.cell(2, 3, 1)  # a change that must not be stored
        hours.cell(2, 7, "x1")
        hours.cell(3, 7, 99)
        phases = book["Vaiheet"]
        phases.append([c.value for c in phases[3]])  # copied with its Tunniste

    _edit(exported, damage)
    before = snapshot()
    run = veto("import", "xlsx", exported)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "Error: 3 problems in seuranta.xlsx; nothing was imported (sheet, row, column: problem)",
        "Vaiheet, row 4, Tunniste: Tunniste 2 is also on row 3: a copied row keeps the id of its "
        "original; clear the Tunniste cell (hidden column E) of the copy to import it as a new "
        "record",
        "Tunnit, row 2, Tunniste: 'x1' is not a record id: leave the hidden Tunniste column as "
        "veto wrote it, or clear the cell to import the row as a new record",
        "Tunnit, row 3, Tunniste: no hours row has Tunniste 99 in this store: leave the hidden "
        "column G as veto wrote it, or clear the cell to import the row as a new hours row",
    ]
    assert snapshot() == before


def test_a_workbook_of_another_store_pairs_by_natural_keys(
    backend, ok, veto, exported, tmp_path, monkeypatch
):
    """Its ids name nothing there; identical records of the exporting store (one made before
    the commands refused a second identical work trial) stay two."""
    from sqlalchemy import insert
    from sqlmodel import Session

    from veto.models import Placement
    from veto.store.database import engine_for
    from veto.store.location import resolve

    with Session(engine_for(resolve(None))) as session:
        twin = session.execute(select(Placement.__table__)).one()._asdict()
        session.execute(
            insert(Placement.__table__).values({k: v for k, v in twin.items() if k != "id"})
        )
        session.commit()
    twins = tmp_path / "kaksoset.xlsx"
    ok("export", "xlsx", "--out", twins)
    before = dump()
    an_empty_store(backend, tmp_path, monkeypatch)
    ok("coach", "add", "Pekka Puro")  # ids 1.. now name other records here
    run = veto("import", "xlsx", twins)
    assert (run.exit_code, run.stderr) == (
        0,
        "imported kaksoset.xlsx: Valmentajat 1 new, 0 changed, 0 unchanged, 1 not in the "
        "workbook: kept; Asiakkaat 2 new, 0 changed, 0 unchanged; Vaiheet 2 new, 0 changed, "
        "0 unchanged; Työnantajat 1 new, 0 changed, 0 unchanged; Työpaikat 2 new, 0 changed, "
        "0 unchanged; Tunnit 2 new, 0 changed, 0 unchanged\n",
    )
    assert {k: v for k, v in dump().items() if k != "coach"} == {
        k: v for k, v in before.items() if k != "coach"
    }
    assert "Työpaikat 0 new, 0 changed, 2 unchanged" in veto("import", "xlsx", twins).stderr


@needs_soffice
def test_a_corrected_cell_survives_libreoffice(ok, veto, exported, tmp_path):
    _edit(exported, lambda book: book["Tunnit"].cell(2, 3, 1))
    _soffice(tmp_path, exported, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    run = veto("import", "xlsx", tmp_path / "lo" / "seuranta.xlsx")
    assert run.stderr == f"imported seuranta.xlsx: {HEAD}; Tunnit 0 new, 1 changed, 1 unchanged\n"
    assert _hours() == [("A0001", date(2024, 3, 4), 1), ("A0002", date(2024, 3, 5), 1)]


def test_import_table_has_no_tunniste_field():
    """A coach's own table never names veto's record ids (its own "id" column is theirs)."""
    from veto.imports.fields import fields_of
    from veto.workbook.layout import ID

    for into in ("clients", "phases", "placements", "hours", "employers", "contacts"):
        assert [f.name for f in fields_of(into).values() if f.column.kind == ID] == []


def test_a_renamed_coach_or_client_code_is_the_same_record(backend, ok, veto, exported):
    """Names and codes are cells like any other: changed, they rename the record; every row
    naming it must then use the new name, and a name another record has is refused."""

    def rename(book):
        book["Valmentajat"].cell(2, 1, "Liisa Laine-Koski")
        book["Asiakkaat"].cell(2, 1, "A0009")
        for title in ("Vaiheet", "Työpaikat", "Tunnit"):
            for row in book[title].iter_rows(min_row=2):
                if row[0].value == "A0001":
                    row[0].value = "A0009"

    _edit(exported, rename)
    run = veto("import", "xlsx", exported)
    assert run.stderr == (
        "imported seuranta.xlsx: Valmentajat 0 new, 1 changed, 0 unchanged; Asiakkaat 0 new, "
        "1 changed, 1 unchanged; Vaiheet 0 new, 0 changed, 2 unchanged; Työnantajat 0 new, "
        "0 changed, 1 unchanged; Työpaikat 0 new, 0 changed, 1 unchanged; Tunnit 0 new, "
        "0 changed, 2 unchanged\n"
    )
    listed = ok("client", "list", "--format", "csv").splitlines()[1:]
    assert [line.split(",")[:3] for line in listed] == [
        ["2", "A0002", "Omar Hassan"],
        ["1", "A0009", "Aino Rantala"],
    ]
    assert [dict(r)["name"] for r in dump()["coach"]] == ["Liisa Laine-Koski"]
    _edit(exported, lambda book: book["Asiakkaat"].cell(3, 1, "A0009"))
    before = snapshot()
    run = veto("import", "xlsx", exported)
    assert run.stderr.splitlines()[1:] == [
        "Asiakkaat, row 3, Asiakaskoodi: client A0009 is also on row 2",
    ]
    _edit(
        exported,
        lambda book: (book["Asiakkaat"].cell(3, 1, "A0003"), book["Asiakkaat"].cell(2, 1, "A0002")),
    )
    run = veto("import", "xlsx", exported)
    assert run.stderr.splitlines()[1:] == [
        "Asiakkaat, row 2, Asiakaskoodi: 'A0002' is already client Tunniste 2's: give another, or "
        "change that row instead",
        "Vaiheet, row 3, Asiakaskoodi: unknown client 'A0002': add it to Asiakkaat or give a "
        "stored client's code",
        "Tunnit, row 3, Asiakaskoodi: unknown client 'A0002': add it to Asiakkaat or give a "
        "stored client's code",
    ]
    assert snapshot() == before

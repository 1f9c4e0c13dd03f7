"""Imports refuse duplicates and damage (issue 18 item 8): two rows for one record, a listed
sheet veto cannot read, and library warnings that must never reach the user. Invented people."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from tests.conftest import exported_once, snapshot
from tests.test_workbook import dump

SHEETS_READ = (
    "(sheets read: Valmentajat, Asiakkaat, Vaiheet, Työnantajat, Yhteyshenkilöt, Työpaikat, "
    "Yhteydenotot, Tunnit)"
)


@pytest.fixture
def exported(ok, tmp_path):
    """A store with a client, a phase, an employer and a work trial, and its workbook (both made
    once per test process; each test gets its own copies)."""
    return exported_once("import_damage.exported", lambda: _fill(ok), tmp_path / "seuranta.xlsx")


def _fill(ok) -> None:
    ok("coach", "add", "Liisa Laine")
    ok("client", "add", "--name", "Aino Rantala", "--gender", "female", "--background", "native")
    ok("phase", "start", "coaching", "A0001", "--on", "1.2.2024")
    ok("employer", "add", "Rakennus Oy")
    ok(
        "placement", "add", "A0001", "--employer", "Rakennus Oy", "--kind", "work-trial",
        "--start", "2.3.2024", "--end", "30.3.2024",
    )  # fmt: skip
    ok("activity", "log", "A0001", "--hours", "1", "--on", "4.3.2024")
    ok("activity", "log", "A0001", "--hours", "1", "--on", "4.3.2024")


def _repeat_rows(path, *titles: str, with_id: bool = False) -> None:
    """Row 2 of each sheet once more: typed again (no Tunniste), or copied `with_id`."""
    book = openpyxl.load_workbook(path)
    for title in titles:
        ws = book[title]
        values = [c.value for c in ws[2]]
        ws.append(values if with_id else values[:-1])
    book.save(path)


def _rewrite(source, target, edit) -> None:
    """A copy of the zip `source` with each part passed through `edit` (None drops it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for name in old.namelist():
            data = edit(name, old.read(name))
            if data is not None:
                new.writestr(name, data)


def _refused(veto, path, *problems: str) -> None:
    run = veto("import", "xlsx", path)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        f"Error: {count} in {path.name}; nothing was imported (sheet, row, column: problem)",
        *problems,
    ]


def test_two_rows_for_one_phase_or_placement_are_refused(backend, veto, exported):
    before = dump()
    _repeat_rows(exported, "Vaiheet", "Työpaikat")
    _refused(
        veto,
        exported,
        "Vaiheet, row 3, Alkoi: same phase as row 2; keep one of them",
        "Työpaikat, row 3, Alkoi: same placement as row 2; keep one of them",
    )
    assert dump() == before


def test_rows_that_pair_with_stored_twins_round_trip(backend, ok, veto, exported, tmp_path):
    """A store from before the twin rule may hold two identical work trials (the commands now
    refuse the second), and the commands log two identical hours; their export imports back
    unchanged (each row is its own stored record). Identical hours rows are never refused: two
    sessions of a day are two records with nothing else to tell them apart. A third placement
    row with no stored twin left is the same record again."""
    from sqlalchemy import insert, select
    from sqlmodel import Session

    from veto.models import Placement
    from veto.store.database import engine_for
    from veto.store.location import resolve

    with Session(engine_for(resolve(None))) as session:  # as a store made before the rule
        twin = session.execute(select(Placement.__table__)).one()._asdict()
        session.execute(
            insert(Placement.__table__).values({k: v for k, v in twin.items() if k != "id"})
        )
        session.commit()
    out = tmp_path / "kaksoset.xlsx"
    ok("export", "xlsx", "--out", out)
    before = dump()
    assert ok("import", "xlsx", out) == ""
    assert dump() == before
    _repeat_rows(out, "Tunnit")
    run = veto("import", "xlsx", out)
    assert (run.exit_code, run.stderr.splitlines()[-1]) == (
        0,
        "imported kaksoset.xlsx: Valmentajat 0 new, 0 changed, 1 unchanged; Asiakkaat 0 new, "
        "0 changed, 1 unchanged; Vaiheet 0 new, 0 changed, 1 unchanged; Työnantajat 0 new, "
        "0 changed, 1 unchanged; Työpaikat 0 new, 0 changed, 2 unchanged; Tunnit 1 new, "
        "0 changed, 2 unchanged",
    )
    after = dump()
    _repeat_rows(out, "Työpaikat")
    _refused(veto, out, "Työpaikat, row 4, Alkoi: same placement as row 2; keep one of them")
    assert dump() == after


def test_a_table_with_one_work_trial_twice_is_refused(backend, ok, veto, tmp_path):
    ok("client", "add", "--name", "Aino Virtanen", "--gender", "female", "--background", "native")
    ok("phase", "start", "coaching", "A0001", "--on", "1.8.2024")
    path = tmp_path / "kokeilut.csv"
    row = "A0001;Kahvila Aurinko;1.9.2024;30.9.2024\n"
    path.write_text("Asiakaskoodi;Työpaikka;Alkoi;Päättyi\n" + row + row, encoding="utf-8")
    before = snapshot()
    run = veto("import", "table", path, "--into", "placements")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "Error: 1 problem in kokeilut.csv; nothing was imported (sheet, row, column: problem)",
        "kokeilut, row 3, Alkoi: same placement as row 2; keep one of them",
    ]
    assert snapshot() == before


def test_a_listed_sheet_whose_part_is_missing_is_a_problem(veto, exported, tmp_path):
    before = dump()
    cut = tmp_path / "puuttuu.xlsx"
    _rewrite(exported, cut, lambda name, data: None if name == "xl/worksheets/sheet3.xml" else data)
    _refused(
        veto,
        cut,
        "Vaiheet: the workbook lists this sheet but its part xl/worksheets/sheet3.xml is missing "
        "from the file; save the workbook again from Excel or LibreOffice, or delete the sheet "
        + SHEETS_READ,
    )
    assert dump() == before


def _no_part(name: str, data: bytes) -> bytes:
    return data.replace(b' r:id="rId3"', b"") if name == "xl/workbook.xml" else data


def test_a_listed_sheet_naming_no_part_is_a_problem_without_a_raw_warning(veto, exported, tmp_path):
    """openpyxl warns ("File contains an invalid specification …") and drops the sheet; veto
    says which sheet it could not read, in its own words, and nothing else."""
    bad = tmp_path / "ilman.xlsx"
    _rewrite(exported, bad, _no_part)
    before = dump()
    env = {**os.environ, "PYTHONWARNINGS": "always"}
    run = subprocess.run(
        [sys.executable, "-m", "veto", "import", "xlsx", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "Error: 1 problem in ilman.xlsx; nothing was imported (sheet, row, column: problem)",
        "Vaiheet: the workbook lists this sheet but it names no part of the file; save the "
        "workbook again from Excel or LibreOffice, or delete the sheet " + SHEETS_READ,
    ]
    assert dump() == before


def test_import_table_lets_no_library_warning_through(veto, exported, tmp_path):
    import warnings

    bad = tmp_path / "ilman.xlsx"
    _rewrite(exported, bad, _no_part)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = veto("import", "table", bad, "--sheet", "Asiakkaat", "--into", "clients")
    assert [str(w.message) for w in caught] == []
    assert (run.exit_code, run.stderr) == (
        0,
        "imported ilman.xlsx: clients 0 new, 0 changed, 1 unchanged\n",
    )


def test_a_chart_sheet_with_a_tracking_name_is_a_problem(veto, exported, tmp_path):
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.load_workbook(exported)
    del book["Vaiheet"]
    chart = BarChart()
    chart.add_data(Reference(book["Asiakkaat"], min_col=1, min_row=1, max_row=2))
    book.create_chartsheet("Vaiheet", 2).add_chart(chart)
    path = tmp_path / "kaavio.xlsx"
    book.save(path)
    before = dump()
    _refused(
        veto,
        path,
        "Vaiheet: the workbook lists this sheet but it is a chart sheet, not a sheet of rows; "
        "rename or delete it and keep the rows on a sheet of that name " + SHEETS_READ,
    )
    assert dump() == before


def test_import_table_of_a_listed_sheet_that_cannot_be_read_is_one_line(veto, exported, tmp_path):
    bad = tmp_path / "ilman.xlsx"
    _rewrite(exported, bad, _no_part)
    before = dump()
    run = veto("import", "table", bad, "--sheet", "Vaiheet", "--into", "phases")
    assert (run.exit_code, run.stdout, run.stderr) == (
        2,
        "",
        "Error: cannot read sheet 'Vaiheet' of ilman.xlsx: it names no part of the file; save "
        "the file again from Excel or LibreOffice\n",
    )
    assert dump() == before

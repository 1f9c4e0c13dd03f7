"""The tracking workbook: `veto export xlsx` and `veto import xlsx` (issue 5)."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from tests.conftest import built_once
from veto.domain.dates import Period
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
from veto.store.database import engine_for
from veto.store.location import resolve

TABLES = (Coach, Employer, ContactPerson, Client, Phase, Placement, Activity, Contact)
SHEETS = ["Valmentajat", "Asiakkaat", "Vaiheet", "Työnantajat", "Työpaikat", "Tunnit", "Tulokset"]


def dump() -> dict[str, list[tuple]]:
    """Every data row of the store, without ids and timestamps, in a stable order."""
    from sqlmodel import Session

    result = {}
    with Session(engine_for(resolve(None))) as session:
        coaches = {i: n for i, n in session.execute(select(Coach.id, Coach.name))}
        clients = {i: c for i, c in session.execute(select(Client.id, Client.code))}
        employers = {i: n for i, n in session.execute(select(Employer.id, Employer.name))}
        persons = {i: n for i, n in session.execute(select(ContactPerson.id, ContactPerson.name))}
        names = {"coach_id": coaches, "client_id": clients, "employer_id": employers}
        names["person_id"] = persons
        for model in TABLES:
            rows = []
            for row in session.execute(select(model.__table__)):
                item = row._asdict()
                item.pop("id")
                item.pop("created_at", None)
                for key, mapping in names.items():
                    if key in item:
                        item[key] = mapping.get(item[key])
                rows.append(tuple(sorted(item.items(), key=lambda kv: kv[0])))
            result[model.__tablename__] = sorted(rows, key=repr)
    return result


def cells(path, *, ids: bool = False) -> dict[str, list[tuple]]:
    """The values of every sheet, as openpyxl reads them; without the record ids of the last
    column (Tunniste), which differ between stores, unless `ids`.

    openpyxl's own grid of a sheet (`load_workbook(path)`, `iter_rows(values_only=True)`:
    every cell its parser finds, from A1 to the last row and column, None where none) from
    that parser in read-only mode, which skips the styles, charts and tables a full load
    builds (~18 ms of a small export)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {}
    try:
        for ws in book:
            found = {}
            with ws._get_source() as source:
                parser = WorkSheetParser(
                    source,
                    ws._shared_strings,
                    data_only=book.data_only,
                    epoch=book.epoch,
                    date_formats=book._date_formats,
                    timedelta_formats=book._timedelta_formats,
                )
                for _, row in parser.parse():
                    for cell in row:
                        found[(cell["row"], cell["column"])] = cell["value"]
            rows = []
            if found:
                last_row = max(r for r, _ in found)
                last_column = max(c for _, c in found)
                rows = [
                    tuple(found.get((r, c)) for c in range(1, last_column + 1))
                    for r in range(1, last_row + 1)
                ]
            if not ids and rows and rows[0][-1] == "Tunniste":
                rows = [r[:-1] for r in rows]
            sheets[ws.title] = rows
    finally:
        book.close()
    return sheets


def _pilot_json() -> dict:
    from sqlmodel import Session

    from veto.reports.pilot import pilot_report
    from veto.store.direct import SessionWork

    with Session(engine_for(resolve(None))) as session:
        return pilot_report(SessionWork(session), period=Period(None, None))


@pytest.fixture
def store(ok):
    """A small store with every kind of record, including text that looks like a formula: built
    by the commands in the first test of this process, a copy of it in each later one
    (`built_once`; ~0,1 s of 17 commands a test)."""
    built_once("workbook.store", lambda: _build_store(ok))


def _build_store(ok) -> None:
    ok("coach", "add", "Liisa Laine", "--area", "Seinäjoki", "--email", "liisa@example.fi")
    ok("coach", "add", "=Pekka Puro")
    ok(
        "client", "add", "--name", "Aino Rantala", "--gender", "female",
        "--background", "native", "--coach", "Liisa Laine", "--birth-year", "1990",
        "--municipality", "Ilmajoki",
    )  # fmt: skip
    ok(
        "client", "add", "--name", "-Omar Hassan", "--gender", "male",
        "--background", "immigrant", "--coach", "=Pekka Puro", "--code", "B-7",
    )  # fmt: skip
    ok("phase", "start", "coaching", "A0001", "--on", "1.2.2024")
    ok("phase", "start", "placement", "A0001", "--on", "15.4.2024")
    ok("phase", "start", "placement", "B-7", "--on", "2024-03-01")
    ok("employer", "add", "+Kahvila Aamu Oy", "--sector", "kahvila")
    ok("employer", "add", "Rakennus Oy", "--business-id", "1234567-1")
    ok(
        "placement", "add", "A0001", "--employer", "+Kahvila Aamu Oy", "--kind", "work-trial",
        "--start", "2.5.2024", "--end", "30.5.2024", "--title", "@barista",
    )  # fmt: skip
    ok(
        "placement",
        "add",
        "B-7",
        "--employer",
        "Rakennus Oy",
        "--kind",
        "job",
        "--start",
        "1.6.2024",
    )
    ok("activity", "log", "A0001", "--hours", "1,5", "--on", "3.5.2024", "--note", "=1+1")
    ok("activity", "log", "A0001", "--hours", "1,5", "--on", "3.5.2024", "--note", "=1+1")
    ok("activity", "log", "B-7", "--hours", "2", "--on", "4.6.2024", "--kind", "workplace")
    ok("client", "end", "A0001", "--outcome", "employed", "--on", "1.9.2024", "--field", "IT")


def test_export_writes_every_sheet_in_finnish(ok, veto, store, tmp_path):
    out = tmp_path / "seuranta.xlsx"
    run = veto("export", "xlsx", "--out", out)
    assert run.exit_code == 0
    assert run.stdout == ""
    assert run.stderr == (
        f"wrote {out}: Valmentajat 2, Asiakkaat 2, Vaiheet 3, Työnantajat 2, Työpaikat 2, "
        "Tunnit 3 rows, and Tulokset\n"
    )
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    clients = book["Asiakkaat"]
    assert [c.value for c in clients[1]] == [
        "Asiakaskoodi", "Nimi", "Sukupuoli", "Tausta", "Syntymävuosi", "Syntymäaika",
        "Valmentaja", "Kunta", "Puhelin", "Sähköposti", "Päättynyt", "Tulos", "Ala", "Tunniste",
    ]  # fmt: skip
    assert (clients["N2"].value, clients["N3"].value) == (1, 2)  # the records' ids
    assert clients.column_dimensions["N"].hidden is True
    assert [c.value for c in clients[2]][:4] == [
        "A0001",
        "Aino Rantala",
        "nainen",
        "kantasuomalainen",
    ]
    assert clients["K2"].value == datetime(2024, 9, 1)
    assert clients["K2"].number_format == "d.m.yyyy"
    assert clients["L2"].value == "työpaikka"
    assert clients.freeze_panes == "A2"
    assert list(clients.tables) == ["Asiakkaat"]
    assert clients.tables["Asiakkaat"].ref == "A1:N3"
    assert clients.column_dimensions["B"].width == 24
    rules = {str(dv.sqref): dv.formula1 for dv in clients.data_validations.dataValidation}
    assert rules == {
        "C2:C1048576": '"nainen,mies,muu"',
        "D2:D1048576": '"kantasuomalainen,maahanmuuttaja"',
        "L2:L1048576": '"työpaikka,koulutuspaikka,pidempi työkokeilu,'
        'palautui työvoimaviranomaiselle,muu"',
    }
    placements = book["Työpaikat"]
    assert {str(dv.sqref) for dv in placements.data_validations.dataValidation} == {
        "C2:C1048576", "J2:J1048576", "M2:M1048576", "P2:P1048576", "Q2:Q1048576",
    }  # fmt: skip
    hours = book["Tunnit"]
    assert [c.value for c in hours[2]] == [
        "A0001",
        datetime(2024, 5, 3),
        1.5,
        "tapaaminen",
        "=1+1",
        "Liisa Laine",
        1,
    ]


def test_text_that_looks_like_a_formula_stays_text(ok, store, tmp_path):
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    book = openpyxl.load_workbook(out)
    for sheet, ref, text in (
        ("Valmentajat", "A1", "Nimi"),
        ("Valmentajat", "A2", "=Pekka Puro"),
        ("Asiakkaat", "B3", "-Omar Hassan"),
        ("Työnantajat", "A2", "+Kahvila Aamu Oy"),
        ("Työpaikat", "F2", "@barista"),
        ("Tunnit", "E2", "=1+1"),
    ):
        cell = book[sheet][ref]
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix is (text[0] in "=+-@")
    with zipfile.ZipFile(out) as z:
        assert not any(b"<f>" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets"))


def test_contacts_sheet_only_when_there_are_contacts(ok, veto, store, tmp_path, monkeypatch):
    first = tmp_path / "a.xlsx"
    ok("export", "xlsx", "--out", first)
    assert "Yhteydenotot" not in openpyxl.load_workbook(first).sheetnames
    from sqlmodel import Session

    ok("employer", "person", "add", "Rakennus Oy", "--name", "Maija Esimies")
    with Session(engine_for(resolve(None))) as session:
        employer = session.execute(select(Employer.id).where(Employer.name == "Rakennus Oy"))
        session.add(
            Contact(
                person_id=1,
                employer_id=employer.scalar_one(),
                on_date=date(2024, 5, 2),
                channel="visit",
                stage="negotiation",
                next_on=date(2024, 6, 1),
                note="@call back",
            )
        )
        client = session.execute(select(Client.id).where(Client.code == "A0001")).scalar_one()
        coach = session.execute(select(Coach.id).where(Coach.name == "Liisa Laine")).scalar_one()
        session.add(
            Contact(
                employer_id=1,
                client_id=client,
                coach_id=coach,
                on_date=date(2024, 6, 10),
                channel="phone",
                stage="aftercare",
            )
        )
        session.commit()
    second = tmp_path / "b.xlsx"
    ok("export", "xlsx", "--out", second)
    book = openpyxl.load_workbook(second)
    assert book.sheetnames == (
        SHEETS[:4] + ["Yhteyshenkilöt"] + SHEETS[4:5] + ["Yhteydenotot"] + SHEETS[5:]
    )
    assert [c.value for c in book["Yhteydenotot"][2]] == [
        "Rakennus Oy", datetime(2024, 5, 2), "käynti", "neuvottelu", "Maija Esimies", None, None,
        datetime(2024, 6, 1), "@call back", 1,
    ]  # fmt: skip
    before = dump()
    monkeypatch.setenv("VETO_DB", str(tmp_path / "empty.db"))
    ok("import", "xlsx", second)
    assert dump() == before
    assert "Yhteydenotot 0 new, 0 changed, 2 unchanged" in veto("import", "xlsx", second).stderr

    contacts = book["Yhteydenotot"]
    contacts["E3"] = "Maija Esimies"  # she works at Rakennus Oy, not at this employer
    book.save(second)
    assert veto("import", "xlsx", second).stderr.splitlines()[1:] == [
        "Yhteydenotot, row 3, Yhteyshenkilö: unknown contact person 'Maija Esimies' at "
        "+Kahvila Aamu Oy: add them to Yhteyshenkilöt or give a stored person's exact name"
    ]
    contacts["E2"] = contacts["E3"] = None
    book.save(second)
    assert "Yhteydenotot 0 new, 1 changed, 1 unchanged" in veto("import", "xlsx", second).stderr
    assert [dict(row)["person_id"] for row in dump()["contact"]] == [None, None]
    contacts["E2"] = "Maija Esimies"
    book.save(second)
    assert "Yhteydenotot 0 new, 1 changed, 1 unchanged" in veto("import", "xlsx", second).stderr
    assert dump() == before


def test_tulokset_has_the_pilot_tables_and_native_charts(ok, store, tmp_path):
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    rows = cells(out)["Tulokset"]
    assert rows[0][0] == "Tulokset: työhönvalmennusasiakkaat"
    assert ("Yhteensä", 2, None, None, None, None) in rows
    assert ("työpaikka", 1, None, None, None, None) in rows
    assert ("työpaikka", "IT", 1, None, None, None) in rows
    assert ("Kuukausi", "Uusia asiakkaita", "Kertymä", "Tavoite", None, None) in rows
    assert ("3/2024", 1, 1, 18, None, None) in rows
    assert ("4/2024", 1, 2, 18, None, None) in rows
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/")]
    assert len(charts) == 2
    assert "<barChart>" in charts[0] and "'Tulokset'!$B$" in charts[0]
    assert "<lineChart>" in charts[1] and "'Tulokset'!$C$" in charts[1]
    assert "'Tulokset'!$D$" in charts[1]  # the target line
    # Whole clients on both value axes, from 0; the cumulative line is never smoothed.
    # (steps of 1 for the outcomes up to 1; of 2 for the intake up to its target 18)
    for chart, step in zip(charts, ("1", "2"), strict=True):
        assert '<numFmt formatCode="0" sourceLinked="0" />' in chart
        assert '<min val="0" />' in chart and f'<majorUnit val="{step}" />' in chart
    assert charts[1].count('<smooth val="0" />') == 2 and '<smooth val="1" />' not in charts[1]


def an_empty_store(backend, tmp_path, monkeypatch) -> None:
    """From here on the test's commands use a new, empty store on the same back end."""
    if backend == "sqlite":
        monkeypatch.setenv("VETO_DB", str(tmp_path / "empty.db"))
    else:
        from tests.conftest import _reset_postgres
        from veto.store.database import dispose_all

        dispose_all()
        _reset_postgres("postgresql+psycopg://")


def test_round_trip_gives_the_same_workbook_and_report(backend, ok, store, tmp_path, monkeypatch):
    first = tmp_path / "first.xlsx"
    ok("export", "xlsx", "--out", first)
    report = _pilot_json()
    an_empty_store(backend, tmp_path, monkeypatch)
    assert dump()["client"] == []
    ok("import", "xlsx", first)
    second = tmp_path / "second.xlsx"
    ok("export", "xlsx", "--out", second)
    assert cells(second) == cells(first)
    assert _pilot_json() == report


def test_importing_twice_changes_nothing(backend, ok, veto, store, tmp_path):
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    before = dump()
    run = veto("import", "xlsx", out)
    assert run.exit_code == 0
    assert run.stderr == (
        "imported seuranta.xlsx: Valmentajat 0 new, 0 changed, 2 unchanged; Asiakkaat 0 new, "
        "0 changed, 2 unchanged; Vaiheet 0 new, 0 changed, 3 unchanged; Työnantajat 0 new, "
        "0 changed, 2 unchanged; Työpaikat 0 new, 0 changed, 2 unchanged; Tunnit 0 new, "
        "0 changed, 3 unchanged\n"
    )
    assert dump() == before


def test_contact_persons_sheet_round_trips(ok, veto, store, tmp_path, monkeypatch):
    first = tmp_path / "a.xlsx"
    ok("export", "xlsx", "--out", first)
    assert "Yhteyshenkilöt" not in openpyxl.load_workbook(first).sheetnames
    ok(
        "employer", "person", "add", "Rakennus Oy", "--name", "Maija Esimies",
        "--role", "työnjohtaja", "--phone", "040 000 0009", "--email", "maija@example.fi",
    )  # fmt: skip
    ok("employer", "person", "add", "Rakennus Oy", "--name", "=Matti Mestari")
    second = tmp_path / "b.xlsx"
    ok("export", "xlsx", "--out", second)
    sheets = cells(second)
    assert list(sheets) == SHEETS[:4] + ["Yhteyshenkilöt"] + SHEETS[4:]
    assert sheets["Yhteyshenkilöt"] == [
        ("Työnantaja", "Nimi", "Rooli", "Puhelin", "Sähköposti"),
        ("Rakennus Oy", "=Matti Mestari", None, None, None),
        ("Rakennus Oy", "Maija Esimies", "työnjohtaja", "040 000 0009", "maija@example.fi"),
    ]
    before = dump()
    monkeypatch.setenv("VETO_DB", str(tmp_path / "empty.db"))
    ok("import", "xlsx", second)
    assert dump() == before
    assert "Yhteyshenkilöt 0 new, 0 changed, 2 unchanged" in veto("import", "xlsx", second).stderr

    book = openpyxl.load_workbook(second)
    book["Yhteyshenkilöt"]["D2"] = "040 000 0010"  # Matti got a phone
    book["Yhteyshenkilöt"].append(["Kahvila Oy", "Uusi Henkilö", None, None, "ei osoite"])
    book.save(second)
    run = veto("import", "xlsx", second)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "Error: 2 problems in b.xlsx; nothing was imported (sheet, row, column: problem)",
        "Yhteyshenkilöt, row 4, Työnantaja: unknown employer 'Kahvila Oy': add it to "
        "Työnantajat or give a stored employer's exact name",
        "Yhteyshenkilöt, row 4, Sähköposti: invalid e-mail 'ei osoite': give an address like "
        "name@example.fi",
    ]
    assert dump() == before
    book["Yhteyshenkilöt"].delete_rows(4)
    book.save(second)
    assert "Yhteyshenkilöt 0 new, 1 changed, 1 unchanged" in veto("import", "xlsx", second).stderr
    phones = ok("employer", "person", "list", "Rakennus Oy", "--format", "csv").splitlines()
    assert phones[1:] == [
        "1,'=Matti Mestari,,040 000 0010,",  # imported first, as the sheet lists them
        "2,Maija Esimies,työnjohtaja,040 000 0009,maija@example.fi",
    ]


def _book(sheets: dict[str, list[list]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    return book


def test_a_coachs_own_sheet_imports(ok, veto, tmp_path):
    """Reordered and extra columns, English headers, blank rows, Finnish and ISO dates as text,
    real date cells, stray spaces and Finnish enumeration names."""
    ok("coach", "add", "Liisa Laine")
    path = tmp_path / "oma.xlsx"
    _book(
        {
            "Ohjeet": [["Tämä välilehti ei ole tietoja"]],
            "asiakkaat": [
                [],
                ["Nimi", " koodi ", "Oma huomio", "gender", "Tausta", "Valmentaja", "Päättynyt"],
                ["  Aino Rantala ", "A1", "soita", "Nainen", "kantasuomalainen", "Liisa Laine"],
                [None, None, None, None],
                ["Omar Hassan", "A2", "", "m", "MAAHANMUUTTAJA ", None, None],
            ],
            "Vaiheet": [
                ["client", "start", "Vaihe", "end"],
                ["A1", "1.2.2024", "työvalmennus", " 2024-04-15"],
                ["A1", datetime(2024, 4, 15), "Työhönvalmennus", None],
                ["A2", "2024-3-1", "placement", ""],
            ],
            "Tunnit": [
                ["Asiakaskoodi", "Päivä", "Tunnit", "Laji", "Muistiinpano"],
                ["A1", date(2024, 5, 3), "1,5", "puhelu", " =soitto "],
                ["A1", "3.5.2024", 2, None, None],
            ],
        }
    ).save(path)
    run = veto("import", "xlsx", path)
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == (
        "imported oma.xlsx: asiakkaat 2 new, 0 changed, 0 unchanged; Vaiheet 3 new, 0 changed, "
        "0 unchanged; Tunnit 2 new, 0 changed, 0 unchanged\n"
    )
    assert ok("client", "list", "--format", "csv") == (
        "id,code,name,gender,background,coach,municipality,phase,phase_since,ended_on,outcome\n"
        "1,A1,Aino Rantala,female,native,Liisa Laine,,placement,2024-04-15,,\n"
        "2,A2,Omar Hassan,male,immigrant,,,placement,2024-03-01,,"
    )
    assert ok("activity", "list", "--format", "csv") == (
        "id,client,on,hours,kind,note\n1,A1,2024-05-03,1.5,phone,'=soitto\n"
        "2,A1,2024-05-03,2,meeting,"
    )
    assert veto("import", "xlsx", path).stderr == (
        "imported oma.xlsx: asiakkaat 0 new, 0 changed, 2 unchanged; Vaiheet 0 new, 0 changed, "
        "3 unchanged; Tunnit 0 new, 0 changed, 2 unchanged\n"
    )


def test_an_edited_export_imports_back_exactly(ok, store, tmp_path):
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    book = openpyxl.load_workbook(out)
    clients = book["Asiakkaat"]
    clients["H3"] = "Kauhava"  # B-7 moves
    clients["I2"] = None  # nothing there anyway
    clients.append(["C-1", "Uusi Asiakas", "muu", "maahanmuuttaja", 2001, None, "Liisa Laine"])
    book["Vaiheet"].append(["C-1", "työvalmennus", date(2025, 1, 7)])
    book["Työpaikat"]["E3"] = date(2024, 8, 31)  # B-7's job ended
    book["Tunnit"].append(["C-1", date(2025, 1, 8), 0.75, "sähköposti", "CV lähetetty", None])
    book.save(out)
    ok("import", "xlsx", out)
    again = tmp_path / "again.xlsx"
    ok("export", "xlsx", "--out", again)
    assert cells(again) == {
        title: rows for title, rows in cells(out).items() if title != "Tulokset"
    } | {"Tulokset": cells(again)["Tulokset"]}
    assert ok("client", "show", "C-1", "--format", "json").count('"kind": "coaching"') == 1


def test_a_damaged_workbook_is_refused_whole_with_every_problem(ok, veto, store, tmp_path):
    before = dump()
    path = tmp_path / "rikki.xlsx"
    _book(
        {
            "Asiakkaat": [
                ["Asiakaskoodi", "Nimi", "Sukupuoli", "Tausta", "Valmentaja", "Päättynyt"],
                ["A9", "Uusi Ihminen", "nainen", "kantasuomalainen"],
                ["A 2", "Väli Koodissa", "mies", "kantasuomalainen"],
                ["A3", None, "x", "kantasuomalainen"],
                ["A9", "Sama Koodi", "mies", "maahanmuuttaja"],
                ["A5", "Nimi", "nainen", "native", "Nobody", "31.2.2024"],
            ],
            "Vaiheet": [
                ["Asiakaskoodi", "Vaihe", "Alkoi", "Päättyi"],
                ["A9", "työvalmennus", "1.2.2024", "1.1.2024"],
                ["Z1", "työvalmennus", "1.2.2024"],
                ["A9", "työhönvalmennus", "huomenna"],
            ],
            "Työpaikat": [
                ["Asiakaskoodi", "Työnantaja", "Alkoi"],
                ["A9", "Rakennus Oy", "1.1.2025"],
            ],
            "Tunnit": [
                ["Asiakaskoodi", "Päivä", "Tunnit", "Laji"],
                ["A9", "1.5.2024", "=1+1", "tapaaminen"],
                ["A9", "1.5.2024", 25, "tapaaminen"],
                ["A9", "2.5.2024", "abc", "kahvi"],
            ],
        }
    ).save(path)
    run = veto("import", "xlsx", path)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "Error: 14 problems in rikki.xlsx; nothing was imported (sheet, row, column: problem)",
        "Asiakkaat, row 3, Asiakaskoodi: invalid client code 'A 2': 1–32 letters, digits, '-', "
        "'_' or '.', no spaces",
        "Asiakkaat, row 4, Nimi: empty: fill in Nimi",
        "Asiakkaat, row 4, Sukupuoli: unknown gender 'x': choose nainen, mies, muu "
        "(or female|male|other)",
        "Asiakkaat, row 5, Asiakaskoodi: client A9 is also on row 2",
        "Asiakkaat, row 6, Valmentaja: unknown coach 'Nobody': add it to Valmentajat or give a "
        "stored coach's exact name",
        "Asiakkaat, row 6, Päättynyt: impossible date '31.2.2024': no such day; use YYYY-MM-DD "
        "or D.M.YYYY, e.g. 2024-08-01 or 1.8.2024",
        "Vaiheet, row 2, Päättyi: the new phase (coaching 1.2.2024–1.1.2024) cannot end on "
        "1.1.2024, before it starts: accepted: 1.2.2024 or later",
        "Vaiheet, row 3, Asiakaskoodi: unknown client 'Z1': add it to Asiakkaat or give a stored "
        "client's code",
        "Vaiheet, row 4, Alkoi: invalid date 'huomenna': use YYYY-MM-DD or D.M.YYYY, e.g. "
        "2024-08-01 or 1.8.2024",
        "Työpaikat, row 1, Laji: the column is missing; add it back",
        "Tunnit, row 2, Tunnit: a formula (=1+1) is not accepted: type the value",
        "Tunnit, row 3, Tunnit: invalid number '25': must be from 0 to 24",
        "Tunnit, row 4, Tunnit: invalid number 'abc': give a number such as 1,5 or 1.5",
        "Tunnit, row 4, Laji: unknown activity kind 'kahvi': choose tapaaminen, "
        "työpaikkakäynti, puhelu, sähköposti, palautekeskustelu, kolmikantakeskustelu, muu "
        "(or meeting|workplace|phone|email|feedback|tripartite|other)",
    ]
    assert dump() == before


def test_phases_obey_the_workflow_rules(ok, veto, store, tmp_path):
    before = dump()
    path = tmp_path / "vaiheet.xlsx"
    _book(
        {
            "Asiakkaat": [
                ["Asiakaskoodi", "Nimi", "Sukupuoli", "Tausta", "Päättynyt", "Tulos"],
                ["N1", "Uusi Yksi", "nainen", "kantasuomalainen", "1.1.2024", "työpaikka"],
                ["N2", "Uusi Kaksi", "mies", "kantasuomalainen", None, "työpaikka"],
            ],
            "Vaiheet": [
                ["Asiakaskoodi", "Vaihe", "Alkoi", "Päättyi"],
                ["N1", "työvalmennus", "1.2.2024", None],
                ["B-7", "työvalmennus", "1.9.2024", None],  # B-7's placement is still open
                ["A0001", "työvalmennus", "2.9.2024", None],  # A0001 ended on 1.9.2024
            ],
        }
    ).save(path)
    run = veto("import", "xlsx", path)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "Error: 5 problems in vaiheet.xlsx; nothing was imported (sheet, row, column: problem)",
        "Asiakkaat, row 2, Päättynyt: client N1 cannot end on 1.1.2024, before its first phase, "
        "the new phase (coaching from 1.2.2024, open), starts: accepted: 1.2.2024 or later",
        "Asiakkaat, row 3, Päättynyt: an ended client needs both the end date (Päättynyt) and the "
        "outcome (Tulos)",
        "Vaiheet, row 2, Alkoi: the new phase (coaching from 1.2.2024, open) is dated 1.2.2024, "
        "after N1 ended on 1.1.2024: accepted: 1.1.2024 or earlier, or the end on 1.2.2024 or "
        "later",
        "Vaiheet, row 3, Alkoi: phases of B-7 overlap: phase 3 (placement from 1.3.2024, open) "
        "is still open when the new phase (coaching from 1.9.2024, open) starts; accepted: "
        "phase 3 ending on 1.9.2024 or earlier",
        "Vaiheet, row 4, Alkoi: the new phase (coaching from 2.9.2024, open) is dated 2.9.2024, "
        "after A0001 ended on 1.9.2024: accepted: 1.9.2024 or earlier, or the end on 2.9.2024 or "
        "later",
    ]
    assert dump() == before


def test_a_placement_closes_open_coaching_as_the_workflow_does(ok, tmp_path):
    path = tmp_path / "vaiheet.xlsx"
    _book(
        {
            "Asiakkaat": [
                ["Asiakaskoodi", "Nimi", "Sukupuoli", "Tausta", "Päättynyt", "Tulos"],
                ["N1", "Uusi Yksi", "nainen", "kantasuomalainen", "1.10.2024", "koulutus"],
            ],
            "Vaiheet": [
                ["Asiakaskoodi", "Vaihe", "Alkoi", "Päättyi"],
                ["N1", "työvalmennus", "1.2.2024", None],
                ["N1", "työhönvalmennus", "1.5.2024", None],
            ],
        }
    ).save(path)
    ok("import", "xlsx", path)
    shown = ok("client", "show", "N1", "--format", "json")
    assert '"start": "2024-02-01",\n      "end": "2024-05-01"' in shown
    assert '"start": "2024-05-01",\n      "end": "2024-10-01"' in shown
    assert '"outcome": "education"' in shown
    assert ok("import", "xlsx", path) == ""
    assert sorted(dict(p)["start_on"] for p in dump()["phase"]) == [
        date(2024, 2, 1),
        date(2024, 5, 1),
    ]


def test_formulas_and_error_values_are_refused_where_they_are(veto, tmp_path):
    path = tmp_path / "kaavat.xlsx"
    book = _book(
        {
            "Asiakkaat": [
                ["Asiakaskoodi", "Nimi", "Sukupuoli", "Tausta", "Summa"],
                ["A1", '=HYPERLINK("http://example.com","Aino")', "nainen", "native", "=SUM(1,2)"],
                ["A2", "Omar", "mies", "native", "#N/A"],
            ]
        }
    )
    book["Asiakkaat"]["E3"].data_type = "e"
    book.save(path)
    run = veto("import", "xlsx", path)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "Error: 3 problems in kaavat.xlsx; nothing was imported (sheet, row, column: problem)",
        'Asiakkaat, row 2, Nimi: a formula (=HYPERLINK("http://example.com","Aino")) is not '
        "accepted: type the value",
        "Asiakkaat, row 2, column E: a formula (=SUM(1,2)) is not accepted: type the value",
        "Asiakkaat, row 3, column E: an error value #N/A: type the value",
    ]
    assert dump()["client"] == []


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"Asiakaskoodi;Nimi\nA1;Aino\n", "File is not a zip file"),
        (b"PK\x03\x04 truncated", "File is not a zip file"),
    ],
)
def test_a_file_that_is_not_a_workbook_gives_one_line(veto, tmp_path, content, reason):
    path = tmp_path / "seuranta.xlsx"
    path.write_bytes(content)
    _assert_unreadable(veto, path, reason)


def _assert_unreadable(veto, path, reason: str) -> None:
    run = veto("import", "xlsx", path)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        f"Error: cannot read '{path}' as an .xlsx workbook ({reason}): give a file saved as "
        "Excel 2007-365 (.xlsx) by Excel or LibreOffice\n"
    )


def test_a_damaged_zip_gives_one_line(ok, veto, store, tmp_path):
    foreign = tmp_path / "muu.xlsx"
    with zipfile.ZipFile(foreign, "w") as z:
        z.writestr("hello.txt", "hei")
    reason = "\"There is no item named '[Content_Types].xml' in the archive\""
    _assert_unreadable(veto, foreign, reason)
    out, cut = tmp_path / "seuranta.xlsx", tmp_path / "katkennut.xlsx"
    ok("export", "xlsx", "--out", out)
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(cut, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[:700] if name == "xl/worksheets/sheet2.xml" else data)
    before = dump()
    run = veto("import", "xlsx", cut)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"Error: cannot read '{cut}' as an .xlsx workbook (unclosed")
    assert len(run.stderr.splitlines()) == 1
    assert dump() == before


def test_a_workbook_with_none_of_the_sheets_or_no_file(veto, tmp_path):
    path = tmp_path / "muu.xlsx"
    _book({"Taul1": [["a", "b"], [1, 2]]}).save(path)
    run = veto("import", "xlsx", path)
    assert run.exit_code == 2
    assert run.stderr == (
        "Error: muu.xlsx has none of the tracking workbook's sheets (Valmentajat, Asiakkaat, "
        "Vaiheet, Työnantajat, Yhteyshenkilöt, Työpaikat, Yhteydenotot, Tunnit): export one "
        "with veto export xlsx --out FILE\n"
    )
    missing = veto("import", "xlsx", tmp_path / "ei.xlsx")
    assert (missing.exit_code, missing.stderr) == (
        2,
        f"Error: cannot read '{tmp_path / 'ei.xlsx'}': no such file\n",
    )


def test_a_dry_run_tells_and_writes_nothing(ok, veto, store, tmp_path):
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    book = openpyxl.load_workbook(out)
    book["Asiakkaat"]["H3"] = "Kauhava"
    book["Tunnit"].append(["B-7", date(2024, 6, 5), 1, "puhelu"])
    book.save(out)
    before = dump()
    run = veto("import", "xlsx", out, "--dry-run")
    assert run.exit_code == 0
    assert run.stderr == (
        "would import seuranta.xlsx: Valmentajat 0 new, 0 changed, 2 unchanged; Asiakkaat 0 new, "
        "1 changed, 1 unchanged; Vaiheet 0 new, 0 changed, 3 unchanged; Työnantajat 0 new, "
        "0 changed, 2 unchanged; Työpaikat 0 new, 0 changed, 2 unchanged; Tunnit 1 new, "
        "0 changed, 3 unchanged; nothing was written (--dry-run)\n"
    )
    assert dump() == before


def test_export_refuses_a_bad_destination(veto, tmp_path):
    for out, message in (
        (tmp_path, f"--out '{tmp_path}' is a folder: give a file name such as seuranta.xlsx"),
        (tmp_path / "no" / "a.xlsx", f"cannot write '{tmp_path / 'no' / 'a.xlsx'}': folder "
         f"'{tmp_path / 'no'}' does not exist"),
        (tmp_path / "a.csv", f"cannot write '{tmp_path / 'a.csv'}': give a file name ending in "
         ".xlsx"),
    ):  # fmt: skip
        run = veto("export", "xlsx", "--out", out)
        assert (run.exit_code, run.stderr) == (2, f"Error: {message}\n")


def test_every_csv_output_neutralises_formula_text():
    import io

    from veto.outputs.render import write_csv

    out = io.StringIO()
    rows = [{"name": t} for t in ("=1+1", "+358 40", "-x", "@SUM(A1)", "\tTab", "\rCR", "Aino")]
    write_csv(rows, out)
    assert out.getvalue().split("\n")[:-1] == [
        "name", "'=1+1", "'+358 40", "'-x", "'@SUM(A1)", "'\tTab", "\"'\rCR\"", "Aino",
    ]  # fmt: skip


def test_a_store_that_breaks_the_timeline_rule_round_trips_but_takes_no_new_breach(
    ok, veto, store, tmp_path, monkeypatch
):
    """A store from before the timeline rule may hold a client who ended before a placement
    started; its own workbook still imports into it (nothing new breaks the rule), but the same
    rows are refused where they would be new, and so is a new row after the end."""
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    ok("placement", "add", "B-7", "--employer", "Rakennus Oy", "--kind", "work-trial",
       "--start", "1.10.2024")  # fmt: skip
    ok("client", "end", "B-7", "--outcome", "returned", "--on", "1.10.2024")
    with engine_for(Invocation().location).begin() as conn:  # the end as an older veto let it be
        conn.execute(text("UPDATE client SET ended_on = '2024-09-15' WHERE code = 'B-7'"))
        conn.execute(text("UPDATE phase SET end_on = '2024-09-15' WHERE end_on = '2024-10-01'"))
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    before = dump()
    assert ok("import", "xlsx", out) == ""
    assert dump() == before
    with monkeypatch.context() as elsewhere:
        elsewhere.setenv("VETO_DB", str(tmp_path / "other.db"))
        run = veto("import", "xlsx", out)
    assert run.exit_code == 2
    assert run.stderr.splitlines()[1:] == [
        "Työpaikat, row 4, Alkoi: the new placement (work-trial from 1.10.2024) is dated "
        "1.10.2024, after B-7 ended on 15.9.2024: accepted: 15.9.2024 or earlier, or the end on "
        "1.10.2024 or later",
    ]
    book = openpyxl.load_workbook(out)
    book["Tunnit"].append(["B-7", date(2024, 9, 16), 1, "puhelu"])
    book.save(out)
    run = veto("import", "xlsx", out)
    assert run.stderr.splitlines() == [
        "Error: 1 problem in seuranta.xlsx; nothing was imported (sheet, row, column: problem)",
        "Tunnit, row 5, Päivä: the new hours is dated 16.9.2024, after B-7 ended on 15.9.2024: "
        "accepted: 15.9.2024 or earlier, or the end on 16.9.2024 or later",
    ]
    assert dump() == before


def test_export_and_import_are_in_the_access_log(ok, store, tmp_path, monkeypatch):
    from sqlmodel import Session

    from veto.models import AuditEntry

    def log() -> list[tuple]:
        with Session(engine_for(resolve(None))) as session:
            query = select(AuditEntry.actor, AuditEntry.action, AuditEntry.client_id)
            return [tuple(r) for r in session.execute(query.order_by(AuditEntry.id))]

    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    assert log()[-1] == ("tester", "workbook.export", None)
    monkeypatch.setenv("VETO_DB", str(tmp_path / "empty.db"))
    monkeypatch.setenv("VETO_USER", "liisa")
    ok("import", "xlsx", out)
    imported = [entry for entry in log() if entry[1] == "workbook.import"]
    assert imported == [("liisa", "workbook.import", 1), ("liisa", "workbook.import", 2)] + [
        ("liisa", "workbook.import", None)
    ]
    ok("import", "xlsx", out)
    assert [entry for entry in log() if entry[1] == "workbook.import"] == imported


def test_an_employers_business_id_is_checked_as_the_commands_check_it(veto, tmp_path):
    path = tmp_path / "tyonantajat.xlsx"
    _book(
        {
            "Työnantajat": [
                ["Nimi", "Y-tunnus", "Toimiala"],
                ["Kahvila Aamu Oy", "0112038-9", "kahvila-ala"],
                ["Huolto Oy", "0112038-8", "kiinteistöhuolto"],
            ]
        }
    ).save(path)
    run = veto("import", "xlsx", path)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "Error: 1 problem in tyonantajat.xlsx; nothing was imported (sheet, row, column: problem)",
        "Työnantajat, row 3, Y-tunnus: invalid business id '0112038-8': the check digit does not "
        "match; a Y-tunnus is 7 digits, a hyphen and a check digit, e.g. 0112038-9",
    ]

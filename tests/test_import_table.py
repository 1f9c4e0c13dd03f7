"""`veto import table`: the coaches' own spreadsheets and CSV files (issue 16). Invented people."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import invoke, snapshot
from tests.test_workbook_roundtrip import soffice_profile

HEADER = (
    "Nimi;Sukupuoli;Tausta;Syntymävuosi;Kunta;Valmentaja;Aloitus;Työhönvalmennus alkoi;"
    "Päättyi;Tulos;Työkokeilu;Työkokeilu alkoi;Työkokeilu päättyi;Oma huomio"
)
ROWS = [
    "Aino Virtanen;N;kantasuomalainen;1990;Tampere;Maija Mäkinen;5.8.2024;7.10.2024;"
    "20.12.2024;Työpaikka;Kahvila Aurinko;14.10.2024;15.11.2024;ei häiriötä",
    "Jussi Hämäläinen;M;maahanmuuttaja;1985;Nokia;Maija Mäkinen;12.8.2024;;;;;;;",
]
FINNISH = "\r\n".join([HEADER, *ROWS]) + "\r\n"

DRY_RUN = """\
read seuranta.csv: CSV, encoding {encoding}, separator ';'; header on row 1, 2 data rows
columns -> fields (--into clients):
  Nimi                   name
  Sukupuoli              gender
  Tausta                 background
  Syntymävuosi           birth_year
  Kunta                  municipality
  Valmentaja             coach
  Aloitus                coaching_start
  Työhönvalmennus alkoi  placement_start
  Päättyi                ended_on
  Tulos                  outcome
  Työkokeilu             employer
  Työkokeilu alkoi       trial_start
  Työkokeilu päättyi     trial_end
  Oma huomio             (not imported)
first rows as veto would store them (2):
  row 2: client A0001 (new)
    name Aino Virtanen, gender female, background native, birth_year 1990,
    municipality Tampere, coach Maija Mäkinen, coaching_start 5.8.2024,
    placement_start 7.10.2024, ended_on 20.12.2024, outcome employed, employer
    Kahvila Aurinko, trial_start 14.10.2024, trial_end 15.11.2024
  row 3: client A0002 (new)
    name Jussi Hämäläinen, gender male, background immigrant, birth_year 1985,
    municipality Nokia, coach Maija Mäkinen, coaching_start 12.8.2024
"""
WOULD = (
    "would import seuranta.csv: coaches 1 new, 0 changed, 0 unchanged; clients 2 new, 0 changed, "
    "0 unchanged; phases 3 new, 0 changed, 0 unchanged; employers 1 new, 0 changed, 0 unchanged; "
    "placements 1 new, 0 changed, 0 unchanged; nothing was written (--dry-run)\n"
)
IMPORTED = (
    "imported seuranta.csv: coaches 1 new, 0 changed, 0 unchanged; clients 2 new, 0 changed, "
    "0 unchanged; phases 3 new, 0 changed, 0 unchanged; employers 1 new, 0 changed, 0 unchanged; "
    "placements 1 new, 0 changed, 0 unchanged\n"
)
AGAIN = (
    "imported seuranta.csv: clients 0 new, 0 changed, 2 unchanged; phases 0 new, 0 changed, "
    "3 unchanged; placements 0 new, 0 changed, 1 unchanged\n"
)


def write(path, text: str, encoding: str = "utf-8", bom: bool = False) -> str:
    data = text.encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return str(path)


def shown(ok, code: str) -> dict:
    import json

    return json.loads(ok("client", "show", code, "--format", "json"))


def stored_clients(ok) -> list[tuple]:
    import json

    rows = json.loads(ok("client", "list", "--format", "json"))
    return [(r["code"], r["name"], r["phase"], r["ended_on"], r["outcome"]) for r in rows]


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [
        ("cp1252", False, "Windows-1252"),
        ("utf-8", True, "UTF-8 with BOM"),
        ("utf-8", False, "UTF-8"),
    ],
)
def test_dry_run_of_a_finnish_csv_prints_the_mapping_and_the_rows_and_stores_nothing(
    tmp_path, encoding, bom, detected
):
    path = write(tmp_path / "seuranta.csv", FINNISH, encoding, bom)
    before = snapshot()
    result = invoke("import", "table", path, "--into", "clients", "--dry-run")
    assert (result.exit_code, result.stderr) == (0, WOULD)
    assert result.stdout == DRY_RUN.format(encoding=detected)
    assert snapshot() == before


def test_a_finnish_csv_creates_clients_phases_ends_employers_and_work_trials(backend, ok, tmp_path):
    path = write(tmp_path / "seuranta.csv", FINNISH, "cp1252")
    result = invoke("import", "table", path, "--into", "clients")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", IMPORTED)
    aino = shown(ok, "A0001")
    assert {k: aino[k] for k in ("name", "gender", "background", "birth_year", "coach")} == {
        "name": "Aino Virtanen",
        "gender": "female",
        "background": "native",
        "birth_year": 1990,
        "coach": "Maija Mäkinen",
    }
    assert (aino["ended_on"], aino["outcome"], aino["municipality"]) == (
        "2024-12-20",
        "employed",
        "Tampere",
    )
    assert aino["phases"] == [
        {"id": 1, "kind": "coaching", "start": "2024-08-05", "end": "2024-10-07"},
        {"id": 2, "kind": "placement", "start": "2024-10-07", "end": "2024-12-20"},
    ]
    assert [(p["employer"], p["kind"], p["start"], p["end"]) for p in aino["placements"]] == [
        ("Kahvila Aurinko", "work-trial", "2024-10-14", "2024-11-15")
    ]
    assert stored_clients(ok) == [
        ("A0001", "Aino Virtanen", None, "2024-12-20", "employed"),
        ("A0002", "Jussi Hämäläinen", "coaching", None, None),
    ]
    # The same file again changes nothing: matched by name and birth year.
    before = snapshot()
    again = invoke("import", "table", path, "--into", "clients")
    assert (again.exit_code, again.stderr) == (0, AGAIN)
    assert snapshot() == before


def test_rows_match_by_code_first_and_a_blank_cell_keeps_the_stored_value(ok, tmp_path):
    ok("coach", "add", "Maija Mäkinen")
    code = ok(
        "client", "add", "--name", "Aino Virtanen", "--gender", "female", "--background", "native"
    )
    code = (
        ok("client", "edit", code, "--municipality", "Tampere", "--coach", "Maija Mäkinen") and code
    )
    path = write(
        tmp_path / "lista.csv",
        "Asiakaskoodi,Nimi,Kunta,Valmentaja\nA0001,Aino Virtanen-Koski,,\n",
    )
    result = invoke("import", "table", path, "--into", "clients")
    assert (result.exit_code, result.stderr) == (
        0,
        "imported lista.csv: clients 0 new, 1 changed, 0 unchanged\n",
    )
    aino = shown(ok, "A0001")
    assert (aino["name"], aino["municipality"], aino["coach"]) == (
        "Aino Virtanen-Koski",
        "Tampere",
        "Maija Mäkinen",
    )


def test_a_row_that_could_be_two_clients_is_a_problem_never_a_guess(backend, ok, tmp_path):
    for _ in range(2):
        ok(
            "client",
            "add",
            "--name",
            "Aino Virtanen",
            "--gender",
            "female",
            "--background",
            "native",
            "--birth-year",
            "1990",
        )
    path = write(
        tmp_path / "tunnit.csv",
        "Asiakas;Syntymävuosi;Päivä;Tunnit\nAino Virtanen;1990;13.8.2024;1,5\n"
        "Aino Virtanen;1991;13.8.2024;1,5\n",
    )
    before = snapshot()
    result = invoke("import", "table", path, "--into", "hours")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: 2 problems in tunnit.csv; nothing was imported (sheet, row, column: problem)\n"
        "tunnit, row 2, Asiakas: 'Aino Virtanen' could be any of A0001, A0002: give the code in a "
        "client column (e.g. Asiakaskoodi)\n"
        "tunnit, row 3, Asiakas: no client 'Aino Virtanen' born 1991 in the store: import the "
        "clients first (--into clients) or give the code\n"
    )
    assert snapshot() == before


def test_every_problem_is_listed_at_once_and_nothing_is_stored(backend, tmp_path):
    path = write(
        tmp_path / "seuranta.csv",
        "Nimi,Sukupuoli,Tausta,Syntymävuosi,Aloitus,Päättyi,Tulos,Työkokeilu,Työkokeilu alkoi\n"
        "Aino Virtanen,N,kantasuomalainen,1990,5.8.2024,,,,\n"
        "Pekka Puu,X,maahanmuuttaja,19x0,32.1.2024,,,,\n"
        "Liisa Lehto,nainen,native,1999,1.3.2024,1.2.2024,Työpaikka,,\n"
        "Jussi Hämäläinen,M,maahanmuuttaja,1985,12.8.2024,,Työpaikka,Kahvila Aurinko,\n"
        "Aino Virtanen,N,kantasuomalainen,1990,5.8.2024,,,,\n"
        ",N,kantasuomalainen,1990,5.8.2024,,,,\n",
    )
    before = snapshot()
    result = invoke("import", "table", path, "--into", "clients")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [
        "Error: 9 problems in seuranta.csv; nothing was imported (sheet, row, column: problem)",
        "seuranta, row 3, Sukupuoli: unknown gender 'X': choose nainen, mies, muu (or female|male|other)",
        "seuranta, row 3, Syntymävuosi: '19x0' is not a whole number: give e.g. 1990",
        "seuranta, row 3, Aloitus: impossible date '32.1.2024': no such day; use YYYY-MM-DD or "
        "D.M.YYYY, e.g. 2024-08-01 or 1.8.2024",
        "seuranta, row 4, Aloitus: the new phase (coaching from 1.3.2024, open) is dated 1.3.2024, "
        "after A0003 ended on 1.2.2024: accepted: 1.2.2024 or earlier, or the end on 1.3.2024 or later",
        "seuranta, row 4, Päättyi: client A0003 cannot end on 1.2.2024, before its first phase, the new "
        "phase (coaching from 1.3.2024, open), starts: accepted: 1.3.2024 or later",
        "seuranta, row 5, Päättyi: an ended client needs both the end date (Päättynyt) and the outcome (Tulos)",
        "seuranta, row 5, Työkokeilu alkoi: empty: a work trial needs Työkokeilu alkoi too",
        "seuranta, row 6, Nimi: the same client as on row 2: keep one row per client",
        "seuranta, row 7, Nimi: no name and no code: fill in one",
    ]
    assert snapshot() == before


def test_header_problems_unknown_fields_and_missing_columns(tmp_path):
    path = write(tmp_path / "t.csv", "Nimi;Sukupuoli;Gender\nAino Virtanen;N;N\n")
    result = invoke("import", "table", path, "--into", "clients", "--column", "Tausta=background")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: 2 problems in t.csv; nothing was imported (sheet, row, column: problem)",
        "t, row 1, Gender: 'Sukupuoli' is gender already; map one of them elsewhere "
        "(--column 'Gender=-' leaves this one out)",
        "t, row 1, Tausta: no such column in the header row: Nimi, Sukupuoli, Gender",
    ]
    result = invoke("import", "table", path, "--into", "clients", "--column", "Gender=sex")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: --column 'Gender=sex': unknown field 'sex' for --into clients: use one of code, "
        "name, gender, background, birth_year, birth_date, coach, municipality, phone, email, "
        "ended_on, outcome, outcome_field, coaching_start, placement_start, employer, "
        "trial_start, trial_end (or - to leave the column out)\n",
    )
    path = write(tmp_path / "h.csv", "Päivä;Tunnit\n1.8.2024;2\n")
    result = invoke("import", "table", path, "--into", "hours")
    assert result.stderr.splitlines() == [
        "Error: 1 problem in h.csv; nothing was imported (sheet, row, column: problem)",
        "h, row 1, Asiakaskoodi: no column for client or name: name one Asiakaskoodi or map it "
        "with --column 'HEADER=client'",
    ]


def test_bytes_that_are_no_text_are_one_line_and_exit_2(refused, tmp_path):
    path = tmp_path / "rikki.csv"
    path.write_bytes("Nimi;Kunta\nÄijä;Nokia\n".encode("cp1252") + b"\x81\x8d\n")
    refused(
        "import",
        "table",
        path,
        "--into",
        "clients",
        message=f"cannot read '{path}': byte 0x81 on line 3 is neither UTF-8 nor Windows-1252; save "
        "the file as CSV UTF-8 (or CSV (semicolon) in Excel)",
    )
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbfNimi\n\xe4\n")
    refused(
        "import",
        "table",
        bom,
        "--into",
        "clients",
        message=f"cannot read '{bom}': byte 0xE4 on line 2 is neither UTF-8 nor UTF-8 with BOM; "
        "save the file as CSV UTF-8 (or CSV (semicolon) in Excel)",
    )
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    refused(
        "import",
        "table",
        fake,
        "--into",
        "clients",
        message=f"cannot read '{fake}' as a spreadsheet (File is not a zip file): save it as "
        ".xlsx, .ods or CSV in Excel or LibreOffice",
    )


def _seuranta_xlsx(path) -> None:
    """A coach's own workbook: a title above the header, real date cells, a formula."""
    book = openpyxl.Workbook()
    book.active.title = "Ohjeet"
    ws = book.create_sheet("Seuranta 2024")
    ws.append(["Asiakasseuranta 2024"])
    ws.append([])
    ws.append(["Nimi", "Sukupuoli", "Maahanmuuttaja?", "Syntynyt", "Aloitus", "Tulos", "Päättyi"])
    ws.append(["Aino Virtanen", "nainen", "ei", 1990, date(2024, 8, 5), None, None])
    ws.append(
        ["Omar Hassan", "mies", "kyllä", 1988.0, date(2024, 9, 2), "töihin", date(2024, 12, 1)]
    )
    book.save(path)


MAPPING = """\
sheet: Seuranta 2024
columns:
  Maahanmuuttaja?: background
values:
  background:
    ei: native
    kyllä: immigrant
  outcome:
    töihin: employed
"""


def test_an_xlsx_sheet_seuranta_2024_with_a_mapping_file(backend, ok, tmp_path):
    path = tmp_path / "seuranta.xlsx"
    _seuranta_xlsx(path)
    mapping = tmp_path / "kartta.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    result = invoke("import", "table", path, "--into", "clients", "--map", mapping, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "read seuranta.xlsx: xlsx, sheet 'Seuranta 2024'; header on row 3, 2 data rows",
        "columns -> fields (--into clients):",
    ]
    assert "    name Omar Hassan, gender male, background immigrant, birth_year 1988," in (
        result.stdout.splitlines()
    )
    result = invoke("import", "table", path, "--into", "clients", "--map", mapping)
    assert result.stderr == (
        "imported seuranta.xlsx: clients 2 new, 0 changed, 0 unchanged; phases 2 new, 0 changed, "
        "0 unchanged\n"
    )
    assert stored_clients(ok) == [
        ("A0001", "Aino Virtanen", "coaching", None, None),
        ("A0002", "Omar Hassan", None, "2024-12-01", "employed"),
    ]
    # Without the mapping the first sheet is read, and it has no table.
    result = invoke("import", "table", path, "--into", "clients")
    assert (result.exit_code, result.stderr) == (
        2,
        "Error: seuranta.xlsx: sheet 'Ohjeet' is empty: nothing to import\n",
    )
    result = invoke("import", "table", path, "--into", "clients", "--sheet", "Vuosi 2023")
    assert result.stderr == (
        "Error: seuranta.xlsx has no sheet 'Vuosi 2023': its sheets are Ohjeet, Seuranta 2024\n"
    )


def test_a_formula_cell_is_a_problem_at_its_place(tmp_path):
    path = tmp_path / "kaava.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Nimi", "Sukupuoli", "Tausta", "Aloitus"])
    book.active.append(["Aino Virtanen", "N", "native", "=TODAY()"])
    book.save(path)
    result = invoke("import", "table", path, "--into", "clients")
    assert (result.exit_code, result.stderr.splitlines()[1:]) == (
        2,
        ["Sheet, row 2, Aloitus: a formula (=TODAY()) is not accepted: type the value"],
    )


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


FINNISH_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>fi-FI</value></prop></item></oor:items>
"""


def _soffice(tmp_path, source, target: str, outdir, *extra: str) -> None:
    """LibreOffice as a Finnish coach has it (locale fi-FI) converting `source` to `target`."""

    def seed(profile):
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(FINNISH_PROFILE)

    profile = soffice_profile(tmp_path, "fi", seed)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", *extra]
        + ["--convert-to", target, "--outdir", str(outdir), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def libreoffice_wrote(tmp_path_factory):
    """`wrote(target, folder)`: a copy in `folder` of FINNISH as LibreOffice wrote it, each file
    made once per test process (a LibreOffice run costs ~1 s): the ods read from the CSV with the
    Finnish locale, and the xlsx and the csv saved from that ods."""
    work = tmp_path_factory.getbasetemp() / "libreoffice-wrote"  # profiles beside the others'
    made: dict[str, Path] = {}

    def convert(target: str) -> Path:
        if target not in made:
            if target == "ods":
                source = work / "seuranta.csv"
                work.mkdir(exist_ok=True)
                write(source, FINNISH)
                # Read with the Finnish locale (1035): 5.8.2024 becomes a date cell, 1990 a number.
                _soffice(work, source, "ods", work / "lo", "--infilter=CSV:59,34,76,1,,1035")
                made[target] = work / "lo" / "seuranta.ods"
            elif target == "xlsx":
                _soffice(work, convert("ods"), "xlsx", work / "lo")
                made[target] = work / "lo" / "seuranta.xlsx"
            else:
                # Saved as Finnish LibreOffice saves CSV: ';', Windows-1252 (1), text quoted,
                # dates as shown (05.08.24, a two-digit year).
                ods = convert("ods")
                _soffice(work, ods, "csv:Text - txt - csv (StarCalc):59,34,1,1", work / "csv")
                made[target] = work / "csv" / "seuranta.csv"
        return made[target]

    def wrote(target: str, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        return Path(shutil.copy2(convert(target), folder))

    return wrote


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("target", ["ods", "xlsx", "csv"])
@pytest.mark.xdist_group("libreoffice-fi")  # one worker makes the files once for all three
def test_files_libreoffice_wrote_import_the_same(backend, ok, tmp_path, target, libreoffice_wrote):
    source = tmp_path / "seuranta.csv"
    write(source, FINNISH)
    path = libreoffice_wrote(target, tmp_path / ("csv" if target == "csv" else "lo"))
    detected = {
        "ods": "ods, sheet 'seuranta'",
        "xlsx": "xlsx, sheet 'seuranta'",
        "csv": "CSV, encoding Windows-1252, separator ';'",
    }[target]
    if target == "csv":
        assert path.read_bytes().decode("cp1252").splitlines()[2] == (
            '"Jussi Hämäläinen";"M";"maahanmuuttaja";1985;"Nokia";"Maija Mäkinen";12.08.24;;;;;;;'
        )
    result = invoke("import", "table", path, "--into", "clients", "--dry-run")
    assert result.exit_code == 0, result.stderr
    expected = DRY_RUN.format(encoding="x").splitlines()
    expected[0] = f"read seuranta.{target}: {detected}; header on row 1, 2 data rows"
    assert result.stdout.splitlines() == expected
    result = invoke("import", "table", path, "--into", "clients")
    assert result.stderr == IMPORTED.replace("seuranta.csv", f"seuranta.{target}")
    again = invoke("import", "table", source, "--into", "clients")
    assert again.stderr == AGAIN


def test_hours_placements_employers_and_contacts_tables(backend, ok, tmp_path):
    ok("coach", "add", "Maija Mäkinen")
    ok(
        "client",
        "add",
        "--name",
        "Aino Virtanen",
        "--gender",
        "female",
        "--background",
        "native",
        "--birth-year",
        "1990",
    )
    ok("phase", "start", "coaching", "A0001", "--on", "1.8.2024")
    employers = write(
        tmp_path / "yritykset.csv", "Yritys;Y-tunnus;Kunta\nKahvila Aurinko;0112038-9;Tampere\n"
    )
    placements = write(
        tmp_path / "kokeilut.csv",
        "Asiakaskoodi;Työpaikka;Alkoi;Päättyi;Tehtävänimike\nA0001;kahvila aurinko;1.9.2024;30.9.2024;Barista\n",
    )
    hours = write(
        tmp_path / "tunnit.csv",
        "Asiakas;Päivä;Tunnit;Laji;Valmentaja\nAino Virtanen;13.8.2024;1,5;puhelu;Maija Mäkinen\n",
    )
    contacts = write(
        tmp_path / "yhteydet.csv",
        "Työnantaja;Päivä;Kanava;Vaihe;Asiakaskoodi\nKahvila Aurinko;20.8.2024;puhelin;kartoitus;A0001\n",
    )
    for path, into, summary in [
        (employers, "employers", "employers 1 new, 0 changed, 0 unchanged"),
        (placements, "placements", "placements 1 new, 0 changed, 0 unchanged"),
        (hours, "hours", "hours 1 new, 0 changed, 0 unchanged"),
        (contacts, "contacts", "contacts 1 new, 0 changed, 0 unchanged"),
    ]:
        result = invoke("import", "table", path, "--into", into)
        name = path.rsplit("/", 1)[1]
        assert (result.exit_code, result.stderr) == (0, f"imported {name}: {summary}\n")
        again = invoke("import", "table", path, "--into", into)
        assert (
            again.stderr
            == f"imported {name}: {summary.replace('1 new', '0 new').replace('0 unchanged', '1 unchanged')}\n"
        )
    aino = shown(ok, "A0001")
    assert [(p["employer"], p["kind"], p["start"], p["title"]) for p in aino["placements"]] == [
        ("Kahvila Aurinko", "work-trial", "2024-09-01", "Barista")
    ]
    assert aino["hours"] == 1.5


# -- fuzzed files: never a crash, never a partial write ---------------------------------------

_CELLS = st.sampled_from(
    [
        "Aino Virtanen",
        "N",
        "M",
        "x",
        "kantasuomalainen",
        "1990",
        "19x0",
        "1.8.2024",
        "32.1.2024",
        "2024-08-01",
        "Työpaikka",
        "",
        '"',
        ";",
        ",",
        "=1+1",
        "Kahvila",
        "\u00e4",
        "\x00",
        "1,5",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.lists(
        st.sampled_from(HEADER.split(";") + ["Asiakaskoodi", "?"]), min_size=1, max_size=8
    ),
    rows=st.lists(st.lists(_CELLS, max_size=9), max_size=6),
    encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]),
    junk=st.binary(max_size=8),
)
def test_fuzzed_files_never_crash_and_never_store_part(tmp_path, header, rows, encoding, junk):
    text = "\n".join(";".join(r) for r in [header, *rows])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data + junk)
    before = snapshot()
    result = invoke("import", "table", path, "--into", "clients")
    assert result.exit_code in (0, 2), result.stderr
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert snapshot() == before


def _spreadsheet_bytes(tmp_path) -> dict[str, bytes]:
    path = tmp_path / "seuranta.xlsx"
    _seuranta_xlsx(path)
    return {"xlsx": path.read_bytes()}


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4))
def test_damaged_workbooks_never_crash_and_never_store_part(tmp_path, flips):
    data = bytearray(_spreadsheet_bytes(tmp_path)["xlsx"])
    for position, byte in flips:
        data[position % len(data)] = byte
    path = tmp_path / "rikki.xlsx"
    path.write_bytes(bytes(data))
    before = snapshot()
    result = invoke("import", "table", path, "--into", "clients", "--sheet", "Seuranta 2024")
    assert result.exit_code in (0, 2), result.stderr
    assert "unexpected" not in result.stderr
    if result.exit_code == 2:
        assert snapshot() == before


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">
<office:body><office:spreadsheet>
<table:table table:name="Muistiinpanot"><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>
<table:table table:name="Seuranta 2024">
<table:table-row><table:table-cell office:value-type="string"><text:p>Nimi</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Sukupuoli</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Tausta</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="string"><text:p>Aloitus</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Aino Virtanen</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>N</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>kantasuomalainen</text:p></table:table-cell><table:table-cell table:number-columns-repeated="3"/><table:table-cell office:value-type="date" office:date-value="2024-08-05"><text:p>5.8.2024</text:p></table:table-cell></table:table-row>
<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>
"""


def _ods(path, content: str = ODS_CONTENT) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)


def test_an_ods_sheet_counts_repeated_rows_and_cells_without_expanding_them(ok, tmp_path):
    path = tmp_path / "seuranta.ods"
    _ods(path)
    result = invoke("import", "table", path, "--into", "clients", "--sheet", "seuranta 2024")
    assert (result.exit_code, result.stderr) == (
        0,
        "imported seuranta.ods: clients 1 new, 0 changed, 0 unchanged; phases 1 new, 0 changed, "
        "0 unchanged\n",
    )
    assert stored_clients(ok) == [("A0001", "Aino Virtanen", "coaching", None, None)]
    result = invoke(
        "import", "table", path, "--into", "clients", "--sheet", "Seuranta 2024", "--dry-run"
    )
    assert result.stdout.splitlines()[0] == (
        "read seuranta.ods: ods, sheet 'Seuranta 2024'; header on row 1, 1 data row"
    )
    assert result.stdout.splitlines()[-3:] == [
        "  row 4: client A0001 (matched by name)",
        "    name Aino Virtanen, gender female, background native, coaching_start",
        "    5.8.2024",
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4))
def test_damaged_ods_files_never_crash_and_never_store_part(tmp_path, flips):
    path = tmp_path / "rikki.ods"
    _ods(path)
    data = bytearray(path.read_bytes())
    for position, byte in flips:
        data[position % len(data)] = byte
    path.write_bytes(bytes(data))
    before = snapshot()
    result = invoke("import", "table", path, "--into", "clients", "--sheet", "Seuranta 2024")
    assert result.exit_code in (0, 2), result.stderr
    assert "unexpected" not in result.stderr
    if result.exit_code == 2:
        assert snapshot() == before


def test_excel_sep_line_a_title_above_the_header_and_an_unknown_kind(refused, tmp_path):
    hinted = write(
        tmp_path / "vihje.csv", "sep=,\r\nNimi,Sukupuoli,Tausta\r\nAino Virtanen,N,native\r\n"
    )
    result = invoke("import", "table", hinted, "--into", "clients", "--dry-run")
    assert result.stdout.splitlines()[0] == (
        "read vihje.csv: CSV, encoding UTF-8, separator ','; header on row 1, 1 data row"
    )
    titled = write(
        tmp_path / "otsikko.csv",
        "Asiakasseuranta 2024\n\nNimi,Sukupuoli,Tausta\nAino Virtanen,N,native\nPekka Puu,M,native\n",
    )
    result = invoke("import", "table", titled, "--into", "clients", "--dry-run")
    assert result.stdout.splitlines()[0] == (
        "read otsikko.csv: CSV, encoding UTF-8, separator ','; header on row 3, 2 data rows"
    )
    refused(
        "import",
        "table",
        titled,
        "--into",
        "client",
        message="unknown --into 'client': use one of clients|phases|placements|hours|employers|contacts",
    )
    refused(
        "import",
        "table",
        titled,
        "--into",
        "clients",
        "--sheet",
        "Seuranta",
        message="--sheet 'Seuranta': otsikko.csv is a CSV file, which has no sheets",
    )


def test_a_broken_mapping_file_is_one_line(refused, tmp_path):
    table = write(tmp_path / "t.csv", "Nimi;Sukupuoli;Tausta\nAino Virtanen;N;native\n")
    cases = [
        ("columns: [Nimi", "cannot read mapping '{p}' as YAML (while parsing a flow sequence)"),
        ("colums: {}", "{n}: give a mapping with the keys sheet, columns and values"),
        (
            "columns: {Nimi: nimi}",
            "{n}, columns, 'Nimi': unknown field 'nimi' for --into clients: "
            "use one of code, name, gender, background, birth_year, birth_date, coach, municipality, "
            "phone, email, ended_on, outcome, outcome_field, coaching_start, placement_start, "
            "employer, trial_start, trial_end (or - to leave the column out)",
        ),
        ("values: {gender: naiset}", "{n}, values, gender: give TEXT: VALUE pairs"),
    ]
    for number, (text, message) in enumerate(cases):
        mapping = tmp_path / f"kartta{number}.yaml"
        mapping.write_text(text, encoding="utf-8")
        expected = message.format(p=mapping, n=mapping.name)
        refused("import", "table", table, "--into", "clients", "--map", mapping, message=expected)


def test_a_two_digit_year_is_at_most_next_year():
    from veto.imports.fields import full_year

    today = date(2026, 12, 2)
    assert [full_year(t, today=today) for t in ("05.08.24", "1.1.27", "1.1.28", "12.3.85")] == [
        "5.8.2024",
        "1.1.2027",
        "1.1.1928",
        "12.3.1985",
    ]
    assert [full_year(t, today=today) for t in ("1.8.2024", "2024-08-01", "5.8.")] == [
        "1.8.2024",
        "2024-08-01",
        "5.8.",
    ]


def test_a_birth_year_that_is_not_the_birth_dates_year_is_a_problem(tmp_path):
    path = write(
        tmp_path / "t.csv",
        "Nimi;Sukupuoli;Tausta;Syntymävuosi;Syntymäaika\n"
        "Aino Virtanen;N;native;1990;15.6.1991\nPekka Puu;M;native;;3.2.1985\n",
    )
    result = invoke("import", "table", path, "--into", "clients", "--dry-run")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-5:] == [
        "  row 2: client A0001 (new)",
        "    name Aino Virtanen, gender female, background native, birth_date 15.6.1991",
        "  row 3: client A0002 (new)",
        "    name Pekka Puu, gender male, background native, birth_year 1985,",
        "    birth_date 3.2.1985",
    ]
    assert result.stderr.splitlines()[1:] == [
        "t, row 2, Syntymävuosi: 1990 is not the year of Syntymäaika 15.6.1991: correct one of them"
    ]


def test_the_sheet_a_coach_keeps_filling_in_imports_again_and_again(backend, ok, tmp_path):
    header = "Nimi;Sukupuoli;Tausta;Syntymävuosi;Aloitus;Työhönvalmennus alkoi;Päättyi;Tulos\n"
    path = tmp_path / "seuranta.csv"
    write(path, header + "Aino Virtanen;N;native;1990;5.8.2024;;;\n")
    assert invoke("import", "table", path, "--into", "clients").exit_code == 0
    write(path, header + "Aino Virtanen;N;native;1990;5.8.2024;7.10.2024;;\n")
    result = invoke("import", "table", path, "--into", "clients")
    assert result.stderr == (
        "imported seuranta.csv: clients 0 new, 0 changed, 1 unchanged; phases 1 new, 1 changed, "
        "0 unchanged\n"
    )
    write(path, header + "Aino Virtanen;N;native;1990;5.8.2024;7.10.2024;20.12.2024;työpaikka\n")
    result = invoke("import", "table", path, "--into", "clients")
    assert result.stderr == (
        "imported seuranta.csv: clients 0 new, 1 changed, 0 unchanged; phases 0 new, 1 changed, "
        "1 unchanged\n"
    )
    aino = shown(ok, "A0001")
    assert (aino["ended_on"], aino["outcome"]) == ("2024-12-20", "employed")
    assert aino["phases"] == [
        {"id": 1, "kind": "coaching", "start": "2024-08-05", "end": "2024-10-07"},
        {"id": 2, "kind": "placement", "start": "2024-10-07", "end": "2024-12-20"},
    ]


def test_an_ods_is_held_to_the_workbook_readers_limits(refused, tmp_path, monkeypatch):
    import veto.workbook.reading as reading

    big = tmp_path / "iso.ods"
    _ods(big, ODS_CONTENT.replace("Aino Virtanen", "Aino Virtanen" + "x" * 3 * 2**20))
    monkeypatch.setattr(reading, "MAX_PART_BYTES", 2 * 2**20)
    refused(
        "import",
        "table",
        big,
        "--into",
        "clients",
        message=f"cannot read '{big}': its part content.xml unpacks to 3 MB (at most 2 MB is "
        "read); split the workbook or save it again",
    )
    monkeypatch.setattr(reading, "MAX_PART_BYTES", 64 * 2**20)
    monkeypatch.setattr(reading, "MAX_TEXT_CHARS", 1000)
    refused(
        "import",
        "table",
        big,
        "--into",
        "clients",
        "--sheet",
        "Seuranta 2024",
        message=f"cannot read '{big}': Seuranta 2024, row 4, column A holds {13 + 3 * 2**20} "
        "characters (a cell holds at most 1000)",
    )
    repeated = tmp_path / "toisto.ods"
    row = '<table:table-row table:number-rows-repeated="400000">'
    _ods(
        repeated,
        ODS_CONTENT.replace(
            '<table:table-row><table:table-cell office:value-type="string"><text:p>Aino',
            row + '<table:table-cell office:value-type="string"><text:p>Aino',
            1,
        ),
    )
    monkeypatch.setattr(reading, "MAX_CELLS", 1000)
    refused(
        "import",
        "table",
        repeated,
        "--into",
        "clients",
        "--sheet",
        "Seuranta 2024",
        message=f"cannot read '{repeated}': it has more than 1 000 cells (what veto reads at "
        "most); split the workbook",
    )


def test_the_one_timeline_rule_speaks_at_the_users_columns(tmp_path):
    path = write(
        tmp_path / "tl.csv",
        "Nimi;Sukupuoli;Tausta;Aloitus;Työkokeilu;Työkokeilu alkoi\n"
        "Aino Virtanen;N;native;5.8.2024;Kahvila;1.7.2024\n",
    )
    result = invoke("import", "table", path, "--into", "clients")
    assert (result.exit_code, result.stderr.splitlines()[1:]) == (
        2,
        [
            "tl, row 2, Työkokeilu alkoi: the new placement (work-trial from 1.7.2024) is dated "
            "1.7.2024, before the first phase of A0001 starts (5.8.2024): accepted: 5.8.2024 or "
            "later, or a phase starting on 1.7.2024 or earlier"
        ],
    )

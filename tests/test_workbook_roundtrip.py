"""Round trips of the tracking workbook: through generated stores (Hypothesis) and through a
real spreadsheet program (LibreOffice)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store_rows import fresh_store
from tests.test_workbook import cells, dump, store  # noqa: F401 (a fixture)
from veto.domain.activities import log_activity
from veto.domain.clients import add_client
from veto.domain.coaches import add_coach
from veto.domain.dates import Period
from veto.domain.employers import add_employer, add_person
from veto.domain.placements import add_placement
from veto.domain.workflow import end_client, start_phase
from veto.reports.pilot import pilot_report
from veto.store.database import engine_for, transaction
from veto.store.direct import SessionWork
from veto.store.location import resolve
from veto.workbook.export import export_workbook
from veto.workbook.importer import import_workbook

# Text a coach might type, formula look-alikes included; no surrounding spaces (an import
# drops those) and only characters XML can carry.
TEXT = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("=+-@\n"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
DAY = st.integers(0, 700)
START = date(2022, 2, 1)  # the latest day any plan reaches stays before today

client_plan = st.fixed_dictionaries(
    {
        "name": TEXT,
        "gender": st.sampled_from(["female", "male", "other"]),
        "background": st.sampled_from(["native", "immigrant"]),
        "coached": st.booleans(),
        "start": DAY,
        "coaching_days": st.integers(0, 200),
        "placed": st.booleans(),
        "ends_after": st.none() | st.integers(0, 300),
        "outcome": st.sampled_from(["employed", "education", "work-trial", "returned", "other"]),
        "field": st.none() | TEXT,
        # one placement of a kind per employer and start day (the domain refuses a twin)
        "trials": st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 60)), max_size=3, unique=True
        ),
        "hours": st.lists(
            st.tuples(st.integers(0, 100), st.integers(1, 96), st.none() | TEXT), max_size=4
        ),
    }
)


def build(session, plans: list[dict], employers: list[str], persons: list[tuple]) -> None:
    coach = add_coach(session, name="=Valmentaja Yksi", area="Seinäjoki")
    stored = [add_employer(session, name=name, sector="IT") for name in employers]
    for employer, name, role in persons:
        add_person(session, employer=stored[employer], name=name, role=role)
    for i, plan in enumerate(plans):
        client = add_client(
            session,
            name=plan["name"],
            gender=plan["gender"],
            background=plan["background"],
            code=f"H{i}",
            coach=coach.name if i % 2 else None,
        )
        day = START + timedelta(days=plan["start"])
        if plan["coached"] or not plan["placed"]:
            start_phase(session, client=client, kind="coaching", on=day)
            day += timedelta(days=plan["coaching_days"])
        if plan["placed"]:
            start_phase(session, client=client, kind="placement", on=day)
            for employer, offset in plan["trials"]:
                add_placement(
                    session,
                    client=client,
                    employer=stored[employer],
                    kind="work-trial",
                    start=day + timedelta(days=offset),
                    end=day + timedelta(days=offset + 14),
                    title=plan["name"],
                )
        for offset, quarters, note in plan["hours"]:
            on = day + timedelta(days=offset)
            log_activity(session, client=client, hours=Decimal(quarters) / 4, on=on, note=note)
        if plan["ends_after"] is not None:
            last = day + timedelta(days=100 + plan["ends_after"])
            end_client(
                session, client=client, outcome=plan["outcome"], on=last, field=plan["field"]
            )


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(client_plan, min_size=1, max_size=4),
    employers=st.lists(TEXT, min_size=3, max_size=3, unique=True).filter(
        lambda names: not any(n.isdigit() for n in names)
    ),
    persons=st.lists(st.tuples(st.integers(0, 2), TEXT, st.none() | TEXT), max_size=4),
)
def test_generated_stores_survive_the_round_trip(tmp_path, plans, employers, persons):
    run = next(_runs)
    source, target = resolve(str(tmp_path / "s.db")), resolve(str(tmp_path / "t.db"))
    for location in (source, target):  # new stores in the same files, their engines kept
        fresh_store(location.path, ("new store",), lambda location=location: engine_for(location))
    first, second = tmp_path / f"first{run}.xlsx", tmp_path / f"second{run}.xlsx"
    with transaction(source, actor="hypothesis") as session:
        build(session, plans, employers, persons)
        export_workbook(session, out=first)
        report = pilot_report(SessionWork(session), period=Period(None, None))
    with transaction(target, actor="hypothesis") as session:
        import_workbook(session, path=first)
    with transaction(target, actor="hypothesis") as session:
        export_workbook(session, out=second)
        assert pilot_report(SessionWork(session), period=Period(None, None)) == report
        again = import_workbook(session, path=second)
        assert again.changes == 0
    assert cells(second) == cells(first)


_runs = count()

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def soffice_profile(tmp_path, name: str, seed=None) -> Path:
    """A LibreOffice user profile for one test: a copy of the one this worker's first
    LibreOffice run made (under the session's temporary folder), as a fresh profile costs
    ~0,4 s of every run. `seed(folder)` fills a new profile before its first run."""
    made = tmp_path.parent / f"soffice-{name}"  # one per pytest session and xdist worker
    if not made.exists():
        if seed is not None:
            seed(made)
        return made  # the first run builds it in place
    profile = tmp_path / f"soffice-{name}"
    if not profile.exists():
        shutil.copytree(made, profile)
    return profile


def _soffice(tmp_path, source, target_format: str, outdir) -> None:
    profile = soffice_profile(tmp_path, "plain")
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            target_format,
            "--outdir",
            str(outdir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


# All sheets (-1), in UTF-8, each cell "as shown" on screen (token 9 true).
CSV_AS_SHOWN = "csv:Text - txt - csv (StarCalc):44,34,76,1,,1035,false,true,true,false,false,-1"


@needs_soffice
@pytest.mark.usefixtures("store")
def test_libreoffice_reads_the_export_as_a_coach_sees_it(ok, tmp_path):
    ok("employer", "person", "add", "Rakennus Oy", "--name", "=Matti Mestari", "--phone", "+358 40")
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    _soffice(tmp_path, out, CSV_AS_SHOWN, tmp_path / "csv")
    read = {
        p.stem.removeprefix("seuranta-"): p.read_text(encoding="utf-8").splitlines()
        for p in (tmp_path / "csv").glob("*.csv")
    }
    assert sorted(read) == sorted(
        ["Valmentajat", "Asiakkaat", "Vaiheet", "Työnantajat", "Yhteyshenkilöt", "Työpaikat"]
        + ["Tunnit", "Tulokset"]
    )
    assert read["Yhteyshenkilöt"] == [
        "Työnantaja,Nimi,Rooli,Puhelin,Sähköposti,Tunniste",
        "Rakennus Oy,=Matti Mestari,,+358 40,,1",
    ]
    assert read["Asiakkaat"] == [
        "Asiakaskoodi,Nimi,Sukupuoli,Tausta,Syntymävuosi,Syntymäaika,Valmentaja,Kunta,Puhelin,"
        "Sähköposti,Päättynyt,Tulos,Ala,Tunniste",
        "A0001,Aino Rantala,nainen,kantasuomalainen,1990,,Liisa Laine,Ilmajoki,,,1.9.2024,"
        "työpaikka,IT,1",
        "B-7,-Omar Hassan,mies,maahanmuuttaja,,,=Pekka Puro,,,,,,,2",
    ]
    assert read["Vaiheet"] == [
        "Asiakaskoodi,Vaihe,Alkoi,Päättyi,Tunniste",
        "A0001,työvalmennus,1.2.2024,15.4.2024,1",
        "A0001,työhönvalmennus,15.4.2024,1.9.2024,2",
        "B-7,työhönvalmennus,1.3.2024,,3",
    ]
    assert read["Tunnit"][1:] == [
        "A0001,3.5.2024,1.5,tapaaminen,=1+1,Liisa Laine,1",
        "A0001,3.5.2024,1.5,tapaaminen,=1+1,Liisa Laine,2",
        "B-7,4.6.2024,2,työpaikkakäynti,,=Pekka Puro,3",
    ]
    assert read["Työnantajat"][1] == "+Kahvila Aamu Oy,,kahvila,,,1"
    assert read["Työpaikat"][1].startswith("A0001,+Kahvila Aamu Oy,työkokeilu,2.5.2024,30.5.2024,")


@needs_soffice
@pytest.mark.usefixtures("store")
def test_a_workbook_saved_by_libreoffice_imports_back_exactly(ok, tmp_path, monkeypatch):
    ok("employer", "person", "add", "Rakennus Oy", "--name", "Maija Esimies", "--phone", "+358 40")
    out = tmp_path / "seuranta.xlsx"
    ok("export", "xlsx", "--out", out)
    before = dump()
    _soffice(tmp_path, out, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    saved = tmp_path / "lo" / "seuranta.xlsx"
    assert openpyxl.load_workbook(saved).sheetnames[0] == "Valmentajat"
    monkeypatch.setenv("VETO_DB", str(tmp_path / "empty.db"))
    ok("import", "xlsx", saved)
    assert dump() == before

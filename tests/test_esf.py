"""ESF+ participant data, the EURA 2021 checklist and `veto report esf`, with figures worked out
by hand (invented people only)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import SQLModel

from veto.domain.participation import add_months, followup_due, latest_exit_due_by

COUNTS = ("women", "men", "non_binary", "total")


def dump() -> dict[str, list]:
    """Every row of every table, to compare a store before and after a refused command."""
    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    engine = engine_for(Invocation().location)
    with engine.connect() as conn:
        return {
            name: sorted((tuple(r) for r in conn.execute(table.select())), key=repr)
            for name, table in SQLModel.metadata.tables.items()
        }


def audit_rows(sql: str) -> list[tuple]:
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    with engine_for(Invocation().location).connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql + " ORDER BY id"))]


def add_client(ok, name, gender, background="native", *extra):
    return ok(
        "client", "add", "--name", name, "--gender", gender, "--background", background, *extra
    )


@pytest.fixture(scope="module")
def project_file(tmp_path_factory):
    """The SQLite store of `build_project`, built once and copied into each test's store."""
    from tests.conftest import invoke
    from veto.store.database import dispose_all

    path = tmp_path_factory.mktemp("esf") / "project.db"
    keys = ("VETO_DB", "VETO_DATABASE_URL", "VETO_USER")
    saved = {key: os.environ.get(key) for key in keys}
    os.environ.update(VETO_DB=str(path), VETO_USER="tester")
    os.environ.pop("VETO_DATABASE_URL", None)

    def run(*args: str) -> str:
        result = invoke(*args)
        assert result.exit_code == 0, f"veto {' '.join(args)}: {result.stderr}"
        return result.out

    try:
        build_project(run)
    finally:
        dispose_all()  # closes the file, folding its write-ahead log back in
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return path


@pytest.fixture
def project(request, ok, private_store, project_file):
    """Six invented participants: a copy of the built store on SQLite, built anew on
    PostgreSQL (the `backend` fixture, when the test takes it, is set up first)."""
    if "backend" in request.fixturenames and request.getfixturevalue("backend") != "sqlite":
        build_project(ok)
    else:
        shutil.copyfile(project_file, private_store)


def build_project(ok):
    """Six invented participants; the figures each test expects are worked out beside them."""
    # A0001 woman, born 15.6.1995, enters 1.3.2025 aged 29 and turns 30 during the project:
    # long-term unemployed, ISCED 3-4, disability yes, rural not told. Leaves 1.9.2025 in a job.
    add_client(ok, "Aino Testi", "female")
    ok("phase", "start", "coaching", "A0001", "--on", "1.3.2025")
    ok(
        "esf", "entry", "A0001", "--status", "long-term-unemployed", "--isced", "3-4",
        "--birth-date", "15.6.1995", "--disability", "yes", "--third-country", "no",
        "--rural", "not-told",
    )  # fmt: skip
    ok("client", "end", "A0001", "--outcome", "employed", "--on", "1.9.2025")
    ok(
        "esf", "exit", "A0001", "--employed", "yes", "--job-searching", "no", "--education", "no",
        "--qualification", "no", "--on", "10.9.2025",
    )  # fmt: skip
    ok("esf", "followup", "A0001", "--employed", "yes", "--on", "1.3.2026")
    ok("esf", "done", "A0001", "start", "--on", "5.3.2025")
    # A0002 woman, born 1960 (65 at entry 1.4.2025), employed at entry, ISCED 0-2, minority not
    # told. Leaves 30.6.2025; exit situation only recorded 15.8.2025 (46 days: too late).
    add_client(ok, "Bertta Testi", "female", "native", "--birth-year", "1960")
    ok("phase", "start", "placement", "A0002", "--on", "1.4.2025")
    ok("esf", "entry", "A0002", "--status", "employed", "--isced", "0-2", "--minority", "ei kerro")
    ok("client", "end", "A0002", "--outcome", "other", "--on", "30.6.2025")
    ok("esf", "exit", "A0002", "--qualification", "yes", "--on", "15.8.2025")
    ok("esf", "followup", "A0002", "--employed", "yes", "--improved", "yes", "--on", "2.1.2026")
    ok("esf", "done", "A0002", "start", "--on", "1.4.2025")
    ok("esf", "done", "A0002", "end", "--on", "30.6.2025")
    # A0003 man, born 1995: at entry 10.3.2025 29 or 30 (birth year only) -> not guessed.
    # Unemployed, ISCED unknown, third-country national, foreign background. Leaves 31.10.2025
    # with no exit data and no follow-up.
    add_client(ok, "Cem Testi", "male", "immigrant", "--birth-year", "1995")
    ok("phase", "start", "coaching", "A0003", "--on", "10.3.2025")
    ok(
        "esf", "entry", "A0003", "--status", "unemployed", "--isced", "unknown",
        "--third-country", "yes", "--foreign-background", "kyllä",
    )  # fmt: skip
    ok("client", "end", "A0003", "--outcome", "education", "--on", "31.10.2025")
    # A0004 non-binary, born 1.1.2008: 17 at entry 1.5.2025. Inactive, ISCED 0-2, homeless.
    add_client(ok, "Dani Testi", "other")
    ok("phase", "start", "coaching", "A0004", "--on", "1.5.2025")
    ok(
        "esf", "entry", "A0004", "--status", "inactive", "--isced", "0-2",
        "--birth-date", "1.1.2008", "--homeless", "yes",
    )  # fmt: skip
    # A0005 man, no birth data, no ESF entry data; entered 2.2.2025.
    add_client(ok, "Eero Testi", "male")
    ok("phase", "start", "coaching", "A0005", "--on", "2.2.2025")
    # A0006 man, entered 1.10.2024 (outside 2025), left 15.1.2025 job searching.
    add_client(ok, "Fredrik Testi", "male")
    ok("phase", "start", "coaching", "A0006", "--on", "1.10.2024")
    ok("esf", "entry", "A0006", "--status", "unemployed", "--isced", "3-4")
    ok("client", "end", "A0006", "--outcome", "returned", "--on", "15.1.2025")
    ok("esf", "exit", "A0006", "--job-searching", "yes", "--employed", "no", "--on", "15.1.2025")
    ok("esf", "done", "A0006", "start", "--on", "1.10.2024")
    ok("esf", "done", "A0006", "end", "--on", "15.1.2025")


def figures(rows: list[dict]) -> dict[str, tuple]:
    return {row["code"]: tuple(row[c] for c in COUNTS) for row in rows}


def test_output_indicators_for_2025(ok, backend, project):
    report = json.loads(ok("report", "esf", "--period", "2025", "--format", "json"))
    assert report["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert figures(report["output_indicators"]) == {
        "EECO01": (2, 2, 1, 5),  # A1 A2 | A3 A5 | A4; A6 entered in 2024
        "EECO02": (1, 1, 0, 2),  # A1 (long-term unemployed counts here too), A3
        "EECO03": (1, 0, 0, 1),  # A1
        "EECO04": (0, 0, 1, 1),  # A4
        "EECO05": (1, 0, 0, 1),  # A2
        "EECO06": (0, 0, 1, 1),  # A4, 17
        "EECO07": (1, 0, 0, 1),  # A1, 29 at entry although 30 since 15.6.2025
        "EECO08": (1, 0, 0, 1),  # A2, 65
        "EECO09": (1, 0, 1, 2),  # A2, A4
        "EECO10": (1, 0, 0, 1),  # A1
        "EECO11": (0, 0, 0, 0),
        "EECO12": (1, 0, 0, 1),  # A1
        "EECO13": (0, 1, 0, 1),  # A3
        "EECO14": (0, 1, 0, 1),  # A3
        "EECO15": (0, 0, 0, 0),  # A2 did not tell
        "EECO16": (0, 0, 1, 1),  # A4
        "EECO17": (0, 0, 0, 0),  # A1 did not tell
    }
    unknown = {row["key"]: tuple(row[c] for c in COUNTS) for row in report["unknown"]}
    assert unknown["entry_missing"] == (0, 1, 0, 1)  # A5
    assert unknown["age_unknown"] == (0, 1, 0, 1)  # A5
    assert unknown["age_edge"] == (0, 1, 0, 1)  # A3, 29 or 30
    assert unknown["isced_unknown"] == (0, 1, 0, 1)  # A3
    assert unknown["EECO12_not_asked"] == (1, 1, 1, 3)  # A2, A3, A4
    assert unknown["EECO15_not_told"] == (1, 0, 0, 1)  # A2
    assert unknown["EECO17_not_told"] == (1, 0, 0, 1)  # A1
    assert unknown["EECO17_not_asked"] == (1, 1, 1, 3)  # A2, A3, A4
    # exactly one status each: the statuses and the missing entry data add up to the total
    out = figures(report["output_indicators"])
    assert sum(out[c][3] for c in ("EECO02", "EECO04", "EECO05")) + 1 == out["EECO01"][3]


def test_result_indicators_for_2025(ok, backend, project):
    report = json.loads(ok("report", "esf", "--period", "2025", "--format", "json"))
    assert figures(report["result_indicators"]) == {
        "EECR01": (0, 1, 0, 1),  # A6
        "EECR02": (0, 0, 0, 0),
        "EECR03": (0, 0, 0, 0),  # A2's qualification was recorded after 4 weeks
        "EECR04": (1, 0, 0, 1),  # A1
        "EECR05": (2, 0, 0, 2),  # A1, A2
        "EECR06": (1, 0, 0, 1),  # A2, the only leaver employed at entry
    }
    assert figures(report["bases"]) == {
        "EECR01–EECR05": (2, 2, 0, 4),  # A1 A2 | A3 A6
        "EECR06": (1, 0, 0, 1),
    }
    unknown = {row["key"]: tuple(row[c] for c in COUNTS) for row in report["unknown"]}
    assert unknown["exit_missing"] == (0, 1, 0, 1)  # A3 left without exit data
    assert unknown["exit_late"] == (1, 0, 0, 1)  # A2
    assert unknown["EECR01_unknown"] == (0, 0, 0, 0)
    assert unknown["EECR02_unknown"] == (0, 1, 0, 1)  # A6 was not asked
    assert unknown["EECR03_unknown"] == (0, 1, 0, 1)
    assert unknown["EECR04_unknown"] == (0, 0, 0, 0)
    assert unknown["followup_missing"] == (0, 2, 0, 2)  # A3, A6: due, no follow-up
    assert unknown["followup_not_due"] == (0, 0, 0, 0)


def test_report_csv_and_table(ok, project):
    lines = ok("report", "esf", "--period", "2025", "--format", "csv").splitlines()
    assert lines[0] == "section,code,indicator,women,men,non_binary,total,definition,source"
    assert lines[3] == (
        "output_indicators,EECO03,Pitkäaikaistyöttömät,1,0,0,1,long-term unemployed,"
        "Reg. (EU) 2021/1057 Annex I; code: check against the SFC code list"
    )
    eeco13 = next(line for line in lines if ",EECO13," in line)
    assert eeco13.endswith(
        "Reg. (EU) 2021/1057 Annex I; code confirmed by the Commission SFC FAQ (13.4.2023)"
    )
    assert lines[2].startswith(
        'output_indicators,EECO02,"Työttömät, myös pitkäaikaistyöttömät",1,1,0,2,'
        '"unemployed, including long-term unemployed",'
        "Reg. (EU) 2021/1057 Annex I; code confirmed by the Commission SFC FAQ"
    )
    table = ok("report", "esf", "--period", "2025")
    assert table.startswith("ESR+-indikaattorit, kausi: 1.1.2025–31.12.2025")
    row = next(line for line in table.splitlines() if line.startswith("EECO07"))
    assert row.split()[:8] == ["EECO07", "18–29-vuotiaat", "nuoret", "1", "0", "0", "1", "young"]
    assert "tarkista ne SFC2021-koodilistasta" in table


def test_period_all_time_counts_the_2024_entrant(ok, project):
    report = json.loads(ok("report", "esf", "--format", "json"))
    assert figures(report["output_indicators"])["EECO01"] == (2, 3, 1, 6)
    assert figures(report["output_indicators"])["EECO10"] == (1, 1, 0, 2)  # A1, A6


def test_suppression_hides_small_counts(ok, project):
    args = ("report", "esf", "--period", "2025")
    plain = json.loads(ok(*args, "--format", "json"))
    hidden = json.loads(ok(*args, "--format", "json", "--suppress-below", "3"))
    text = ok(*args, "--format", "csv", "--suppress-below", "3")
    lines = list(csv.DictReader(io.StringIO(text)))
    assert hidden["suppress_below"] == 3
    cells = [
        (section, index, column)
        for section in ("output_indicators", "result_indicators", "bases", "unknown")
        for index in range(len(plain[section]))
        for column in COUNTS
    ]
    assert len(lines) == len(cells) // len(COUNTS)
    shown_in_csv = [line[column] for line in lines for column in COUNTS]
    for (section, index, column), shown in zip(cells, shown_in_csv, strict=True):
        true = plain[section][index][column]
        after = hidden[section][index][column]
        if 0 < true < 3:  # e.g. EECO01: 1 non-binary, 2 women, 2 men
            # Told apart from the protecting `x`, the `<3` marks would give counts away here
            # (veto.reports.suppression.marks_reveal), so every hidden cell reads `x`.
            assert after is None and shown == "x", (section, index, column)
        elif after is None:  # hidden only to protect a small count
            assert shown == "x" and f"{section}.{index}.{column}" in hidden["suppressed"]
        else:
            assert after == true and shown == str(true)
    assert "output_indicators.0.non_binary" in hidden["suppressed"]
    assert hidden["notes"][-1] == (
        "Pienet luvut peitetty: x = piilotettu (alle 3 henkilöä, tai luku, josta pieni luku "
        "olisi laskettavissa muista luvuista)."
    )


def test_a_total_that_would_reveal_two_small_counts_is_hidden_too(ok):
    # One woman and one man: hidden, and the total 2 that would tell that each is 1 as well.
    # With N=2 a `<2` would say "1" outright, so every hidden cell reads `x`.
    for name, gender in (("Hanna Testi", "female"), ("Ilkka Testi", "male")):
        code = add_client(ok, name, gender)
        ok("phase", "start", "coaching", code, "--on", "1.2.2025")
        ok("esf", "entry", code, "--status", "unemployed", "--isced", "3-4")
    rows = ok("report", "esf", "--format", "csv", "--suppress-below", "2").splitlines()
    women, men, _, total = rows[1].split(",")[3:7]
    assert (women, men, total) == ("x", "x", "x")
    table = ok("report", "esf", "--suppress-below", "2")
    row = next(line for line in table.splitlines() if line.startswith("EECO01"))
    assert row.split()[3:5] == ["x", "x"] and row.split()[6] == "x"
    report = json.loads(ok("report", "esf", "--format", "json", "--suppress-below", "2"))
    eeco01 = figures(report["output_indicators"])["EECO01"]
    assert (eeco01[0], eeco01[1], eeco01[3]) == (None, None, None)
    assert "Pienet luvut peitetty" in report["notes"][-1]


def test_show_keeps_special_categories_out_unless_asked(ok, project):
    plain = json.loads(ok("esf", "show", "A0001", "--format", "json"))
    assert "disability" not in plain and "minority" not in plain
    assert plain["age_at_entry"] == "29"
    assert plain["entry_on"] == "2025-03-01" and plain["entry_from"] == "first phase"
    assert plain["within_4_weeks"] is True
    assert plain["followup_due"] == "2026-03-01"
    sensitive = json.loads(ok("esf", "show", "A0001", "--sensitive", "--format", "json"))
    assert sensitive["disability"] == "yes" and sensitive["minority"] is None
    assert audit_rows("SELECT action, sensitive FROM audit_log WHERE action LIKE 'esf.show%'") == [
        ("esf.show", False),
        ("esf.show.sensitive", True),
    ]
    age = json.loads(ok("esf", "show", "A0003", "--format", "json"))["age_at_entry"]
    assert age == "29–30"


def test_pending_checklist(ok, backend, project):
    rows = json.loads(ok("esf", "pending", "--on", "1.12.2025", "--format", "json"))
    assert [(r["client"], r["item"], r["date"], r["detail"]) for r in rows] == [
        ("A0001", "end", "2025-09-01", "EURA-lopetustiedot merkitsemättä"),
        ("A0003", "start", "2025-03-10", "EURA-aloitustiedot merkitsemättä"),
        ("A0003", "end", "2025-10-31", "EURA-lopetustiedot merkitsemättä"),
        (
            "A0003",
            "exit-data",
            "2025-11-28",
            "tilanne päättyessä kirjaamatta yli 4 viikkoa lopettamisesta",
        ),
        ("A0004", "start", "2025-05-01", "EURA-aloitustiedot merkitsemättä"),
        (
            "A0005",
            "start",
            "2025-02-02",
            "EURA-aloitustiedot merkitsemättä; aloitustiedot puuttuvat myös veto:sta",
        ),
        ("A0006", "followup", "2025-07-15", "6 kk seuranta erääntynyt; vastaus puuttuu"),
    ]
    # 28 days after A3's exit is not yet "older than 4 weeks"
    early = json.loads(ok("esf", "pending", "--on", "28.11.2025", "--format", "json"))
    assert ("A0003", "exit-data") not in [(r["client"], r["item"]) for r in early]
    ok("esf", "done", "A0006", "followup", "--on", "20.7.2025")
    ok("esf", "done", "A0001", "end")
    later = json.loads(ok("esf", "pending", "--on", "1.12.2025", "--format", "json"))
    assert [(r["client"], r["item"]) for r in later][0] == ("A0003", "start")
    assert ("A0006", "followup") not in [(r["client"], r["item"]) for r in later]


def test_reentry_keeps_entry_data_and_takes_the_final_exit(ok):
    add_client(ok, "Greta Testi", "female", "native", "--birth-year", "1980")
    ok("phase", "start", "coaching", "A0001", "--on", "1.2.2025")
    ok("esf", "entry", "A0001", "--status", "unemployed", "--isced", "5-8")
    ok("client", "end", "A0001", "--outcome", "returned", "--on", "1.4.2025")
    ok("client", "reopen", "A0001")
    ok("phase", "start", "placement", "A0001", "--on", "1.6.2025")
    ok("client", "end", "A0001", "--outcome", "employed", "--on", "1.8.2025")
    shown = json.loads(ok("esf", "show", "A0001", "--format", "json"))
    assert (shown["entry_on"], shown["exit_on"], shown["status"]) == (
        "2025-02-01",
        "2025-08-01",
        "unemployed",
    )
    report = json.loads(ok("report", "esf", "--format", "json"))
    assert figures(report["output_indicators"])["EECO01"] == (1, 0, 0, 1)


BAD = [
    (["esf", "entry", "A0001", "--status", "työssä??"], "unknown labour-market status"),
    (["esf", "entry", "A0004", "--disability", "maybe"], "invalid --disability answer 'maybe'"),
    (["esf", "entry", "A0005", "--status", "unemployed"], "need --isced"),
    (["esf", "entry", "A0001", "--entry-date", "31.2.2025"], "impossible entry date"),
    (["esf", "entry", "A0001", "--entry-date", "2.9.2025"], "would come after the exit"),
    (["esf", "entry", "A0002", "--status", "inactive"], "status must stay employed"),
    (["esf", "exit", "A0004", "--employed", "yes"], "has not left"),
    (["esf", "exit", "A0005", "--employed", "yes"], "has no ESF entry data"),
    (["esf", "exit", "A0003", "--employed", "perhaps"], "invalid --employed answer"),
    (["esf", "exit", "A0003", "--on", "1.11.2025"], "give it with at least one answer"),
    (["esf", "exit", "A0001"], "nothing to record"),
    (["esf", "followup", "A0003", "--employed", "yes", "--on", "29.4.2026"], "due on 30.4.2026"),
    (["esf", "followup", "A0001", "--improved", "yes"], "only to participants employed"),
    (["esf", "done", "A0001", "sometime"], "unknown EURA form 'sometime'"),
    (["esf", "done", "A0004", "end"], "has not left"),
    (["esf", "show", "Z9"], "unknown client 'Z9'"),
    (["esf", "pending", "--format", "xml"], "unknown format 'xml'"),
    (["report", "esf", "--suppress-below", "1"], "give 2 or more"),
    (["report", "esf", "--period", "last year"], "invalid period"),
    (["report", "esf", "--format", "xml"], "unknown format 'xml'"),
    (["report", "esf", "--format", "pdf"], "a PDF goes to a file: add --out FILE.pdf"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[:3]) for a, _ in BAD])
def test_bad_input_exits_2_and_changes_nothing(veto, project, args, message):
    before = dump()
    run = veto(*args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.startswith("Error: ")
    assert message in run.stderr
    assert dump() == before


def test_bad_input_on_postgresql_too(veto, backend, project):
    before = dump()
    run = veto("esf", "followup", "A0001", "--improved", "yes")
    assert run.exit_code == 2
    assert dump() == before


def test_erasing_a_client_removes_the_participant_row(ok, backend, project):
    from sqlalchemy import text

    from veto.commands.common import Invocation
    from veto.store.database import engine_for

    engine = engine_for(Invocation().location)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM client WHERE code = 'A0001'"))
        remaining = conn.execute(text("SELECT count(*) FROM participant")).scalar()
    assert remaining == 4  # A1's row went with the client; A5 never had one


@given(st.dates(date(2000, 1, 1), date(2040, 12, 31)), st.integers(-40, 400))
def test_due_is_a_plain_date_comparison(exit_on, offset):
    today = exit_on + timedelta(days=offset)
    assert (exit_on <= latest_exit_due_by(today)) == (followup_due(exit_on) <= today)


def test_six_months_after_a_month_end():
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert latest_exit_due_by(date(2026, 2, 28)) == date(2025, 8, 31)

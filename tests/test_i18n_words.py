"""The last English of issue 14 item 1 in Finnish: the erase/remove question and its answers,
Click's extra argument(s), import file and row problems, `db check`'s rows, a document note.
Each runs a real command under VETO_LANG=fi and asserts the exact Finnish."""

from __future__ import annotations

import json
import types

import pytest


@pytest.fixture
def finnish(monkeypatch):
    monkeypatch.setenv("VETO_LANG", "fi")


@pytest.fixture
def terminal(monkeypatch):
    """`veto employer remove` asks, as in a terminal."""
    seen = types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("veto.commands.common.sys", seen)


@pytest.mark.parametrize("answer", ["e", "ei", "n", ""])
def test_the_question_is_finnish_and_a_finnish_no_keeps(ok, veto, terminal, finnish, answer):
    ok("employer", "add", "Huolto Oy")
    kept = veto("employer", "remove", "Huolto Oy", input=f"{answer}\n")
    assert (kept.exit_code, kept.stderr) == (
        1, "Poistetaanko työnantaja 1 (Huolto Oy)? [k/E]:Virhe: keskeytetty\n"
    )  # fmt: skip
    assert len(json.loads(ok("employer", "list", "-f", "json"))) == 1


@pytest.mark.parametrize("answer", ["k", "kyllä", "Kylla", "y", "yes"])
def test_a_finnish_yes_removes(ok, veto, terminal, finnish, answer):
    ok("employer", "add", "Huolto Oy")
    assert veto("employer", "remove", "Huolto Oy", input=f"{answer}\n").exit_code == 0
    assert json.loads(ok("employer", "list", "-f", "json")) == []


def test_any_other_answer_asks_again(ok, veto, terminal, finnish):
    ok("employer", "add", "Huolto Oy")
    run = veto("employer", "remove", "Huolto Oy", input="joo\nk\n")
    assert run.exit_code == 0
    assert run.stderr == (
        "Poistetaanko työnantaja 1 (Huolto Oy)? [k/E]:Virhe: vastaa k tai e\n"
        "Poistetaanko työnantaja 1 (Huolto Oy)? [k/E]:"
    )


def test_english_keeps_click_s_question(ok, veto, terminal):
    ok("employer", "add", "Huolto Oy")
    kept = veto("employer", "remove", "Huolto Oy", input="e\n")
    assert kept.stderr.startswith(
        "Remove employer 1 (Huolto Oy)? [y/N]:Error: invalid input\nRemove employer 1"
    )


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["x"], "Ylimääräinen argumentti (x)"),
        (["x", "y"], "Ylimääräisiä argumentteja (x y)"),
    ],
)
def test_one_extra_argument_is_singular(veto, finnish, extra, said):
    run = veto("coach", "list", *extra)
    assert (run.exit_code, run.stderr) == (
        2, f"Virhe: {said} (katso 'veto coach list --help')\n"
    )  # fmt: skip


def test_import_file_problems(veto, finnish, tmp_path):
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"Nimi;Sukupuoli\n\x00\x00\n")
    run = veto("import", "table", str(nul), "--into", "clients")
    assert run.stderr == (
        f"Virhe: tiedostoa '{nul}' ei voi lukea CSV-muodossa: siinä on NUL-tavuja "
        "(binääritiedosto?); anna .xlsx-, .ods- tai CSV-tiedosto\n"
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xef\xbb\xbfNimi;Sukupuoli\nAino \xff;f\n")
    run = veto("import", "table", str(bad), "--into", "clients")
    assert run.stderr == (
        f"Virhe: tiedostoa '{bad}' ei voi lukea: tavu 0xFF rivillä 2 ei ole UTF-8:aa eikä "
        "UTF-8 (BOM-merkillä); tallenna tiedosto muotoon CSV UTF-8 (tai Excelissä CSV (puolipiste))\n"
    )


def test_import_row_problems(ok, veto, finnish, tmp_path):
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    hours = tmp_path / "tunnit.csv"
    hours.write_text(
        "Asiakaskoodi;Nimi;Päivä;Tunnit\nA0009;;2.9.2025;1\n;Eino Esimerkki;3.9.2025;1\n",
        encoding="utf-8",
    )
    run = veto("import", "table", str(hours), "--into", "hours")
    assert run.exit_code == 2
    assert "tuntematon asiakas 'A0009': anna tallennettu tunnus" in run.stderr
    assert (
        "tietokannassa ei ole asiakasta 'Eino Esimerkki': tuo asiakkaat ensin (--into clients) "
        "tai anna tunnus" in run.stderr
    )
    twice = tmp_path / "asiakkaat.csv"
    twice.write_text("Nimi\nEino Esimerkki\nEino Esimerkki\n", encoding="utf-8")
    run = veto("import", "table", str(twice), "--into", "clients")
    assert "sama asiakas kuin rivillä 2: pidä yksi rivi asiakasta kohden" in run.stderr
    assert "sarake puuttuu kentälle gender tai background, jota uudet asiakkaat" in run.stderr


def test_db_check_rows(ok, finnish):
    ok("db", "init")
    table = ok("db", "check")
    for said in ("eheys", "viiteavaimet", "käyttöloki", "aikajanat", "kunnossa", "(nykyinen)"):
        assert said in table
    # JSON keeps the checks' names
    assert [r["check"] for r in json.loads(ok("db", "check", "-f", "json"))][:2] == [
        "integrity",
        "foreign keys",
    ]


def test_a_document_without_a_survey_says_so(ok, veto, finnish):
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    run = veto("doc", "kartoitus", "A0001", "--format", "md")
    assert run.stderr == (
        "asiakkaalla A0001 ei ole vielä kartoitusta: lomakkeella on nimi ja tyhjät vastaukset\n"
    )


def test_the_survey_removal_question_and_a_malformed_answers_file(
    ok, veto, terminal, finnish, tmp_path
):
    code = ok(
        "client",
        "add",
        "--name",
        "Testi Henkilö",
        "--gender",
        "nainen",
        "--background",
        "kantasuomalainen",
    )
    (tmp_path / "s.yaml").write_text("worries: Ei\n")
    ok("survey", code, "--from", str(tmp_path / "s.yaml"), "--on", "1.8.2024", "--kind", "loppu")
    kept = veto("survey", "remove", "1", input="e\n")
    assert (kept.exit_code, kept.stderr) == (
        1, "Poistetaanko kartoitus 1 (loppukartoitus, A0001, 1.8.2024)? [k/E]:Virhe: keskeytetty\n"
    )  # fmt: skip
    (tmp_path / "bad.yaml").write_text("worries: Ei\nx: [unclosed\n")
    bad = veto("survey", code, "--from", str(tmp_path / "bad.yaml"))
    assert (bad.exit_code, bad.stderr) == (
        2,
        f"Virhe: virheellinen YAML tai JSON tiedostossa '{tmp_path / 'bad.yaml'}' rivillä 3: "
        "anna rivit muodossa avain: vastaus\n",
    )

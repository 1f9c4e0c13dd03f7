"""Finnish beyond the domain: Click's and Typer's own words (usage errors, help pages), and the
messages of commands, imports, the workbook, the store and the outputs (issue 14)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from veto import click_words


@pytest.fixture
def finnish(monkeypatch):
    monkeypatch.setenv("VETO_LANG", "fi")


def test_an_unknown_option_is_refused_in_finnish(refused, finnish):
    assert refused("client", "show", "NOPE", "--bogus") == (
        "Virhe: Valitsinta ei ole: --bogus (katso 'veto client show --help')"
    )


def test_a_missing_option_is_refused_in_finnish(refused, finnish):
    assert refused("client", "add") == (
        "Virhe: Valitsin '--name' puuttuu. (katso 'veto client add --help')"
    )


def test_an_unknown_command_is_refused_in_finnish_with_its_suggestion(refused, finnish):
    assert (
        refused("nope")
        == "Virhe: Komentoa 'nope' ei ole. Tarkoititko 'note'? (katso 'veto --help')"
    )


def test_an_extra_argument_is_refused_in_finnish(refused, finnish):
    assert refused("client", "show", "A0001", "extra") == (
        "Virhe: Ylimääräinen argumentti (extra) (katso 'veto client show --help')"
    )


def test_click_words_stay_english_in_english(refused):
    assert refused("client", "show", "NOPE", "--bogus") == (
        "Error: No such option: --bogus (see 'veto client show --help')"
    )


@pytest.mark.parametrize(
    ("english", "finnish_text"),
    [
        ("Invalid value for '--hours': 'x' is not a valid float.",
         "Virheellinen arvo kohdassa '--hours': 'x' ei ole kelvollinen desimaaliluku."),
        ("Option '--on' requires an argument.", "Valitsin '--on' tarvitsee arvon."),
        ("Missing argument 'CLIENT'.", "Argumentti 'CLIENT' puuttuu."),
        ("Missing command.", "Komento puuttuu."),
        ("something Click may say one day", "something Click may say one day"),
    ],
)  # fmt: skip
def test_click_messages_are_translated_from_their_templates(finnish, english, finnish_text):
    assert click_words.translate(english) == finnish_text


def _finnish_help(tmp_path, *args: str) -> str:
    env = {**os.environ, "LANG": "fi_FI.UTF-8", "COLUMNS": "100", "VETO_DB": str(tmp_path / "x.db")}
    env.pop("VETO_LANG")
    run = subprocess.run([sys.executable, "-m", "veto", *args, "--help"], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return run.stdout


def test_the_help_page_has_finnish_words_only(tmp_path):
    lines = [line.strip(" │╭╮╰╯─") for line in _finnish_help(tmp_path).splitlines()]
    assert "Käyttö: veto [VALITSIMET] KOMENTO [ARGUMENTIT]..." in lines
    assert "Valitsimet" in lines
    assert "Komennot" in lines
    assert "--help                -h             Näytä tämä ohje ja lopeta." in lines
    assert (
        "--install-completion                 Asenna täydennys nykyiseen komentotulkkiin." in lines
    )
    for english in ("Usage", "Options", "Commands", "Show this message", "Install completion"):
        assert english not in "\n".join(lines)


def test_a_command_help_marks_required_options_in_finnish(tmp_path):
    page = _finnish_help(tmp_path, "client", "add")
    assert "Käyttö: veto client add [VALITSIMET]" in page
    assert "Koko nimi. [pakollinen]" in page
    assert "[required]" not in page


def test_command_and_output_refusals_are_finnish(refused, finnish, tmp_path):
    assert refused("client", "list", "--format", "xml") == (
        "Virhe: tuntematon muoto 'xml': käytä jotakin näistä: table|json|csv"
    )
    assert refused("report", "pilot", "--out", str(tmp_path)) == (
        f"Virhe: --out '{tmp_path}' on kansio: anna tiedostonimi"
    )
    assert refused("db", "role", "add", "x", "--admin") == (
        "Virhe: veto db role add toimii vain PostgreSQL-tietokannassa (VETO_DATABASE_URL)"
    )


def test_import_refusals_are_finnish(refused, finnish, tmp_path):
    missing = tmp_path / "nope.csv"
    assert refused("import", "table", str(missing), "--into", "clients") == (
        f"Virhe: tiedostoa '{missing}' ei voi lukea: tiedostoa ei ole"
    )
    assert refused("import", "table", str(missing), "--into", "bogus") == (
        "Virhe: tuntematon --into 'bogus': käytä jotakin näistä: "
        "clients|phases|placements|hours|employers|contacts"
    )


def test_a_batch_line_is_refused_in_finnish(refused, finnish, tmp_path):
    lines = tmp_path / "b.txt"
    lines.write_text("batch x\n", encoding="utf-8")
    assert refused("batch", str(lines)) == (
        "Virhe: rivi 1: komentoa 'batch' ei voi käyttää komentotiedostossa"
    )


def test_an_import_summary_is_finnish(veto, finnish, tmp_path):
    table = tmp_path / "ok.csv"
    table.write_text("nimi;sukupuoli;tausta\nAino Esimerkki;nainen;maahanmuuttaja\n", "utf-8")
    result = veto("import", "table", str(table), "--into", "clients")
    assert result.exit_code == 0
    assert result.stderr == "tuotu ok.csv: Asiakkaat 1 uutta, 0 muutettua, 0 ennallaan\n"


def test_import_problem_lines_are_finnish(veto, finnish, tmp_path):
    table = tmp_path / "c.csv"
    table.write_text("nimi;sukupuoli;tausta\nAino;nainen;native\nBeata;x;native\n", "utf-8")
    result = veto("import", "table", str(table), "--into", "clients", "--dry-run")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0] == (
        "luettu c.csv: CSV, merkistö UTF-8, erotin ';'; otsikot rivillä 1, 2 tietoriviä"
    )
    assert result.stderr.splitlines()[0] == (
        "Virhe: 1 ongelma tiedostossa c.csv; mitään ei tuotu (taulukko, rivi, sarake: ongelma)"
    )
    assert result.stderr.splitlines()[1].startswith("c, rivi 3, sukupuoli: ")


def test_a_database_note_is_finnish(veto, finnish):
    result = veto("db", "init")
    assert result.exit_code == 0
    assert result.stderr == (
        f"tietokanta valmiina: {os.environ['VETO_DB']} (skeema 0010_history_commands)\n"
    )


def test_a_backup_note_is_finnish(veto, finnish, tmp_path):
    veto("db", "init")
    result = veto("db", "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0
    assert result.stderr.startswith(f"varmuuskopio kirjoitettu tiedostoon {tmp_path / 'copy.db'} (")
    assert result.stderr.endswith(" sivua, vain sinun luettavissasi)\n")


def test_an_import_header_problem_is_finnish(veto, finnish, tmp_path):
    table = tmp_path / "dup.csv"
    table.write_text("nimi;nimi;sukupuoli\nA;B;nainen\n", "utf-8")
    result = veto("import", "table", str(table), "--into", "clients", "--dry-run")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == (
        "dup, rivi 1, nimi: 'nimi' on jo kenttä name; ohjaa toinen niistä muualle "
        "(--column 'nimi=-' jättää tämän pois)"
    )


@pytest.mark.parametrize(
    ("count", "said"), [(1, "1 komento tallennettu"), (2, "2 komentoa tallennettu")]
)
def test_a_batch_counts_its_commands_in_correct_finnish(veto, finnish, tmp_path, count, said):
    lines = tmp_path / "b.txt"
    lines.write_text("".join(f"coach add 'Valmentaja {n}'\n" for n in range(count)), "utf-8")
    result = veto("batch", str(lines))
    assert (result.exit_code, result.stderr) == (0, said + "\n")

"""Finnish or English by the locale: the language rule, the catalogues, and Finnish output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tools import catalogue
from veto.i18n import language


@pytest.fixture
def finnish(monkeypatch):
    monkeypatch.setenv("VETO_LANG", "fi")


@pytest.fixture
def no_language(monkeypatch):
    for variable in ("VETO_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "en"),
        ({"LANG": "fi_FI.UTF-8"}, "fi"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "fi_FI.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "fi_FI"}, "fi"),
        ({"LC_ALL": "fi_FI.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "fi"),
        ({"LC_ALL": "", "LANG": "fi_FI.UTF-8"}, "fi"),
        ({"LANG": "fi_FI.UTF-8", "VETO_LANG": "en"}, "en"),
        ({"LANG": "C", "VETO_LANG": "fi"}, "fi"),
    ],
)
def test_the_language_comes_from_veto_lang_else_the_locale(no_language, env, expected):
    for variable, value in env.items():
        no_language.setenv(variable, value)
    assert language() == expected


# A new message (a `_()` string, a command's docstring or help=) fails these two tests until
# `python tools/catalogue.py` has extracted it and veto/locale/fi/LC_MESSAGES/veto.po gives it
# a Finnish msgstr (then run the tool once more to compile).
def test_the_catalogues_are_extracted_and_compiled_from_the_source():
    assert catalogue.stale() == [], "run: python tools/catalogue.py"


def test_every_message_has_a_finnish_translation():
    missing = catalogue.untranslated(catalogue.po_catalogue("fi"))
    assert missing == [], "translate them in veto/locale/fi/LC_MESSAGES/veto.po"


def test_a_finnish_table_has_finnish_headers_and_values(ok, finnish):
    ok("coach", "add", "Liisa Esimerkki")
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "nainen", "--background",
       "maahanmuuttaja", "--coach", "1", "--municipality", "Ähtäri")  # fmt: skip
    ok("phase", "start", "työhönvalmennus", "A0001", "--on", "1.9.2025")
    assert ok("client", "list") == (
        "nro   tunnus   nimi             sukupuoli   tausta           valmentaja        kunta    vaihe             vaihe alkaen   päättynyt   tulos\n"
        "──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────────\n"
        "1     A0001    Aino Esimerkki   nainen      maahanmuuttaja   Liisa Esimerkki   Ähtäri   työhönvalmennus   1.9.2025"
    )
    # JSON keeps the contract's keys and values
    assert '"gender": "female"' in ok("client", "list", "--format", "json")


def test_the_locale_alone_makes_an_error_finnish(no_language, refused):
    no_language.setenv("LANG", "fi_FI.UTF-8")
    assert refused("client", "show", "A0009") == (
        "Virhe: tuntematon asiakas 'A0009': anna asiakkaan tunnus, numero tai yksiselitteinen "
        "nimi (veto client find TEKSTI)"
    )


def test_english_stays_as_stored(ok, refused):
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "nainen", "--background", "native")
    assert ok("client", "list").splitlines()[2].split()[4:6] == ["female", "native"]
    assert refused("client", "show", "A0009") == (
        "Error: unknown client 'A0009': give a client code, numeric id or unique name "
        "(veto client find TEXT)"
    )


def _in_placement(ok, code="A0001", hours=("10", "9")):
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    ok("phase", "start", "placement", code, "--on", "1.9.2025")
    for n, h in enumerate(hours, start=2):
        ok("activity", "log", code, "--hours", h, "--on", f"{n}.9.2025")


def test_finnish_words_are_accepted_for_every_enumeration(ok):
    _in_placement(ok, hours=())
    ok("activity", "log", "A0001", "--hours", "1", "--on", "2.9.2025", "--kind", "puhelin")
    ok("activity", "log", "A0001", "--hours", "1", "--on", "3.9.2025", "--kind", "Työpaikkakäynti")
    ok("employer", "add", "Kahvila Esimerkki Oy")
    ok("contact", "log", "1", "--channel", "puhelu", "--stage", "neuvottelu", "--on", "3.9.2025")
    kinds = [a["kind"] for a in json.loads(ok("activity", "list", "A0001", "-f", "json"))]
    assert kinds == ["phone", "workplace"]
    contact = json.loads(ok("contact", "list", "-f", "json"))[0]
    assert (contact["channel"], contact["stage"]) == ("phone", "negotiation")


def test_an_unknown_value_is_refused_in_finnish_with_the_finnish_names(ok, refused, finnish):
    _in_placement(ok, hours=())
    assert refused("activity", "log", "A0001", "--hours", "1", "--kind", "kahvi") == (
        "Virhe: tuntematon tuntien laji 'kahvi': käytä jotakin näistä: tapaaminen|"
        "työpaikkakäynti|puhelu|sähköposti|palautekeskustelu|kolmikantakeskustelu|muu"
    )


def test_the_budget_warning_is_finnish(veto, ok, finnish):
    _in_placement(ok, hours=("10",))
    run = veto("activity", "log", "A0001", "--hours", "9", "--on", "3.9.2025")
    assert (run.exit_code, run.stdout) == (0, "2\n")
    assert run.stderr == (
        "Varoitus: A0001 on käyttänyt 19 h työhönvalmennuksen 18 tunnin budjetista (tunnit "
        "työhönvalmennuksen alusta 1.9.2025).\n"
    )


@pytest.mark.parametrize(("hours", "said"), [(("10", "9"), "1 asiakas ylitti budjetin"),
                                             (("1",), "0 asiakasta ylitti budjetin")])  # fmt: skip
def test_the_pilot_report_counts_clients_over_budget_in_correct_finnish(ok, hours, said):
    _in_placement(ok, hours=hours)
    assert f"(18 tunnin budjetti); {said}." in " ".join(ok("report", "pilot").split())


def test_the_survey_prompts_in_finnish(veto, ok, finnish):
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    run = veto("survey", "A0001", input="\n" * 200)
    assert run.exit_code == 0, run.stderr
    first = run.stderr.splitlines()[0]
    assert first == "Työhönvalmennuksen kartoitus: A0001 Aino Esimerkki (Enter ohittaa kysymyksen)"


def test_help_is_finnish_in_a_finnish_locale(tmp_path):
    env = {**os.environ, "LANG": "fi_FI.UTF-8", "COLUMNS": "200", "VETO_DB": str(tmp_path / "x.db")}
    env.pop("VETO_LANG")
    run = subprocess.run([sys.executable, "-m", "veto", "activity", "log", "--help"], env=env,
                         capture_output=True, text=True, check=True)  # fmt: skip
    assert "Kirjaa asiakkaalle valmennustunteja; tulostaa uuden rivin numeron." in run.stdout
    assert "phone (puhelu, puhelin)" in run.stdout
    assert "Tunnit, esim. 1,5 tai 1.5 (enintään 24)." in run.stdout

"""Finnish or English by the locale: the language rule, the catalogues, and Finnish output."""

from __future__ import annotations

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

"""Finnish or English for every human-facing text: gettext catalogues, the language by the locale.

`VETO_LANG=fi|en` decides; else the first of LC_ALL, LC_MESSAGES, LANG that is set (fi_FI... →
Finnish); else English. Messages are written in English in the source and looked up in the
compiled catalogues under `veto/locale/` (built with Babel: tools/catalogue.py); only the stdlib
`gettext` reads them at run time. JSON and CSV keys and values are never translated.

Any layer may import this module (it imports nothing of veto's).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Any

DOMAIN = "veto"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "fi")

_loaded: dict[str, gettext.NullTranslations] = {}


def _from_locale(value: str) -> str | None:
    """'fi_FI.UTF-8' → 'fi', 'en_GB' → 'en', 'C' → 'en'; None for an empty value."""
    value = value.strip()
    if not value:
        return None
    return "fi" if value.lower().startswith("fi") else "en"


def language() -> str:
    """'fi' or 'en', from VETO_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG)."""
    chosen = os.environ.get("VETO_LANG", "").strip().lower()
    if chosen:
        return "fi" if chosen.startswith("fi") else "en"
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = _from_locale(os.environ.get(variable, ""))
        if found:
            return found
    return "en"


def catalogue(lang: str | None = None) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (default: the current language), read once."""
    lang = lang or language()
    if lang not in _loaded:
        _loaded[lang] = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True
        )
    return _loaded[lang]


def _(message: str) -> str:
    """`message` (English, as written in the source) in the current language."""
    return catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for the count `n` in the current language."""
    return catalogue().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, where the same English word needs telling apart
    (a column header `kind` and a message `kind`)."""
    return catalogue().pgettext(context, message)


def N_(message: str) -> str:
    """Marks `message` for the catalogue without translating it now (translated where shown)."""
    return message


def NC_(context: str, message: str) -> str:
    """Marks `message` with its `context` for the catalogue; translated with `pgettext` later."""
    return message


# Click's own help text of --help, in the catalogue too.
HELP_OPTION = N_("Show this message and exit.")


def _translated(text: str | None) -> str | None:
    return _(text) if text else text


def translate_help(command: Any, *, subcommands: bool = True) -> Any:
    """`command` (a Click command or group, with its subcommands unless not `subcommands`) with
    its help, short help and options' help in the current language; returns it. Typer takes the
    English docstrings and `help=` texts as written; the catalogue holds them too
    (tools/catalogue.py extracts them)."""
    command.help = _translated(command.help)
    command.short_help = _translated(command.short_help)
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
    for sub in getattr(command, "commands", {}).values() if subcommands else ():
        translate_help(sub)
    return command

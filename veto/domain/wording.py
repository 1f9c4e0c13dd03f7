"""The words the domain's messages put in: named values, enumeration values and numbers in the
reader's language (veto.i18n decides which). English shows them as stored, so every English
message stays as it was; Finnish shows an enumeration value by its Finnish name (the one the
tables and forms use, from veto.vocabulary) and a decimal with a comma.

Dates need nothing here: messages show every date as 1.8.2024 (`dates.finnish`) in both
languages."""

from __future__ import annotations

from decimal import Decimal

from veto import vocabulary
from veto.i18n import NC_, language, pgettext

# What a date, number or answer is called in a message ("invalid birth date '...'"): the names
# the commands and the domain pass as `what=`. One not listed here is shown as given (an option
# name such as --since reads the same in both languages).
WHAT = (
    NC_("what", "date"),
    NC_("what", "birth date"),
    NC_("what", "contact date"),
    NC_("what", "follow-up date"),
    NC_("what", "note date"),
    NC_("what", "plan date"),
    NC_("what", "survey date"),
    NC_("what", "entry date"),
    NC_("what", "exit date"),
    NC_("what", "start"),
    NC_("what", "end"),
    NC_("what", "start date"),
    NC_("what", "end date"),
    NC_("what", "period start"),
    NC_("what", "period end"),
    NC_("what", "hours"),
    NC_("what", "number"),
    NC_("what", "hours per month"),
    NC_("what", "pay per hour"),
    NC_("what", "pay per month"),
    NC_("what", "full time"),
    NC_("what", "wage subsidy"),
    NC_("what", "arrangement support"),
    NC_("what", "phase"),
    NC_("what", "placement"),
    NC_("what", "answer"),
)


def what(name: str) -> str:
    """What a value is called (`WHAT`), in the reader's language."""
    return pgettext("what", name)


def value(enumeration: str, stored: str) -> str:
    """A stored enumeration value as the reader reads it: 'negotiation' or 'neuvottelu'."""
    return vocabulary.label(enumeration, stored) if language() == "fi" else stored


def choices(enumeration: str) -> str:
    """The values of an enumeration as a message offers them: 'yes|no|unknown' or
    'kyllä|ei|ei tiedossa' (vocabulary.parse accepts both)."""
    return "|".join(value(enumeration, stored) for stored in vocabulary.values(enumeration))


def number(amount: Decimal | int | float | str) -> str:
    """A number as the reader writes it: 1.5 or 1,5."""
    text = str(amount)
    return text.replace(".", ",") if language() == "fi" else text

"""The enumerations of the domain, their Finnish names and the aliases users may type.

The database checks the stored values too (CHECK constraints in `veto.models`).
"""

from __future__ import annotations

import unicodedata

from veto.errors import InputError

# value -> Finnish label shown to readers
GENDER = {"female": "nainen", "male": "mies", "other": "muu"}
BACKGROUND = {"native": "kantasuomalainen", "immigrant": "maahanmuuttaja"}
PHASE_KIND = {"coaching": "työvalmennus", "placement": "työhönvalmennus"}
OUTCOME = {
    "employed": "työpaikka",
    "education": "koulutuspaikka",
    "work-trial": "pidempi työkokeilu",
    "returned": "palautui työvoimaviranomaiselle",
    "other": "muu",
}
PLACEMENT_KIND = {"work-trial": "työkokeilu", "job": "työsuhde", "apprenticeship": "oppisopimus"}
ACTIVITY_KIND = {
    "meeting": "tapaaminen",
    "workplace": "työpaikkakäynti",
    "phone": "puhelu",
    "email": "sähköposti",
    "feedback": "palautekeskustelu",
    "tripartite": "kolmikantakeskustelu",
    "other": "muu",
}
EMPLOYMENT_FORM = {
    "permanent": "toistaiseksi voimassa oleva",
    "fixed-term": "määräaikainen",
    "other": "muu",
}
CONTACT_CHANNEL = {
    "phone": "puhelin",
    "email": "sähköposti",
    "visit": "käynti",
    "event": "tapahtuma",
}
CONTACT_STAGE = {
    "mapping": "kartoitus",
    "contact": "yhteydenotto",
    "negotiation": "neuvottelu",
    "decision": "päätös",
    "aftercare": "jälkihoito",
}

# Extra spellings accepted on input (folded: lower case, no accents).
_ALIASES: dict[str, dict[str, str]] = {
    "gender": {
        "f": "female",
        "nainen": "female",
        "n": "female",
        "m": "male",
        "mies": "male",
        "muu": "other",
    },
    "background": {
        "kantasuomalainen": "native",
        "finnish": "native",
        "maahanmuuttaja": "immigrant",
    },
    "phase kind": {"tyovalmennus": "coaching", "tyohonvalmennus": "placement"},
    "outcome": {
        "tyopaikka": "employed",
        "tyo": "employed",
        "job": "employed",
        "koulutuspaikka": "education",
        "koulutus": "education",
        "tyokokeilu": "work-trial",
        "pidempi tyokokeilu": "work-trial",
        "palautui": "returned",
        "palautunut": "returned",
        "muu": "other",
    },
    "placement kind": {
        "tyokokeilu": "work-trial",
        "trial": "work-trial",
        "tyosuhde": "job",
        "tyo": "job",
        "oppisopimus": "apprenticeship",
    },
    "activity kind": {
        "tapaaminen": "meeting",
        "tyopaikkakaynti": "workplace",
        "puhelu": "phone",
        "sahkoposti": "email",
        "palautekeskustelu": "feedback",
        "kolmikantakeskustelu": "tripartite",
        "muu": "other",
    },
    "employment form": {
        "toistaiseksi": "permanent",
        "toistaiseksi voimassa oleva": "permanent",
        "maaraaikainen": "fixed-term",
        "muu": "other",
    },
    "channel": {"puhelin": "phone", "sahkoposti": "email", "kaynti": "visit", "tapahtuma": "event"},
    "stage": {
        "kartoitus": "mapping",
        "yhteydenotto": "contact",
        "neuvottelu": "negotiation",
        "paatos": "decision",
        "jalkihoito": "aftercare",
    },
}

_VALUES: dict[str, dict[str, str]] = {
    "gender": GENDER,
    "background": BACKGROUND,
    "phase kind": PHASE_KIND,
    "outcome": OUTCOME,
    "placement kind": PLACEMENT_KIND,
    "activity kind": ACTIVITY_KIND,
    "employment form": EMPLOYMENT_FORM,
    "channel": CONTACT_CHANNEL,
    "stage": CONTACT_STAGE,
}


def fold(text: str) -> str:
    """Lower case without accents and surrounding space: 'Työhönvalmennus ' -> 'tyohonvalmennus'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("_", "-")


def parse(enumeration: str, text: str) -> str:
    """The stored value for `text` in `enumeration`, accepting Finnish names and aliases."""
    values = _VALUES[enumeration]
    key = fold(text)
    if key in values:
        return key
    for value, label in values.items():
        if fold(label) == key:
            return value
    if key in _ALIASES.get(enumeration, {}):
        return _ALIASES[enumeration][key]
    raise InputError(f"unknown {enumeration} '{text}': use one of {'|'.join(values)}")


def label(enumeration: str, value: str | None) -> str:
    """The Finnish name of a stored value ('' for none)."""
    if value is None:
        return ""
    return _VALUES[enumeration].get(value, value)


def values(enumeration: str) -> dict[str, str]:
    """Every stored value of `enumeration` with its Finnish label, in their order."""
    return dict(_VALUES[enumeration])

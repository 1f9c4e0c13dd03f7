"""The enumerations of the domain, their Finnish names and the aliases users may type.

The database checks the stored values too (CHECK constraints in `veto.models`).
"""

from __future__ import annotations

import unicodedata

from veto.errors import InputError
from veto.i18n import NC_

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
SURVEY_KIND = {"start": "alkukartoitus", "end": "loppukartoitus"}
LANGUAGE_LEVEL = {"basic": "välttävä", "good": "hyvä", "excellent": "erinomainen"}
CONTACT_BY = {
    "coach": "työhönvalmentaja asiakkaan puolesta",
    "together": "työhönvalmentaja ja asiakas yhdessä",
    "client": "asiakas itsenäisesti",
}
CONTACT_STAGE = {
    "mapping": "kartoitus",
    "contact": "yhteydenotto",
    "negotiation": "neuvottelu",
    "decision": "päätös",
    "aftercare": "jälkihoito",
}
# ESF+ participant data (issue 8). Labour-market status at entry: exactly one; long-term
# unemployed persons count among the unemployed too (EECO02 includes EECO03).
LABOUR_STATUS = {
    "unemployed": "työtön",
    "long-term-unemployed": "pitkäaikaistyötön",
    "inactive": "työvoiman ulkopuolella",
    "employed": "työllinen, myös yrittäjä",
}
# Highest completed education by ISCED 2011 level groups, as the Annex counts them.
ISCED = {
    "0-2": "enintään perusaste (ISCED 0–2)",
    "3-4": "toinen aste tai toisen asteen jälkeinen (ISCED 3–4)",
    "5-8": "korkea-aste (ISCED 5–8)",
    "unknown": "ei tiedossa",
}
# Entry questions a person may decline to answer; no answer stored (NULL) = not asked.
ENTRY_ANSWER = {"yes": "kyllä", "no": "ei", "not-told": "ei halunnut kertoa"}
# Exit and follow-up answers; NULL = not recorded.
RESULT_ANSWER = {"yes": "kyllä", "no": "ei", "unknown": "ei tiedossa"}
EURA_FORM = {
    "start": "aloitustiedot",
    "end": "lopetustiedot",
    "followup": "6 kk seuranta",
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
        "suomalainen": "native",
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
        "tyopaikka": "job",
        "oppisopimus": "apprenticeship",
    },
    "activity kind": {
        "tapaaminen": "meeting",
        "tyopaikkakaynti": "workplace",
        "puhelu": "phone",
        "sahkoposti": "email",
        "palautekeskustelu": "feedback",
        "kolmikantakeskustelu": "tripartite",
        "kolmikanta": "tripartite",
        "palaute": "feedback",
        "puhelin": "phone",
        "kaynti": "workplace",
        "s-posti": "email",
        "muu": "other",
    },
    "employment form": {
        "toistaiseksi": "permanent",
        "toistaiseksi voimassa oleva": "permanent",
        "maaraaikainen": "fixed-term",
        "muu": "other",
    },
    "survey kind": {
        "alku": "start",
        "alkukartoitus": "start",
        "loppu": "end",
        "loppukartoitus": "end",
    },
    "language level": {
        "valttava": "basic",
        "hyva": "good",
        "erinomainen": "excellent",
        "weak": "basic",
    },
    "contact by": {
        "valmentaja": "coach",
        "tyohonvalmentaja": "coach",
        "yhdessa": "together",
        "asiakas": "client",
        "itsenaisesti": "client",
        "alone": "client",
    },
    "channel": {
        "puhelin": "phone",
        "puhelu": "phone",
        "sahkoposti": "email",
        "s-posti": "email",
        "kaynti": "visit",
        "tyopaikkakaynti": "visit",
        "tapahtuma": "event",
    },
    "stage": {
        "kartoitus": "mapping",
        "yhteydenotto": "contact",
        "neuvottelu": "negotiation",
        "paatos": "decision",
        "jalkihoito": "aftercare",
    },
    "labour-market status": {
        "tyoton": "unemployed",
        "long-term": "long-term-unemployed",
        "long-term unemployed": "long-term-unemployed",
        "ltu": "long-term-unemployed",
        "pitkaaikaistyoton": "long-term-unemployed",
        "tyovoiman ulkopuolella": "inactive",
        "ulkopuolella": "inactive",
        "tyollinen": "employed",
        "tyossa": "employed",
        "self-employed": "employed",
        "yrittaja": "employed",
    },
    "education level": {
        **{str(n): "0-2" for n in range(3)},
        **{str(n): "3-4" for n in (3, 4)},
        **{str(n): "5-8" for n in range(5, 9)},
        "0–2": "0-2",
        "3–4": "3-4",
        "5–8": "5-8",
        "isced-0-2": "0-2",
        "isced-3-4": "3-4",
        "isced-5-8": "5-8",
        "perusaste": "0-2",
        "toinen aste": "3-4",
        "korkea-aste": "5-8",
        "ei tiedossa": "unknown",
        "eos": "unknown",
    },
    "entry answer": {
        "kylla": "yes",
        "k": "yes",
        "y": "yes",
        "n": "no",
        "not told": "not-told",
        "ei kerro": "not-told",
        "ei halua kertoa": "not-told",
        "declined": "not-told",
    },
    "result answer": {
        "kylla": "yes",
        "k": "yes",
        "y": "yes",
        "n": "no",
        "ei tiedossa": "unknown",
        "eos": "unknown",
        "en tieda": "unknown",
    },
    "EURA form": {
        "aloitus": "start",
        "aloitustiedot": "start",
        "lopetus": "end",
        "lopetustiedot": "end",
        "seuranta": "followup",
        "follow-up": "followup",
    },
}

# The names of the enumerations, for error lines (context "enumeration").
NAMES = (
    NC_("enumeration", "gender"),
    NC_("enumeration", "background"),
    NC_("enumeration", "phase kind"),
    NC_("enumeration", "outcome"),
    NC_("enumeration", "placement kind"),
    NC_("enumeration", "activity kind"),
    NC_("enumeration", "employment form"),
    NC_("enumeration", "channel"),
    NC_("enumeration", "survey kind"),
    NC_("enumeration", "language level"),
    NC_("enumeration", "contact by"),
    NC_("enumeration", "stage"),
    NC_("enumeration", "labour-market status"),
    NC_("enumeration", "education level"),
    NC_("enumeration", "entry answer"),
    NC_("enumeration", "result answer"),
    NC_("enumeration", "EURA form"),
)

_VALUES: dict[str, dict[str, str]] = {
    "gender": GENDER,
    "background": BACKGROUND,
    "phase kind": PHASE_KIND,
    "outcome": OUTCOME,
    "placement kind": PLACEMENT_KIND,
    "activity kind": ACTIVITY_KIND,
    "employment form": EMPLOYMENT_FORM,
    "channel": CONTACT_CHANNEL,
    "survey kind": SURVEY_KIND,
    "language level": LANGUAGE_LEVEL,
    "contact by": CONTACT_BY,
    "stage": CONTACT_STAGE,
    "labour-market status": LABOUR_STATUS,
    "education level": ISCED,
    "entry answer": ENTRY_ANSWER,
    "result answer": RESULT_ANSWER,
    "EURA form": EURA_FORM,
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
    from veto.i18n import _, language, pgettext

    # A Finnish reader is offered the Finnish names; an English one the stored values.
    accepted = values.values() if language() == "fi" else values
    message = _("unknown {enumeration} '{text}': use one of {accepted}")
    raise InputError(
        message.format(
            enumeration=pgettext("enumeration", enumeration),
            text=text,
            accepted="|".join(accepted),
        )
    )


def choices(enumeration: str) -> str:
    """Every word `parse` accepts for `enumeration`, for --help: each stored value with its
    Finnish name and other spellings, 'phone (puhelin, puhelu) | email (sähköposti) | ...'.
    Accents may be left out of any of them."""
    aliases = _ALIASES.get(enumeration, {})
    parts = []
    for value, name in _VALUES[enumeration].items():
        words = [] if fold(name) == value else [name]
        seen = {value, fold(name)}
        for alias, target in aliases.items():
            if target == value and alias not in seen:
                words.append(alias)
                seen.add(alias)
        parts.append(f"{value} ({', '.join(words)})" if words else value)
    return " | ".join(parts)


def values(enumeration: str) -> list[str]:
    """The stored values of an enumeration, in their order."""
    return list(_VALUES[enumeration])


def label(enumeration: str, value: str | None) -> str:
    """The Finnish name of a stored value ('' for none)."""
    if value is None:
        return ""
    return _VALUES[enumeration].get(value, value)


def labels(enumeration: str) -> dict[str, str]:
    """Every stored value of `enumeration` with its Finnish label, in their order."""
    return dict(_VALUES[enumeration])

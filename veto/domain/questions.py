"""The questions of the two client forms, defined once: the Työhönvalmennuksen kartoitus (appendix
2, twelve question groups) and the Työnhakusuunnitelma ja -sopimus (appendix 3).

Everything that asks, checks, stores, shows or prints these answers reads this module: the
terminal prompts, the `--from FILE` keys, the `show` views and the printed forms. A question
marked `sensitive` (health, medication, substance use, criminal record, identity, what the coach
must not tell employers) is kept in its own column, left out of default views and never reaches
a document meant for an employer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from veto import vocabulary
from veto.domain.dates import finnish, parse_date
from veto.domain.inputs import parse_yes_no
from veto.domain.wording import choices
from veto.errors import InputError
from veto.i18n import _

TEXT, LEVEL, CHOICE, YES_NO, DATE, LIST = "text", "level", "choice", "yes-no", "date", "list"


@dataclass(frozen=True)
class Question:
    """One answer on a form: its key in files and the store, its Finnish text, its kind."""

    key: str
    text: str
    kind: str = TEXT
    sensitive: bool = False
    vocabulary: str | None = None
    items: int = 0
    choices: str = ""

    @property
    def hint(self) -> str:
        """What may be typed, shown after the question at the terminal."""
        if self.choices:
            return self.choices
        if self.vocabulary:
            names = vocabulary.values(self.vocabulary)
            return "/".join(vocabulary.label(self.vocabulary, v) for v in names)
        if self.kind == YES_NO:
            return "kyllä/ei"
        if self.kind == DATE:
            return "esim. 1.8.2024"
        return ""


@dataclass(frozen=True)
class Group:
    """A numbered question group of the kartoitus."""

    number: int
    title: str
    questions: tuple[Question, ...]

    @property
    def single(self) -> bool:
        """A group that is one question whose text is the group's title (groups 1–5)."""
        return len(self.questions) == 1 and self.questions[0].text == self.title


def _one(number: int, key: str, text: str) -> Group:
    return Group(number, text, (Question(key, text),))


def _sensitive(key: str, text: str) -> Question:
    return Question(key, text, sensitive=True)


def _level(key: str, text: str) -> Question:
    return Question(key, text, kind=LEVEL, vocabulary="language level")


SURVEY_GROUPS: tuple[Group, ...] = (
    _one(1, "worries", "Huolestuttaako sinua jokin työnteon aloittamiseen liittyen?"),
    _one(2, "work_time", "Haluatko mieluummin kokoaika- / osa-aika- vai keikkatyön?"),
    _one(3, "commute", "Miten kaukana kotoasi työpaikka voi sijaita? Millä liikut?"),
    _one(4, "permits", "Onko sinulla työn kannalta olennaisia lupia, passeja tai kortteja?"),
    _one(5, "it_skills", "Mikä on IT-taitosi ja miten sinut tavoittaa?"),
    Group(
        6,
        "Fyysinen terveys",
        (
            _sensitive(
                "physical_health",
                "Miten kuvailisit fyysistä terveyttäsi? "
                "Onko sinulla fyysiseen terveyteen liittyviä huolia?",
            ),
            _sensitive("physical_effect", "Vaikuttaako joku työntekoon?"),
        ),
    ),
    Group(
        7,
        "Mielenterveys",
        (
            _sensitive("mental_health", "Onko sinulla mielenterveyden kanssa haasteita?"),
            _sensitive("medication", "Onko sinulla lääkitys? Miten ne sinuun vaikuttavat?"),
        ),
    ),
    Group(
        8,
        "Kognitiivinen terveys",
        (
            _sensitive("memory", "Miten muistisi toimii?"),
            _sensitive("concentration", "Millainen keskittymiskykysi on?"),
            _sensitive("speed", "Tuottaako asioiden tekeminen nopeasti sinulle ongelmia?"),
        ),
    ),
    Group(
        9,
        "Sosiaalinen kanssakäyminen",
        (
            Question(
                "social_work",
                "Pitäisitkö työstä, johon kuuluisi asiakaspalvelua tai sosiaalista kanssakäymistä?",
            ),
            Question(
                "support_network",
                "Onko työhönvalmentajan lisäksi lähipiirissäsi joku, joka voi tukea sinua "
                "työnhakuun ja -tekoon liittyvissä asioissa?",
            ),
        ),
    ),
    Group(
        10,
        "Nautintoaineet, rahapelaaminen ja rikostausta",
        (
            _sensitive("alcohol", "Käytätkö alkoholia, missä määrin?"),
            _sensitive("nicotine", "Käytätkö nikotiinivalmisteita, missä määrin?"),
            _sensitive("drugs", "Käytätkö huumaavia aineita, missä määrin?"),
            _sensitive("gambling", "Pelaatko rahapelejä?"),
            _sensitive(
                "criminal_record", "Onko sinut joskus tuomittu rikoksesta? Mikä rikos ja milloin?"
            ),
        ),
    ),
    Group(
        11,
        "Päivärytmi",
        (
            Question("daily_rhythm", "Minkälainen on päivärytmisi?"),
            Question("sleep", "Unen laatusi?"),
            Question(
                "community",
                "Osallistutko jonkun yhteisön toimintaan? "
                "(urheiluseura, harrastusryhmä, järjestö, kirkko, kerho)",
            ),
        ),
    ),
    Group(
        12,
        "Kielitaito",
        (
            Question("mother_tongue", "Äidinkieli"),
            _level("finnish", "Suomi"),
            _level("english", "Englanti"),
            Question("other_language", "Muu kieli, mikä?"),
            _level("other_language_level", "Muun kielen taito"),
        ),
    ),
)

SURVEY_QUESTIONS: tuple[Question, ...] = tuple(q for g in SURVEY_GROUPS for q in g.questions)

PLAN_QUESTIONS: tuple[Question, ...] = (
    Question("wishes", "Toiveet työn suhteen (listaa tärkeysjärjestyksessä)", LIST, items=5),
    Question(
        "contact_by",
        "Kuka on yhteydessä työnantajiin?",
        CHOICE,
        vocabulary="contact by",
        choices="valmentaja = työhönvalmentaja asiakkaan puolesta / yhdessä / asiakas itse",
    ),
    Question("workplaces", "Mihin työpaikkoihin ollaan yhteydessä?", LIST, items=5),
    Question(
        "strengths",
        "Mitä osaamista, vahvuuksia, kokemusta asiakkaalla on, joita kyseisissä työpaikoissa "
        "voi käyttää?",
    ),
    Question("skills", "Mitä osaamista asiakas voi vahvistaa edistääkseen työllistymistään?"),
    Question("coaching_wishes", "Mitä toiveita sinulla on valmennuksen suhteen?"),
    _sensitive(
        "identity",
        "Toivotko, että valmennuksessa ja/tai työpaikalla otetaan huomioon jokin "
        "identiteettiisi liittyvä asia?",
    ),
    _sensitive(
        "must_not_tell",
        "Onko joitain asioita, joita ET halua työhönvalmentajan kertovan mahdollisille "
        "työnantajille?",
    ),
    Question(
        "supervisor_contact",
        "Saako työhönvalmentaja olla suorassa yhteydessä esihenkilöön ja työnantajaan "
        "asiakasprosessin aikana?",
        YES_NO,
    ),
    Question("signed_on", "Allekirjoituspäivä", DATE),
    Question("place", "Allekirjoituspaikka"),
)

# The plan form asks who contacts employers as three questions; `contact_by` answers them.
CONTACT_QUESTIONS: dict[str, str] = {
    "coach": "Onko työhönvalmentaja yhteydessä työnantajiin asiakkaan puolesta?",
    "together": "Hakevatko työhönvalmentaja ja asiakas töitä yhdessä?",
    "client": "Aikooko asiakas hakea töitä itsenäisesti?",
}


def by_key(questions: tuple[Question, ...]) -> dict[str, Question]:
    return {q.key: q for q in questions}


def check_keys(data: dict[str, Any], questions: tuple[Question, ...], *, source: str) -> None:
    """Refuse a key that names no question, listing the accepted ones."""
    known = by_key(questions)
    for key in data:
        if key not in known:
            raise InputError(
                _("unknown key '{key}' in {source}: accepted keys are {keys}").format(
                    key=key, source=source, keys=", ".join(known)
                )
            )


def parse_answer(question: Question, raw: Any, *, source: str | None = None) -> Any:
    """The stored value of an answer as typed or read from a file; None for a skipped one."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if source:
        what = _("answer to '{key}' in {source}").format(key=question.key, source=source)
    else:
        what = _("answer to '{key}'").format(key=question.key)
    if question.kind == LIST:
        items = [raw] if isinstance(raw, (str, int, float)) else raw
        if not isinstance(items, list):
            raise InputError(
                _("invalid {what}: give a list of at most {most} texts").format(
                    what=what, most=question.items
                )
            )
        texts = [_text(item, what) for item in items]
        texts = [t for t in texts if t]
        if len(texts) > question.items:
            raise InputError(
                _("invalid {what}: at most {most} items, got {count}").format(
                    what=what, most=question.items, count=len(texts)
                )
            )
        return texts or None
    if question.kind == YES_NO:
        return parse_yes_no(raw if isinstance(raw, bool) else _text(raw, what), what=what)
    if question.kind == DATE:
        return parse_date(raw if isinstance(raw, date) else _text(raw, what), what=what)
    text = _text(raw, what)
    if question.vocabulary:
        try:
            return vocabulary.parse(question.vocabulary, text)
        except InputError:
            accepted = choices(question.vocabulary)
            raise InputError(
                _("invalid {what} '{text}': use one of {accepted} ({hint})").format(
                    what=what, text=text, accepted=accepted, hint=question.hint
                )
            ) from None
    return text


def _text(raw: Any, what: str) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float, date)):
        raise InputError(
            _("invalid {what}: give text, not {type}").format(what=what, type=type(raw).__name__)
        )
    return str(raw).strip()


def one_line(question: Question, value: Any) -> str | None:
    """An answer as one line of Finnish text for a table: lists as '1. a; 2. b'."""
    shown = display(question, value)
    if isinstance(shown, list):
        return "; ".join(f"{n}. {item}" for n, item in enumerate(shown, 1))
    return shown


def display(question: Question, value: Any) -> str | list[str] | None:
    """How a stored answer reads to a Finnish reader; None when there is none."""
    if value is None or value == "" or value == []:
        return None
    if question.kind == LIST:
        return list(value)
    if question.kind == YES_NO:
        return "kyllä" if value else "ei"
    if question.kind == DATE:
        return finnish(value if isinstance(value, date) else parse_date(value))
    if question.vocabulary:
        return vocabulary.label(question.vocabulary, value)
    return str(value)


def parse_answers(
    data: dict[str, Any], questions: tuple[Question, ...], *, source: str
) -> dict[str, Any]:
    """Every answer of a mapping checked and parsed; a None value means 'clear this answer'."""
    if not isinstance(data, dict):
        raise InputError(
            _("{source} must be a mapping of question keys to answers").format(source=source)
        )
    check_keys(data, questions, source=source)
    known = by_key(questions)
    return {key: parse_answer(known[key], raw, source=source) for key, raw in data.items()}

"""The domain's refusals in Finnish: a coach whose language is Finnish reads every error of the
domain layer (veto/domain) in Finnish, its enumeration values by their Finnish names and its
numbers with a decimal comma. Each case runs a real command under VETO_LANG=fi and asserts the
one line on stderr, exit 2 and an unchanged store (`refused`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def store(ok, monkeypatch):
    """A client A0001 in placement since 1.9.2025 with 10 h logged, a coach and an employer;
    then Finnish."""
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    ok("phase", "start", "placement", "A0001", "--on", "1.9.2025")
    ok("activity", "log", "A0001", "--hours", "10", "--on", "2.9.2025")
    ok("coach", "add", "Liisa Esimerkki")
    ok("employer", "add", "Kahvila Esimerkki Oy")
    ok("client", "edit", "A0001", "--coach", "Liisa Esimerkki")
    monkeypatch.setenv("VETO_LANG", "fi")


CASES = [
    # dates
    (
        ("activity", "log", "A0001", "--hours", "1", "--on", "31.2.2025"),
        "mahdoton päivämäärä '31.2.2025': sellaista päivää ei ole; käytä muotoa P.K.VVVV tai "
        "VVVV-KK-PP, esim. 1.8.2024 tai 2024-08-01",
    ),
    (
        ("note", "add", "A0001", "Soitettu", "--on", "eilen"),
        "virheellinen muistiinpanon päivä 'eilen': käytä muotoa P.K.VVVV tai VVVV-KK-PP, esim. "
        "1.8.2024 tai 2024-08-01",
    ),
    (
        ("activity", "log", "A0001", "--hours", "1", "--on", "1.1.1899"),
        "päivämäärä '1.1.1899' on sallitun välin ulkopuolella: päivämäärän on oltava välillä "
        "1.1.1900–31.12.2100",
    ),
    # numbers
    (
        ("activity", "log", "A0001", "--hours", "25", "--on", "3.9.2025"),
        "virheellinen tuntimäärä '25': on oltava välillä 0,01–24",
    ),
    (
        ("activity", "log", "A0001", "--hours", "puoli", "--on", "3.9.2025"),
        "virheellinen tuntimäärä 'puoli': anna luku, esim. 1,5 tai 1.5",
    ),
    # clients
    (
        (
            "client",
            "add",
            "--code",
            "A0001",
            "--name",
            "Toinen Asiakas",
            "--gender",
            "m",
            "--background",
            "native",
        ),
        "asiakastunnus 'A0001' on jo käytössä; valitse toinen",
    ),
    (
        ("client", "edit", "A0001"),
        "ei muutettavaa: anna ainakin yksi valinta, esim. --name tai --coach",
    ),
    # coaches and employers
    (
        ("coach", "add", "Liisa Esimerkki"),
        "valmentaja nimeltä 'Liisa Esimerkki' on jo olemassa (veto coach list)",
    ),
    (
        ("employer", "add", "Kahvila Esimerkki Oy", "--business-id", "0112038-8"),
        "työnantaja nimeltä 'Kahvila Esimerkki Oy' on jo olemassa (veto employer list)",
    ),
    (
        ("employer", "add", "Leipomo Oy", "--business-id", "0112038-8"),
        "virheellinen Y-tunnus '0112038-8': tarkistusnumero ei täsmää; Y-tunnus on 7 numeroa, "
        "yhdysmerkki ja tarkistusnumero, esim. 0112038-9",
    ),
    # notes, contacts, plans, surveys
    (
        ("note", "add", "A0001", "Soitettu", "--on", "1.1.2099"),
        "muistiinpanoa ei voi merkitä tulevalle päivälle (1.1.2099)",
    ),
    (
        (
            "contact",
            "log",
            "1",
            "--channel",
            "puhelu",
            "--stage",
            "neuvottelu",
            "--on",
            "3.9.2025",
            "--next",
            "2.9.2025",
        ),
        "seuranta (2.9.2025) ei voi olla ennen yhteydenottoa (3.9.2025); anna --next samalle tai "
        "myöhemmälle päivälle kuin --on",
    ),
    (
        ("contact", "edit", "99", "--stage", "sopimus"),
        "tuntematon yhteydenotto '99': anna yhteydenoton numero (veto contact list)",
    ),
    (
        ("plan", "show", "99"),
        "tuntematon suunnitelma '99': anna suunnitelman numero (veto plan list ASIAKAS)",
    ),
    (("contact", "due", "--within", "9999"), "virheellinen --within 9999: anna 0–3660 päivää"),
    # the timeline rule, workflow and the ESF+ data
    (
        ("activity", "log", "A0001", "--hours", "1", "--on", "31.8.2025"),
        "uusi tuntikirjaus on päivätty 31.8.2025, ennen kuin asiakkaan A0001 ensimmäinen vaihe "
        "alkaa (1.9.2025): hyväksytään: 1.9.2025 tai myöhemmin, tai vaihe, joka alkaa 31.8.2025 "
        "tai aiemmin",
    ),
    (
        ("phase", "start", "placement", "A0001", "--on", "3.9.2025"),
        "asiakkaalla A0001 on jo avoin vaihe työhönvalmennus 1.9.2025 alkaen: päätä se ensin "
        "(veto phase end A0001)",
    ),
    (("client", "reopen", "A0001"), "asiakas A0001 ei ole päättynyt: ei avattavaa"),
    (
        ("esf", "exit", "A0001", "--employed", "yes"),
        "asiakkaalla A0001 ei ole ESF+-aloitustietoja: ei voi kirjata lopetustietoja; kirjaa ne "
        "ensin (veto esf entry A0001 --status ... --isced ...)",
    ),
    (
        (
            "esf",
            "entry",
            "A0001",
            "--status",
            "unemployed",
            "--isced",
            "3-4",
            "--disability",
            "ehkä",
        ),
        "virheellinen --disability-vastaus 'ehkä': käytä jotakin näistä: kyllä|ei|ei halunnut "
        "kertoa",
    ),
    # removal refused
    (
        ("coach", "remove", "1", "--yes"),
        "valmentaja 1 (Liisa Esimerkki): poisto ei onnistu, koska siihen viitataan (asiakas "
        "A0001); anna asiakkaille toinen valmentaja (veto client edit ASIAKAS --coach VALMENTAJA)",
    ),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_a_domain_refusal_is_finnish(store, refused, args, expected):
    assert refused(*args) == f"Virhe: {expected}"


def test_an_undo_refusal_is_finnish(store, refused, monkeypatch):
    monkeypatch.setenv("VETO_USER", "maija")
    assert refused("undo", "--yes") == (
        "Virhe: ei peruttavaa: 'maija' ei ole muuttanut mitään tässä rekisterissä (veto history "
        "ASIAKAS näyttää, kuka muutti mitä)"
    )


def test_a_placement_refusal_names_its_kind_in_finnish(store, ok, refused):
    ok(
        "placement",
        "add",
        "A0001",
        "--employer",
        "1",
        "--kind",
        "tyokokeilu",
        "--start",
        "2.9.2025",
    )
    assert refused(
        "placement",
        "add",
        "A0001",
        "--employer",
        "1",
        "--kind",
        "work-trial",
        "--start",
        "2.9.2025",
    ) == (
        "Virhe: asiakkaalla A0001 on jo työpaikkajakso 1 (työkokeilu tällä työnantajalla 2.9.2025 "
        "alkaen): hyväksytään: toinen alkupäivä, laji tai työnantaja, tai korjaa se jakso "
        "komennolla veto placement edit 1"
    )

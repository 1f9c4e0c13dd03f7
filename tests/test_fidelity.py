"""`veto report fidelity` against figures worked out by hand.

The period 3.3.–30.3.2025 is exactly four calendar weeks (Mon 3.3. – Sun 30.3.):
week 1 has Anna's three contacts, week 2 none at all, week 3 Anna's e-mail, week 4 Ville's
visit. Outi has no clients and no contacts. Two contacts fall outside the period (2.3. and
31.3.) and one client (A3) started before it.
"""

import json
import re

import pytest

from tests.conftest import refuse as refused

PERIOD = "2025-03-03..2025-03-30"


@pytest.fixture
def store(ok, backend):
    for coach in ("Anna", "Ville", "Outi"):
        ok("coach", "add", coach)
    clients = {"A1": "Anna", "A2": "Anna", "A3": "Anna", "A4": "Anna", "V1": "Ville"}
    for code, coach in clients.items():
        ok("client", "add", "--name", f"Testi {code}", "--gender", "female",
           "--background", "native", "--code", code, "--coach", coach)  # fmt: skip
    ok("phase", "start", "coaching", "A1", "--on", "1.1.2025")
    for code, start in (("A1", "3.3.2025"), ("A2", "10.3.2025"), ("A3", "1.2.2025"),
                        ("A4", "24.3.2025"), ("V1", "5.3.2025")):  # fmt: skip
        ok("phase", "start", "placement", code, "--on", start)
    ok("phase", "end", "V1", "--on", "20.3.2025")
    ok("employer", "add", "Kahvila Aamu Oy", "--sector", "kahvila-ala")
    ok("employer", "add", "Huolto Oy", "--sector", "kiinteistöhuolto")
    agreement = ["--title", "Kahvilatyöntekijä", "--supervisor", "Esimies Esimerkki",
                 "--employment-form", "other"]  # fmt: skip
    ok("placement", "add", "A1", "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
       "--start", "10.3.2025", *agreement, "--hours-per-month", "80")  # fmt: skip
    ok("placement", "add", "A2", "--employer", "Huolto Oy", "--kind", "job",
       "--start", "24.3.2025", "--title", "Huoltomies")  # fmt: skip
    ok("placement", "add", "V1", "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
       "--start", "12.3.2025", *agreement, "--full-time", "yes")  # fmt: skip
    ok("placement", "add", "A3", "--employer", "Kahvila Aamu Oy", "--kind", "job",
       "--start", "15.2.2025")  # fmt: skip
    contacts = [
        ("Anna", "Kahvila Aamu Oy", "visit", "4.3.2025", "A1"),
        ("Anna", "Huolto Oy", "phone", "5.3.2025", None),
        ("Anna", "Huolto Oy", "event", "6.3.2025", None),
        ("Anna", "Huolto Oy", "email", "20.3.2025", "A2"),
        ("Anna", "Kahvila Aamu Oy", "visit", "2.3.2025", "A3"),  # before the period
        ("Anna", "Huolto Oy", "visit", "31.3.2025", None),  # after the period
        ("Ville", "Kahvila Aamu Oy", "visit", "25.3.2025", "V1"),
    ]
    for coach, employer, channel, on, client in contacts:
        about = ["--client", client] if client else []
        ok("contact", "log", employer, "--channel", channel, "--stage", "contact",
           "--on", on, "--coach", coach, *about)  # fmt: skip
    hours = [("A1", "1.1.2025", "2"), ("A1", "5.3.2025", "10"), ("A1", "20.3.2025", "9,5"),
             ("A2", "12.3.2025", "4"), ("V1", "6.3.2025", "6,5")]  # fmt: skip
    for code, on, h in hours:
        ok("activity", "log", code, "--hours", h, "--on", on)


def figures(ok, *args):
    report = json.loads(ok("report", "fidelity", *args, "--format", "json"))
    table = {}
    for row in report["measures"]:
        table.setdefault(row["measure"], {})[row["coach"]] = row["value"]
    return report, table


def test_every_figure_per_coach_and_in_total(ok, store):
    report, table = figures(ok, "--period", PERIOD)
    assert report["period"] == {"start": "2025-03-03", "end": "2025-03-30"}
    assert report["reference_date"] == "2025-03-30"
    assert report["weeks"] == 4
    # coach order is by name: Anna, Outi, Ville; None is the total row
    expected = {
        # on 30.3.: A1, A2, A3, A4 (Anna); V1's placement phase ended 20.3.; 4 / 3 coaches
        "caseload": {"Anna": 4, "Outi": 0, "Ville": 0, None: round(4 / 3, 9)},
        "started": {"Anna": 3, "Outi": 0, "Ville": 1, None: 4},
        # A1 3.3.->4.3. = 1, A2 10.3.->20.3. = 10, V1 5.3.->25.3. = 20; A4 has none yet
        "first_contact_days_mean": {"Anna": 5.5, "Outi": None, "Ville": 20, None: round(31 / 3, 9)},
        "first_contact_days_max": {"Anna": 10, "Outi": None, "Ville": 20, None: 20},
        "without_contact": {"Anna": 1, "Outi": 0, "Ville": 0, None: 1},
        "contacts": {"Anna": 4, "Outi": 0, "Ville": 1, None: 5},
        # 4 weeks; the total is per coach: 5 / 4 / 3
        "contacts_per_week": {"Anna": 1, "Outi": 0, "Ville": 0.25, None: round(5 / 12, 9)},
        "face_to_face_per_week": {"Anna": 0.5, "Outi": 0, "Ville": 0.25, None: 0.25},
        "weeks_without_contacts": {"Anna": 2, "Outi": 4, "Ville": 3, None: 1},
        # A1 10 + 9,5 (the 2 h of coaching before the placement do not count), A2 4, A4 0;
        # V1 6,5; total (19,5 + 4 + 0 + 6,5) / 4
        "hours_mean": {"Anna": round(47 / 6, 9), "Outi": None, "Ville": 6.5, None: 7.5},
        "hours_max": {"Anna": 19.5, "Outi": None, "Ville": 6.5, None: 19.5},
        "over_budget": {"Anna": 1, "Outi": 0, "Ville": 0, None: 1},
        # A3's placement of 15.2. is outside the period
        "placements": {"Anna": 2, "Outi": 0, "Ville": 1, None: 3},
        "agreement_percent": {"Anna": 50, "Outi": None, "Ville": 100, None: round(200 / 3, 9)},
        "employers": {"Anna": 2, "Outi": 0, "Ville": 1, None: 2},
        "sectors": {"Anna": 2, "Outi": 0, "Ville": 1, None: 2},
    }
    assert table == expected


def test_benchmarks_name_their_source_and_say_whether_met(ok, store):
    report, _ = figures(ok, "--period", PERIOD)
    checks = {
        (r["measure"], r["coach"]): (r["ips"], r["plan"])
        for r in report["measures"]
        if r["ips"] or r["plan"]
    }
    met = {"benchmark": "<= 20", "met": True}
    assert checks[("caseload", "Anna")] == (met, {"benchmark": "<= 10", "met": True})
    assert checks[("first_contact_days_mean", "Outi")] == (
        {"benchmark": "<= 30", "met": None},
        None,
    )
    assert checks[("face_to_face_per_week", None)] == ({"benchmark": ">= 6", "met": False}, None)
    assert checks[("hours_max", "Anna")] == (None, {"benchmark": "<= 18", "met": False})
    assert checks[("agreement_percent", "Ville")] == (None, {"benchmark": ">= 100", "met": True})
    assert set(report["sources"]) == {"ips", "plan"}


def test_csv_has_one_row_per_measure_and_coach(ok, store):
    lines = ok("report", "fidelity", "--period", PERIOD, "--format", "csv").splitlines()
    assert lines[0] == "measure,label,coach,value,ips_benchmark,ips_met,plan_benchmark,plan_met"
    assert "caseload,Asiakkaita työhönvalmennuksessa / valmentaja,Anna,4,<= 20,true,<= 10,true" in (
        lines
    )
    label = '"Päiviä aloituksesta 1. työnantajakontaktiin, ka."'
    assert f"first_contact_days_mean,{label},,10.333333333,<= 30,true,," in lines
    assert len(lines) == 1 + 16 * 4


def test_table_is_finnish(ok, store):
    out = ok("report", "fidelity", "--period", PERIOD)
    assert "Työhönvalmennuksen laatu 3.3.2025–30.3.2025 (tilanne 30.3.2025, 4,0 viikkoa)" in out
    cells = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    assert ["Kasvokkain (käynti, tapahtuma) / valmentaja / viikko", "Anna", "0,50",
            "≥ 6: ei täyty"] in cells  # fmt: skip
    assert ["Ville", "0,25", "≥ 6: ei täyty"] in cells
    assert ["Yhteensä", "67 %", "≥ 100 %: ei täyty"] in cells
    assert ["Outi", "–", "≤ 30 pv: ei tietoa"] in cells
    assert out.splitlines()[-1].startswith("Lähteet: IPS-asteikko = IPS fidelity scale")


def test_a_period_without_anything(ok, backend):
    ok("coach", "add", "Outi")
    report, table = figures(ok, "--period", "2024")
    assert report["weeks"] == round(366 / 7, 9)
    assert table["caseload"] == {"Outi": 0, None: 0}
    assert table["weeks_without_contacts"] == {"Outi": 53, None: 53}  # 1.1.2024 is a Monday
    assert table["first_contact_days_mean"] == {"Outi": None, None: None}
    assert table["agreement_percent"] == {"Outi": None, None: None}


def test_bad_period_and_format(store):
    refused("report", "fidelity", "--period", "2025-13", message=None)
    refused("report", "fidelity", "--format", "xml",
            message="unknown format 'xml': use one of table|json|csv|md|html|pdf")  # fmt: skip


def test_clients_and_contacts_without_a_coach_get_their_own_row(ok, backend):
    ok("coach", "add", "Anna")
    ok("client", "add", "--name", "Testi", "--gender", "male", "--background", "immigrant",
       "--code", "X1")  # fmt: skip
    ok("phase", "start", "placement", "X1", "--on", "4.3.2025")
    ok("employer", "add", "Aamu Oy")
    ok("contact", "log", "Aamu Oy", "--channel", "visit", "--stage", "contact",
       "--on", "8.3.2025", "--client", "X1")  # fmt: skip
    _, table = figures(ok, "--period", "2025-03-03..2025-03-16")
    assert table["caseload"] == {"Anna": 0, "(ei valmentajaa)": 1, None: 1}
    assert table["first_contact_days_mean"] == {"Anna": None, "(ei valmentajaa)": 4, None: 4}
    assert table["face_to_face_per_week"] == {"Anna": 0, "(ei valmentajaa)": 0.5, None: 0.5}
    assert table["weeks_without_contacts"] == {"Anna": 2, "(ei valmentajaa)": 1, None: 1}

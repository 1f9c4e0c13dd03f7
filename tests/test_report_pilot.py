"""`veto report pilot`: figures worked out by hand for every edge case of the contract.

The store (invented people), period 2025 = 1.1.2025–31.12.2025, a month = 30.4375 days:

- A (female, native, coach Yksi): coaching 1.1.2025, placement 2.3.2025 (60 d), ended
  employed/IT 1.7.2025 (181 d from 1.1.); two work trials and a job; hours 3 before placement
  (not counted), 4 on the placement day, 6 later. In the cohort, ended.
- B (male, immigrant, coach Yksi): placement 1.1.2025 (the period's first day) without
  coaching, ended education/hoiva-ala 31.12.2025 (the last day; 364 d); one work trial;
  hours 12 + 8 = 20 (over 18). In the cohort, ended.
- C (female, immigrant, coach Kaksi): coaching 1.11.2024, placement 31.12.2025 (425 d); hours
  2 on 31.12.2025, 5 on 5.1.2026 (after the period). In the cohort, open.
- D (male, native, coach Yksi): coaching 1.6.2024, placement 31.12.2024, coaching 15.1.2025,
  placement 1.2.2025, ended 1.3.2025. Not in the 2025 cohort: the first placement was in 2024.
- E (female, native, no coach): coaching 1.2.2025, placement 1.5.2025 (89 d), ended returned
  1.2.2026 (after the period); one work trial; hours 5. In the cohort, not ended in 2025.
- F (male, native, no coach): placement 1.6.2025, ended 1.7.2025, coaching 1.8.2025,
  placement 1.9.2025 (several placements; coaching only after the first), ended other
  1.10.2025 (122 d); hours 9 + 9 = 18 (not over). In the cohort, ended.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import built_once

CONTRACT_KEYS = ["period", "clients", "ended", "durations", "work_trials", "hours"]
EXTRA_KEYS = ["intake", "coaches", "suppress_below", "suppressed"]


def _client(ok, code, name, gender, background, coach=None):
    args = ["client", "add", "--code", code, "--name", name, "--gender", gender]
    args += ["--background", background]
    if coach:
        args += ["--coach", coach]
    assert ok(*args) == code


def _store(ok):
    """The store above in the test's own store (built once per test process and copied)."""
    built_once("report_pilot.store", lambda: _build(ok))


def _build(ok):
    ok("coach", "add", "Valmentaja Yksi")
    ok("coach", "add", "Valmentaja Kaksi")
    ok("employer", "add", "Testipaja Oy")
    _client(ok, "A", "Aino Testinen", "female", "native", "Valmentaja Yksi")
    _client(ok, "B", "Bashir Kokeilu", "male", "immigrant", "Valmentaja Yksi")
    _client(ok, "C", "Cecilia Esimerkki", "female", "immigrant", "Valmentaja Kaksi")
    _client(ok, "D", "Daniel Mallinen", "male", "native", "Valmentaja Yksi")
    _client(ok, "E", "Eeva Kuvitteellinen", "female", "native")
    _client(ok, "F", "Frans Keksitty", "male", "native")

    def trial(code, start, kind="work-trial"):
        ok("placement", "add", code, "--employer", "Testipaja Oy", "--kind", kind, "--start", start)

    def hours(code, amount, on):
        ok("activity", "log", code, "--hours", amount, "--on", on)

    ok("phase", "start", "coaching", "A", "--on", "2025-01-01")
    hours("A", "3", "2025-02-01")
    ok("phase", "start", "placement", "A", "--on", "2.3.2025")
    hours("A", "4", "2025-03-02")
    hours("A", "6", "2025-04-01")
    trial("A", "2025-03-10")
    trial("A", "2025-04-10")
    trial("A", "2025-06-01", kind="job")
    ok("client", "end", "A", "--outcome", "employed", "--field", "IT", "--on", "2025-07-01")

    ok("phase", "start", "placement", "B", "--on", "2025-01-01")
    trial("B", "2025-02-01")
    hours("B", "12", "2025-01-15")
    hours("B", "8", "2025-12-31")
    ok("client", "end", "B", "--outcome", "education", "--field", "hoiva-ala", "--on", "31.12.2025")

    ok("phase", "start", "coaching", "C", "--on", "2024-11-01")
    ok("phase", "start", "placement", "C", "--on", "2025-12-31")
    hours("C", "2", "2025-12-31")
    hours("C", "5", "2026-01-05")

    ok("phase", "start", "coaching", "D", "--on", "2024-06-01")
    ok("phase", "start", "placement", "D", "--on", "2024-12-31")
    ok("phase", "end", "D", "--on", "2025-01-10")
    ok("phase", "start", "coaching", "D", "--on", "2025-01-15")
    ok("phase", "start", "placement", "D", "--on", "2025-02-01")
    ok("client", "end", "D", "--outcome", "returned", "--on", "2025-03-01")

    ok("phase", "start", "coaching", "E", "--on", "2025-02-01")
    ok("phase", "start", "placement", "E", "--on", "2025-05-01")
    trial("E", "2025-06-01")
    hours("E", "5", "2025-06-01")
    ok("client", "end", "E", "--outcome", "returned", "--on", "2026-02-01")

    ok("phase", "start", "placement", "F", "--on", "2025-06-01")
    ok("phase", "end", "F", "--on", "2025-07-01")
    ok("phase", "start", "coaching", "F", "--on", "2025-08-01")
    ok("phase", "start", "placement", "F", "--on", "2025-09-01")
    hours("F", "9", "2025-06-02")
    hours("F", "9", "2025-09-02")
    ok("client", "end", "F", "--outcome", "other", "--on", "2025-10-01")


def _json(ok, *args):
    return json.loads(ok("report", "pilot", "--format", "json", *args))


def _months(days):
    """Days as the JSON's unrounded months (float noise removed, 9 decimals)."""
    return round(days / 30.4375, 9)


def _stats(n, mean, low, high):
    return {"n": n, "mean": mean, "min": low, "max": high}


EMPTY_STATS = _stats(0, None, None, None)


def test_figures_worked_by_hand(ok, backend):
    _store(ok)
    report = _json(ok, "--period", "2025")
    assert list(report) == CONTRACT_KEYS + EXTRA_KEYS
    assert report["period"] == {"start": "2025-01-01", "end": "2025-12-31"}
    assert report["clients"] == {
        "total": 5,
        "by_gender": {"female": 3, "male": 2, "other": 0},
        "by_background": {"native": 3, "immigrant": 2},
    }
    assert report["ended"] == {
        "total": 3,
        "by_outcome": {"employed": 1, "education": 1, "work-trial": 0, "returned": 0, "other": 1},
        "fields": {
            "employed": {"IT": 1},
            "education": {"hoiva-ala": 1},
            "work-trial": {},
            "returned": {},
            "other": {},
        },
    }
    assert report["durations"] == {
        # A 60 d and E 89 d: mean 74.5 d = 2.45 months; F's coaching came after placement.
        # Whole relationship: A 181 d, F 122 d (from F's first phase, the placement).
        "native": {
            "pre_placement": _stats(2, _months(74.5), _months(60), _months(89)),
            "total": _stats(2, _months(151.5), _months(122), _months(181)),
        },
        # B had no coaching; C had 425 d but has not ended; B's relationship 364 d.
        "immigrant": {
            "pre_placement": _stats(1, _months(425), _months(425), _months(425)),
            "total": _stats(1, _months(364), _months(364), _months(364)),
        },
    }
    # E's trial is not counted: E had not ended by the period's end. A's job is not a trial.
    assert report["work_trials"] == {
        "native": {"clients": 1, "trials": 2},
        "immigrant": {"clients": 1, "trials": 1},
    }
    # A 4+6 (not the 3 before placement), B 20, C 2 (not 5 after the period), E 5, F 18.
    assert report["hours"] == {"budget": 18, "total": 55, "mean": 11, "max": 20, "over_budget": 1}
    assert report["coaches"] == {
        "target": 10,
        "by_coach": {"Valmentaja Kaksi": 1, "Valmentaja Yksi": 2},
        "unassigned": 2,
    }
    assert report["suppress_below"] is None and report["suppressed"] == []


def test_intake_by_month_cumulative_against_the_target(ok, backend):
    _store(ok)
    intake = _json(ok, "--period", "2025", "--target", "3")["intake"]
    new = {"2025-01": 1, "2025-03": 1, "2025-05": 1, "2025-06": 1, "2025-12": 1}
    running = 0
    expected = {}
    for month in range(1, 13):
        key = f"2025-{month:02d}"
        running += new.get(key, 0)
        expected[key] = {"new": new.get(key, 0), "cumulative": running}
    assert intake == {"target": 3, "total": 5, "reached_target": "2025-05", "by_month": expected}


def test_a_client_counts_in_the_period_of_the_first_placement(ok, backend):
    _store(ok)
    report = _json(ok, "--period", "2024")
    # Only D: first placement 31.12.2024 (the period's last day); ended 1.3.2025, after it.
    assert report["clients"]["total"] == 1
    assert report["ended"]["total"] == 0
    # 1.6.2024 to 31.12.2024 = 213 days.
    assert report["durations"]["native"]["pre_placement"] == _stats(
        1, _months(213), _months(213), _months(213)
    )
    assert report["durations"]["native"]["total"] == EMPTY_STATS
    assert report["hours"] == {"budget": 18, "total": 0, "mean": 0, "max": 0, "over_budget": 0}


def test_all_time_and_a_date_range(ok, backend):
    _store(ok)
    everything = _json(ok)
    assert everything["period"] == {"start": None, "end": None}
    assert everything["clients"]["total"] == 6
    # With no end, E's end (1.2.2026) and D's count: A, B, D, E, F ended.
    assert everything["ended"]["total"] == 5
    assert everything["ended"]["by_outcome"]["returned"] == 2
    # C's 5 hours on 5.1.2026 count when the period has no end.
    assert everything["hours"]["total"] == 60
    spring = _json(ok, "--period", "2.3.2025..2025-05-01")
    assert spring["clients"]["total"] == 2  # A on the first day, E on the last


def test_empty_store_has_every_key(ok, backend):
    report = _json(ok, "--period", "2024-2025")
    zero_stats = {"pre_placement": EMPTY_STATS, "total": EMPTY_STATS}
    assert report == {
        "period": {"start": "2024-01-01", "end": "2025-12-31"},
        "clients": {
            "total": 0,
            "by_gender": {"female": 0, "male": 0, "other": 0},
            "by_background": {"native": 0, "immigrant": 0},
        },
        "ended": {
            "total": 0,
            "by_outcome": {
                "employed": 0,
                "education": 0,
                "work-trial": 0,
                "returned": 0,
                "other": 0,
            },
            "fields": {
                "employed": {},
                "education": {},
                "work-trial": {},
                "returned": {},
                "other": {},
            },
        },
        "durations": {"native": zero_stats, "immigrant": zero_stats},
        "work_trials": {
            "native": {"clients": 0, "trials": 0},
            "immigrant": {"clients": 0, "trials": 0},
        },
        "hours": {"budget": 18, "total": 0, "mean": None, "max": None, "over_budget": 0},
        "intake": {
            "target": 18,
            "total": 0,
            "reached_target": None,
            "by_month": {
                f"{y}-{m:02d}": {"new": 0, "cumulative": 0}
                for y in (2024, 2025)
                for m in range(1, 13)
            },
        },
        "coaches": {"target": 10, "by_coach": {}, "unassigned": 0},
        "suppress_below": None,
        "suppressed": [],
    }


def test_project_view_uses_the_project_period_and_target(ok):
    report = _json(ok, "--project")
    assert report["period"] == {"start": "2024-02-01", "end": "2027-01-31"}
    assert report["intake"]["target"] == 30
    assert len(report["intake"]["by_month"]) == 36


def test_finnish_table(ok):
    _store(ok)
    out = ok("report", "pilot", "--period", "2025", "--format", "md")
    assert out.startswith("# Työhönvalmennuksen tulokset 1.1.2025–31.12.2025")
    assert (
        "Työhönvalmennusasiakkaita on 5. Naisia heistä on 3 ja miehiä 2. Kantasuomalaisia "
        "asiakkaista on 3 ja maahanmuuttajia 2. Päättyneitä asiakkuuksia on 3, joista työpaikan "
        "saaneita on 1, koulutuspaikan saaneita 1 ja pidempään työkokeiluun menneitä 0. "
        "Työvoimaviranomaiselle palautuneita asiakkaita on 0 ja muulla tavoin päättyneitä 1. "
        "Kantasuomalaisilla asiakkailla työvalmennus ennen työhönvalmennuksen aloittamista kesti "
        "keskimäärin 2,4 kk, vaihdellen 2,0 kuukaudesta 2,9 kuukauteen."
    ) in out
    assert "Työhönvalmennusta annettiin keskimäärin 11,0 h asiakasta kohden" in out
    assert "| naisia | 3 |" in out
    assert "| työpaikka | 1 | IT 1 |" in out
    assert (
        "| kantasuomalaiset | työvalmennus ennen työhönvalmennusta | 2 | 2,4 kk | 2,0–2,9 kk |"
        in out
    )
    assert "| maahanmuuttajat | koko asiakkuus | 1 | 12,0 kk | 12,0–12,0 kk |" in out
    assert "| yhteensä | 55,0 h |" in out
    assert "| budjetin ylittäneitä asiakkaita | 1 |" in out
    assert "| toukokuu 2025 | 1 | 3 | 17 % |" in out
    table = ok("report", "pilot", "--period", "2025")
    assert "Työhönvalmennusasiakkaat" in table
    assert "2,4 kk" in table and "55,0 h" in table


def test_csv_one_row_per_figure(ok):
    _store(ok)
    lines = ok("report", "pilot", "--period", "2025", "--format", "csv").splitlines()
    assert lines[0] == "section,group,measure,value"
    assert "clients,by_gender,female,3" in lines
    assert "durations,native.pre_placement,mean,2.447638604" in lines
    assert "ended,fields.employed,IT,1" in lines
    assert "hours,all,over_budget,1" in lines
    assert "intake,by_month.2025-05,cumulative,3" in lines


def test_html_escapes_user_text(ok):
    ok("coach", "add", "<b>Valmentaja</b>")
    _client(ok, "X", "Xena Kuviteltu", "female", "native", "<b>Valmentaja</b>")
    ok("phase", "start", "placement", "X", "--on", "2025-01-01")
    ok(
        "client",
        "end",
        "X",
        "--outcome",
        "employed",
        "--field",
        "<script>x</script>",
        "--on",
        "2025-02-01",
    )
    html = ok("report", "pilot", "--format", "html")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;Valmentaja&lt;/b&gt;" in html
    md = ok("report", "pilot", "--format", "md")
    assert "\\<script\\>x\\</script\\> 1" in md


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2025-13"], "Error: invalid period '2025-13': use a year"),
        (["--period", "2026-2025"], "Error: invalid period '2026-2025': the end year"),
        (["--format", "xlsx"], "Error: unknown format 'xlsx': use one of table|json|csv|md|html"),
        (["--suppress-below", "1"], "Error: invalid --suppress-below 1: give 2 or more"),
        (["--target", "-1"], "Error: invalid --target -1: give 0 to 100000 clients"),
        (["--project", "--period", "2025"], "Error: give either --project or --period"),
    ],
)
def test_bad_input_exits_2_with_one_line(veto, args, message):
    result = veto("report", "pilot", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_suppression_hides_small_counts_and_what_reveals_them(ok, backend):
    _store(ok)
    report = _json(ok, "--period", "2025", "--suppress-below", "3")
    hidden = set(report["suppressed"])
    assert report["suppress_below"] == 3
    # male 2 is small; female 3 must go too or 5 - 3 gives it away (other is 0, shown).
    assert report["clients"]["by_gender"] == {"female": None, "male": None, "other": 0}
    assert report["clients"]["by_background"] == {"native": None, "immigrant": None}
    # Five months of `<3` new clients adding up to a shown 5 would make each of them 1, so the
    # intake totals go as well, and with them the number of clients.
    assert report["clients"]["total"] is None
    assert report["intake"]["total"] is None
    assert report["intake"]["by_month"]["2025-12"] == {"new": None, "cumulative": None}
    # Every outcome count is 0 or 1: all the non-zero ones are hidden, and with them the total
    # (1 + 1 + 1 = 3 would pin each hidden 1).
    assert report["ended"]["by_outcome"]["work-trial"] == 0
    assert {"ended.by_outcome.employed", "ended.by_outcome.other", "ended.total"} <= hidden
    # 55 h / 11 h = 5 clients: the hours go with the hidden number of clients.
    assert report["hours"] == {
        "budget": 18,
        "total": None,
        "mean": None,
        "max": None,
        "over_budget": None,
    }
    assert {"hours.total", "hours.mean", "hours.max"} <= hidden
    # A hidden group's statistics go with its count.
    assert report["durations"]["immigrant"]["pre_placement"] == _stats(None, None, None, None)
    for path in hidden:
        node = report
        for key in path.split("."):
            node = node[key]
        assert node is None, path
    table = ok("report", "pilot", "--period", "2025", "--suppress-below", "3", "--format", "md")
    # Told apart, the `<3` marks would give counts away (new clients of 1 in January and March
    # are `<3`, and so is the cumulative 2 in March: January must be 1), so all read `x`.
    assert "| miehiä | x |" in table and "| naisia | x |" in table
    assert "<3" not in table.replace("\\<", "<")
    assert table.endswith(
        "x: piilotettu (alle 3 henkilöä, tai luku, josta pieni luku olisi laskettavissa)."
    )

"""veto plan: the job-search plan and agreement, from the terminal or a file; what the client
wants kept from employers stays out of default views."""

from __future__ import annotations

import json
import re

from tests.forms_helpers import dump_store, write_yaml

PLAN = {
    "wishes": ["Kokki", "Tarjoilija"],
    "contact_by": "yhdessä",
    "workplaces": ["Kahvila Aamu Oy"],
    "strengths": "Ruoanlaitto",
    "skills": "Hygieniapassi",
    "coaching_wishes": "Tukea haastatteluun",
    "identity": "Vegaani",
    "must_not_tell": "ADHD-diagnoosi",
    "supervisor_contact": "kyllä",
    "signed_on": "1.8.2024",
    "place": "Seinäjoki",
}


def _client(ok) -> str:
    ok("coach", "add", "Liisa Laine")
    return ok(
        "client", "add", "--name", "Testi Asiakas", "--gender", "male",
        "--background", "immigrant", "--coach", "Liisa Laine",
    )  # fmt: skip


def _answers(ok, plan: str, *extra: str) -> dict:
    shown = json.loads(ok("plan", "show", plan, "-f", "json", *extra))
    return {a["key"]: a["answer"] for a in shown["answers"] if a["answer"] is not None}


def test_a_plan_from_a_file_shown_without_and_with_the_sensitive_answers(ok, veto, tmp_path,
                                                                         backend):  # fmt: skip
    code = _client(ok)
    assert ok("plan", code, "--from", write_yaml(tmp_path / "p.yaml", PLAN), "--on",
              "2024-07-30") == "1"  # fmt: skip
    assert _answers(ok, "1") == {
        "wishes": ["Kokki", "Tarjoilija"],
        "contact_by": "together",
        "workplaces": ["Kahvila Aamu Oy"],
        "strengths": "Ruoanlaitto",
        "skills": "Hygieniapassi",
        "coaching_wishes": "Tukea haastatteluun",
        "supervisor_contact": True,
        "signed_on": "2024-08-01",
        "place": "Seinäjoki",
    }
    table = ok("plan", "show", "1")
    for line in [
        r"wishes +Toiveet työn suhteen \(listaa tärkeysjärjestyksessä\) +1\. Kokki; 2\. Tarjoilija",
        r"contact_by +Kuka on yhteydessä työnantajiin\? +työhönvalmentaja ja asiakas yhdessä",
        r"signed_on +Allekirjoituspäivä +1\.8\.2024",
        r"supervisor_contact +Saako .* +kyllä",
    ]:
        assert re.search(line, table), line
    run = veto("plan", "show", "1")
    assert "ADHD" not in run.stdout and "Vegaani" not in run.stdout
    assert run.stderr == "2 sensitive questions hidden; --sensitive shows them\n"
    full = _answers(ok, "1", "--sensitive")
    assert full["must_not_tell"] == "ADHD-diagnoosi" and full["identity"] == "Vegaani"
    assert json.loads(ok("plan", "list", code, "-f", "json")) == [
        {"id": 1, "drawn_up_on": "2024-07-30", "coach": "Liisa Laine", "signed_on": "2024-08-01"}
    ]


def test_a_plan_at_the_terminal(ok, veto):
    code = _client(ok)
    lines = [
        "Kokki", "Siivooja", "",          # wishes, ended by an empty line
        "valmentaja",                     # contact_by
        "Ravintola Oy", "",               # workplaces
        "Kokemus", "", "", "", "Velat",   # strengths, skills, wishes, identity, must not tell
        "maybe", "ei",                    # supervisor contact: asked again after a bad answer
        "1.8.2024", "Ilmajoki",
    ]  # fmt: skip
    run = veto("plan", code, "--on", "1.8.2024", input="\n".join(lines) + "\n")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "1\n"
    assert "invalid answer to 'supervisor_contact' 'maybe'" in run.stderr
    assert _answers(ok, "1", "--sensitive") == {
        "wishes": ["Kokki", "Siivooja"],
        "contact_by": "coach",
        "workplaces": ["Ravintola Oy"],
        "strengths": "Kokemus",
        "must_not_tell": "Velat",
        "supervisor_contact": False,
        "signed_on": "2024-08-01",
        "place": "Ilmajoki",
    }


def test_edit_and_the_refusals(ok, veto, tmp_path, backend):
    code = _client(ok)
    ok("plan", code, "--from", write_yaml(tmp_path / "p.yaml", PLAN))
    assert ok("plan", "edit", "1", "--from", write_yaml(tmp_path / "e.yaml",
              {"wishes": ["Leipuri"], "must_not_tell": None})) == "1"  # fmt: skip
    answers = _answers(ok, "1", "--sensitive")
    assert answers["wishes"] == ["Leipuri"] and "must_not_tell" not in answers
    before = dump_store()
    for data, message in [
        ({"wishes": [str(n) for n in range(6)]}, "at most 5 items, got 6"),
        ({"contact_by": "naapuri"}, "use one of coach|together|client"),
        ({"signed_on": "eilen"}, "invalid answer to 'signed_on'"),
        ({"supervisor_contact": "ehkä"}, "answer yes or no"),
        ({"diagnosis": "x"}, "unknown key 'diagnosis'"),
    ]:
        run = veto("plan", "edit", "1", "--from", write_yaml(tmp_path / "bad.yaml", data))
        assert run.exit_code == 2, data
        assert message in run.stderr and run.stderr.count("\n") == 1, run.stderr
    run = veto("plan", "show", "7")
    assert run.exit_code == 2 and "unknown plan '7'" in run.stderr
    assert dump_store() == before

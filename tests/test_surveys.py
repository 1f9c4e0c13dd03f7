"""veto survey: the kartoitus taken at the terminal (stdin) or from YAML/JSON, listed, shown
(sensitive answers only on purpose, logged) and corrected."""

from __future__ import annotations

import json
import re

from sqlalchemy import text

from tests.forms_helpers import dump_store, write_yaml
from veto.domain.questions import SURVEY_GROUPS, SURVEY_QUESTIONS


def _client(ok) -> str:
    ok("coach", "add", "Liisa Laine", "--phone", "040 123 4567", "--area", "Seinäjoki")
    return ok(
        "client", "add", "--name", "Testi Asiakas", "--gender", "female",
        "--background", "native", "--coach", "Liisa Laine",
    )  # fmt: skip


def _audit(sensitive: bool) -> list[str]:
    from veto.commands.common import invocation
    from veto.store.database import engine_for

    with engine_for(invocation().location).connect() as conn:
        rows = conn.execute(
            text("SELECT action FROM audit_log WHERE sensitive = :s ORDER BY id"), {"s": sensitive}
        )
        return [r[0] for r in rows]


def test_the_registry_has_twelve_groups_and_marks_the_sensitive_ones():
    assert [g.number for g in SURVEY_GROUPS] == list(range(1, 13))
    sensitive = {q.key for q in SURVEY_QUESTIONS if q.sensitive}
    assert sensitive == {
        "physical_health", "physical_effect", "mental_health", "medication", "memory",
        "concentration", "speed", "alcohol", "nicotine", "drugs", "gambling", "criminal_record",
    }  # fmt: skip
    assert len({q.key for q in SURVEY_QUESTIONS}) == len(SURVEY_QUESTIONS)


def test_taking_a_survey_at_the_terminal(ok, veto, backend):
    code = _client(ok)
    answers = {q.key: "" for q in SURVEY_QUESTIONS}
    answers.update(worries="Jännittää", medication="Melatoniini", finnish="hyvä", english="")
    lines = [answers[q.key] for q in SURVEY_QUESTIONS]
    # A level that is not one of the three is asked again.
    index = [q.key for q in SURVEY_QUESTIONS].index("finnish")
    lines[index:index] = ["sujuva"]
    run = veto("survey", code, "--on", "1.8.2024", input="\n".join(lines) + "\n")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "1\n"
    assert "1. Huolestuttaako sinua jokin työnteon aloittamiseen liittyen?" in run.stderr
    assert "7. Mielenterveys" in run.stderr
    assert "Error: invalid answer to 'finnish' 'sujuva'" in run.stderr
    shown = json.loads(ok("survey", "show", "1", "--format", "json", "--sensitive"))
    given = {a["key"]: a["answer"] for a in shown["answers"] if a["answer"]}
    assert given == {"worries": "Jännittää", "medication": "Melatoniini", "finnish": "good"}
    assert shown["kind"] == "start" and shown["taken_on"] == "2024-08-01"
    assert shown["coach"] == "Liisa Laine"


def test_end_of_input_at_the_terminal_aborts_and_stores_nothing(ok, veto):
    # Nothing answered (Enter skips): no draft to keep (tests/test_drafts.py keeps answers).
    code = _client(ok)
    before = dump_store()
    run = veto("survey", code, input="\n\n")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr.endswith("Error: aborted\n")
    assert dump_store() == before


def test_a_survey_from_yaml_and_json(ok, tmp_path, backend):
    code = _client(ok)
    path = write_yaml(tmp_path / "s.yaml", {"worries": "Ei", "alcohol": "ei", "english": "Hyvä"})
    assert ok("survey", code, "--from", path, "--on", "1.8.2024") == "1"
    (tmp_path / "s.json").write_text(json.dumps({"worries": "Vähemmän", "english": "excellent"}))
    assert ok("survey", "new", code, "--from", str(tmp_path / "s.json"), "--kind", "loppu",
              "--on", "2025-03-01") == "2"  # fmt: skip
    rows = json.loads(ok("survey", "list", code, "--format", "json"))
    assert rows == [
        {"id": 1, "kind": "start", "taken_on": "2024-08-01", "coach": "Liisa Laine"},
        {"id": 2, "kind": "end", "taken_on": "2025-03-01", "coach": "Liisa Laine"},
    ]
    assert ok("survey", "list", code, "--format", "csv") == (
        "id,kind,taken_on,coach\n1,start,2024-08-01,Liisa Laine\n2,end,2025-03-01,Liisa Laine"
    )


def test_an_unknown_key_is_refused_naming_the_accepted_keys(ok, veto, tmp_path):
    code = _client(ok)
    path = write_yaml(tmp_path / "s.yaml", {"worries": "Ei", "diagnosis": "x"})
    before = dump_store()
    run = veto("survey", code, "--from", path)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith(f"Error: unknown key 'diagnosis' in '{path}': accepted keys are ")
    assert "worries, work_time, commute" in run.stderr
    assert run.stderr.count("\n") == 1
    assert dump_store() == before


def test_bad_input_is_refused_with_one_line_and_no_change(ok, veto, tmp_path):
    code = _client(ok)
    (tmp_path / "bad.yaml").write_text("worries: [unclosed\n")
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    level = write_yaml(tmp_path / "level.yaml", {"finnish": "sujuva"})
    nested = write_yaml(tmp_path / "nested.yaml", {"worries": {"a": 1}})
    good = write_yaml(tmp_path / "good.yaml", {"worries": "Ei"})
    before = dump_store()
    cases = {
        (str(tmp_path / "bad.yaml"),): "malformed YAML or JSON in",
        (str(tmp_path / "list.yaml"),): "must hold a mapping of question keys to answers",
        (level,): "invalid answer to 'finnish' in",
        (nested,): "invalid answer to 'worries' in",
        (str(tmp_path / "missing.yaml"),): "cannot read",
    }
    for (path,), message in cases.items():
        run = veto("survey", code, "--from", path)
        assert run.exit_code == 2, path
        assert message in run.stderr and run.stderr.count("\n") == 1, run.stderr
    for args, message in [
        (("survey", "nobody", "--from", good), "unknown client 'nobody'"),
        (("survey", code, "--kind", "middle", "--from", nested), "unknown survey kind 'middle'"),
        (("survey", code, "--on", "31.2.2024"), "impossible survey date '31.2.2024'"),
        (("survey", "show", "99"), "unknown survey '99'"),
        (("survey", "edit", "x", "--kind", "end"), "unknown survey 'x'"),
    ]:
        run = veto(*args)
        assert run.exit_code == 2, args
        assert message in run.stderr, run.stderr
    assert dump_store() == before


def test_show_hides_the_sensitive_answers_unless_asked_and_logs_that_read(ok, veto, tmp_path):
    code = _client(ok)
    path = write_yaml(
        tmp_path / "s.yaml",
        {"worries": "Aamut", "mental_health": "Masennus", "criminal_record": "Ei ole"},
    )
    ok("survey", code, "--from", path, "--on", "1.8.2024")
    run = veto("survey", "show", "1")
    assert run.exit_code == 0
    assert "Aamut" in run.stdout
    assert "Masennus" not in run.stdout and "Ei ole" not in run.stdout
    assert "Onko sinulla mielenterveyden kanssa haasteita?" not in run.stdout
    assert run.stderr == "12 sensitive questions hidden; --sensitive shows them\n"
    reads_before = _audit(True).count("survey.read-sensitive")
    run = veto("survey", "show", "1", "--sensitive")
    assert "Masennus" in run.stdout and "Ei ole" in run.stdout
    assert run.stderr == ""
    assert _audit(True).count("survey.read-sensitive") == reads_before + 1


def test_edit_from_a_file_changes_only_the_given_answers(ok, tmp_path, backend):
    code = _client(ok)
    ok("survey", code, "--from", write_yaml(tmp_path / "a.yaml", {"worries": "Aamut",
       "sleep": "Huono", "alcohol": "Viikonloppuisin"}), "--on", "1.8.2024")  # fmt: skip
    change = write_yaml(tmp_path / "b.yaml", {"sleep": "Parempi", "alcohol": None})
    assert ok("survey", "edit", "1", "--from", change, "--kind", "end") == "1"
    shown = json.loads(ok("survey", "show", "1", "--sensitive", "-f", "json"))
    given = {a["key"]: a["answer"] for a in shown["answers"] if a["answer"]}
    assert given == {"worries": "Aamut", "sleep": "Parempi"}
    assert shown["kind"] == "end"
    assert ok("survey", "edit", "1", "--on", "2.8.2024") == "1"
    assert json.loads(ok("survey", "show", "1", "-f", "json"))["taken_on"] == "2024-08-02"


def test_edit_at_the_terminal_keeps_answers_on_enter_and_clears_on_dash(ok, veto, tmp_path):
    code = _client(ok)
    ok("survey", code, "--from", write_yaml(tmp_path / "a.yaml", {"worries": "Aamut",
       "commute": "Bussi", "english": "good"}))  # fmt: skip
    lines = ["" for _ in SURVEY_QUESTIONS]
    keys = [q.key for q in SURVEY_QUESTIONS]
    lines[keys.index("commute")] = "-"
    lines[keys.index("sleep")] = "Hyvä"
    run = veto("survey", "edit", "1", input="\n".join(lines) + "\n")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "1\n"
    assert "Enter keeps the answer, - clears it" in run.stderr
    assert "1. Huolestuttaako sinua jokin työnteon aloittamiseen liittyen? [Aamut]:" in run.stderr
    shown = json.loads(ok("survey", "show", "1", "-f", "json"))
    given = {a["key"]: a["answer"] for a in shown["answers"] if a["answer"]}
    assert given == {"worries": "Aamut", "sleep": "Hyvä", "english": "good"}
    table = ok("survey", "show", "1")
    assert re.search(r"english +Englanti +hyvä", table)


def test_surveys_go_with_the_client(ok, tmp_path, backend):
    code = _client(ok)
    ok("survey", code, "--from", write_yaml(tmp_path / "a.yaml", {"drugs": "ei"}))
    from veto.commands.common import invocation
    from veto.store.database import engine_for

    with engine_for(invocation().location).begin() as conn:
        conn.execute(text("DELETE FROM client"))
        assert conn.execute(text("SELECT count(*) FROM survey")).scalar() == 0


def test_json_answers_go_back_in_with_from(ok, tmp_path):
    code = _client(ok)
    first = {"worries": "Aamut", "english": "hyvä", "gambling": "Ei"}
    ok("survey", code, "--from", write_yaml(tmp_path / "a.yaml", first), "--on", "1.8.2024")
    shown = json.loads(ok("survey", "show", "1", "--sensitive", "-f", "json"))
    stored = {a["key"]: a["answer"] for a in shown["answers"]}
    (tmp_path / "b.json").write_text(json.dumps(stored), encoding="utf-8")
    ok("survey", code, "--from", str(tmp_path / "b.json"), "--on", "1.8.2024")
    again = json.loads(ok("survey", "show", "2", "--sensitive", "-f", "json"))
    assert again["answers"] == shown["answers"]


def test_an_unknown_coach_is_refused_before_any_question(ok, veto):
    code = _client(ok)
    run = veto("survey", code, "--coach", "Nobody", input="vastaus\n")
    assert run.exit_code == 2
    assert run.stderr == (
        "Error: unknown coach 'Nobody': give a coach id or exact name (veto coach list)\n"
    )

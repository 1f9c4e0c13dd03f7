"""No lost answers (issue 14, item 7): a survey or plan taken at the terminal and interrupted
(Ctrl-C, the end of input, a closed terminal) keeps the answers so far as a draft; the next
`veto survey CLIENT` (`veto plan CLIENT`) offers to continue it, and storing the form removes it.
A draft is no survey: nothing that counts or prints surveys sees it."""

from __future__ import annotations

import builtins
import json
import os
import select
import signal
import sys
import time

import pytest
from sqlalchemy import text

from tests.forms_helpers import dump_store, write_yaml
from veto.domain.questions import PLAN_QUESTIONS, SURVEY_QUESTIONS

KEPT_SURVEY = "\nInterrupted: 2 answers kept as a draft; `veto survey A0001` continues it.\n"
SURVEY_TITLE = "Työhönvalmennuksen kartoitus: A0001 Testi Asiakas"
PLAN_TITLE = "Työnhakusuunnitelma ja -sopimus: A0001 Testi Asiakas"


def _client(ok) -> str:
    ok("coach", "add", "Liisa Laine")
    return ok(
        "client", "add", "--name", "Testi Asiakas", "--gender", "female",
        "--background", "native", "--coach", "Liisa Laine",
    )  # fmt: skip


def _rows(sql: str) -> list[tuple]:
    from veto.commands.common import invocation
    from veto.store.database import engine_for

    with engine_for(invocation().location).connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def _drafts() -> list[tuple]:
    return _rows("SELECT client_id, form, answers FROM capture_draft ORDER BY id")


def _answers_of(answers) -> dict:
    return answers if isinstance(answers, dict) else json.loads(answers)


def _log(action_like: str = "draft.%") -> list[tuple]:
    return _rows(
        "SELECT action, record, sensitive FROM audit_log"
        f" WHERE action LIKE '{action_like}' ORDER BY id"
    )


def _typing(monkeypatch, lines: list[str], stop: BaseException) -> None:
    """The terminal gives `lines` one by one to the form's prompts, then `stop` is raised at the
    next prompt (KeyboardInterrupt: Ctrl-C; EOFError: the end of input)."""
    given = iter(lines)

    def read_line() -> str:
        try:
            return next(given)
        except StopIteration:
            raise stop from None

    # `_read` prints the prompt and reads with `input`: the module's own name goes first.
    monkeypatch.setattr("veto.commands.capture.input", read_line, raising=False)


def _reading_stdin(monkeypatch) -> None:
    """The prompts read the runner's stdin again."""
    monkeypatch.setattr("veto.commands.capture.input", builtins.input)


def _prompt(question) -> str:
    """A question as the form prints it (no default, no group heading)."""
    hint = f" ({question.hint})" if question.hint else ""
    return f"{question.text}{hint}: "


def _survey_lines(**answers: str) -> list[str]:
    return [answers.get(q.key, "") for q in SURVEY_QUESTIONS]


# --- keeping -------------------------------------------------------------------------------


def test_ctrl_c_keeps_the_answers_so_far_as_a_draft(ok, veto, monkeypatch, backend):
    code = _client(ok)
    # Worries and the (sensitive) physical health answered, four skipped, Ctrl-C at the 7th.
    _typing(monkeypatch, ["Jännittää", "", "", "", "", "Selkä"], KeyboardInterrupt())
    run = veto("survey", code)
    assert run.exit_code == 130
    assert run.stdout == ""
    assert run.stderr.startswith(f"{SURVEY_TITLE} (Enter skips the question)\n\n1. ")
    assert run.stderr.endswith(
        f"6. Fyysinen terveys\n{_prompt(SURVEY_QUESTIONS[5])}{_prompt(SURVEY_QUESTIONS[6])}"
        + KEPT_SURVEY
    )
    [(client_id, form, answers)] = _drafts()
    assert form == "survey"
    assert _answers_of(answers) == {"worries": "Jännittää", "physical_health": "Selkä"}
    assert _rows("SELECT COUNT(*) FROM survey") == [(0,)]
    # Its own transaction, logged as a sensitive write (a health answer is in it).
    assert _log() == [("draft.keep", "capture_draft:1", True)]


def test_the_end_of_input_keeps_them_too_with_exit_1(ok, veto, monkeypatch, backend):
    code = _client(ok)
    _typing(monkeypatch, ["Jännittää", "Osa-aika"], EOFError())
    run = veto("survey", code)
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.endswith(
        "3. Miten kaukana kotoasi työpaikka voi sijaita? Millä liikut?: " + KEPT_SURVEY
    )
    [(_, _, answers)] = _drafts()
    assert _answers_of(answers) == {"worries": "Jännittää", "work_time": "Osa-aika"}
    assert _log() == [("draft.keep", "capture_draft:1", False)]


def test_piped_input_that_ends_keeps_a_draft(ok, veto):
    code = _client(ok)
    run = veto("survey", code, input="Jännittää\nOsa-aika\n")
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.endswith(KEPT_SURVEY)
    assert [_answers_of(a) for _, _, a in _drafts()] == [
        {"worries": "Jännittää", "work_time": "Osa-aika"}
    ]


def test_nothing_answered_keeps_nothing(ok, veto, monkeypatch):
    code = _client(ok)
    before = dump_store()
    _typing(monkeypatch, ["", ""], KeyboardInterrupt())
    run = veto("survey", code)
    assert (run.exit_code, run.stdout) == (130, "")
    assert "Interrupted" not in run.stderr
    assert dump_store() == before


def test_the_line_is_finnish_for_a_finnish_coach(ok, veto, monkeypatch):
    code = _client(ok)
    monkeypatch.setenv("VETO_LANG", "fi")
    _typing(monkeypatch, ["Jännittää"], KeyboardInterrupt())
    run = veto("survey", code)
    assert run.exit_code == 130
    assert run.stderr.endswith(
        "\nKeskeytetty: 1 vastaus tallessa luonnoksena; `veto survey A0001` jatkaa siitä.\n"
    )
    _reading_stdin(monkeypatch)
    run = veto("survey", code, input="x\ne\n" + "\n" * len(SURVEY_QUESTIONS))
    assert run.exit_code == 0, run.stderr
    today = time.localtime()
    assert run.stderr.startswith(
        f"Asiakkaan A0001 kartoitus jäi kesken {today.tm_mday}.{today.tm_mon}.{today.tm_year}"
        " (1 vastaus).\n"
        "Jatketaanko? [K/e]: Virhe: virheellinen vastaus 'x': vastaa kyllä tai ei (yes/no)\n"
        f"Jatketaanko? [K/e]: {SURVEY_TITLE} (Enter ohittaa kysymyksen)\n"
    )
    assert _drafts() == []


def test_an_interrupted_plan_with_a_list_and_a_date(ok, veto, monkeypatch, backend):
    code = _client(ok)
    lines = ["Kokki", "", "yhdessä", "", "", "", "", "", "ADHD", "kyllä", "1.8.2024"]
    _typing(monkeypatch, lines, KeyboardInterrupt())
    run = veto("plan", code)
    assert run.exit_code == 130
    wishes, contact_by, workplaces, *rest = PLAN_QUESTIONS
    assert run.stderr == (
        f"{PLAN_TITLE} (Enter skips the question)\n"
        f"{wishes.text}\n  1.:   2.: {_prompt(contact_by)}{workplaces.text}\n  1.: "
        + "".join(_prompt(q) for q in rest)
        + "\nInterrupted: 5 answers kept as a draft; `veto plan A0001` continues it.\n"
    )
    [(_, form, answers)] = _drafts()
    assert form == "plan"
    assert _answers_of(answers) == {
        "wishes": ["Kokki"],
        "contact_by": "together",
        "must_not_tell": "ADHD",
        "supervisor_contact": True,
        "signed_on": "2024-08-01",
    }


# --- continuing ----------------------------------------------------------------------------


def _interrupted_survey(ok, veto, monkeypatch) -> str:
    code = _client(ok)
    _typing(monkeypatch, ["Jännittää", "", "", "", "", "Selkä"], KeyboardInterrupt())
    assert veto("survey", code).exit_code == 130
    _reading_stdin(monkeypatch)
    return code


def _sensitive_survey(ok) -> dict:
    shown = json.loads(ok("survey", "show", "1", "--sensitive", "-f", "json"))
    return {a["key"]: a["answer"] for a in shown["answers"] if a["answer"]}


def test_the_next_survey_offers_to_continue_and_enter_says_yes(ok, veto, monkeypatch, backend):
    code = _interrupted_survey(ok, veto, monkeypatch)
    lines = ["", *_survey_lines(worries="", work_time="Kokoaika")]
    run = veto("survey", code, "--on", "1.8.2024", input="\n".join(lines) + "\n")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == "1\n"
    today = time.localtime()
    assert run.stderr.startswith(
        f"The survey of A0001 was left unfinished on {today.tm_mday}.{today.tm_mon}."
        f"{today.tm_year} (2 answers).\n"
        "Continue it? [Y/n]: "
        f"{SURVEY_TITLE} (Enter keeps the answer, - clears it)\n\n"
        "1. Huolestuttaako sinua jokin työnteon aloittamiseen liittyen? [Jännittää]: \n"
    )
    assert f"6. Fyysinen terveys\n{SURVEY_QUESTIONS[5].text} [Selkä]: " in run.stderr
    assert _sensitive_survey(ok) == {
        "worries": "Jännittää", "work_time": "Kokoaika", "physical_health": "Selkä",
    }  # fmt: skip
    assert _drafts() == []
    assert _log() == [
        ("draft.keep", "capture_draft:1", True),
        ("draft.read", "capture_draft:1", True),
        ("draft.remove", "capture_draft:1", False),
    ]
    assert _rows("SELECT purpose FROM audit_log WHERE action = 'draft.read'") == [("survey draft",)]


def test_saying_no_starts_afresh_and_the_stored_form_removes_the_draft(ok, veto, monkeypatch):
    code = _interrupted_survey(ok, veto, monkeypatch)
    lines = ["kai", "e", *_survey_lines(sleep="Hyvin")]
    run = veto("survey", code, input="\n".join(lines) + "\n")
    assert run.exit_code == 0, run.stderr
    assert (
        "Continue it? [Y/n]: Error: invalid answer 'kai': answer yes or no (kyllä/ei)\n"
        "Continue it? [Y/n]: " + f"{SURVEY_TITLE} (Enter skips the question)\n"
    ) in run.stderr
    assert _sensitive_survey(ok) == {"sleep": "Hyvin"}
    assert _drafts() == []
    assert _log("draft.read") == []


def test_resume_and_no_resume_ask_nothing(ok, veto, monkeypatch):
    code = _interrupted_survey(ok, veto, monkeypatch)
    run = veto("survey", code, "--no-resume", input="\n" * len(SURVEY_QUESTIONS))
    assert run.exit_code == 0, run.stderr
    assert run.stderr.startswith(f"{SURVEY_TITLE} (Enter skips the question)\n")
    assert _sensitive_survey(ok) == {}
    # A draft again, continued with --resume: every kept answer is the default.
    _typing(monkeypatch, ["Jännittää", "", "", "", "", "Selkä"], KeyboardInterrupt())
    assert veto("survey", code).exit_code == 130
    _reading_stdin(monkeypatch)
    run = veto("survey", code, "--resume", input="\n" * len(SURVEY_QUESTIONS))
    assert run.exit_code == 0, run.stderr
    assert run.stderr.startswith(f"{SURVEY_TITLE} (Enter keeps the answer, - clears it)\n")
    assert run.stdout == "2\n"
    shown = json.loads(ok("survey", "show", "2", "--sensitive", "-f", "json"))
    assert {a["key"]: a["answer"] for a in shown["answers"] if a["answer"]} == {
        "worries": "Jännittää", "physical_health": "Selkä",
    }  # fmt: skip
    assert _drafts() == []


def test_interrupted_again_the_draft_keeps_the_answers_not_reached(ok, veto, monkeypatch):
    code = _interrupted_survey(ok, veto, monkeypatch)
    # Continued, the first answer cleared ('-') and the second given; Ctrl-C at the third.
    _typing(monkeypatch, ["-", "Osa-aika"], KeyboardInterrupt())
    run = veto("survey", code, "--resume")
    assert run.exit_code == 130
    assert run.stderr.endswith(KEPT_SURVEY)
    [(_, _, answers)] = _drafts()
    assert _answers_of(answers) == {"work_time": "Osa-aika", "physical_health": "Selkä"}


def test_ctrl_c_or_the_end_at_the_question_leaves_the_draft(ok, veto, monkeypatch):
    code = _interrupted_survey(ok, veto, monkeypatch)
    before = _drafts()
    run = veto("survey", code, input="")
    assert run.exit_code == 1
    assert run.stderr.endswith("Continue it? [Y/n]: Error: aborted\n")
    _typing(monkeypatch, [], KeyboardInterrupt())
    assert veto("survey", code).exit_code == 130
    assert _drafts() == before


def test_a_plan_continues_its_own_draft_only(ok, veto, monkeypatch):
    code = _interrupted_survey(ok, veto, monkeypatch)
    run = veto("plan", code, input="\n" * 20)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.startswith(f"{PLAN_TITLE} (Enter skips the question)\n")
    assert [form for _, form, _ in _drafts()] == ["survey"]
    # A plan's draft, with its date, continued.
    _typing(monkeypatch, ["Kokki", "", "", "", "", "", "", "", "", "", "1.8.2024"], EOFError())
    assert veto("plan", code).exit_code == 1
    _reading_stdin(monkeypatch)
    run = veto("plan", code, "--resume", input="\n" * 20)
    assert run.exit_code == 0, run.stderr
    assert "Allekirjoituspäivä (esim. 1.8.2024) [1.8.2024]: " in run.stderr
    shown = json.loads(ok("plan", "show", "2", "-f", "json"))
    answers = {a["key"]: a["answer"] for a in shown["answers"] if a["answer"]}
    assert answers == {"wishes": ["Kokki"], "signed_on": "2024-08-01"}
    assert [form for _, form, _ in _drafts()] == ["survey"]


def test_from_a_file_leaves_the_draft_and_refuses_resume(ok, veto, monkeypatch, tmp_path,
                                                         refused):  # fmt: skip
    code = _interrupted_survey(ok, veto, monkeypatch)
    path = write_yaml(tmp_path / "s.yaml", {"sleep": "Hyvin"})
    refused("survey", code, "--from", path, "--resume",
            message="--resume continues a form taken at the terminal: drop --from")  # fmt: skip
    assert ok("survey", code, "--from", path, "--no-resume") == "1"
    assert len(_drafts()) == 1


# --- a draft is no survey, but part of the person's record -----------------------------------


def test_a_draft_is_no_survey(ok, veto, monkeypatch, backend):
    code = _client(ok)
    ok("phase", "start", "coaching", code, "--on", "1.3.2024")
    views = [
        ("survey", "list", code, "-f", "json"),
        ("doc", "kartoitus", code, "--format", "md"),
        ("report", "esf", "-f", "json"),
        ("report", "fidelity", "-f", "json"),
        ("today", "--all", "-f", "json"),
    ]
    before = [veto(*args) for args in views]
    _typing(monkeypatch, ["Jännittää", "", "", "", "", "Selkä"], KeyboardInterrupt())
    assert veto("survey", code).exit_code == 130
    assert [veto(*args) for args in views] == before
    assert json.loads(ok("survey", "list", code, "-f", "json")) == []


def test_client_show_names_the_draft_and_hides_its_answers(ok, veto, monkeypatch, backend):
    code = _interrupted_survey(ok, veto, monkeypatch)
    shown = json.loads(ok("client", "show", code, "-f", "json"))
    [draft] = shown["drafts"]
    assert draft["form"] == "survey"
    assert "Selkä" not in json.dumps(shown) and "Jännittää" not in json.dumps(shown)
    table = ok("client", "show", code)
    assert "drafts" in table and "survey" in table and "Selkä" not in table
    monkeypatch.setenv("VETO_LANG", "fi")
    assert "luonnokset" in ok("client", "show", code)
    full = json.loads(ok("client", "show", code, "--sensitive", "-f", "json"))
    assert [(s["source"], s["record"], s["item"], s["value"]) for s in full["sensitive"]] == [
        ("luonnos", "capture_draft:1", SURVEY_QUESTIONS[5].text, "Selkä")
    ]


def test_a_sensitive_draft_answer_is_dated_by_the_coach_s_day(ok, veto, monkeypatch):
    # Kept at 23.30 UTC on 1 March: 01.30 on 2 March in Finland, the day a coach saw.
    from veto.commands.common import invocation
    from veto.store.database import engine_for

    code = _interrupted_survey(ok, veto, monkeypatch)
    with engine_for(invocation().location).begin() as conn:
        conn.execute(text("UPDATE capture_draft SET saved_at = '2026-03-01 23:30:00.000000'"))
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Helsinki"
    time.tzset()
    try:
        full = json.loads(ok("client", "show", code, "--sensitive", "-f", "json"))
    finally:
        if zone is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = zone
        time.tzset()
    assert [(s["source"], s["date"]) for s in full["sensitive"]] == [("luonnos", "2026-03-02")]


def test_export_has_the_draft_and_erase_removes_it(ok, veto, monkeypatch, tmp_path):
    code = _interrupted_survey(ok, veto, monkeypatch)
    out = tmp_path / "export.json"
    ok("client", "export", code, "--out", str(out))
    data = json.loads(out.read_text("utf-8"))
    [draft] = data["records"]["capture_draft"]
    assert (draft["form"], draft["answers"]) == (
        "survey",
        {"worries": "Jännittää", "physical_health": "Selkä"},
    )
    assert ("luonnos", "Selkä") in [(s["source"], s["value"]) for s in data["sensitive"]]
    ok("client", "erase", code, "--yes")
    assert _drafts() == []


# --- a real terminal -----------------------------------------------------------------------


def _spawn(*args: str) -> tuple[int, int]:
    """`python -m veto ARGS` on a new pseudo-terminal: (pid, the terminal's master end)."""
    import pty

    pid, master = pty.fork()
    if pid == 0:  # the child: the terminal is its stdin, stdout and stderr
        os.execv(sys.executable, [sys.executable, "-m", "veto", *args])
    return pid, master


def _read_until(master: int, wanted: str, seconds: float = 20) -> str:
    seen = b""
    deadline = time.monotonic() + seconds
    while wanted.encode() not in seen:
        left = deadline - time.monotonic()
        assert left > 0, seen.decode(errors="replace")
        ready, _, _ = select.select([master], [], [], left)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child has gone: EIO
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode(errors="replace")


def _asleep(pid: int, seconds: float = 20) -> None:
    """Wait until the child sleeps in the kernel: after its prompt, in the read of its terminal.
    A Ctrl-C sent earlier, between the prompt and that read, is noted by Python's signal handler
    but not acted on until a line arrives, so the test would wait for ever (under load, with
    -n 2, it did: 20 s and a failure). A person never types that fast; on a system without
    /proc this waits for nothing."""
    stat = f"/proc/{pid}/stat"
    deadline = time.monotonic() + seconds
    while os.path.exists(stat) and time.monotonic() < deadline:
        with open(stat) as numbers:
            if numbers.read().rpartition(")")[2].split()[0] == "S":
                return
        time.sleep(0.005)


def _status(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs a pseudo-terminal")
def test_ctrl_c_at_a_real_terminal(ok):
    code = _client(ok)
    pid, master = _spawn("survey", code)
    try:
        _read_until(master, "liittyen?: ")
        os.write(master, "Jännittää\r".encode())
        _read_until(master, "keikkatyön?: ")
        _asleep(pid)
        os.write(master, b"\x03")  # the terminal's interrupt character: SIGINT
        rest = _read_until(master, "continues it.\r\n")
        status = _status(pid)
    finally:
        os.close(master)
    assert status == 130
    assert rest.endswith(
        "^C\r\nInterrupted: 1 answer kept as a draft; `veto survey A0001` continues it.\r\n"
    )
    assert [_answers_of(a) for _, _, a in _drafts()] == [{"worries": "Jännittää"}]


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="needs SIGHUP")
def test_a_closed_terminal_keeps_the_answers(ok):
    code = _client(ok)
    pid, master = _spawn("plan", code)
    try:
        _read_until(master, "  1.: ")
        os.write(master, b"Kokki\r")
        _read_until(master, "  2.: ")
    finally:
        os.close(master)  # the terminal window closed: the child gets SIGHUP
    assert _status(pid) == 1
    assert [_answers_of(a) for _, _, a in _drafts()] == [{"wishes": ["Kokki"]}]

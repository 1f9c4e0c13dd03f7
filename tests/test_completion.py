"""Shell completion for bash and zsh (`veto --install-completion`): commands, options,
enumerations in the reader's language and English, client codes and names, coach and employer
names from the store; quoted for the shell; never a failure a Tab press would show."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import TEST_KEY, _command
from veto import vocabulary
from veto.cli import COMMANDS
from veto.completion import takes


def bash(*words: str, env: dict[str, str] | None = None) -> list[str]:
    """What `veto`'s bash completion answers for a command line whose last word (maybe '') is
    being typed, in this process: Typer's protocol, COMP_WORDS joined with newlines as its
    script joins them."""
    protocol = {
        "_VETO_COMPLETE": "complete_bash",
        "COMP_WORDS": "\n".join(["veto", *words]),
        "COMP_CWORD": str(len(words)),
        **(env or {}),
    }
    result = CliRunner().invoke(_command(), [], env=protocol, prog_name="veto")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return [line for line in result.stdout.splitlines() if line]  # no words: an empty line


def zsh(*words: str) -> str:
    protocol = {
        "_VETO_COMPLETE": "complete_zsh",
        "_TYPER_COMPLETE_ARGS": " ".join(["veto", *words]),
    }
    result = CliRunner().invoke(_command(), [], env=protocol, prog_name="veto")
    assert result.exit_code == 0 and result.stderr == ""
    return result.stdout.strip()


def test_commands_options_and_enumerations():
    assert bash("") == list(COMMANDS)  # named without building every command
    assert bash("e") == ["employer", "esf", "export"]
    assert bash("--v") == ["--version"]
    assert zsh("cl").startswith('_arguments \'*: :(("client":"Clients (asiakkaat)')
    assert bash("cl") == ["client"]
    assert bash("client", "s") == ["show"]
    assert bash("client", "add", "--gender", "") == ["female", "male", "other"]
    assert bash("client", "add", "--background", "i") == ["immigrant"]
    assert bash("client", "end", "A0001", "--outcome", "e") == ["education", "employed"]
    assert bash("activity", "log", "A0001", "--kind", "ph") == ["phone"]
    assert bash("placement", "add", "A0001", "--kind", "") == [
        "apprenticeship",
        "job",
        "work-trial",
    ]
    assert bash("phase", "start", "") == ["coaching", "placement"]
    assert bash("contact", "log", "X", "--stage", "n") == ["negotiation"]
    assert bash("doc", "kartoitus", "A0001", "--kind", "") == ["end", "start"]
    assert bash("esf", "done", "A0001", "") == ["end", "followup", "start"]
    assert bash("esf", "entry", "A0001", "--rural", "") == ["no", "not-told", "yes"]
    assert bash("esf", "exit", "A0001", "--employed", "") == ["no", "unknown", "yes"]
    assert bash("client", "list", "--format", "") == ["csv", "json", "table"]
    assert bash("report", "pilot", "--format", "") == ["csv", "html", "json", "md", "pdf", "table"]
    assert bash("client", "add", "--name", "") == []  # free text: bash offers files


def test_a_finnish_reader_is_offered_the_finnish_names_too():
    fi = {"VETO_LANG": "fi"}
    assert bash("client", "end", "A0001", "--outcome", "", env=fi) == [
        "education",
        "employed",
        "koulutuspaikka",
        "muu",
        "other",
        "palautui\\ työvoimaviranomaiselle",
        "pidempi\\ työkokeilu",
        "returned",
        "työpaikka",
        "work-trial",
    ]
    # accents and case may be left out, as the commands accept them
    assert bash("activity", "log", "A0001", "--kind", "tyo", env=fi) == ["työpaikkakäynti"]
    assert bash("phase", "start", "Ty", env=fi) == ["työhönvalmennus", "työvalmennus"]
    assert bash("client", "add", "--gender", "", env=fi) == [
        "female",
        "male",
        "mies",
        "muu",
        "nainen",
        "other",
    ]


def _people(ok):
    ok("coach", "add", "Liisa Laine")
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native")
    ok("client", "add", "--name", "Matti Meikäläinen", "--gender", "m", "--background", "native")


def test_names_from_the_store_quoted_for_bash_and_zsh(ok, backend):
    _people(ok)
    assert bash("client", "show", "") == [
        "A0001",
        "A0002",
        "Aino\\ Esimerkki",
        "Matti\\ Meikäläinen",
    ]
    assert bash("client", "show", "ma") == ["Matti\\ Meikäläinen"]
    assert bash("client", "show", "Matti\\ M") == ["Matti\\ Meikäläinen"]
    # after an opening quote the name goes inside it (bash closes the quote)
    assert bash("client", "show", "'Matti M") == ["Matti Meikäläinen"]
    assert bash("client", "show", '"Aino') == ["Aino Esimerkki"]
    assert bash("activity", "log", "A0001", "--coach", "") == ["Liisa\\ Laine"]
    assert bash("placement", "add", "A0001", "--employer", "K") == ["Kahvila\\ Aamu\\ Oy"]
    assert bash("contact", "list", "--client", "A") == ["A0001", "A0002", "Aino\\ Esimerkki"]
    # `veto survey CLIENT` and `veto plan CLIENT`: a client in place of a subcommand
    assert bash("survey", "A") == ["A0001", "A0002", "Aino\\ Esimerkki"]
    assert bash("plan", "") == ["new", "edit", "remove", "list", "show"] + bash(
        "client", "show", ""
    )
    assert zsh("client", "show", "Ma") == "_arguments '*: :((\"Matti Meikäläinen\"))'"
    assert zsh("employer", "show", "") == "_arguments '*: :((\"Kahvila Aamu Oy\"))'"
    assert zsh("client", "add", "--coach", "Nobody") == "_files"
    # the read of the names is logged, as `veto shell` logs it; enumerations read no store
    bash("client", "add", "--gender", "")
    log = json.loads(ok("audit", "-f", "json"))
    reads = [r["record"] for r in log if r["action"] == "shell.complete"]
    assert reads == ["clients:2"] * 14  # one a Tab press that needs names


def test_no_store_an_unreadable_one_or_no_key_gives_no_names(ok, private_store, monkeypatch):
    assert bash("client", "show", "") == []
    assert not private_store.exists()  # a Tab press creates no store
    assert bash("client", "show", "", env={"VETO_DB": str(private_store.parent)}) == []
    private_store.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    assert bash("client", "show", "") == []
    private_store.unlink()
    from veto.store.cipher import create_encrypted

    create_encrypted(private_store, TEST_KEY)
    monkeypatch.setenv("VETO_KEY", TEST_KEY)
    _people(ok)
    monkeypatch.delenv("VETO_KEY")
    from veto.store.cipher import forget_keys

    forget_keys()
    assert bash("employer", "show", "") == []  # no key: no names, no prompt
    assert bash("employer", "show", "", env={"VETO_KEY": TEST_KEY}) == ["Kahvila\\ Aamu\\ Oy"]


def test_every_enumeration_option_is_completed():
    """Every parameter whose help lists an enumeration's words (`vocabulary.choices`) completes
    them: a new option with such a help needs no other change, or this says which to map."""
    root = _command()
    enumerations = dict.fromkeys(vocabulary.NAMES)
    helps = {vocabulary.choices(e): e for e in enumerations}
    missing, checked = [], []

    def walk(command, path):
        for param in command.params:
            for listed, enumeration in helps.items():
                if listed in (getattr(param, "help", None) or ""):
                    checked.append(param)
                    if takes(param, path) != ("enumeration", enumeration):
                        missing.append((" ".join(path), param.name, enumeration))
        for name in getattr(command, "commands", {}):
            walk(command.commands[name], [*path, name])

    walk(root, [])
    assert missing == []
    assert len(checked) >= 20


# --- real processes (slow): a Tab press as bash runs it, its time, and real shells


def _tab_press_env(tmp_path: Path) -> dict[str, str]:
    folder = Path(__file__).resolve().parent.parent
    return {**os.environ, "PYTHONPATH": str(folder)}


def test_a_tab_press_is_a_quick_process_without_sqlalchemy(ok, tmp_path, private_store):
    _people(ok)
    code = (
        "import sys\nfrom veto.cli import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)"
    )
    env = {
        **_tab_press_env(tmp_path),
        "_VETO_COMPLETE": "complete_bash",
        "COMP_WORDS": "veto\nclient\nshow\nA",
        "COMP_CWORD": "3",
    }
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    took = time.perf_counter() - start
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["A0001", "A0002", "Aino\\ Esimerkki"]
    imported = set(done.stderr.split())
    assert "sqlalchemy" not in imported and "sqlmodel" not in imported
    assert took < 2.0  # about 0.25 s on the development machine


def _spawn(shell: list[str], tmp_path: Path, setup: str):
    pexpect = pytest.importorskip("pexpect")
    if shutil.which(shell[0]) is None:
        pytest.skip(f"no {shell[0]}")
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    launcher = bin_folder / "veto"
    launcher.write_text(f'#!/bin/sh\nexec {sys.executable} -m veto "$@"\n')
    launcher.chmod(0o700)
    env = {
        **_tab_press_env(tmp_path),
        "PATH": f"{bin_folder}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "PS1": "$ ",
        "TERM": "dumb",
        "INPUTRC": "/dev/null",
    }
    child = pexpect.spawn(
        shell[0], shell[1:], env=env, cwd=str(tmp_path), encoding="utf-8", timeout=20
    )
    child.sendline(f"{setup}; echo READY")
    child.expect_exact("READY\r\n")
    return child


def _typed(child, line: str) -> str:
    """Type `line`, press Tab, and run what the line became as `printf '[%s]' WORDS...`:
    each word as the shell parsed it, in brackets."""
    child.send(line + "\t")
    # No wait for the Tab press's own process: the shell reads the keys after it from the
    # terminal's queue once the completion is done, as it does for a fast typist.
    child.send("\x01printf '[%s]' \r")
    child.expect(r"\r\n(\[[^\r\n]*\])")
    return child.match.group(1)


def _script(shell: str, tmp_path: Path) -> Path:
    env = {**_tab_press_env(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "veto", "--show-completion", shell],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=True,
    )
    script = tmp_path / f"veto.{shell}"
    script.write_text(done.stdout)
    return script


def test_in_a_real_bash(ok, tmp_path):
    _people(ok)
    script = _script("bash", tmp_path)
    child = _spawn(["bash", "--norc", "--noprofile", "-i"], tmp_path, f"source {script}")
    assert _typed(child, "veto client show Mat") == "[veto][client][show][Matti Meikäläinen]"
    assert _typed(child, "veto client show 'Matti M") == "[veto][client][show][Matti Meikäläinen]"
    assert _typed(child, "veto activity log A0001 --coach Li") == (
        "[veto][activity][log][A0001][--coach][Liisa Laine]"
    )
    assert _typed(child, "veto placement add A0001 --employer Kah") == (
        "[veto][placement][add][A0001][--employer][Kahvila Aamu Oy]"
    )
    assert _typed(child, "veto cli") == "[veto][client]"
    child.sendline("export VETO_LANG=fi")
    assert _typed(child, "veto client end A0001 --outcome pid") == (
        "[veto][client][end][A0001][--outcome][pidempi työkokeilu]"
    )
    child.sendline("exit")


def test_in_a_real_zsh(ok, tmp_path):
    _people(ok)
    script = _script("zsh", tmp_path)
    setup = f"PS1='$ '; autoload -Uz compinit && compinit -u -D; source {script}"
    child = _spawn(["zsh", "-f", "-i"], tmp_path, setup)
    assert _typed(child, "veto client show Mat") == "[veto][client][show][Matti Meikäläinen]"
    assert _typed(child, "veto client show 'Matti M") == "[veto][client][show][Matti Meikäläinen]"
    assert _typed(child, "veto placement add A0001 --employer Kah") == (
        "[veto][placement][add][A0001][--employer][Kahvila Aamu Oy]"
    )
    assert _typed(child, "veto client add --gender fe") == "[veto][client][add][--gender][female]"
    child.sendline("exit")


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_install_completion(tmp_path, lang):
    env = {
        **_tab_press_env(tmp_path),
        "HOME": str(tmp_path),
        "VETO_LANG": lang,
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "veto", "--install-completion", "bash"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    script = tmp_path / ".bash_completions" / "veto.sh"
    words = {
        "en": [f"bash completion installed in {script}", "It takes effect in a new terminal."],
        "fi": [f"bash-täydennys asennettu: {script}", "Se toimii uudessa päätteessä."],
    }
    assert (done.returncode, done.stderr, done.stdout.splitlines()) == (0, "", words[lang])
    assert stat.S_IMODE(script.stat().st_mode) == 0o600
    assert "complete -o default -F _veto_completion veto" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


def test_install_completion_in_zsh_and_in_an_unknown_shell(tmp_path, monkeypatch):
    import typer._completion_shared as shared

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(shared, "_get_shell_name", lambda: "zsh")
    result = CliRunner().invoke(_command(), ["--install-completion"], prog_name="veto")
    script = tmp_path / ".zfunc" / "_veto"
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        f"zsh completion installed in {script}",
        "It takes effect in a new terminal.",
    ]
    assert stat.S_IMODE(script.stat().st_mode) == 0o600
    assert "compdef _veto_completion veto" in script.read_text()
    assert "autoload -Uz compinit; compinit" in (tmp_path / ".zshrc").read_text()
    monkeypatch.setattr(shared, "_get_shell_name", lambda: "tcsh")
    result = CliRunner().invoke(_command(), ["--install-completion"], prog_name="veto")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: cannot install completion for the shell 'tcsh': give bash or zsh\n"
    )
    result = CliRunner().invoke(_command(), ["--show-completion"], prog_name="veto")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: no completion script for the shell 'tcsh': give bash or zsh\n"
    monkeypatch.setattr(shared, "_get_shell_name", lambda: "bash")
    result = CliRunner().invoke(_command(), ["--show-completion"], prog_name="veto")
    assert result.stdout.startswith("_veto_completion() {")
    assert result.stdout.endswith("complete -o default -F _veto_completion veto\n")

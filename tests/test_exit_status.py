"""Exit status tells the truth: a change that was committed is never reported as a failure
because stdout could not be written afterwards (a full disk, a closed pipe)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from tests.conftest import new_store

ADD = ["client", "add", "--name", "Aino Esimerkki", "--gender", "female", "--background", "native"]
STORED = "warning: the change was stored, but its output could not be written ({})\n"


def run(args, stdout, *, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "veto", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        input=input,
        text=True,
        env=os.environ.copy(),
    )


def closed_pipe():
    read, write = os.pipe()
    os.close(read)
    return write


def names(ok) -> list[str]:
    return [c["name"] for c in json.loads(ok("client", "list", "-f", "json"))]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_stored_change_with_a_full_stdout_exits_0_and_says_so(ok):
    new_store()  # the process adds to a store, not migrates a new one
    with open("/dev/full", "w") as full:
        result = run(ADD, full)
    assert (result.returncode, result.stderr) == (0, STORED.format("No space left on device"))
    assert names(ok) == ["Aino Esimerkki"]


def test_a_stored_change_with_a_closed_stdout_exits_0_and_says_so(ok):
    new_store()
    pipe = closed_pipe()
    try:
        result = run(ADD, pipe)
    finally:
        os.close(pipe)
    assert (result.returncode, result.stderr) == (0, STORED.format("Broken pipe"))
    assert names(ok) == ["Aino Esimerkki"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_batch_with_a_full_stdout_exits_0_and_says_so(ok):
    new_store()
    with open("/dev/full", "w") as full:
        result = run(["batch"], full, input=shlex.join(ADD) + "\n")
    assert result.returncode == 0
    assert result.stderr == STORED.format("No space left on device")
    assert names(ok) == ["Aino Esimerkki"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_read_whose_output_is_lost_fails(ok):
    ok(*ADD)
    with open("/dev/full", "w") as full:
        result = run(["client", "list"], full)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: the output could not be written (No space left on device); nothing was changed\n"
    )
    pipe = closed_pipe()
    try:
        result = run(["client", "list"], pipe)
    finally:
        os.close(pipe)
    assert (result.returncode, result.stderr) == (130, "")  # `| head`: the reader had enough

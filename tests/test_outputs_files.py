"""Every file veto writes: mode 0600 under any umask, atomic, never through a link, never over an
existing file without --force, and never onto the store or its -wal/-shm, even with --force."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from veto.errors import InputError
from veto.outputs.files import write_private


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def records(ok):
    """A client in a placement phase with a work trial: something for every form to show."""
    code = ok("client", "add", "--name", "Aino Esimerkki", "--gender", "female",
              "--background", "native")  # fmt: skip
    ok("phase", "start", "placement", code, "--on", "2024-02-01")
    ok("employer", "add", "Testi Oy")
    placement = ok("placement", "add", code, "--employer", "Testi Oy", "--kind", "work-trial",
                   "--start", "2024-02-05")  # fmt: skip
    return code, placement


def writers(code: str, placement: str, out: Path) -> dict[str, list[str]]:
    """Every command that writes a file, writing `out`."""
    return {
        "doc kartoitus html": ["doc", "kartoitus", code, "--format", "html", "--out", str(out)],
        "doc kartoitus md": ["doc", "kartoitus", code, "--format", "md", "--out", str(out)],
        "doc kartoitus pdf": ["doc", "kartoitus", code, "--format", "pdf", "--out", str(out)],
        "doc plan": ["doc", "plan", code, "--format", "html", "--out", str(out)],
        "doc agreement": ["doc", "agreement", placement, "--format", "md", "--out", str(out)],
        "doc brochure": ["doc", "brochure", "--format", "html", "--out", str(out)],
        "doc blank": ["doc", "kartoitus", "--blank", "--format", "md", "--out", str(out)],
        "client export": ["client", "export", code, "--out", str(out)],
        "export xlsx": ["export", "xlsx", "--out", str(out)],
        "report pilot html": ["report", "pilot", "--format", "html", "--out", str(out)],
        "report esf": ["report", "esf", "--format", "html", "--out", str(out)],
        "report fidelity": ["report", "fidelity", "--format", "html", "--out", str(out)],
        "db backup": ["db", "backup", str(out)],
    }


def test_every_written_file_is_0600_under_umask_022_and_leaves_no_temporary(
    ok, records, tmp_path, umask_022
):
    folder = tmp_path / "out"
    folder.mkdir()
    for name, args in writers(*records, folder / "file.xlsx").items():
        target = folder / "file.xlsx"
        ok(*args)
        assert mode(target) == 0o600, name
        assert os.listdir(folder) == ["file.xlsx"], name  # no temporary file, no -journal
        target.unlink()


def test_an_existing_file_is_replaced_only_with_force(ok, refused, records, tmp_path, umask_022):
    target = tmp_path / "existing.xlsx"
    for name, args in writers(*records, target).items():
        target.write_text("keep me")
        target.chmod(0o644)
        refused(
            *args, message=f"'{target}' exists: give another file name, or --force to replace it"
        )
        assert target.read_text() == "keep me", name
        ok(*args, "--force")
        assert target.read_bytes() != b"keep me", name
        assert mode(target) == 0o600, name
        assert sorted(os.listdir(tmp_path)) == ["existing.xlsx", "veto.db", "veto.db-shm",
                                                "veto.db-wal"], name  # fmt: skip


def test_every_command_with_out_is_tested_and_takes_force():
    """`demo --out` names a demo store to rebuild (it refuses any file that is not one)."""
    import typer

    from veto.cli import app

    def leaves(group, path=()):
        for name, command in sorted(group.commands.items()):
            if hasattr(command, "commands"):
                yield from leaves(command, (*path, name))
            else:
                yield " ".join((*path, name)), command

    tested = {" ".join(args[:2]) for args in writers("A1", "1", Path("x")).values()}
    aliases = {"doc esite", "doc sopimus", "doc suunnitelma"}
    for name, command in leaves(typer.main.get_command(app)):
        options = {o for p in command.params if p.param_type_name == "option" for o in p.opts}
        if ("--out" in options or name == "db backup") and name != "demo":
            assert "--force" in options, name
            assert name in tested | aliases, name


def test_the_store_is_never_an_output_even_with_force(ok, refused, records, private_store):
    size = private_store.stat().st_size
    for suffix in ("", "-wal", "-shm", "-journal"):
        target = Path(f"{private_store}{suffix}")
        for name, args in writers(*records, target).items():
            for force in ([], ["--force"]):
                line = refused(*args, *force)
                assert line == (
                    f"Error: {'backup file' if name == 'db backup' else '--out'} '{target}' is "
                    f"the store ({target.name}): writing there would destroy every record; "
                    "give another file name"
                ), name
    assert private_store.stat().st_size == size
    assert ok("client", "list", "-f", "csv").count("Aino Esimerkki") == 1


def test_the_issue_examples_with_db(ok, refused, tmp_path, monkeypatch):
    """`veto --db s.db doc kartoitus DEMO01 --format html --out s.db` and its kin."""
    monkeypatch.chdir(tmp_path)
    store = Path("s.db")
    code = ok("--db", "s.db", "client", "add", "--name", "Aino Esimerkki", "--gender", "female",
              "--background", "native")  # fmt: skip
    refused("--db", "s.db", "doc", "kartoitus", code, "--format", "html", "--out", "s.db",
            message="--out 's.db' is the store (s.db): writing there would destroy every "
                    "record; give another file name")  # fmt: skip
    refused("--db", "s.db", "client", "export", code, "--out", "s.db", "--force")
    refused("--db", "s.db", "client", "export", code, "--out", "./s.db-wal")
    ok("--db", "store.xlsx", "client", "add", "--name", "Bertta Esimerkki", "--gender",
       "female", "--background", "native")  # fmt: skip
    refused("--db", "store.xlsx", "export", "xlsx", "--out", "store.xlsx", "--force")
    assert "Aino Esimerkki" in ok("--db", "s.db", "client", "list")
    assert "Bertta Esimerkki" in ok("--db", "store.xlsx", "client", "list")
    assert store.stat().st_size > 0


def test_a_link_to_the_store_is_the_store(ok, refused, records, private_store, tmp_path):
    code, _ = records
    link = tmp_path / "link.json"
    link.symlink_to(private_store)
    hard = tmp_path / "hard.json"
    os.link(private_store, hard)
    for target in (link, hard):
        line = refused("client", "export", code, "--out", str(target), "--force")
        assert "is the store (veto.db)" in line


def test_never_through_a_symbolic_link(ok, refused, records, tmp_path):
    code, _ = records
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("someone else's file")
    link = tmp_path / "export.json"
    link.symlink_to(elsewhere)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nothing-here.json")
    for target in (link, dangling):
        refused("client", "export", code, "--out", str(target), "--force",
                message=f"--out '{target}' is a symbolic link: veto does not write through "
                        "links; give the real file name")  # fmt: skip
    assert elsewhere.read_text() == "someone else's file"
    assert not (tmp_path / "nothing-here.json").exists()


def test_a_missing_folder_or_a_folder_is_refused(refused, records, tmp_path):
    code, _ = records
    refused("client", "export", code, "--out", str(tmp_path / "no" / "x.json"),
            message=f"cannot write '{tmp_path / 'no' / 'x.json'}': folder "
                    f"'{tmp_path / 'no'}' does not exist")  # fmt: skip
    refused("client", "export", code, "--out", str(tmp_path),
            message=f"--out '{tmp_path}' is a folder: give a file name")  # fmt: skip


def test_write_private_is_all_or_nothing(tmp_path, umask_022):
    target = tmp_path / "a.txt"
    write_private(target, "first")
    assert target.read_text() == "first" and mode(target) == 0o600
    with pytest.raises(InputError):
        write_private(target, "second")
    write_private(target, "second", force=True)
    assert target.read_text() == "second" and mode(target) == 0o600
    assert os.listdir(tmp_path) == ["a.txt"]

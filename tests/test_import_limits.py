"""Bounded imports: a workbook that would unpack to more than veto reads (a zip bomb of
whitespace, a giant shared string, a million tiny cells) is refused with one line and exit 2
before it fills the memory; the store is not touched. Invented people only."""

from __future__ import annotations

import zipfile

import pytest

from tests.conftest import exported_once
from veto.workbook import reading

CHUNK = b" " * 2**20


@pytest.fixture
def book(ok, tmp_path):
    """A real tracking workbook of one client, as veto exports it (the store and the workbook
    made once per test process: each test gets copies)."""

    def fill() -> None:
        ok("client", "add", "--name", "Aino Testixq", "--gender", "female", "--background",
           "native", "--code", "A1")  # fmt: skip

    return exported_once("import_limits.book", fill, tmp_path / "seuranta.xlsx")


# The bombs are deflated at level 1: runs of one byte pack nearly as small as at the default
# level 6 (200 MiB of spaces: 0,9 MB, not 0,2 MB) in a third of the time.
FAST = 1


def _rewrite(source, target, part: str, write) -> None:
    """Copy the workbook, with `part` written by `write(stream, original_bytes)`."""
    with (
        zipfile.ZipFile(source) as old,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=FAST) as new,
    ):
        for info in old.infolist():
            data = old.read(info)
            if info.filename != part:
                new.writestr(info, data, zipfile.ZIP_DEFLATED)
                continue
            with new.open(part, "w", force_zip64=True) as stream:
                write(stream, data)


def _sheet(archive_path, title: str) -> str:
    """The part name of the sheet called `title`."""
    import re

    with zipfile.ZipFile(archive_path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="(\w+)"', workbook).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
    name = (target.group(1) or target.group(2)).lstrip("/")
    return name if name.startswith("xl/") else f"xl/{name}"


def _deflated(path) -> int:
    return path.stat().st_size


def test_a_sheet_of_compressed_whitespace_is_refused_before_it_is_read(veto, book, tmp_path):
    """Issue 18: a 3 MB workbook whose sheet unpacked to 3 GiB of whitespace took 3,3 GB."""
    bomb = tmp_path / "bomb.xlsx"
    part = _sheet(book, "Asiakkaat")

    def write(stream, data):
        head, tail = data.split(b"<sheetData>", 1)
        stream.write(head + b"<sheetData>")
        for _ in range(200):  # 200 MiB of spaces between the rows
            stream.write(CHUNK)
        stream.write(tail)

    _rewrite(book, bomb, part, write)
    assert _deflated(bomb) < 2 * 2**20
    result = veto("import", "xlsx", str(bomb))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: cannot read '{bomb}': its part {part} unpacks to 200 MB (at most 64 MB is "
        "read); split the workbook or save it again\n"
    )


def test_all_parts_together_are_limited_too(veto, book, tmp_path):
    bomb = tmp_path / "many.xlsx"
    with (
        zipfile.ZipFile(book) as old,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=FAST) as new,
    ):
        for info in old.infolist():
            new.writestr(info, old.read(info), zipfile.ZIP_DEFLATED)
        for n in range(3):  # parts nobody asked for, 60 MiB each
            with new.open(f"xl/media/padding{n}.bin", "w") as stream:
                for _ in range(60):
                    stream.write(CHUNK)
    result = veto("import", "xlsx", str(bomb))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot read '{bomb}': it unpacks to 180 MB (at most ")
    assert result.stderr.endswith(" is read); split the workbook or save it again\n")
    assert result.stderr.count("\n") == 1


def test_a_giant_shared_string_is_refused(veto, book, tmp_path):
    """Issue 18: a 300 MB shared string in a 322 KB file took 642 MB."""
    bomb = tmp_path / "string.xlsx"

    def write(stream, data):
        head, tail = data.split(b"<si>", 1)
        stream.write(head + b"<si><t>")
        for _ in range(100):
            stream.write(b"x" * 2**20)
        stream.write(b"</t></si><si>" + tail)

    _rewrite(book, bomb, "xl/sharedStrings.xml", write)
    result = veto("import", "xlsx", str(bomb))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read '{bomb}': its part xl/sharedStrings.xml unpacks to 100 MB (at most "
        "64 MB is read); split the workbook or save it again\n"
    )


def test_a_cell_longer_than_excel_holds_is_refused(veto, book, tmp_path):
    long = tmp_path / "long.xlsx"
    name = b"Aino Testixq"

    def write(stream, data):
        stream.write(data.replace(name, b"A" * 40_000, 1))

    _rewrite(book, long, "xl/sharedStrings.xml", write)
    result = veto("import", "xlsx", str(long))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read '{long}': Asiakkaat, row 2, column B holds 40000 characters (a cell "
        "holds at most 32767)\n"
    )


def test_too_many_cells_are_refused(veto, book, tmp_path):
    many = tmp_path / "cells.xlsx"
    part = _sheet(book, "Tunnit")
    cells = reading.MAX_CELLS + 10

    def write(stream, data):
        head, tail = data.split(b"<sheetData>", 1)
        stream.write(head + b"<sheetData>")
        row = b"".join(b"<c><v>1</v></c>" for _ in range(1000))
        for n in range(cells // 1000 + 1):
            stream.write(b'<row r="%d">' % (n + 2) + row + b"</row>")
        stream.write(tail)

    _rewrite(book, many, part, write)
    result = veto("import", "xlsx", str(many))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read '{many}': it has more than 1 000 000 cells (what veto reads at "
        "most); split the workbook\n"
    )


def test_import_table_reads_through_the_same_limits(veto, book, tmp_path):
    bomb = tmp_path / "bomb.xlsx"

    def write(stream, data):
        for _ in range(70):
            stream.write(CHUNK)

    _rewrite(book, bomb, "xl/sharedStrings.xml", write)
    result = veto("import", "table", str(bomb), "--into", "clients")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read '{bomb}': its part xl/sharedStrings.xml unpacks to 70 MB (at most "
        "64 MB is read); split the workbook or save it again\n"
    )


def test_the_limits_leave_room_for_the_10000_client_workbook():
    # Measured on the benchmark's workbook (benchmarks/bench_import_limits.py): 22 MB unpacked,
    # largest part 14 MB, 567 386 cells.
    assert reading.MAX_UNPACKED_BYTES > 5 * 22 * 2**20
    assert reading.MAX_PART_BYTES > 4 * 14 * 2**20
    assert reading.MAX_CELLS > 1.7 * 567_386

"""veto batch: many commands, one process, one transaction."""

import json

JOURNEY = """\
# A coach's morning
coach add "Liisa Laine" --area "Seinäjoki, Ilmajoki"
client add --name "Aino Esimerkki" --gender female --background immigrant --coach "Liisa Laine"
veto phase start coaching A0001 --on 1.2.2024   # the word veto is optional
phase start placement A0001 --on 15.4.2024

employer add "Kahvila Aamu Oy" --sector kahvila-ala
placement add A0001 --employer "Kahvila Aamu Oy" --kind work-trial --start 2.5.2024 --end 30.6.2024
activity log A0001 --hours 1,5 --on 3.5.2024 --kind workplace
client end A0001 --outcome employed --field kahvila-ala --on 1.9.2024
"""


def test_a_journey_in_one_batch(ok, tmp_path):
    path = tmp_path / "day.veto"
    path.write_text(JOURNEY, encoding="utf-8")
    assert ok("batch", str(path)).splitlines() == ["1", "A0001", "1", "2", "1", "1", "1", "A0001"]
    shown = json.loads(ok("client", "show", "A0001", "-f", "json"))
    assert (shown["outcome"], shown["hours"], len(shown["phases"])) == ("employed", 1.5, 2)


def test_batch_from_stdin(ok):
    assert ok("batch", "-", input='coach add "Anna Koski"\ncoach add "Pekka Toinen"\n') == "1\n2"


def test_a_failing_line_stores_nothing_and_names_the_line(ok, refused):
    ok("coach", "add", "Liisa Laine")
    refused(
        "batch", "-",
        input='client add --name "B" --gender m --background native\nphase start coaching A0001 --on 31.2.2024\n',
        message="line 2: impossible date '31.2.2024': no such day; use YYYY-MM-DD or D.M.YYYY, "
        "e.g. 2024-08-01 or 1.8.2024; nothing was stored",
    )  # fmt: skip


def test_usage_errors_inside_a_batch(refused):
    refused(
        "batch", "-", input="coach add\n",
        message="line 1: Missing argument 'name'.; nothing was stored",
    )  # fmt: skip
    refused(
        "batch",
        "-",
        input='coach add "x\n',
        message="line 1: cannot split 'coach add \"x': No closing quotation",
    )
    refused(
        "batch",
        "-",
        input="batch other.txt\n",
        message="line 1: 'batch' cannot be used inside a batch",
    )


def test_missing_batch_file(refused, tmp_path):
    refused(
        "batch",
        str(tmp_path / "nope.txt"),
        message=f"cannot read batch file '{tmp_path / 'nope.txt'}': No such file or directory",
    )

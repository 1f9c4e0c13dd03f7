"""The README's transcripts are real: regenerating them changes nothing."""

from tools.readme import README, render


def test_readme_transcripts_are_what_veto_prints():
    current = README.read_text(encoding="utf-8")
    assert render(current) == current, "run: python tools/readme.py"

"""veto doc: the four forms as HTML, Markdown and PDF, blank and filled.

Golden files in tests/golden are compared exactly; after a deliberate change to a template,
regenerate them with VETO_REGENERATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import html
import io
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.conftest import built_once
from tests.forms_helpers import dump_store, write_yaml
from veto.documents.render import escape_markdown
from veto.domain.questions import SURVEY_QUESTIONS

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("VETO_REGENERATE_GOLDEN") == "1"
FORMS = ("kartoitus", "plan", "agreement", "brochure")
HOSTILE = {
    "script": "<script>alert(1)</script>",
    "template": "{{7*7}}",
    "formula": '=HYPERLINK("http://evil.example","x")',
    "markdown": "**lihava** [linkki](http://evil.example)\n# otsikko",
}


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {name}: run with VETO_REGENERATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(text)


@pytest.fixture
def filled(ok, tmp_path):
    """Two coaches in two areas and one without an area; a client with a start survey, a plan
    and a work trial whose agreement fields are filled (built once per test process; each test
    gets its own copy of the store)."""
    return dict(built_once("documents.filled", lambda: _filled(ok, tmp_path)))


def _filled(ok, tmp_path) -> dict[str, str | None]:
    ok(
        "coach",
        "add",
        "Liisa Laine",
        "--phone",
        "040 123 4567",
        "--email",
        "liisa.laine@example.fi",
        "--area",
        "Seinäjoki, Ilmajoki",
    )
    ok("coach", "add", "Pekka Puro", "--phone", "040 765 4321", "--area", "Kauhava, Ähtäri")
    ok("coach", "add", "Anna Aho", "--email", "anna.aho@example.fi")
    code = ok("client", "add", "--name", "Matti Meikäläinen", "--gender", "male",
              "--background", "native", "--birth-year", "1990", "--phone", "050 111 2222",
              "--coach", "Liisa Laine")  # fmt: skip
    survey = {
        "worries": "Aamuvuorot jännittävät.",
        "work_time": "Osa-aikatyö",
        "commute": "20 km, bussilla",
        "physical_health": "Selkä kipeytyy seisoessa.",
        "medication": "Ei lääkitystä",
        "social_work": "Kyllä",
        "sleep": "Hyvä",
        "mother_tongue": "suomi",
        "finnish": "erinomainen",
        "english": "hyvä",
    }
    ok("survey", code, "--from", write_yaml(tmp_path / "s.yaml", survey), "--on", "1.8.2024")
    plan = {
        "wishes": ["Kahvilatyö", "Keittiöapulainen"],
        "contact_by": "together",
        "workplaces": ["Kahvila Aamu Oy", "Ravintola Ilta"],
        "strengths": "Asiakaspalvelu, täsmällisyys",
        "coaching_wishes": "Apua CV:n tekoon",
        "must_not_tell": "Aiempi sairausloma",
        "supervisor_contact": "kyllä",
        "signed_on": "5.8.2024",
        "place": "Seinäjoki",
    }
    ok("plan", code, "--from", write_yaml(tmp_path / "p.yaml", plan), "--on", "1.8.2024")
    ok("employer", "add", "Kahvila Aamu Oy", "--address", "Kauppatie 1, 60100 Seinäjoki")
    ok("phase", "start", "coaching", code, "--on", "1.8.2024")
    ok("placement", "add", code, "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
       "--start", "12.8.2024", "--end", "31.10.2024", "--title", "Kahvilatyöntekijä",
       "--tasks", "Tiskaus, kassa ja leivonta", "--supervisor", "Sari Esimies",
       "--supervisor-contact", "040 999 8888", "--employment-form", "fixed-term",
       "--hours-per-month", "80", "--pay-per-hour", "12,5", "--wage-subsidy", "no",
       "--arrangement-support", "yes")  # fmt: skip
    return {"kartoitus": code, "plan": code, "agreement": "1", "brochure": None}


def _doc(veto, form: str, ref: str | None, *args: str):
    run = veto("doc", form, *([ref] if ref else []), *args)
    assert run.exit_code == 0, run.stderr
    return run


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize("form", FORMS)
def test_blank_forms_match_their_golden_files(veto, form, fmt):
    text = _doc(veto, form, None, "--blank", "--format", fmt).stdout
    golden(f"{form}-blank.{fmt}", text)
    assert "None" not in text
    assert "VETO+ hanke 2024–2027" in text and "Euroopan unionin osarahoittama" in text


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_filled_forms_match_their_golden_files(veto, backend, filled, fmt):
    for form in FORMS:
        text = _doc(veto, form, filled[form], "--format", fmt).stdout
        golden(f"{form}-filled.{fmt}", text)
        assert "None" not in text


def test_the_filled_forms_carry_the_record_in_finnish_formats(veto, filled):
    agreement = _doc(veto, "agreement", "1", "-f", "md").stdout
    for expected in [
        "- Asiakkaan nimi: Matti Meikäläinen",
        "- Syntymäaika: 1990",
        "- Työhönvalmentajan yhteystiedot: 040 123 4567, liisa.laine@example.fi",
        "- Työnantajan osoite: Kauppatie 1, 60100 Seinäjoki",
        "- [x] määräaikainen 31.10.2024 asti",
        "- [x] osa-aikaista 80 h/kk",
        "- [x] tuntiperusteinen 12,50 €/h",
        "- [ ] kuukausiperusteinen __________ €/kk",
        "## Palkkatuki\n\n- [ ] Käytettiin\n- [x] Ei käytetty",
        "## Työolosuhteiden järjestelytuki\n\n- [x] Käytettiin\n- [ ] Ei käytetty",
    ]:
        assert expected in agreement, expected
    brochure = _doc(veto, "brochure", None, "-f", "md").stdout
    assert "enintään 4\u00a0000 € henkilöä kohden" in brochure
    assert "jälkikäteen 20 € tunnilta" in brochure
    areas = re.findall(r"^\*\*(.+)\*\*$", brochure, flags=re.M)
    assert areas == ["Palkkatuki", "Työolosuhteiden järjestelytuki", "Kauhava, Ähtäri",
                     "Seinäjoki, Ilmajoki", "Muut alueet"]  # fmt: skip
    assert "- Liisa Laine, p. 040 123 4567, liisa.laine@example.fi" in brochure
    assert "- Anna Aho, anna.aho@example.fi" in brochure


def test_a_client_without_survey_or_plan_gets_the_form_with_the_name(ok, veto):
    code = ok("client", "add", "--name", "Uusi Asiakas", "--gender", "female",
              "--background", "immigrant")  # fmt: skip
    run = _doc(veto, "kartoitus", code, "-f", "md")
    assert run.stderr == f"{code} has no survey yet: the form has the name and empty answers\n"
    assert "- Työhönvalmentautuja: Uusi Asiakas, puh __________" in run.stdout
    assert "- Työhönvalmentaja: ________________________, puh __________" in run.stdout
    run = _doc(veto, "plan", code, "-f", "html")
    assert "None" not in run.stdout and "Uusi Asiakas" in run.stdout


@pytest.mark.parametrize("form", FORMS)
def test_pdf_is_a4_with_page_numbers_and_the_record_in_it(veto, filled, tmp_path, form):
    from pypdf import PdfReader

    out = tmp_path / f"{form}.pdf"
    run = _doc(veto, form, filled[form], "--out", str(out))
    assert run.stdout == "" and run.stderr == f"wrote {out}\n"
    assert out.read_bytes().startswith(b"%PDF")
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = pdf_text(out)
    assert "Sivu 1 /" in text and "Euroopan unionin osarahoittama" in text
    assert "VETO+ hanke 2024–2027" in text
    expected = {
        "kartoitus": ["TYÖHÖNVALMENNUKSEN KARTOITUS", "Matti Meikäläinen", "1.8.2024",
                      "Selkä kipeytyy seisoessa.", "Suomi erinomainen"],
        "plan": ["TYÖNHAKUSUUNNITELMA JA -SOPIMUS", "Kahvilatyö", "Aiempi sairausloma",
                 "5.8.2024 Seinäjoki", "VETO+ työhönvalmentaja Liisa Laine"],
        "agreement": ["SOPIMUS TYÖHÖNVALMENNUKSESTA", "12,50 €/h", "31.10.2024 asti",
                      "Työnantaja Kahvila Aamu Oy", "Sari Esimies"],
        "brochure": ["enintään 4 000 € henkilöä kohden",
                     "Pekka Puro, p. 040 765 4321", "Kauhava, Ähtäri"],
    }[form]  # fmt: skip
    for piece in expected:
        assert piece in text, piece


def test_a_blank_pdf(veto, tmp_path):
    out = tmp_path / "sopimus.pdf"
    _doc(veto, "sopimus", None, "--blank", "--out", str(out))
    text = pdf_text(out)
    assert "SOPIMUS TYÖHÖNVALMENNUKSESTA" in text and "None" not in text


def _plant_secrets(ok, tmp_path, code: str) -> None:
    survey = {q.key: f"SECRET-{q.key}" for q in SURVEY_QUESTIONS if q.kind == "text"}
    ok("survey", code, "--from", write_yaml(tmp_path / "secret.yaml", survey))
    plan = {
        "strengths": "SECRET-strengths",
        "skills": "SECRET-skills",
        "coaching_wishes": "SECRET-wishes",
        "identity": "SECRET-identity",
        "must_not_tell": "SECRET-diagnosis-ADHD",
        "wishes": ["SECRET-wish"],
    }
    ok("plan", code, "--from", write_yaml(tmp_path / "secret-plan.yaml", plan))


def test_employer_documents_carry_nothing_private(ok, veto, backend, filled, tmp_path):
    code = filled["kartoitus"]
    _plant_secrets(ok, tmp_path, code)
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement.lower())

    event.listen(Engine, "before_cursor_execute", record)
    try:
        for fmt in ("html", "md"):
            for form, ref in (("agreement", "1"), ("brochure", None)):
                text = _doc(veto, form, ref, "-f", fmt).stdout
                assert "SECRET" not in text and "Aiempi sairausloma" not in text
                assert "Selkä" not in text
        for form, ref in (("agreement", "1"), ("brochure", None)):
            out = tmp_path / f"{form}.pdf"
            _doc(veto, form, ref, "--out", str(out))
            assert "SECRET" not in pdf_text(out)
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert statements, "the listener saw no SQL"
    assert not [s for s in statements if "survey" in s or "job_search_plan" in s]
    # The client's own documents do carry them, so the check above is not vacuous.
    assert "SECRET-diagnosis-ADHD" in _doc(veto, "plan", code, "-f", "md").stdout
    assert "SECRET-criminal\\_record" in _doc(veto, "kartoitus", code, "-f", "md").stdout


def test_redact_leaves_the_sensitive_answers_out_of_the_client_documents(ok, veto, filled,
                                                                         tmp_path):  # fmt: skip
    code = filled["kartoitus"]
    _plant_secrets(ok, tmp_path, code)
    kartoitus = _doc(veto, "kartoitus", code, "--redact", "-f", "html").stdout
    assert "SECRET-worries" in kartoitus
    assert "SECRET-medication" not in kartoitus and "SECRET-criminal_record" not in kartoitus
    assert "(arkaluonteinen tieto, ei tulostettu)" in kartoitus
    plan = _doc(veto, "plan", code, "--redact", "-f", "md").stdout
    assert "SECRET-strengths" in plan
    assert "SECRET-diagnosis" not in plan and "SECRET-identity" not in plan


def _hostile_record(ok, tmp_path) -> str:
    code = ok("client", "add", "--name", HOSTILE["script"], "--gender", "other",
              "--background", "native")  # fmt: skip
    answers = {"worries": HOSTILE["template"], "commute": HOSTILE["formula"],
               "permits": HOSTILE["markdown"]}  # fmt: skip
    ok("survey", code, "--from", write_yaml(tmp_path / "h.yaml", answers))
    ok("plan", code, "--from", write_yaml(tmp_path / "hp.yaml", {"wishes": [HOSTILE["script"]]}))
    ok("employer", "add", HOSTILE["template"], "--address", HOSTILE["markdown"])
    ok("phase", "start", "coaching", code, "--on", "1.8.2024")
    ok("placement", "add", code, "--employer", HOSTILE["template"], "--kind", "job",
       "--start", "1.8.2024", "--tasks", HOSTILE["formula"])  # fmt: skip
    return code


def test_hostile_text_comes_out_literally_in_html(ok, veto, tmp_path):
    code = _hostile_record(ok, tmp_path)
    for form, ref in (("kartoitus", code), ("plan", code), ("agreement", "1")):
        page = _doc(veto, form, ref, "-f", "html").stdout
        assert "<script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "49" not in page
        if form != "plan":
            assert "{{7*7}}" in page
    kartoitus = _doc(veto, "kartoitus", code, "-f", "html").stdout
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;x&#34;)" in kartoitus
    assert "**lihava** [linkki](http://evil.example)\n# otsikko" in kartoitus


def test_hostile_text_comes_out_literally_in_markdown(ok, veto, tmp_path):
    code = _hostile_record(ok, tmp_path)
    for form, ref in (("kartoitus", code), ("plan", code), ("agreement", "1")):
        rendered = markdown_html(_doc(veto, form, ref, "-f", "md").stdout)
        assert "<script" not in rendered and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
        assert "<a " not in rendered and "<strong>lihava" not in rendered
        assert "<h1>otsikko" not in rendered
    rendered = markdown_html(_doc(veto, "kartoitus", code, "-f", "md").stdout)
    assert "{{7*7}}" in rendered
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;)" in rendered
    assert "**lihava** [linkki](http://evil.example)<br />\n# otsikko" in rendered


def test_hostile_text_comes_out_literally_in_pdf(ok, veto, tmp_path):
    code = _hostile_record(ok, tmp_path)
    out = tmp_path / "k.pdf"
    _doc(veto, "kartoitus", code, "--out", str(out))
    text = pdf_text(out)
    assert "<script>alert(1)</script>" in text
    assert "{{7*7}}" in text and '=HYPERLINK("http://evil.example","x")' in text
    assert "**lihava** [linkki](http://evil.example) # otsikko" in text


@given(st.text(alphabet=st.sampled_from(
    list("abcdefghijkXYZ0123456789 \t\n!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~äöÅ€"))))  # fmt: skip
def test_escaped_markdown_renders_as_the_text_itself(text):
    rendered = markdown_html(escape_markdown(text))
    expected = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if not expected:
        assert rendered == ""
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n")
    body = rendered[3:-5].replace("<br />\n", "\n")
    assert "<" not in body
    assert html.unescape(body) == expected


def test_bad_requests_are_refused_with_one_line_and_no_change(veto, filled, tmp_path):
    before = dump_store()
    for args, message in [
        (("kartoitus", "A0001", "-f", "pdf"), "a PDF goes to a file: add --out FILE.pdf"),
        (("kartoitus",), "give a CLIENT, or --blank for the empty form"),
        (("plan", "A0001", "--blank"), "give either CLIENT or --blank, not both"),
        (("agreement", "1", "-f", "docx"), "unknown format 'docx': use one of html|pdf|md"),
        (("agreement", "9"), "unknown placement '9'"),
        (("kartoitus", "ZZZ"), "unknown client 'ZZZ'"),
        (("kartoitus", "A0001", "--survey", "5"), "unknown survey '5'"),
        (("brochure", "--out", str(tmp_path / "no" / "such" / "dir.html")), "cannot write"),
    ]:
        run = veto("doc", *args)
        assert run.exit_code == 2, args
        assert run.stdout == ""
        assert run.stderr.startswith("Error: ") and message in run.stderr, run.stderr
        assert run.stderr.count("\n") == 1
    assert dump_store() == before


def test_the_format_follows_the_out_suffix(veto, filled, tmp_path):
    out = tmp_path / "esite.md"
    _doc(veto, "brochure", None, "--out", str(out))
    assert out.read_text(encoding="utf-8").startswith("*VETO+ hanke 2024–2027")


def test_documents_log_their_reads(ok, veto, filled):
    from sqlalchemy import text

    from veto.commands.common import invocation
    from veto.store.database import engine_for

    _doc(veto, "kartoitus", "A0001", "-f", "md")
    _doc(veto, "agreement", "1", "-f", "md")
    with engine_for(invocation().location).connect() as conn:
        rows = conn.execute(
            text("SELECT action, record, purpose, sensitive FROM audit_log "
                 "WHERE action LIKE 'doc.%' OR action LIKE '%read-sensitive' ORDER BY id")
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("survey.read-sensitive", "survey:1", "doc kartoitus", True),
        ("doc.kartoitus", "survey:1", "doc kartoitus", False),
        ("doc.agreement", "placement:1", "doc agreement", False),
    ]


def test_an_organisation_can_restyle_a_form(veto, tmp_path, monkeypatch):
    folder = tmp_path / "own" / "forms"
    folder.mkdir(parents=True)
    (folder / "brochure.md").write_text("Oma esite: {{ arrangement_max }}\n", encoding="utf-8")
    monkeypatch.setenv("VETO_TEMPLATES", str(tmp_path / "own"))
    assert _doc(veto, "brochure", None, "-f", "md").stdout == "Oma esite: 4\u00a0000 €\n"
    assert "<!DOCTYPE html>" in _doc(veto, "brochure", None, "-f", "html").stdout


def test_the_blank_forms_print_lines_to_fill(veto):
    page = _doc(veto, "agreement", None, "--blank", "-f", "html").stdout
    assert page.count('<span class="blank') >= 5
    markdown = _doc(veto, "plan", None, "--blank", "-f", "md").stdout
    assert "1. ________________________\n2. ________________________" in markdown
    assert "- [ ] Kyllä\n- [ ] Ei" in markdown


def test_printing_html_to_stdout_stays_clean(veto, filled):
    run = _doc(veto, "brochure", None)
    assert run.stdout.startswith("<!DOCTYPE html>") and run.stderr == ""
    assert io.StringIO(run.stdout).read().rstrip().endswith("</html>")

"""Printing a form: Jinja templates `forms/<form>.html` and `forms/<form>.md` (restylable
through VETO_TEMPLATES), and PDF from the HTML by WeasyPrint.

User text is only ever data. In HTML, Jinja's autoescaping turns it into text; in Markdown every
string of the context is escaped before the template sees it, so no answer can become a heading,
a link, emphasis or raw HTML, whatever the template does with it.
"""

from __future__ import annotations

import re
from typing import Any

from veto.errors import InputError
from veto.i18n import _

FORMATS = ("html", "pdf", "md")

# Characters that mean something inline in CommonMark (and GFM tables, strikethrough).
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")
# A list marker ("- x", "+ x", "1. x", "1) x") at the start of a line; a line of - or = alone
# (a rule or a heading underline). Dates such as 1.8.2024 are not list markers.
_LIST_MARKER = re.compile(r"^(\d{0,9})([-+.)])(?=\s|$)")
_RULE = re.compile(r"^([-=])(?=[-=\s]*$)")


def escape_markdown(text: str) -> str:
    """Text that reads the same in Markdown as typed: no markup, no HTML, one paragraph
    (line breaks kept as hard breaks)."""
    lines = [line.strip() for line in str(text).splitlines()]
    escaped = []
    for line in (ln for ln in lines if ln):
        line = _INLINE.sub(r"\\\1", line)
        line = _LIST_MARKER.sub(r"\1\\\2", line)
        line = _RULE.sub(r"\\\1", line)
        escaped.append(line)
    return "\\\n".join(escaped)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape_markdown(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def check_document_format(fmt: str | None, out: str | None) -> str:
    """The format asked for, else the one the --out file's suffix names, else html; pdf needs
    a file to go to."""
    if fmt is None:
        suffix = (out or "").rsplit(".", 1)[-1].lower() if out and "." in out else ""
        fmt = {"pdf": "pdf", "md": "md", "markdown": "md", "htm": "html"}.get(suffix, "html")
    value = fmt.strip().lower()
    if value == "markdown":
        value = "md"
    if value not in FORMATS:
        raise InputError(
            _("unknown format '{fmt}': use one of {formats}").format(
                fmt=fmt, formats="|".join(FORMATS)
            )
        )
    if value == "pdf" and not out:
        raise InputError(
            _("a PDF goes to a file: add --out FILE.pdf (html and md can go to stdout)")
        )
    return value


def render_document(form: str, context: dict[str, Any], fmt: str) -> str | bytes:
    """The form as HTML or Markdown text, or PDF bytes."""
    from veto.outputs.templates import render_template

    if fmt == "md":
        return render_template(f"forms/{form}.md", **_escaped(context))
    html = render_template(f"forms/{form}.html", **context)
    return html_to_pdf(html) if fmt == "pdf" else html


def html_to_pdf(html: str) -> bytes:
    """A4 PDF from a form's HTML (its print CSS sets the page, margins and page numbers)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()

"""The Jinja templates for documents and result tables.

Looked up first in the folder named by VETO_TEMPLATES (an organisation's own restyling), then in
the templates shipped with veto (`veto/templates` in the wheel, `templates/` in a source tree).
Autoescaping is on for HTML, and user text is only ever passed as data, never as a template.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def shipped_templates() -> Path:
    """Where the built-in templates are: inside the installed package, or the source tree."""
    installed = PACKAGE_DIR / "templates"
    if installed.is_dir():
        return installed
    return PACKAGE_DIR.parent / "templates"


def template_dirs() -> list[Path]:
    dirs = []
    if override := os.environ.get("VETO_TEMPLATES"):
        dirs.append(Path(override))
    dirs.append(shipped_templates())
    return dirs


@cache
def _environment(dirs: tuple[str, ...]):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from veto.outputs import finnish

    env = Environment(
        loader=FileSystemLoader(list(dirs)),
        autoescape=select_autoescape(["html", "htm", "xml"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fi_date"] = finnish.fi_date
    env.filters["fi_number"] = finnish.fi_number
    env.filters["fi_money"] = finnish.fi_money
    return env


def environment():
    """The Jinja environment over the override folder and the shipped templates."""
    return _environment(tuple(str(d) for d in template_dirs()))


def render_template(name: str, **context) -> str:
    return environment().get_template(name).render(**context)

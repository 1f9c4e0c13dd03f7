"""The message catalogues of veto (gettext, built with Babel): extract, update, compile, check.

    python tools/catalogue.py            # extract veto/locale/veto.pot, update fi and en .po,
                                         # compile the .mo files (committed: the wheel and an
                                         # editable install read them as they are)
    python tools/catalogue.py --check    # exit 1 if the .pot, .po or .mo are stale, or a
                                         # message has no Finnish translation

The same with pybabel (babel.cfg names the extractor below):

    pybabel extract -F babel.cfg -k NC_:1c,2 -o veto/locale/veto.pot --no-location --sort-output .
    pybabel update -D veto -i veto/locale/veto.pot -d veto/locale --no-fuzzy-matching
    pybabel compile -D veto -d veto/locale

Messages are what the source passes to `_`, `ngettext`, `pgettext`, `N_`, `NC_` (veto/i18n.py),
plus every command's help: the docstring of a function registered with `.command(...)` or
`.callback(...)` and every `help="..."` string (Typer shows them; veto.i18n.translate_help
translates them when a command is loaded).
"""

from __future__ import annotations

import ast
import inspect
import io
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "veto" / "locale"
POT = LOCALE / "veto.pot"
LANGUAGES = ("en", "fi")
# Fixed header dates, so that regenerating unchanged catalogues changes no byte.
_FIXED = datetime(2026, 1, 1, tzinfo=UTC)
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NC_": ((1, "c"), 2),
}


def _registers_a_command(node: ast.AST) -> bool:
    return any(
        isinstance(d, ast.Call)
        and isinstance(d.func, ast.Attribute)
        and d.func.attr in ("command", "callback")
        for d in getattr(node, "decorator_list", [])
    )


def _registered_by_name() -> dict[str, set[str]]:
    """Module → the functions veto/cli.py registers as commands by name (COMMANDS)."""
    from veto.cli import COMMANDS, SUBCOMMANDS

    found: dict[str, set[str]] = {}
    where = [*COMMANDS.values(), *(w for subs in SUBCOMMANDS.values() for w in subs.values())]
    for module, name in where:
        found.setdefault(module, set()).add(name)
    return found


def _help_texts(source: str, commands: set[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """(line, text) of every command docstring and `help=` string in `source`, as Typer shows
    them (a docstring through `inspect.cleandoc`); `commands` names functions registered
    elsewhere."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            _registers_a_command(node) or (node.col_offset == 0 and node.name in commands)
        ):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                yield node.lineno, inspect.cleandoc(doc)
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg == "help" and isinstance(value, ast.Constant) and value.value:
                    if isinstance(value.value, str):
                        yield value.lineno, value.value


def extract(fileobj, keywords, comment_tags, options):
    """A Babel extraction method: Babel's own Python one, plus the commands' help texts."""
    from babel.messages.extract import extract_python

    data = fileobj.read()
    yield from extract_python(io.BytesIO(data), keywords, comment_tags, options)
    path = Path(getattr(fileobj, "name", "")).resolve()
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts) if ROOT in path.parents else ""
    commands = _registered_by_name().get(module, set())
    for lineno, text in _help_texts(data.decode("utf-8"), commands):
        yield lineno, None, text, []


def template():
    """The catalogue of every message in the source (what veto.pot holds)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="veto", fuzzy=False, creation_date=_FIXED, revision_date=_FIXED)
    found = extract_from_dir(
        str(ROOT / "veto"),
        method_map=[("**.py", "tools.catalogue:extract")],
        keywords=KEYWORDS,
    )
    for _filename, _lineno, message, _comments, context in found:
        catalog.add(message, None, context=context)
    return catalog


def _pot_text(catalog) -> bytes:
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, omit_header=True, no_location=True, sort_output=True, width=100)
    return out.getvalue()


def _po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "veto.po"


def po_catalogue(lang: str):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = _po_path(lang)
    if not path.exists():
        return Catalog(
            locale=lang, project="veto", fuzzy=False, creation_date=_FIXED, revision_date=_FIXED
        )
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def _updated(lang: str, pot):
    catalog = po_catalogue(lang)
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def _mo_bytes(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def untranslated(catalog) -> list[str]:
    """The messages of `catalog` that have no translation (each form of a plural)."""
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        if not all(strings):
            ctx = f"{message.context}: " if message.context else ""
            ident = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            missing.append(ctx + ident)
    return missing


def _text(value) -> str | tuple[str, ...]:
    return tuple(value) if isinstance(value, (list, tuple)) else value


def _entries(catalog) -> set[tuple]:
    """What a catalogue says: (context, id, translation) of every message but the header."""
    return {(m.context, _text(m.id), _text(m.string)) for m in catalog if m.id}


def _translated(catalog) -> set[tuple]:
    """The entries that translate (a compiled plural without a translation repeats its id)."""
    found = set()
    for entry in _entries(catalog):
        _context, ident, string = entry
        strings = string if isinstance(string, tuple) else (string,)
        if any(strings) and string != ident:
            found.add(entry)
    return found


def _ids(catalog) -> set[tuple]:
    return {(context, ident) for context, ident, _ in _entries(catalog)}


def stale() -> list[str]:
    """What in veto/locale/ does not match the source (as text: which file, why)."""
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    found = []
    with POT.open("rb") as f:
        pot = read_po(f)
    if _ids(pot) != _ids(template()):
        found.append(f"{POT.relative_to(ROOT)} differs from the messages in the source")
    for lang in LANGUAGES:
        po = po_catalogue(lang)
        if _ids(po) != _ids(pot):
            found.append(f"{_po_path(lang).relative_to(ROOT)} differs from veto.pot")
        mo_path = _po_path(lang).with_suffix(".mo")
        with mo_path.open("rb") as f:
            mo = read_mo(f)
        if _translated(mo) != _translated(po):
            found.append(f"{mo_path.relative_to(ROOT)} is not compiled from its .po")
    return found


def write() -> None:
    """Extract veto.pot, update each language's .po from it and compile its .mo."""
    from babel.messages.pofile import write_po

    pot = template()
    LOCALE.mkdir(parents=True, exist_ok=True)
    POT.write_bytes(_pot_text(pot))
    for lang in LANGUAGES:
        catalog = _updated(lang, pot)
        path = _po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        write_po(out, catalog, no_location=True, sort_output=True, width=100)
        path.write_bytes(out.getvalue())
        path.with_suffix(".mo").write_bytes(_mo_bytes(catalog))


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    if "--check" in argv:
        problems = stale() + [
            f"no Finnish translation: {m}" for m in untranslated(po_catalogue("fi"))
        ]
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    write()
    missing = untranslated(po_catalogue("fi"))
    print(f"{len(missing)} messages without a Finnish translation", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

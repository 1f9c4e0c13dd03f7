"""What other modules tell the privacy code about their tables.

Erasure and export work from the foreign keys alone; this registry only adds what a schema cannot
say: which columns hold free text, which rows an anonymous statistics stub keeps, and where the
sensitive answers of a person are (for `client show --sensitive`).

A module registers at import time, e.g. in `veto/domain/surveys.py`::

    from veto.privacy.registry import register_sensitive, register_table

    register_table("contact", clear=("note",))
    register_sensitive("kartoitus", sensitive_answers)  # (session, client_id) -> [{item, value}]

Every module of `veto.domain` (and `veto.privacy.sources`, which registers the surveys, plans and
ESF+ data) is imported before the registry is read, so registering in the module that owns the
table is enough.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Column, String, Table, Text

SensitiveReader = Callable[[Any, int], list[dict[str, Any]]]


@dataclass(frozen=True)
class TablePolicy:
    """How erasure treats a table's rows about a person beyond deleting them."""

    clear: tuple[str, ...] | None = None
    """Columns that may hold personal free text or details, cleared on rows that outlive the person
    (foreign key ON DELETE SET NULL, or kept for statistics). None: every nullable text column."""
    keep_for_statistics: bool = False
    """Rows linked straight to the client are kept (free text cleared) by --keep-statistics."""


_tables: dict[str, TablePolicy] = {}
_sensitive: dict[str, SensitiveReader] = {}
_discovered = False


def register_table(
    name: str, *, clear: tuple[str, ...] | None = None, keep_for_statistics: bool = False
) -> None:
    """Say which columns of table `name` erasure clears, and whether a statistics stub keeps it."""
    _tables[name] = TablePolicy(clear=clear, keep_for_statistics=keep_for_statistics)


def register_sensitive(source: str, reader: SensitiveReader) -> None:
    """`reader(session, client_id)` returns the person's sensitive items as rows with at least
    `item` and `value`; they appear only in views asked for with --sensitive."""
    _sensitive[source] = reader


def _discover() -> None:
    """Import every domain module once, so their registrations have run."""
    global _discovered
    if _discovered:
        return
    import veto.domain

    for info in pkgutil.iter_modules(veto.domain.__path__):
        importlib.import_module(f"veto.domain.{info.name}")
    importlib.import_module("veto.privacy.sources")
    _discovered = True


def policy(table: str) -> TablePolicy:
    _discover()
    return _tables.get(table, TablePolicy())


def sensitive_readers() -> dict[str, SensitiveReader]:
    _discover()
    return dict(_sensitive)


def holds_text(column: Column) -> bool:
    """Whether a column stores text or JSON: SQLModel's `str` fields are AutoString, a type
    decorator over String, so the type it decorates is what counts."""
    kind = getattr(column.type, "impl_instance", column.type)
    return isinstance(kind, (String, Text, JSON))


def cleared_columns(table: Table) -> list[Column]:
    """The columns erasure clears on a row that outlives the person."""
    names = policy(table.name).clear
    if names is not None:
        return [table.c[n] for n in names]
    foreign = {fk.parent.name for fk in table.foreign_keys}
    return [c for c in table.columns if c.nullable and holds_text(c) and c.name not in foreign]


# The core tables (issue 2). A stub keeps the path (phases), the work trials and jobs (kind,
# dates, employer, employment terms) and the coaching hours; never a note, title, supervisor or pay.
register_table("phase", clear=(), keep_for_statistics=True)
register_table(
    "placement",
    clear=(
        "title",
        "tasks",
        "supervisor_name",
        "supervisor_contact",
        "employment_other",
        "pay_per_hour",
        "pay_per_month",
    ),
    keep_for_statistics=True,
)
register_table("activity", clear=("note",), keep_for_statistics=True)

"""Every stored row about one person, found through the schema's foreign keys.

A table belongs to the person when a foreign key leads from it to `client`, directly or through
another table that belongs to the person (a survey answer -> its survey -> the client). A foreign
key declared ON DELETE SET NULL marks a row that outlives the person (an employer contact that
mentions them): it is reported and, on erasure, unlinked and cleared rather than deleted. Tables
added later by other modules are covered without any change here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, Table, and_, or_, select
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import veto.models  # noqa: F401  (registers every table on the metadata)

CLIENT = "client"


@dataclass(frozen=True)
class Link:
    """A foreign key from `table.column` to a table whose rows belong to the person."""

    table: Table
    column: Column
    parent: str
    outlives: bool  # ON DELETE SET NULL: the row stays when the person goes


@dataclass
class Found:
    """The rows of one table about the person; `kept` are those that outlive them."""

    table: Table
    links: list[Link]
    owned: list[dict[str, Any]] = field(default_factory=list)
    kept: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.owned + self.kept


def links() -> list[Link]:
    """Every foreign key that leads to the person, in dependency order (parents first)."""
    belongs = {CLIENT}
    result: list[Link] = []
    for table in SQLModel.metadata.sorted_tables:
        if table.name == CLIENT:
            continue
        mine = [
            Link(table, fk.parent, fk.column.table.name, (fk.ondelete or "").upper() == "SET NULL")
            for fk in table.foreign_keys
            if fk.column.table.name in belongs
        ]
        result.extend(mine)
        if any(not link.outlives for link in mine):
            belongs.add(table.name)
    return result


def _by_table(all_links: Iterable[Link]) -> dict[str, list[Link]]:
    grouped: dict[str, list[Link]] = {}
    for link in all_links:
        grouped.setdefault(link.table.name, []).append(link)
    return grouped


def primary_key(table: Table) -> list[Column]:
    return list(table.primary_key.columns)


def rows_condition(table: Table, rows: list[dict[str, Any]]):
    """A WHERE clause matching exactly these rows by primary key."""
    pk = primary_key(table)
    if len(pk) == 1:
        return pk[0].in_([r[pk[0].name] for r in rows])
    return or_(*(and_(*(c == r[c.name] for c in pk)) for r in rows))


def rows_about(conn: Connection, client_id: int) -> list[Found]:
    """The person's rows in every table that refers to them, parents before children."""
    ids: dict[str, set[Any]] = {CLIENT: {client_id}}
    found: list[Found] = []
    for links_of_table in _by_table(links()).values():
        table = links_of_table[0].table
        usable = [link for link in links_of_table if ids.get(link.parent)]
        entry = Found(table, links_of_table)
        found.append(entry)
        if not usable:
            continue
        query = (
            select(table)
            .where(or_(*(link.column.in_(ids[link.parent]) for link in usable)))
            .order_by(*primary_key(table))
        )
        for row in conn.execute(query).mappings():
            row = dict(row)
            owned = any(
                not link.outlives and row[link.column.name] in ids[link.parent] for link in usable
            )
            (entry.owned if owned else entry.kept).append(row)
        pk = primary_key(table)
        if entry.owned and len(pk) == 1:
            ids[table.name] = {r[pk[0].name] for r in entry.owned}
    return found


def client_row(conn: Connection, client_id: int) -> dict[str, Any] | None:
    table = SQLModel.metadata.tables[CLIENT]
    row = conn.execute(select(table).where(table.c.id == client_id)).mappings().first()
    return dict(row) if row else None


def referenced_rows(
    conn: Connection, client: dict[str, Any], found: list[Found]
) -> dict[str, list[dict[str, Any]]]:
    """Rows the person's rows point at but that are not about them (their coach, the employers
    of their work trials): named in an export so that it reads on its own."""
    belongs = {CLIENT} | {f.table.name for f in found}
    wanted: dict[Table, set[Any]] = {}
    sources = [(SQLModel.metadata.tables[CLIENT], [client])] + [(f.table, f.rows) for f in found]
    for table, rows in sources:
        for fk in table.foreign_keys:
            target = fk.column.table
            if target.name in belongs or target.name == "audit_log":
                continue
            values = {r[fk.parent.name] for r in rows if r[fk.parent.name] is not None}
            if values:
                wanted.setdefault(target, set()).update(values)
    result: dict[str, list[dict[str, Any]]] = {}
    for table, values in sorted(wanted.items(), key=lambda item: item[0].name):
        pk = primary_key(table)[0]
        query = select(table).where(pk.in_(values)).order_by(pk)
        result[table.name] = [dict(r) for r in conn.execute(query).mappings()]
    return result

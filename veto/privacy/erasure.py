"""Forgetting a person (GDPR Art. 17): every row about them, in one transaction.

Rows that belong to the person are deleted; rows that must outlive them (a foreign key ON DELETE
SET NULL, e.g. an employer contact that mentions them) lose the link and their free text. The
access log keeps its rows about them: they hold only codes and numeric references
(`veto.domain.audit` refuses anything else), and the log cannot be changed anyway.

With `keep_statistics`, an anonymous stub stays for the reports: a NEW client row (new id, so the
access log's rows about the person do not lead to it) with a random code, the name "(poistettu)",
gender, background, end date and outcome, and nothing else; the person's phases, placements and
coaching hours move to it with every free-text and pay column cleared. It is a client row rather
than a separate table so that every report counts it without knowing about erasure.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, insert, update
from sqlalchemy.engine import Connection
from sqlmodel import Session, SQLModel

from veto.domain.audit import log_access
from veto.errors import WorkflowError
from veto.i18n import _
from veto.models import AnonymousStub, ChangeEntry, Client
from veto.privacy.records import CLIENT, Found, primary_key, rows_about, rows_condition
from veto.privacy.registry import cleared_columns, policy
from veto.store.history import record_erasure

STUB_NAME = "(poistettu)"


@dataclass
class Erasure:
    """What an erasure did, in numbers only."""

    deleted: int = 0
    unlinked: int = 0
    kept_for_statistics: int = 0
    stub_id: int | None = None


def is_stub(session: Session, client_id: int) -> bool:
    return session.get(AnonymousStub, client_id) is not None


def _make_stub(conn: Connection, person: Client) -> int:
    table = SQLModel.metadata.tables[CLIENT]
    stub_id = conn.execute(
        insert(table)
        .values(
            code=f"anon-{secrets.token_hex(6)}",
            name=STUB_NAME,
            gender=person.gender,
            background=person.background,
            ended_on=person.ended_on,
            outcome=person.outcome,
            created_at=datetime.now(UTC),
        )
        .returning(table.c.id)
    ).scalar_one()
    conn.execute(insert(AnonymousStub.__table__).values(client_id=stub_id))
    return stub_id


def _ids(client_id: int, found: list[Found]) -> dict[str, set]:
    """The primary keys of the person's rows, by table (single-column keys, as links need)."""
    ids: dict[str, set] = {CLIENT: {client_id}}
    for entry in found:
        pk = primary_key(entry.table)
        if len(pk) == 1:
            ids[entry.table.name] = {r[pk[0].name] for r in entry.owned}
    return ids


def _keep_for_stub(entry: Found, stub_id: int, result: Erasure, conn: Connection) -> list:
    """Move the rows linked straight to the client onto the stub; return the rest."""
    direct = [link for link in entry.links if link.parent == CLIENT and not link.outlives]
    if not direct or not policy(entry.table.name).keep_for_statistics:
        return entry.owned
    column = direct[0].column
    moved = [r for r in entry.owned if r[column.name] is not None]
    if moved:
        values = {c.name: None for c in cleared_columns(entry.table)}
        values[column.name] = stub_id
        conn.execute(update(entry.table).where(rows_condition(entry.table, moved)).values(values))
        result.kept_for_statistics += len(moved)
    return [r for r in entry.owned if r[column.name] is None]


def erase_client(
    session: Session, *, client: Client, keep_statistics: bool = False, purpose: str = "erasure"
) -> Erasure:
    """Remove the person and every record about them (see the module docstring). An anonymous
    stub is itself removed for good, `keep_statistics` or not."""
    stub_wanted = keep_statistics and not is_stub(session, client.id)
    if stub_wanted and client.ended_on is None:
        # A stub never ends: it would count as an active client in every report for good.
        raise WorkflowError(
            _(
                "client {code} is still active: end the relationship first "
                "(veto client end {code} --outcome ...) or erase without --keep-statistics"
            ).format(code=client.code)
        )
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        # Freed cells are zeroed instead of left in the page (and in its WAL copy).
        conn.exec_driver_sql("PRAGMA secure_delete=ON")
    client_id = client.id
    result = Erasure()
    found = rows_about(conn, client_id)
    if stub_wanted:
        result.stub_id = _make_stub(conn, client)
    mine = _ids(client_id, found)
    for entry in reversed(found):  # children before the rows they point at
        for row in entry.kept:
            # Only the links that lead to this person go; a link to anyone else stays.
            values = {
                link.column.name: None
                for link in entry.links
                if link.outlives and row[link.column.name] in mine.get(link.parent, ())
            }
            values.update({c.name: None for c in cleared_columns(entry.table)})
            conn.execute(
                update(entry.table).where(rows_condition(entry.table, [row])).values(values)
            )
            result.unlinked += 1
        owned = entry.owned
        if result.stub_id is not None:
            owned = _keep_for_stub(entry, result.stub_id, result, conn)
        if owned:
            conn.execute(delete(entry.table).where(rows_condition(entry.table, owned)))
            result.deleted += len(owned)
    table = SQLModel.metadata.tables[CLIENT]
    conn.execute(delete(table).where(table.c.id == client_id))
    result.deleted += 1
    # The previous versions of their rows go too; the database lets them only now that the
    # client row is gone (revision 0009_change_history). One row says so (for `veto undo`).
    record_erasure(session, client_id)
    history = ChangeEntry.__table__
    result.deleted += conn.execute(delete(history).where(history.c.client_id == client_id)).rowcount
    session.expunge(client)
    log_access(
        session,
        action="client.erase",
        client_id=client_id,
        record=f"client:{client_id}",
        purpose=purpose,
    )
    return result

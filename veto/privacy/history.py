"""Reading the change history (issue 12): a client's changes in order, old → new per field (an
inserted row: its values as new; a deleted one: its values as old).

The sensitive answers (the kartoitus's `sensitive_answers`, the plan's sensitive questions, the
ESF+ sensitive entry data: the same marks `client show --sensitive` reads) are shown only when
asked for; the read is logged in the access log, as sensitive when they are shown.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from veto.domain.audit import log_access
from veto.domain.participants import SENSITIVE as ESF_SENSITIVE
from veto.domain.questions import PLAN_QUESTIONS
from veto.domain.references import find_client
from veto.i18n import N_, NC_
from veto.models import ChangeEntry

COLUMNS = ["change", "at", "user", "command", "record", "operation", "field", "old", "new"]
HIDDEN = N_("(sensitive: add --sensitive)")
# What a change did to its row, as a table names it (JSON and CSV keep the stored word).
OPERATIONS = (
    NC_("operation", "insert"),
    NC_("operation", "update"),
    NC_("operation", "delete"),
)
SENSITIVE_FIELDS = {
    "survey": frozenset({"sensitive_answers"}),
    "job_search_plan": frozenset(q.key for q in PLAN_QUESTIONS if q.sensitive),
    "participant": frozenset(ESF_SENSITIVE),
}


def _shown(value: Any) -> Any:
    """A kept value for the reader: a date as a date (Finnish in a table), a structure as JSON."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def _rows(entry: ChangeEntry, sensitive: bool) -> list[dict[str, Any]]:
    hidden = set() if sensitive else SENSITIVE_FIELDS.get(entry.table_name, frozenset())
    if entry.operation == "update":
        fields = sorted(entry.new or {})
    else:  # an inserted or a deleted row: every value it held
        held = entry.new if entry.operation == "insert" else entry.old
        # An inserted row's created_at is the change's own `at`.
        skip = {"id", "created_at"} if entry.operation == "insert" else {"id"}
        fields = sorted(k for k, v in (held or {}).items() if v is not None and k not in skip)
    rows = []
    for field in fields:
        old = entry.old.get(field)
        new = (entry.new or {}).get(field)
        if field in hidden:
            old = HIDDEN if old is not None else None
            new = HIDDEN if new is not None else None
        rows.append(
            {
                "change": entry.id,
                "at": entry.at.astimezone(),
                "user": entry.actor,
                "command": entry.command,
                "record": f"{entry.table_name}:{entry.row_id}",
                "operation": entry.operation,
                "field": field,
                "old": _shown(old),
                "new": _shown(new),
            }
        )
    return rows


def client_history(session: Session, ref: str, *, sensitive: bool = False) -> list[dict[str, Any]]:
    """Every kept previous version of the client's rows, oldest first, one row per field."""
    client = find_client(session, ref)
    entries = session.exec(
        select(ChangeEntry).where(ChangeEntry.client_id == client.id).order_by(col(ChangeEntry.id))
    )
    rows = [row for entry in entries for row in _rows(entry, sensitive)]
    log_access(
        session,
        action="history.read",
        client_id=client.id,
        record=f"client:{client.id}",
        sensitive=sensitive,
    )
    return rows


# What `veto undo` does with each kind of kept row.
UNDO_DOES = {"insert": "remove", "update": "set back", "delete": "put back"}


def undo_rows(session: Session, command) -> list[dict[str, Any]]:
    """What undoing `command` (veto.domain.undo.Command) takes back, one row per field, newest
    first as the undo goes, sensitive answers hidden; the read is logged per client."""
    rows = []
    for entry in reversed(command.entries):
        for row in _rows(entry, sensitive=False):
            row.pop("change")
            rows.append({"command_id": command.id, **row, "undo": UNDO_DOES[entry.operation]})
    for client_id in sorted({e.client_id for e in command.entries if e.client_id is not None}):
        log_access(session, action="undo.list", client_id=client_id, record=f"client:{client_id}")
    return rows

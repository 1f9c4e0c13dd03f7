"""Erasure is complete: an invented person's name is written into every free-text column of every
row about them, in every table the models have, and after `client erase` or `retention purge` no
byte of it is left in the SQLite files and no row holds it on either back end. On an encrypted
store (VETO_TEST_ENCRYPTED=1) the files hold no text at all, and every page of them decrypted
with the key (free pages and -wal frames included: tests/store_pages.py) holds no byte of it.

The columns come from the models, not from a list here: a new table or text column that erasure
does not reach fails these tests. Invented people only."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import JSON, CheckConstraint, String, update
from sqlmodel import SQLModel

from tests.conftest import encrypted_run, snapshot
from tests.store_pages import readable_bytes
from tests.test_privacy import store_bytes

MARK = "Kowalskaxq"
_NOW = datetime(2024, 5, 7, tzinfo=UTC)
NAME = f"Marta {MARK}"
KEPT = "Kolmasxq"

# Tables that no foreign key leads from to a client, each with why they cannot hold text about
# one: a new table with text and no such reason must be linked to `client` (then erasure finds
# it) or be listed here after thought.
NOT_ABOUT_A_CLIENT = {
    "coach": "the coaches themselves",
    "employer": "the employers",
    "contact_person": "the employers' staff",
    "audit_log": "codes and numeric references only (veto.domain.audit refuses any other text)",
}
# Tables found by their client_id column instead: the change history (append-only, so it cannot
# be written into below; corrections after the name is in put it there, and erasure deletes it).
BY_CLIENT_ID = {"change_history"}


def free_text(table) -> list:
    """Columns that hold text or JSON chosen by a user: not an enumeration (checked by a
    `<table>_<column>_allowed` constraint), not a foreign key."""
    enums = {
        c.name.removeprefix(f"{table.name}_").removesuffix("_allowed")
        for c in table.constraints
        if isinstance(c, CheckConstraint) and str(c.name).endswith("_allowed")
    }
    return [
        c
        for c in table.columns
        if isinstance(getattr(c.type, "impl_instance", c.type), (String, JSON))
        and c.name not in enums
        and not c.foreign_keys
    ]


def _value(column, row: dict, n: int):
    text = f"{NAME} {column.table.name}.{column.name} {n}"
    if isinstance(row[column.name], dict):
        return {"vastaus": text}
    if isinstance(row[column.name], list):
        return [text]
    return text


def _person(ok, tmp_path) -> None:
    """S1 with a record in every table about a client (the name goes in afterwards), K2 who
    stays, and an employer contact about S1 that outlives her."""
    ok("coach", "add", "Liisa Laine")
    ok("employer", "add", "Kahvila Aamu Oy")
    ok("client", "add", "--name", "S", "--gender", "female", "--background", "immigrant",
       "--code", "S1", "--coach", "Liisa Laine", "--birth-year", "1988")  # fmt: skip
    ok("phase", "start", "coaching", "S1", "--on", "1.2.2024")
    ok("phase", "start", "placement", "S1", "--on", "1.5.2024")
    ok("placement", "add", "S1", "--employer", "Kahvila Aamu Oy", "--kind", "work-trial",
       "--start", "2.5.2024", "--title", "t")  # fmt: skip
    ok("activity", "log", "S1", "--hours", "2", "--on", "3.5.2024", "--note", "n")
    survey = tmp_path / "survey.yaml"
    survey.write_text('mental_health: "x"\nsleep: "y"\n', encoding="utf-8")
    ok("survey", "new", "S1", "--from", str(survey), "--on", "2.2.2024")
    plan = tmp_path / "plan.yaml"
    plan.write_text('must_not_tell: "x"\nstrengths: "y"\n', encoding="utf-8")
    ok("plan", "new", "S1", "--from", str(plan), "--on", "3.2.2024")
    ok("esf", "entry", "S1", "--status", "unemployed", "--isced", "3-4")
    ok("contact", "log", "Kahvila Aamu Oy", "--channel", "phone", "--stage", "contact",
       "--client", "S1", "--on", "6.5.2024", "--note", "CV")  # fmt: skip
    ok("note", "add", "S1", "n", "--on", "7.5.2024")
    _draft_of("S1")
    ok("client", "end", "S1", "--outcome", "employed", "--field", "IT", "--on", "1.9.2024")
    ok("client", "add", "--name", f"Kalle {KEPT}", "--gender", "male", "--background", "native",
       "--code", "K2")  # fmt: skip
    ok("phase", "start", "coaching", "K2", "--on", "1.3.2024")
    ok("activity", "log", "K2", "--hours", "1", "--on", "2.3.2024", "--note", f"{KEPT} muistio")


def _draft_of(code: str) -> None:
    """An interrupted survey's answers so far (what `veto survey` keeps on Ctrl-C)."""
    from veto.commands.common import Invocation
    from veto.models import CaptureDraft, Client
    from veto.store.database import engine_for

    with engine_for(Invocation().location).begin() as conn:
        table = Client.__table__
        client_id = conn.execute(table.select().where(table.c.code == code)).mappings().one()["id"]
        conn.execute(
            CaptureDraft.__table__.insert().values(
                client_id=client_id, form="survey", answers={"sleep": "x"}, saved_at=_NOW
            )
        )


def _write_the_name_everywhere() -> dict[str, list[str]]:
    """Put NAME into every free-text column of every row about S1; return what was filled."""
    from veto.commands.common import Invocation
    from veto.privacy.records import CLIENT, links, rows_about, rows_condition
    from veto.store.database import engine_for

    linked = {CLIENT} | {link.table.name for link in links()}
    filled: dict[str, list[str]] = {}
    with engine_for(Invocation().location).begin() as conn:
        client = SQLModel.metadata.tables[CLIENT]
        person = conn.execute(client.select().where(client.c.code == "S1")).mappings().one()
        found = {f.table.name: f.rows for f in rows_about(conn, person["id"])}
        found[CLIENT] = [dict(person)]
        for table in SQLModel.metadata.sorted_tables:
            columns = free_text(table)
            if not columns or table.name in NOT_ABOUT_A_CLIENT or table.name in BY_CLIENT_ID:
                continue
            assert table.name in linked, (
                f"table {table.name} holds text but no foreign key leads from it to a client: "
                "link it (erasure then finds it) or say in NOT_ABOUT_A_CLIENT why it cannot "
                "hold text about a person"
            )
            rows = found.get(table.name, [])
            assert rows, f"add a {table.name} row about S1 to _person, so its text is tested"
            for n, row in enumerate(rows):
                values = {c.name: _value(c, row, n) for c in columns}
                conn.execute(update(table).where(rows_condition(table, [row])).values(values))
            filled[table.name] = [c.name for c in columns]
    return filled


def _nowhere(private_store, backend) -> None:
    rows = repr(snapshot())
    assert MARK not in rows and json.dumps(MARK)[1:-1] not in rows
    assert KEPT in rows  # the other client stays
    if backend == "sqlite":
        everything = readable_bytes(private_store)
        assert MARK.encode() not in everything
        assert KEPT.encode() in everything
        if encrypted_run():  # the files themselves: no text, the kept client's neither
            raw = store_bytes(private_store)
            assert MARK.encode() not in raw and KEPT.encode() not in raw


ERASURES = {
    "erase": ["client", "erase", "1", "--yes"],
    "erase-keep-statistics": ["client", "erase", "1", "--yes", "--keep-statistics"],
    "purge": ["retention", "purge", "--ended-before", "1.1.2025", "--yes"],
    "purge-keep-statistics": [
        "retention", "purge", "--ended-before", "1.1.2025", "--yes", "--keep-statistics",
    ],
}  # fmt: skip


@pytest.mark.parametrize("how", ERASURES)
def test_no_text_about_the_person_is_left_anywhere(ok, backend, private_store, tmp_path, how):
    _person(ok, tmp_path)
    filled = _write_the_name_everywhere()
    # Every table about a client that has text was written into, the contact that outlives her
    # included; the search does find the name before the erasure.
    assert {"client", "placement", "activity", "survey", "job_search_plan", "contact"} <= set(
        filled
    )
    assert filled["contact"] == ["note"]
    # Corrections keep the previous versions, the name in them, in the change history.
    ok("activity", "edit", "1", "--hours", "3")
    ok("activity", "edit", "2", "--hours", "2")  # K2's: stays
    ok("placement", "remove", "1", "--yes")
    history = repr(snapshot()["change_history"])
    assert MARK in history and KEPT in history
    assert MARK in repr(snapshot())
    if backend == "sqlite":  # the search finds it (decrypted, on an encrypted store)
        assert MARK.encode() in readable_bytes(private_store)
    ok(*ERASURES[how])
    _nowhere(private_store, backend)
    contacts = json.loads(ok("contact", "list", "-f", "json"))
    assert [(c["client"], c["note"], c["stage"]) for c in contacts] == [(None, None, "contact")]


def test_the_example_of_issue_18(ok, private_store):
    """`contact log … --note "Marta Kowalska: CV lähetetty"; client erase --yes` left the note."""
    ok("employer", "add", "Lakeuden Datapalvelu Oy")
    ok("client", "add", "--name", NAME, "--gender", "female", "--background", "immigrant",
       "--code", "DEMO02")  # fmt: skip
    ok("contact", "log", "1", "--channel", "phone", "--stage", "contact", "--client", "DEMO02",
       "--note", f"{NAME}: CV lähetetty")  # fmt: skip
    ok("client", "erase", "DEMO02", "--yes")
    assert [c["note"] for c in json.loads(ok("contact", "list", "-f", "json"))] == [None]
    assert MARK.encode() not in readable_bytes(private_store)
    assert MARK.encode() not in store_bytes(private_store)

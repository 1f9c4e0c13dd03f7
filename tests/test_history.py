"""The change history (issue 12): every update and delete of a coach's row keeps the previous
version, `veto history` shows it old → new per field, erasure takes it along, and the database
refuses to change it."""

import json
import os

import pytest

from veto.store import cipher


@pytest.fixture
def client(ok, backend):
    ok("employer", "add", "Kahvila Aamu Oy")
    code = ok(
        "client", "add", "--name", "Aino Esimerkki", "--gender", "f", "--background", "native"
    )
    ok("phase", "start", "coaching", code, "--on", "1.3.2024")
    return code


def history(ok, *args):
    rows = json.loads(ok("history", *args, "-f", "json"))
    for row in rows:
        assert row.pop("at").startswith("20")
    return rows


def changes(ok, *args):
    """The history without the rows the commands inserted."""
    return [row for row in history(ok, *args) if row["operation"] != "insert"]


def acting(user: str) -> str:
    """Who the history names: VETO_USER on SQLite, the server's session_user on PostgreSQL."""
    return user if not os.environ.get("VETO_DATABASE_URL") else os.environ["PGUSER"]


def change(n, command, record, operation, field, old, new=None, user="tester"):
    user = acting(user)
    return {"change": n, "user": user, "command": command, "record": record,
            "operation": operation, "field": field, "old": old, "new": new}  # fmt: skip


def test_corrections_and_removals_show_up_in_order(ok, client, monkeypatch):
    ok("activity", "log", client, "--hours", "10", "--on", "2.3.2024", "--note", "tapaaminen")
    ok("placement", "add", client, "--employer", "Kahvila Aamu Oy", "--kind", "job",
       "--start", "1.4.2024")  # fmt: skip
    assert [(r["change"], r["record"], r["field"], r["new"]) for r in history(ok, client)] == [
        (2, "client:1", "background", "native"), (2, "client:1", "code", client),
        (2, "client:1", "gender", "female"), (2, "client:1", "name", "Aino Esimerkki"),
        (3, "phase:1", "client_id", 1), (3, "phase:1", "kind", "coaching"),
        (3, "phase:1", "start_on", "2024-03-01"),
        (4, "activity:1", "client_id", 1), (4, "activity:1", "hours", "10"),
        (4, "activity:1", "kind", "meeting"), (4, "activity:1", "note", "tapaaminen"),
        (4, "activity:1", "on_date", "2024-03-02"),
        (5, "placement:1", "client_id", 1), (5, "placement:1", "employer_id", 1),
        (5, "placement:1", "kind", "job"), (5, "placement:1", "start_on", "2024-04-01"),
    ]  # fmt: skip
    inserted = history(ok, client)
    assert {(r["command"], r["operation"], r["old"]) for r in inserted} == {
        ("veto client add", "insert", None), ("veto phase start", "insert", None),
        ("veto activity log", "insert", None), ("veto placement add", "insert", None),
    }  # fmt: skip
    monkeypatch.setenv("VETO_USER", "anna")
    ok("phase", "edit", "1", "--start", "1.2.2024")
    ok("activity", "edit", "1", "--hours", "1", "--kind", "phone")
    ok("activity", "remove", "1", "--yes")
    ok("placement", "remove", "1", "--yes")
    rows = [r for r in history(ok, client) if r["operation"] != "insert"]
    created = rows[4]["old"]
    assert created[:2] == "20" and created[10] == "T" and created.endswith("+00:00")
    edit, remove, pr = "veto activity edit", "veto activity remove", "veto placement remove"
    assert [r for r in rows if r["record"] != "placement:1"] == [
        change(6, "veto phase edit", "phase:1", "update", "start_on", "2024-03-01", "2024-02-01",
               user="anna"),
        change(7, edit, "activity:1", "update", "hours", "10", "1", user="anna"),
        change(7, edit, "activity:1", "update", "kind", "meeting", "phone", user="anna"),
        change(8, remove, "activity:1", "delete", "client_id", 1, user="anna"),
        change(8, remove, "activity:1", "delete", "created_at", created, user="anna"),
        change(8, remove, "activity:1", "delete", "hours", "1", user="anna"),
        change(8, remove, "activity:1", "delete", "kind", "phone", user="anna"),
        change(8, remove, "activity:1", "delete", "note", "tapaaminen", user="anna"),
        change(8, remove, "activity:1", "delete", "on_date", "2024-03-02", user="anna"),
    ]  # fmt: skip
    placement = {r["field"]: r["old"] for r in rows if r["record"] == "placement:1"}
    assert {r["command"] for r in rows if r["record"] == "placement:1"} == {pr}
    assert {k: placement[k] for k in ("client_id", "kind", "start_on")} == {
        "client_id": 1, "kind": "job", "start_on": "2024-04-01"
    }  # fmt: skip
    csv = ok("history", client, "-f", "csv").splitlines()
    assert csv[0] == "change,at,user,command,record,operation,field,old,new"
    assert csv[1].endswith(
        f",{acting('tester')},veto client add,client:1,insert,background,,native"
    )
    assert csv[17].endswith(
        f",{acting('anna')},veto phase edit,phase:1,update,start_on,2024-03-01,2024-02-01"
    )
    table = ok("history", client).splitlines()
    assert table[0].split() == COLUMNS
    assert table[18].split()[4:] == ["veto", "phase", "edit", "phase:1", "update", "start_on",
                                     "1.3.2024", "1.2.2024"]  # fmt: skip
    reads = [r for r in json.loads(ok("audit", "-f", "json")) if r["action"] == "history.read"]
    tester, anna = acting("tester"), acting("anna")
    assert [(r["user"], r["record"], r["sensitive"]) for r in reads] == [
        (tester, "client:1", False), (tester, "client:1", False), (anna, "client:1", False),
        (anna, "client:1", False), (anna, "client:1", False),
    ]  # fmt: skip


COLUMNS = ["change", "at", "user", "command", "record", "operation", "field", "old", "new"]


def test_sensitive_answers_only_with_sensitive_and_that_read_is_logged(ok, client, tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text('mental_health: "Ahdistus"\nalcohol: "Ei lainkaan"\n', encoding="utf-8")
    second.write_text('mental_health: "Parempi"\n', encoding="utf-8")
    ok("survey", "new", client, "--from", str(first), "--on", "2.3.2024")
    ok("survey", "edit", "1", "--from", str(second))
    hidden = "(sensitive: add --sensitive)"
    assert changes(ok, client) == [
        change(5, "veto survey edit", "survey:1", "update", "sensitive_answers", hidden, hidden)
    ]
    assert changes(ok, client, "--sensitive") == [
        change(5, "veto survey edit", "survey:1", "update", "sensitive_answers",
               '{"alcohol": "Ei lainkaan", "mental_health": "Ahdistus"}',
               '{"alcohol": "Ei lainkaan", "mental_health": "Parempi"}'),
    ]  # fmt: skip
    reads = [r for r in json.loads(ok("audit", "-f", "json")) if r["action"] == "history.read"]
    assert [r["sensitive"] for r in reads] == [False, True]


def test_erasure_leaves_no_history_behind(ok, client, backend, private_store):
    ok("activity", "log", client, "--hours", "10", "--on", "2.3.2024", "--note", "Salaisuusxq")
    ok("activity", "edit", "1", "--hours", "2")
    ok("activity", "remove", "1", "--yes")
    other = ok("client", "add", "--name", "Eero Esimerkki", "--gender", "m", "--background",
               "native")  # fmt: skip
    ok("phase", "start", "coaching", other, "--on", "1.3.2024")
    ok("phase", "edit", "2", "--start", "2.3.2024")
    assert ok("client", "erase", client, "--yes") == ""
    assert changes(ok, other) == [
        change(9, "veto phase edit", "phase:2", "update", "start_on", "2024-03-01", "2024-03-02")
    ]
    # The other client's two inserts and edit, the employer's insert, and the row that says a
    # client was erased (no client, numbers only).
    assert count_history(backend, private_store) == 5


def count_history(backend, path):
    if backend == "sqlite":
        conn = cipher.connect(path)  # the stdlib driver, or sqlcipher3 with the key
        try:
            return conn.execute("SELECT count(*) FROM change_history").fetchone()[0]
        finally:
            conn.close()
    import psycopg

    with psycopg.connect("") as conn:
        return conn.execute("SELECT count(*) FROM change_history").fetchone()[0]


def test_the_history_refuses_update_and_delete(ok, client, backend, private_store):
    ok("phase", "edit", "1", "--start", "1.2.2024")
    statements = (
        "UPDATE change_history SET actor = 'someone else'",
        "DELETE FROM change_history",
        "DELETE FROM change_history WHERE id = 1",
    )
    if backend == "sqlite":
        conn = cipher.connect(private_store)
        refused = cipher.driver_of(conn).IntegrityError
        for statement in statements:
            with pytest.raises(refused, match="change_history\\) is append-only"):
                conn.execute(statement)
        conn.close()
    else:
        import psycopg

        with psycopg.connect("", autocommit=True) as conn:
            for statement in (*statements, "TRUNCATE change_history"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    conn.execute(statement)
    assert count_history(backend, private_store) == 4
    assert [h["user"] for h in changes(ok, client)] == [acting("tester")]


def test_history_of_an_unknown_client_is_refused(refused, backend):
    refused(
        "history", "X9",
        message="unknown client 'X9': give a client code, numeric id or unique name "
        "(veto client find TEXT)",
    )  # fmt: skip


def test_a_cell_changed_in_the_workbook_is_kept_as_the_import_s_change(ok, client, tmp_path):
    import openpyxl

    ok("client", "edit", client, "--municipality", "Oulu")
    ok("export", "xlsx", "--out", str(tmp_path / "w.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "w.xlsx")
    book["Asiakkaat"]["H2"] = "Kemi"
    book.save(tmp_path / "w2.xlsx")
    ok("import", "xlsx", str(tmp_path / "w2.xlsx"))
    assert [r for r in history(ok, client) if r["field"] == "municipality"] == [
        change(4, "veto client edit", "client:1", "update", "municipality", None, "Oulu"),
        change(5, "veto import xlsx", "client:1", "update", "municipality", "Oulu", "Kemi"),
    ]

"""Login roles on a shared PostgreSQL store, each with the least it needs.

Three group roles hold the privileges and every login role is a member of one of them:

- `veto_admin` owns the schema, every table and sequence: migrations, grants, new roles.
- `veto_coach` reads and writes the records; on the access log only SELECT and INSERT, so no
  row can be changed or removed (and, not being its owner, no trigger dropped).
- `veto_reporter` runs `report pilot|esf|fidelity` and nothing that reveals a person: no SELECT
  on any table of records, only EXECUTE on the report functions (SECURITY DEFINER, owned by
  veto_admin, each returning one report query's counts, sums and means:
  `veto.store.report_functions`), INSERT on the access log for its own rows (and SELECT on its
  id column alone, which the INSERT … RETURNING id of the ORM needs).

Who acted is `session_user`, written by the server (migration 0008_server_actor). Grants are
(re)applied by every `veto db role add|refresh` and after every migration, so tables a new
version adds are covered; the report functions by `veto db role add|refresh`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from veto.errors import InputError
from veto.i18n import _
from veto.store.report_functions import ReportQuery, install

GROUPS = {"admin": "veto_admin", "coach": "veto_coach", "reporter": "veto_reporter"}

# Tables whose rows record what happened: a coach may add rows, never change or remove them.
APPEND_ONLY = ("audit_log", "change_history")

# What a reporter reads directly: the schema's revision (every command checks it on open). Its
# figures come from the report functions (`veto.store.report_functions`), never from a table.
REPORTER_COLUMNS = {"alembic_version": "version_num"}

NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _exists(conn: Connection, role: str) -> bool:
    found = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.first() is not None


def _tables(conn: Connection) -> list[str]:
    return list(
        conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).scalars()
    )


def _columns(conn: Connection, table: str) -> set[str]:
    return set(
        conn.execute(
            text(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_schema = 'public' AND table_name = :t"
            ),
            {"t": table},
        ).scalars()
    )


def ensure_groups(conn: Connection) -> None:
    """Create the three group roles (no login) where missing, the caller a member of admin."""
    for group in GROUPS.values():
        if not _exists(conn, group):
            conn.execute(text(f"CREATE ROLE {group} NOLOGIN"))
    member = conn.execute(text("SELECT pg_has_role(current_user, 'veto_admin', 'MEMBER')"))
    if not member.scalar_one():
        conn.execute(text("GRANT veto_admin TO current_user"))


def apply_grants(conn: Connection) -> None:
    """Give veto_admin the schema and every table, and the coach and reporter their grants."""
    conn.execute(text("ALTER SCHEMA public OWNER TO veto_admin"))
    conn.execute(text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
    conn.execute(text("GRANT USAGE ON SCHEMA public TO veto_coach, veto_reporter"))
    tables = _tables(conn)
    for table in tables:
        conn.execute(text(f'ALTER TABLE "{table}" OWNER TO veto_admin'))
    for function in (
        "audit_log_append_only()",
        "veto_server_actor()",
        "change_history_append_only()",
    ):
        conn.execute(text(f"ALTER FUNCTION {function} OWNER TO veto_admin"))
    conn.execute(text("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM veto_coach, veto_reporter"))
    conn.execute(
        text("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM veto_coach, veto_reporter")
    )
    for table in tables:
        if table == "change_history":  # its trigger lets a row go only with its erased client
            rights = "SELECT, INSERT, DELETE"
        elif table in APPEND_ONLY:
            rights = "SELECT, INSERT"
        elif table == "alembic_version":
            rights = "SELECT"
        else:
            rights = "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(text(f'GRANT {rights} ON "{table}" TO veto_coach'))
    conn.execute(text("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO veto_coach"))
    for table, columns in REPORTER_COLUMNS.items():
        if table in tables:
            present = [c.strip() for c in columns.split(",") if c.strip() in _columns(conn, table)]
            conn.execute(text(f'GRANT SELECT ({", ".join(present)}) ON "{table}" TO veto_reporter'))
    # Its own access-log rows; the ORM's INSERT … RETURNING id needs to see the id, no more.
    conn.execute(text("GRANT INSERT, SELECT (id) ON audit_log TO veto_reporter"))
    sequence = conn.execute(text("SELECT pg_get_serial_sequence('audit_log', 'id')")).scalar_one()
    conn.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO veto_reporter"))


def refresh(engine: Engine) -> None:
    """After a migration on PostgreSQL: grants for the tables it added, when roles are in use."""
    with engine.begin() as conn:
        if _exists(conn, "veto_admin"):
            apply_grants(conn)


def _postgres_only(engine: Engine, command: str) -> None:
    if engine.dialect.name != "postgresql":
        raise InputError(
            _("veto db role {command} works on a PostgreSQL store only (VETO_DATABASE_URL)").format(
                command=command
            )
        )


def refresh_all(engine: Engine, queries: Sequence[ReportQuery]) -> None:
    """The groups, every grant and exactly these report functions (after upgrading veto)."""
    _postgres_only(engine, "refresh")
    with engine.begin() as conn:
        ensure_groups(conn)
        apply_grants(conn)
        install(conn, queries)


def add_role(
    engine: Engine, name: str, kind: str, password: str | None, queries: Sequence[ReportQuery]
) -> None:
    """Create login role `name` as a member of the group of `kind` (admin, coach, reporter),
    with `password` (None: no password, for peer or certificate authentication); the grants
    and the report functions of `queries` are (re)applied with it."""
    _postgres_only(engine, "add")
    if not NAME.fullmatch(name):
        raise InputError(
            _(
                "'{name}' cannot be a role name: use lower-case letters, digits and _ (at most "
                "63, not starting with a digit)"
            ).format(name=name)
        )
    if name in GROUPS.values() or name.startswith("pg_"):
        raise InputError(_("'{name}' is a reserved role name: choose another").format(name=name))
    with engine.begin() as conn:
        if _exists(conn, name):
            raise InputError(_("role '{name}' exists already").format(name=name))
        ensure_groups(conn)
        apply_grants(conn)
        install(conn, queries)
        options = "LOGIN CREATEROLE" if kind == "admin" else "LOGIN"
        if password is not None:
            raw = conn.connection.driver_connection
            # Hashed here (SCRAM), so the password never reaches the server or its logs as text.
            hashed = raw.pgconn.encrypt_password(password.encode(), name.encode()).decode()
            literal = "'" + hashed.replace("'", "''") + "'"
            options += f" PASSWORD {literal}"
        # Not through text(): the SCRAM verifier's colons would read as bind parameters.
        conn.exec_driver_sql(f"CREATE ROLE {name} {options} IN ROLE {GROUPS[kind]}")

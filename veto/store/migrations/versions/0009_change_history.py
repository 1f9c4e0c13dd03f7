"""change history: the previous version of every updated or deleted row (issue 12)

Revision ID: 0009_change_history
Revises: 0008_server_actor

Append-only as the access log is (0004_privacy): the database refuses UPDATE and TRUNCATE, and
DELETE of a row whose client still exists (or that belongs to no client). An erasure deletes the
client row first and then its history, so forgetting a person is the one way a row goes. On
PostgreSQL the actor is `session_user`, as in the access log (`veto_server_actor()`, 0008).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009_change_history"
down_revision = "0008_server_actor"
branch_labels = None
depends_on = None

REFUSAL = "the change history (change_history) is append-only"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER change_history_no_update BEFORE UPDATE ON change_history
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: rows cannot be changed'); END""",
    f"""CREATE TRIGGER change_history_no_delete BEFORE DELETE ON change_history
    WHEN OLD.client_id IS NULL OR EXISTS (SELECT 1 FROM client WHERE id = OLD.client_id)
    BEGIN SELECT RAISE(ABORT, '{REFUSAL}: rows cannot be deleted'); END""",
]

POSTGRES_TRIGGERS = [
    f"""CREATE FUNCTION change_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND OLD.client_id IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM client WHERE id = OLD.client_id) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{REFUSAL}: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER change_history_no_change BEFORE UPDATE OR DELETE ON change_history
    FOR EACH ROW EXECUTE FUNCTION change_history_append_only()""",
    """CREATE TRIGGER change_history_no_truncate BEFORE TRUNCATE ON change_history
    FOR EACH STATEMENT EXECUTE FUNCTION change_history_append_only()""",
    """CREATE TRIGGER change_history_server_actor BEFORE INSERT ON change_history
    FOR EACH ROW EXECUTE FUNCTION veto_server_actor()""",
]


def upgrade() -> None:
    op.create_table(
        "change_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("command", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("operation", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("table_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("old", sa.JSON(), nullable=False),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_change_history_client", "change_history", ["client_id", "id"])
    statements = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS change_history_no_update")
        op.execute("DROP TRIGGER IF EXISTS change_history_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS change_history_no_change ON change_history")
        op.execute("DROP TRIGGER IF EXISTS change_history_no_truncate ON change_history")
        op.execute("DROP TRIGGER IF EXISTS change_history_server_actor ON change_history")
        op.execute("DROP FUNCTION IF EXISTS change_history_append_only()")
    op.drop_index("ix_change_history_client", table_name="change_history")
    op.drop_table("change_history")

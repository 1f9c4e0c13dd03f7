"""history commands: inserts are kept too, and every row names the command it belongs to

Revision ID: 0010_history_commands
Revises: 0009_change_history

`veto undo` takes back one command's rows together: `command_id` (one per veto command, that
is per transaction or `veto batch` line) groups them, `undoes` names the command an undo took
back. Rows kept before this revision have no command id and stay as they are; they cannot be
undone. Adding nullable columns changes no row, so the append-only triggers of 0009 stay.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_history_commands"
down_revision = "0009_change_history"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("change_history", sa.Column("command_id", sa.Integer(), nullable=True))
    op.add_column("change_history", sa.Column("undoes", sa.Integer(), nullable=True))
    op.create_index("ix_change_history_command", "change_history", ["command_id"])
    op.create_index("ix_change_history_actor", "change_history", ["actor", "id"])
    op.create_index("ix_change_history_row", "change_history", ["table_name", "row_id"])
    if op.get_bind().dialect.name == "postgresql":  # see veto.store.history.command_id
        op.execute("CREATE SEQUENCE change_history_command_seq OWNED BY change_history.command_id")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS change_history_command_seq")
    op.drop_index("ix_change_history_row", table_name="change_history")
    op.drop_index("ix_change_history_actor", table_name="change_history")
    op.drop_index("ix_change_history_command", table_name="change_history")
    with op.batch_alter_table("change_history") as batch:
        batch.drop_column("undoes")
        batch.drop_column("command_id")

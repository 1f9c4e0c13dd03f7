"""client notes and the drafts of interrupted surveys and plans (issue 14)

Revision ID: 0007_notes_drafts
Revises: 0006_report_indexes
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007_notes_drafts"
down_revision = "0006_report_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_client_note_client_on", "client_note", ["client_id", "on_date"])
    op.create_table(
        "capture_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("form", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("form IN ('survey', 'plan')", name="capture_draft_form_allowed"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_capture_draft_client_form", "capture_draft", ["client_id", "form"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_capture_draft_client_form", table_name="capture_draft")
    op.drop_table("capture_draft")
    op.drop_index("ix_client_note_client_on", table_name="client_note")
    op.drop_table("client_note")

"""ESF+ participant data at entry, exit and follow-up (issue 8)

Revision ID: 0005_esf
Revises: 0004_privacy
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0005_esf"
down_revision = "0004_privacy"
branch_labels = None
depends_on = None

_ENTRY_ANSWERS = (
    "disability",
    "third_country",
    "foreign_background",
    "minority",
    "homeless",
    "rural",
)
_RESULT_ANSWERS = (
    "job_searching",
    "in_education",
    "qualification",
    "employed_at_exit",
    "employed_6m",
    "improved_6m",
)


def _text(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("entry_on", sa.Date(), nullable=True),
        _text("status", nullable=False),
        _text("isced", nullable=False),
        *(_text(name) for name in _ENTRY_ANSWERS),
        sa.Column("exit_on", sa.Date(), nullable=True),
        sa.Column("exit_answered_on", sa.Date(), nullable=True),
        *(_text(name) for name in _RESULT_ANSWERS[:4]),
        sa.Column("followup_on", sa.Date(), nullable=True),
        *(_text(name) for name in _RESULT_ANSWERS[4:]),
        sa.Column("start_done", sa.Date(), nullable=True),
        sa.Column("end_done", sa.Date(), nullable=True),
        sa.Column("followup_done", sa.Date(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('unemployed', 'long-term-unemployed', 'inactive', 'employed')",
            name="participant_status_allowed",
        ),
        sa.CheckConstraint(
            "isced IN ('0-2', '3-4', '5-8', 'unknown')", name="participant_isced_allowed"
        ),
        *(
            sa.CheckConstraint(
                f"{name} IS NULL OR {name} IN ('yes', 'no', 'not-told')",
                name=f"participant_{name}_allowed",
            )
            for name in _ENTRY_ANSWERS
        ),
        *(
            sa.CheckConstraint(
                f"{name} IS NULL OR {name} IN ('yes', 'no', 'unknown')",
                name=f"participant_{name}_allowed",
            )
            for name in _RESULT_ANSWERS
        ),
        sa.CheckConstraint(
            "improved_6m IS NULL OR status = 'employed'",
            name="improved_only_if_employed_at_entry",
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_id"),
    )


def downgrade() -> None:
    op.drop_table("participant")

"""documents: surveys (kartoitus) and job-search plans (issue 4)

Revision ID: 0002_documents
Revises: 0001_core
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002_documents"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("sensitive_answers", sa.JSON(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('start', 'end')", name="survey_kind_allowed"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_survey_client_taken", "survey", ["client_id", "taken_on"], unique=False)

    op.create_table(
        "job_search_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("drawn_up_on", sa.Date(), nullable=False),
        sa.Column("wishes", sa.JSON(), nullable=False),
        sa.Column("contact_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("workplaces", sa.JSON(), nullable=False),
        sa.Column("strengths", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("skills", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("coaching_wishes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("identity", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("must_not_tell", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("supervisor_contact", sa.Boolean(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "contact_by IS NULL OR contact_by IN ('coach', 'together', 'client')",
            name="job_search_plan_contact_by_allowed",
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_job_search_plan_client_drawn",
        "job_search_plan",
        ["client_id", "drawn_up_on"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_job_search_plan_client_drawn", table_name="job_search_plan")
    op.drop_table("job_search_plan")
    op.drop_index("ix_survey_client_taken", table_name="survey")
    op.drop_table("survey")

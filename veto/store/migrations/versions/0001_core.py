"""core store: coaches, clients, phases, employers, placements, hours, access log

Revision ID: 0001_core
Revises:
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("record", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_client", ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)

    op.create_table(
        "coach",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("area", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "employer",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("business_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("sector", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("municipality", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "client",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("gender", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("background", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("municipality", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("outcome_field", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "background IN ('native', 'immigrant')", name="client_background_allowed"
        ),
        sa.CheckConstraint("gender IN ('female', 'male', 'other')", name="client_gender_allowed"),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN ('employed', 'education', 'work-trial', 'returned', 'other')",
            name="client_outcome_allowed",
        ),
        sa.CheckConstraint("(ended_on IS NULL) = (outcome IS NULL)", name="ended_with_outcome"),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_client_coach_id"), ["coach_id"], unique=False)

    op.create_table(
        "activity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('meeting', 'workplace', 'phone', 'email', 'feedback', 'tripartite', 'other')",
            name="activity_kind_allowed",
        ),
        sa.CheckConstraint("hours > 0 AND hours <= 24", name="hours_in_a_day"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["coach.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index("ix_activity_client_on", ["client_id", "on_date"], unique=False)

    op.create_table(
        "phase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.CheckConstraint("kind IN ('coaching', 'placement')", name="phase_kind_allowed"),
        sa.CheckConstraint("end_on IS NULL OR end_on >= start_on", name="phase_ends_after_start"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.create_index("ix_phase_client_start", ["client_id", "start_on"], unique=False)

    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("tasks", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("supervisor_name", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("supervisor_contact", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("employment_form", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("employment_other", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("hours_per_month", sa.Numeric(precision=6, scale=1), nullable=True),
        sa.Column("full_time", sa.Boolean(), nullable=True),
        sa.Column("pay_per_hour", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("pay_per_month", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("wage_subsidy", sa.Boolean(), nullable=True),
        sa.Column("arrangement_support", sa.Boolean(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "employment_form IS NULL OR employment_form IN ('permanent', 'fixed-term', 'other')",
            name="placement_employment_form_allowed",
        ),
        sa.CheckConstraint(
            "kind IN ('work-trial', 'job', 'apprenticeship')", name="placement_kind_allowed"
        ),
        sa.CheckConstraint(
            "end_on IS NULL OR end_on >= start_on", name="placement_ends_after_start"
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["employer.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_placement_employer_id"), ["employer_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_placement_employer_id"))
        batch_op.drop_index(batch_op.f("ix_placement_client_id"))

    op.drop_table("placement")
    with op.batch_alter_table("phase", schema=None) as batch_op:
        batch_op.drop_index("ix_phase_client_start")

    op.drop_table("phase")
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index("ix_activity_client_on")

    op.drop_table("activity")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_client_coach_id"))

    op.drop_table("client")
    op.drop_table("employer")
    op.drop_table("coach")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index("ix_audit_client")

    op.drop_table("audit_log")

"""employer co-operation: contacts and contact persons (issue 6)

Revision ID: 0003_employers
Revises: 0002_documents
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003_employers"
down_revision = "0002_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_person", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_person_employer_id"), ["employer_id"], unique=False
        )

    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("next_on", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('phone', 'email', 'visit', 'event')", name="contact_channel_allowed"
        ),
        sa.CheckConstraint(
            "stage IN ('mapping', 'contact', 'negotiation', 'decision', 'aftercare')",
            name="contact_stage_allowed",
        ),
        sa.CheckConstraint("next_on IS NULL OR next_on >= on_date", name="contact_next_after_on"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["coach_id"], ["coach.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["employer_id"], ["employer.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["contact_person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index("ix_contact_client_on", ["client_id", "on_date"], unique=False)
        batch_op.create_index("ix_contact_coach_on", ["coach_id", "on_date"], unique=False)
        batch_op.create_index("ix_contact_employer_on", ["employer_id", "on_date"], unique=False)
        batch_op.create_index("ix_contact_next_on", ["next_on"], unique=False)


def downgrade() -> None:
    op.drop_table("contact")
    op.drop_table("contact_person")

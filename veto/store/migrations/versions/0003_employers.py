"""employer co-operation: contacts and contact persons (issue 6)

Revision ID: 0003_employers
Revises: 0002_documents
"""

revision = "0003_employers"
down_revision = "0002_documents"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""server actor: on PostgreSQL the access log's actor is the authenticated database user

Revision ID: 0008_server_actor
Revises: 0007_notes_drafts

A BEFORE INSERT trigger overwrites `actor` with `session_user`, the role the server
authenticated, so a coach cannot write another name into the log (VETO_USER is the client's
claim). `veto_server_actor()` serves any append-only table whose rows name who acted. SQLite
has one user, the file's owner: nothing changes there.
"""

from alembic import op

revision = "0008_server_actor"
down_revision = "0007_notes_drafts"
branch_labels = None
depends_on = None

FUNCTION = """CREATE FUNCTION veto_server_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.actor := session_user;
    RETURN NEW;
END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute(
        "CREATE TRIGGER audit_log_server_actor BEFORE INSERT ON audit_log"
        " FOR EACH ROW EXECUTE FUNCTION veto_server_actor()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_server_actor ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS veto_server_actor()")

"""Alembic environment: runs on the engine veto hands over, in one transaction (or inside the
caller's transaction when it hands over a connection, as the repair of an upgrade does)."""

from contextlib import nullcontext

from alembic import context
from sqlmodel import SQLModel

import veto.models  # noqa: F401  (registers the tables on SQLModel.metadata)

given = context.config.attributes.get("connection")
scope = nullcontext(given) if given is not None else context.config.attributes["engine"].begin()

with scope as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()

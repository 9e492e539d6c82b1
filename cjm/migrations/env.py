"""Alembic environment: migrations run on the connection cjm hands over (``cjm.migrations.upgrade``),
inside its transaction, so an upgrade is all or nothing."""

from alembic import context

from cjm.store import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()

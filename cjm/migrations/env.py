"""Alembic environment: migrations run on the connection cjm hands over (``cjm.migrations.upgrade``),
inside its transaction, so an upgrade is all or nothing."""

from alembic import context

from cjm.store import metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


if getattr(context, "config", None) is not None:  # run by Alembic, not merely imported (doctest collection)
    run_migrations()

"""Alembic environment: the engine is handed in by auditor.store.db (no alembic.ini)."""

from alembic import context

import auditor.store.tables  # noqa: F401  (registers every table on Base.metadata)
from auditor.store.base import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        # Two audits starting on a fresh database must not both create the schema: the
        # second waits here, then finds the schema at head and does nothing.
        connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7262025)")
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()

"""Alembic environment: runs on the engine handed over by evaluator.db.open_database.

The transaction around the migrations (foreign keys off and checked on SQLite, one migration at a
time on PostgreSQL) is evaluator.db_migrate.migration_transaction."""

from alembic import context

from evaluator.db_migrate import migration_transaction
from evaluator.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection, migration_transaction(connection):
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite needs batch mode to alter tables
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()

"""Create or upgrade the schema of a database."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from . import tables


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the current version.

    Until the Alembic migrations land this creates missing tables from the metadata.
    """
    tables.metadata.create_all(engine)

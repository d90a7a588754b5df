"""Create or upgrade the schema of a database with the Alembic migrations shipped in the package."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from . import tables

_HERE = Path(__file__).resolve().parent

# Tables made by migrations outside the metadata: SQLite's FTS5 index over tasks and the
# shadow tables FTS5 creates for it.
FTS_TABLE = "tasks_fts"
TRIGRAM_INDEX = "ix_tasks_trgm_"  # PostgreSQL's search indexes, made by hand where pg_trgm may be created


def target_metadata() -> sa.MetaData:
    """The whole schema's metadata: the ledger tables, the indicator tables, procedures and people."""
    from . import (
        tables_campaigns,  # noqa: F401
        tables_cycle,  # noqa: F401
        tables_indicators,  # noqa: F401  (importing it puts its tables on the metadata)
        tables_jobs,  # noqa: F401
        tables_procedures,  # noqa: F401
    )

    return tables.metadata


def is_managed_table(name: str) -> bool:
    """False for the hand-made full-text index tables, which Alembic must leave alone."""
    return not name.startswith(FTS_TABLE)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter: compare every object but the hand-made full-text tables and trigram indexes."""
    if type_ == "table" and name is not None:
        return is_managed_table(name)
    if type_ == "index" and name is not None:
        return not name.startswith(TRIGRAM_INDEX)
    return True


def compare_options() -> dict[str, object]:
    """Options for autogenerate and for the no-diff test: batch mode, types compared."""
    return {
        "target_metadata": target_metadata(),
        "render_as_batch": True,
        "compare_type": True,
        "include_name": include_name,
    }


def alembic_config() -> Config:
    """The Alembic configuration shipped with the package (works from a wheel or a checkout)."""
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    return config


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the current version (``alembic upgrade head``), in one transaction.

    Guarantees: on SQLite and PostgreSQL alike, an upgrade cut short (an error, kill -9) leaves the
    schema as it was, and a rerun completes it.
    """
    config = alembic_config()
    if engine.dialect.name == "sqlite":
        _upgrade_sqlite(engine, config)
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _upgrade_sqlite(engine: Engine, config: Config) -> None:
    # The sqlite3 module opens a transaction only before INSERT/UPDATE/DELETE, so each CREATE TABLE
    # would commit on its own. Open one explicitly (IMMEDIATE: two processes upgrading queue up).
    with engine.connect() as connection:
        dbapi = connection.connection.driver_connection
        assert dbapi is not None
        dbapi.isolation_level = None  # nothing is pending yet, so this commits nothing
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            connection.commit()
        except BaseException:
            dbapi.rollback()  # a no-op when the transaction is already gone
            raise
        finally:
            dbapi.isolation_level = ""  # back to the module's default for the pooled connection


def schema_state(engine: Engine) -> str:
    """``current`` at the head revision of the shipped migrations, ``empty`` before any, else ``old``."""
    heads = set(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == heads:
        return "current"
    return "empty" if not current else "old"

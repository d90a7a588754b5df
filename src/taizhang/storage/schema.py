"""Create or upgrade the schema of a database with the Alembic migrations shipped in the package."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from . import tables

_HERE = Path(__file__).resolve().parent

# Tables made by migrations outside the metadata: SQLite's FTS5 index over tasks and the
# shadow tables FTS5 creates for it.
FTS_TABLE = "tasks_fts"


def _indicator_metadata() -> sa.MetaData | None:
    if importlib.util.find_spec("taizhang.storage.tables_indicators") is None:
        return None
    return getattr(importlib.import_module("taizhang.storage.tables_indicators"), "metadata", None)


def target_metadata() -> sa.MetaData:
    """The whole schema's metadata, with the indicator tables when that module is installed."""
    _indicator_metadata()  # importing it adds its tables when they are built on tables.metadata
    return tables.metadata


def is_managed_table(name: str) -> bool:
    """False for tables Alembic must leave alone: the full-text index, and indicator tables that
    their module still creates itself on a metadata of its own (they would look like drops)."""
    if name.startswith(FTS_TABLE):
        return False
    own = _indicator_metadata()
    return own is None or own is tables.metadata or name not in own.tables


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic filter: compare every object but the hand-made full-text tables."""
    if type_ == "table" and name is not None:
        return is_managed_table(name)
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
    """Bring the schema to the current version (``alembic upgrade head``), in one transaction."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

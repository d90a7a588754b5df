"""Shared fixtures: the bundled gazette, its gold annotation, and databases.

Storage tests take the ``db_url`` fixture, which runs each test on SQLite and, when a server is
reachable, on PostgreSQL (``TAIZHANG_TEST_DATABASE_URL``, default the local ``test`` database).
Each PostgreSQL test gets a fresh database of its own, so tests may run in parallel.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings as hypothesis_settings

# Property tests are not timed per example: a deadline is a wall-clock assertion that fails on a
# loaded machine (speed is measured in bench/). Tests that set their own settings keep them.
hypothesis_settings.register_profile("untimed", deadline=None)
hypothesis_settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
GAZETTE = ROOT / "src" / "taizhang" / "data" / "zhongwei-gazette-2022-02.txt"
GOLD = Path(__file__).resolve().parent / "fixtures" / "gold" / "zhongwei-gazette-2022-02.gold.json"
STATE_COUNCIL = Path(__file__).resolve().parent / "fixtures" / "state-council-documents.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def gazette_path() -> Path:
    return GAZETTE


@pytest.fixture(scope="session")
def gazette_source():
    from taizhang.sources import read_source

    return read_source(GAZETTE)


@pytest.fixture(scope="session")
def gazette_extraction(gazette_source):
    from taizhang.extract import extract

    return extract(gazette_source)


@pytest.fixture(scope="session")
def gazette_template(tmp_path_factory) -> Path:
    """A SQLite file with the bundled gazette imported and the expert pool entered, made once: a test
    that writes starts from a copy of it (``tests.services.gazette_ledger.copy_of``)."""
    from tests.services.gazette_ledger import imported_engine

    path = tmp_path_factory.mktemp("template") / "ledger.db"
    imported_engine(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def gold() -> dict:
    if not GOLD.exists():
        pytest.skip(f"gold annotation not found at {GOLD}")
    return json.loads(GOLD.read_text(encoding="utf-8"))


def _pg_admin_url() -> str:
    return os.environ.get("TAIZHANG_TEST_DATABASE_URL", PG_DEFAULT)


_pg_status: dict[str, str | None] = {}


def postgres_unreachable_reason() -> str | None:
    """None when PostgreSQL answers; otherwise why not (shown as the skip reason)."""
    if "reason" not in _pg_status:
        try:
            engine = sa.create_engine(_pg_admin_url(), connect_args={"connect_timeout": 3})
            with engine.connect() as conn:
                conn.execute(sa.text("select 1"))
            engine.dispose()
            _pg_status["reason"] = None
        except Exception as exc:  # any driver or network error means "not reachable"
            _pg_status["reason"] = f"PostgreSQL not reachable at {_pg_admin_url()}: {exc.__class__.__name__}"
    return _pg_status["reason"]


def _fresh_pg_database() -> tuple[str, callable]:
    admin_url = sa.engine.make_url(_pg_admin_url())
    name = f"tz_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@contextmanager
def fresh_database_url(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty database on ``backend`` ("sqlite": a file in ``folder``; "postgresql": a
    database of its own, dropped when the block ends). Skips when PostgreSQL is not reachable."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'ledger.db'}"
        return
    reason = postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    url, drop = _fresh_pg_database()
    try:
        yield url
    finally:
        # engines opened on it must be disposed before the drop; FORCE handles stragglers
        drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A URL of an empty database: a SQLite file, then a fresh PostgreSQL database."""
    with fresh_database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A URL of an empty SQLite database file (for tests that need only the embedded database)."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the expected JSON beside each golden fixture from today's output (review the diff).",
    )


@pytest.fixture
def update_golden(request) -> bool:
    """True when the run was asked to rewrite golden fixtures instead of comparing with them."""
    return bool(request.config.getoption("--update-golden"))

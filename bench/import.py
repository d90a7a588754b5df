"""Benchmark: median time to import the bundled gazette into SQLite and into PostgreSQL.

Each run imports into a fresh database (schema created beforehand, not timed): read, extract
and store in one transaction, as ``taizhang import`` does. PostgreSQL comes from
``TAIZHANG_TEST_DATABASE_URL`` (default the local ``test`` database, used only to create and
drop a scratch database per run). Run: ``python bench/import.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from importlib import resources
from pathlib import Path

import sqlalchemy as sa

from taizhang.services.database import open_database
from taizhang.services.import_issue import import_file

PG_ADMIN = os.environ.get("TAIZHANG_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GAZETTE = Path(str(resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt"))


@contextmanager
def sqlite_database() -> Iterator[str]:
    """A fresh SQLite file."""
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    admin_url = sa.engine.make_url(PG_ADMIN)
    name = f"tz_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def time_imports(fresh: Callable[[], AbstractContextManager[str]], runs: int) -> tuple[list[float], int]:
    """Seconds per import over ``runs`` fresh databases, and the tasks stored."""
    times, stored = [], 0
    for _ in range(runs):
        with fresh() as url:
            engine = open_database(url)
            start = time.perf_counter()
            result = import_file(engine, GAZETTE, city="中卫市")
            times.append(time.perf_counter() - start)
            stored = result.tasks
            engine.dispose()
    return times, stored


def main() -> None:
    """Print the median import time on each database, side by side."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for name, fresh in (("SQLite", sqlite_database), ("PostgreSQL", postgres_database)):
        try:
            times, tasks = time_imports(fresh, args.runs)
        except sa.exc.OperationalError as exc:
            print(f"{name}: not reachable ({exc.__class__.__name__}); skipped")
            continue
        rows.append((name, statistics.median(times), min(times), max(times), tasks))
    print(f"import {GAZETTE.name} ({args.runs} runs, fresh database each)")
    print(f"{'database':<12}{'median':>10}{'min':>10}{'max':>10}{'tasks':>8}")
    for name, median, low, high, tasks in rows:
        print(f"{name:<12}{median * 1000:>8.0f}ms{low * 1000:>8.0f}ms{high * 1000:>8.0f}ms{tasks:>8}")
    if len(rows) == 2:
        print(f"PostgreSQL / SQLite: {rows[1][1] / rows[0][1]:.2f}x")


if __name__ == "__main__":
    main()

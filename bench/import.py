"""Benchmark: median time to import the bundled gazette into SQLite and into PostgreSQL.

Each run imports into a fresh database (schema created beforehand, not timed): read, extract
and store in one transaction, as ``taizhang import`` does. PostgreSQL comes from
``TAIZHANG_TEST_DATABASE_URL`` (default the local ``test`` database, used only to create and
drop a scratch database per run). Run: ``python bench/import.py [--runs N] [--copies N] [--store-only]``;
``--store-only`` extracts each input once beforehand and times only storing it.
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

from taizhang.extract import extract
from taizhang.extract.units import default_directory
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import ImportResult, import_file, store_extraction
from taizhang.services.units import load_directory, merged_directory
from taizhang.sources import read_source

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
    name = f"tz_bench_import_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def copy_year(copy: int) -> int:
    """The year printed in the 发文字号 of copy ``copy`` of the gazette: a year a number may carry
    (19xx or 20xx), each copy its own up to 199 copies, never the gazette's own 2022."""
    year = 1900 + copy % 199
    return year + 1 if year >= 2022 else year


def large_input(folder: Path, copies: int, distinct: bool) -> Path:
    """The gazette ``copies`` times in one file: as distinct documents (each copy's 发文字号 in a year of
    its own), or the same documents repeated."""
    text = GAZETTE.read_text(encoding="utf-8")
    parts = [text.replace("〔2022〕", f"〔{copy_year(n)}〕") if distinct else text for n in range(copies)]
    path = folder / f"gazette-x{copies}{'-distinct' if distinct else '-repeated'}.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def time_imports(
    fresh: Callable[[], AbstractContextManager[str]],
    runs: int,
    path: Path = GAZETTE,
    store_only: bool = False,
) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU seconds per import over ``runs`` fresh databases, and the tasks stored."""
    times, cpu, stored = [], [], 0
    store = stored_extraction(path) if store_only else None
    for _ in range(runs):
        with fresh() as url:
            engine = open_database(url)
            start, start_cpu = time.perf_counter(), time.process_time()
            result = store(engine) if store else import_file(engine, path, city="中卫市")
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            stored = result.tasks
            engine.dispose()
    return times, cpu, stored


def stored_extraction(path: Path) -> Callable[[sa.Engine], ImportResult]:
    """Storing ``path``'s extraction, made once here, in one transaction: the import without reading
    and extracting (a fresh ledger holds no units of its own, so the bundled directory is the one)."""
    source = read_source(path)
    directory = default_directory("中卫市")
    extraction = extract(source, directory)

    def store(engine: sa.Engine) -> ImportResult:
        with engine.connect() as conn:
            merged = merged_directory(load_directory(conn), directory)
        with unit_of_work(engine) as conn:
            return store_extraction(conn, source, extraction, directory=merged)

    return store


def main() -> None:
    """Print the median import time on each database, side by side."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--copies",
        type=int,
        default=0,
        help="also import a large input: the gazette N times, as distinct and as repeated documents",
    )
    parser.add_argument(
        "--store-only", action="store_true", help="time storing only: each input is extracted once beforehand"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        inputs = [GAZETTE]
        if args.copies:
            inputs += [large_input(Path(folder), args.copies, distinct) for distinct in (True, False)]
        for path in inputs:
            report(path, args.runs if path == GAZETTE else max(1, args.runs // 2), args.store_only)


def report(path: Path, runs: int, store_only: bool = False) -> None:
    """Median import time of ``path`` on each database, its throughput, and the ratio between them."""
    megabytes = path.stat().st_size / 1_000_000
    rows = []
    for name, fresh in (("SQLite", sqlite_database), ("PostgreSQL", postgres_database)):
        try:
            times, cpu, tasks = time_imports(fresh, runs, path, store_only)
        except sa.exc.OperationalError as exc:
            print(f"{name}: not reachable ({exc.__class__.__name__}); skipped")
            continue
        rows.append((name, statistics.median(times), statistics.median(cpu), tasks))
    what = "store" if store_only else "import"
    print(f"{what} {path.name}, {megabytes:.2f} MB ({runs} runs, fresh database each)")
    print(f"{'database':<12}{'median':>10}{'MB/s':>8}{'CPU':>10}{'MB/s CPU':>10}{'tasks':>8}")
    for name, median, median_cpu, tasks in rows:
        print(
            f"{name:<12}{median * 1000:>8.0f}ms{megabytes / median:>8.2f}{median_cpu * 1000:>8.0f}ms"
            f"{megabytes / median_cpu:>10.2f}{tasks:>8}"
        )
    if len(rows) == 2:
        print(f"PostgreSQL / SQLite: {rows[1][1] / rows[0][1]:.2f}x")


if __name__ == "__main__":
    main()

"""Benchmark: does the ledger stay fast as it grows? p50/p95 of the dashboard, the office page and
each listing filter on generated ledgers of 100,000 and 1,000,000 tasks, on SQLite and PostgreSQL,
with the growth ratio (big / small) of each.

Ledgers are made by ``bench/ledger_gen.py`` (bulk writes, minutes not hours) and kept in
``--cache`` (SQLite files) or PostgreSQL databases named ``<--pg-prefix>_<size>``, so a second run
measures at once (``--rebuild`` makes them again). The app serves both ledgers of a database at
once, each under uvicorn in a subprocess; one client sends ``--requests`` requests per endpoint
after a warm-up, one at a time, to the small and the big ledger in turn, so a busy moment of a
shared machine slows both sides of a growth ratio alike (latency, not throughput: ``bench/web.py``
measures throughput against /api/ping). A request slower than ``--timeout`` seconds ends that
ledger's series of the endpoint (printed as such), so a run stays bounded.
``--cpu`` times the dashboard (on three days) and the listing filters in this process instead, by
CPU time on SQLite: on a shared, loaded machine the wall clock measures the other work.

Run from a checkout: ``python bench/scale.py [--sizes 100000 1000000] [--backends sqlite postgresql]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ledger_gen import AS_OF, generate  # noqa: E402

from web import _free_port, start_server  # noqa: E402

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
UNIT = "测试市第2局"
ENDPOINTS = {
    "ping": "/api/ping",
    "dashboard": f"/api/dashboard?as_of={AS_OF}",
    "office page /": "/",
    "unit": f"/api/tasks?unit={UNIT}",
    "unit+role": f"/api/tasks?unit={UNIT}&role=lead",
    "status": "/api/tasks?status=推进中",
    "overdue": f"/api/tasks?overdue=true&as_of={AS_OF}",
    "due range": "/api/tasks?due_after=2022-07-01&due_before=2022-07-31",
    "document": "/api/tasks?document=测政办发〔2021〕2号",
    "search": "/api/tasks?q=公立医院综合",
}


PG_PREFIX = ["taizhang_scale"]  # --pg-prefix: the databases' names, <prefix>_<size>


def _pg_name(size: int) -> str:
    return f"{PG_PREFIX[0]}_{size}"


def _pg_url(size: int) -> str:
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{_pg_name(size)}"


# The listing filters again, as the service takes them: ``--cpu`` times them in this process by
# CPU time, which a loaded machine does not inflate the way it does wall-clock latency. They are
# timed as the task API reads them (``task_json.task_page``, a page of 50 with its count).
LISTINGS = {
    "unit": {"unit": UNIT},
    "unit+role": {"unit": UNIT, "role": "lead"},
    "status": {"status": "推进中"},
    "overdue": {"overdue_as_of": AS_OF},
    "due range": {"due_after": date(2022, 7, 1), "due_before": date(2022, 7, 31)},
    "document": {"document": "测政办发〔2021〕2号"},
    "search": {"q": "公立医院综合"},
}


DASHBOARD_DAYS = {"dashboard": AS_OF, "dashboard 2000": date(2000, 1, 3), "dashboard 2099": date(2099, 12, 1)}


def measure_cpu(url: str, requests: int) -> dict[str, tuple[float, float, int] | None]:
    """name → (p50 ms, p95 ms, tasks counted) of the dashboard on three days and of the task API's
    page (``task_page``) for each listing filter: CPU time on
    SQLite (the database works in this process), wall clock on PostgreSQL (it works in the server)."""
    from taizhang.services.dashboard import dashboard
    from taizhang.services.database import open_database
    from taizhang.services.queries import TaskFilter
    from taizhang.services.task_json import task_page

    engine = open_database(url, migrate=False)
    clock = time.process_time if url.startswith("sqlite") else time.perf_counter
    out: dict[str, tuple[float, float, int] | None] = {}
    try:
        with engine.connect() as conn:
            for name, day in DASHBOARD_DAYS.items():  # the dashboard's counts and lists, any day alike
                dashboard(conn, day)
                times = []
                for _ in range(requests):
                    start = clock()
                    data = dashboard(conn, day)
                    times.append(clock() - start)
                cuts = statistics.quantiles(times, n=20) if len(times) > 1 else [times[0]] * 19
                out[name] = (statistics.median(times) * 1000, cuts[18] * 1000, data["total"])
            for name, wanted in LISTINGS.items():
                task_page(conn, TaskFilter(**wanted))  # type: ignore[arg-type]  # warm-up
                times = []
                for _ in range(requests):
                    start = clock()
                    page = task_page(conn, TaskFilter(**wanted))  # type: ignore[arg-type]
                    times.append(clock() - start)
                cuts = statistics.quantiles(times, n=20) if len(times) > 1 else [times[0]] * 19
                out[name] = (statistics.median(times) * 1000, cuts[18] * 1000, page.count)
    finally:
        engine.dispose()
    return out


def _pg_reachable() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # any driver error: no PostgreSQL here
        return False


def ledger(backend: str, size: int, cache: Path, rebuild: bool) -> tuple[str, dict[str, str]]:
    """The URL of a generated ledger of ``size`` tasks (made now if missing) and its tokens."""
    meta = cache / f"{backend}-{size}.json"
    if backend == "sqlite":
        path = cache / f"scale-{size}.db"
        url = f"sqlite:///{path}"
        if rebuild or not meta.exists() or not path.exists():
            for stale in cache.glob(f"scale-{size}.db*"):
                stale.unlink()
            meta.write_text(json.dumps(generate(url, size, echo=lambda s: None)))
    else:
        url = _pg_url(size)
        if rebuild or not meta.exists():
            admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {_pg_name(size)}"))
                conn.execute(sa.text(f"CREATE DATABASE {_pg_name(size)}"))
            admin.dispose()
            meta.write_text(json.dumps(generate(url, size, echo=lambda s: None)))
    info = json.loads(meta.read_text())
    return url, info["tokens"]


def measure(
    bases: dict[int, tuple[str, str]], requests: int, timeout: float
) -> dict[int, dict[str, tuple[float, float, int] | None]]:
    """size → name → (p50 ms, p95 ms, response bytes), or None when a request took longer than
    ``timeout``. ``bases`` maps each ledger's size to its server's URL and the office's token.

    The ledgers are asked in turn, request by request (one client): a busy moment on a shared
    machine slows both sides of a growth ratio alike instead of one of them.
    """
    clients = {
        size: httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
        for size, (base, token) in bases.items()
    }
    out: dict[int, dict[str, tuple[float, float, int] | None]] = {size: {} for size in bases}
    try:
        for name, path in ENDPOINTS.items():
            times: dict[int, list[float]] = {size: [] for size in bases}
            sizes: dict[int, int] = {}
            waiting = list(bases)  # the ledgers still answering within the timeout
            for turn in range(requests + 1):  # the first turn warms up
                for size in list(waiting):
                    try:
                        start = time.perf_counter()
                        response = clients[size].get(path)
                        took = time.perf_counter() - start
                        response.raise_for_status()
                    except httpx.TimeoutException:
                        out[size][name] = None
                        waiting.remove(size)
                        continue
                    if turn:
                        times[size].append(took)
                        sizes[size] = len(response.content)
            for size in waiting:
                found = times[size]
                cuts = statistics.quantiles(found, n=20) if len(found) > 1 else [found[0]] * 19
                out[size][name] = (statistics.median(found) * 1000, cuts[18] * 1000, sizes[size])
    finally:
        for client in clients.values():
            client.close()
    return out


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:  # still busy with a request that timed out
        server.kill()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000], metavar=("SMALL", "BIG"))
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--requests", type=int, default=60, help="per endpoint, after one warm-up request")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds: a slower request ends its series"
    )
    parser.add_argument("--cache", type=Path, default=Path("/tmp/taizhang-scale"))
    parser.add_argument("--rebuild", action="store_true", help="generate the ledgers again")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=list(ENDPOINTS),
        metavar="NAME",
        help=f"measure only these endpoints (of: {', '.join(ENDPOINTS)})",
    )
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the dashboard and the listing filters in this process by CPU time "
        "(SQLite; wall clock on PostgreSQL) instead of over HTTP",
    )
    parser.add_argument(
        "--pg-prefix", default=PG_PREFIX[0], help="PostgreSQL ledgers are named PREFIX_<size>"
    )
    args = parser.parse_args()
    PG_PREFIX[0] = args.pg_prefix
    for name in set(ENDPOINTS) - set(args.only or ENDPOINTS):
        del ENDPOINTS[name]
    args.cache.mkdir(parents=True, exist_ok=True)
    for backend in args.backends:
        if backend == "postgresql" and not _pg_reachable():
            print("postgresql: not reachable at 127.0.0.1:5432, skipped")
            continue
        results = {}
        ready = {}
        for size in args.sizes:
            began = time.perf_counter()
            ready[size] = ledger(backend, size, args.cache, args.rebuild)
            print(
                f"{backend} {size:,} tasks: ledger ready in {time.perf_counter() - began:.0f} s", flush=True
            )
            if args.cpu:
                results[size] = measure_cpu(ready[size][0], args.requests)
                for name, figures in results[size].items():
                    assert figures is not None
                    print(
                        f"  {backend} {size:>9,}  {name:<16} p50 {figures[0]:7.2f} ms  p95 {figures[1]:7.2f} ms"
                        f"  count {figures[2]}",
                        flush=True,
                    )
        if not args.cpu:
            servers, bases = [], {}
            try:
                for size, (url, tokens) in ready.items():  # both ledgers served at once, asked in turn
                    port = _free_port()
                    servers.append(start_server(url, port))
                    bases[size] = (f"http://127.0.0.1:{port}", tokens["bench-office"])
                results = measure(bases, args.requests, args.timeout)
            finally:
                for server in servers:
                    _stop(server)
            for size in args.sizes:
                for name, figures in results[size].items():
                    shown = (
                        f"p50 {figures[0]:9.1f} ms  p95 {figures[1]:9.1f} ms  {figures[2]:>9} bytes"
                        if figures
                        else f"slower than {args.timeout} s"
                    )
                    print(f"  {backend} {size:>9,}  {name:<16} {shown}", flush=True)
        small, big = args.sizes
        how = (
            ("task_page in this process, " + ("CPU time" if backend == "sqlite" else "wall clock"))
            if args.cpu
            else "one client, the two ledgers asked in turn"
        )
        print(
            f"\n{backend}: p50 / p95 in ms ({args.requests} requests each, {how}), growth = p50 big / small"
        )
        print(
            f"{'endpoint':<16} {small:>10,} p50   p95 {big:>12,} p50   p95   growth  "
            f"{'count' if args.cpu else 'bytes'}(big)"
        )
        for name in results[small]:
            a, b = results[small][name], results[big][name]
            left = f"{a[0]:9.1f} {a[1]:7.1f}" if a else f"{'> ' + str(args.timeout) + ' s':>17}"
            right = f"{b[0]:11.1f} {b[1]:7.1f}" if b else f"{'> ' + str(args.timeout) + ' s':>19}"
            growth = f"{b[0] / a[0]:6.2f}x" if a and b else "     —"
            print(f"{name:<16} {left}  {right}  {growth}  {b[2] if b else '—':>9}")
        print(flush=True)


if __name__ == "__main__":
    main()

"""Benchmark: requests/s and p50/p95 latency of ``GET /api/tasks?unit=...`` on 100,000 tasks,
side by side with ``GET /api/ping`` (a constant from the same app), and their ratio.

The database is generated, not committed: the bundled gazette is imported (documents, units,
real tasks), then tasks are added by cycling through its real tasks with units drawn from its
unit directory until there are 100,000. The app runs under uvicorn in a subprocess on 127.0.0.1;
a few worker threads send a bounded number of requests with httpx, and the server's CPU time per
request is read from /proc (on a loaded machine the ratio of CPU per request is the steadier
figure: requests/s also measures the other work). Last, ``GET /api/dashboard``
(every task judged for its warning light) is timed one request at a time, as of the demo's day.
Run from a checkout: ``python bench/web.py [--tasks N] [--requests N] [--workers N] [--db URL] [--dashboard N]``.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from importlib import resources
from pathlib import Path

import httpx
import sqlalchemy as sa

from taizhang.services import accounts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from taizhang.storage.tables import assignments, documents, tasks, units

GAZETTE = Path(str(resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt"))
QUERY_UNIT = "市卫生健康委"
BATCH = 5000
DASHBOARD_AS_OF = "2022-06-30"  # the demo's day: the gazette's deadlines judged as of mid-2022


def _task_rows(conn: sa.Connection, target: int, rng: random.Random) -> int:
    """Add tasks shaped like the gazette's own until there are ``target``; returns how many were added."""
    have = conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar_one()
    seeds = [dict(r._mapping) for r in conn.execute(sa.select(tasks))]
    doc_ids = list(conn.execute(sa.select(documents.c.id)).scalars())
    unit_ids = list(conn.execute(sa.select(units.c.id).where(units.c.kind != "group")).scalars())
    if not seeds:
        seeds = [
            {
                "title": "推进重点工作",
                "body": "",
                "line": 1,
                "line_start": 1,
                "line_end": 1,
                "source": "text",
                "deadline_kind": "none",
                "deadline_text": None,
                "due_on": None,
            }
        ]
    next_id = (conn.execute(sa.select(sa.func.max(tasks.c.id))).scalar() or 0) + 1
    added = 0
    while have + added < target:
        size = min(BATCH, target - have - added)
        task_rows, unit_rows = [], []
        for n in range(size):
            seed, task_id = seeds[(added + n) % len(seeds)], next_id + added + n
            due = seed.get("due_on")
            task_rows.append(
                {
                    "id": task_id,
                    "document_id": rng.choice(doc_ids),
                    "key": f"bench-{task_id}",
                    "source": seed["source"],
                    "label": str(task_id),
                    "title": f"{seed['title']}（第{task_id}项）",
                    "body": seed.get("body") or "",
                    "line": seed["line"],
                    "line_start": seed["line_start"],
                    "line_end": seed["line_end"],
                    "deadline_kind": seed["deadline_kind"],
                    "deadline_text": seed.get("deadline_text"),
                    "due_on": due + timedelta(days=rng.randint(-90, 365)) if due else None,
                    "status": rng.choice(("未开始", "推进中", "已完成", "长期坚持")),
                    "percent": rng.randint(0, 100),
                    "needs_review": False,
                    "review_notes": [],
                    "is_public": False,
                }
            )
            for position, (unit_id, role) in enumerate(
                zip(rng.sample(unit_ids, 3), ("lead", "responsible", "cooperating"), strict=True)
            ):
                unit_rows.append(
                    {
                        "task_id": task_id,
                        "unit_id": unit_id,
                        "role": role,
                        "printed": "",
                        "position": position,
                    }
                )
        conn.execute(tasks.insert(), task_rows)
        conn.execute(assignments.insert(), unit_rows)
        added += size
    return added


def build_database(url: str, target: int) -> str:
    """Import the gazette, grow it to ``target`` tasks, and return a bearer token for a leader account."""
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        added = _task_rows(conn, target, random.Random(20220221))
        accounts.add_user(conn, "bench-leader", "bench-password-1", "leader")
        token = accounts.issue_token(conn, "bench-leader")
        total = conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar_one()
        unit_count = conn.execute(sa.select(sa.func.count()).select_from(units)).scalar_one()
    engine.dispose()
    print(f"database: {total} tasks ({added} generated) over {unit_count} units of the bundled gazette")
    return token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    """``taizhang.web.server.run_server`` in a subprocess; returns once it answers /api/ping."""
    code = f"from taizhang.web.server import run_server; run_server({url!r}, '127.0.0.1', {port}, dev=True)"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/ping", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not start within 60 s")


def drive(url: str, requests: int, workers: int, headers: dict[str, str]) -> tuple[float, list[float]]:
    """Send ``requests`` GETs from ``workers`` threads; returns requests/s and each latency in seconds."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = iter(range(requests))

    def worker() -> None:
        with httpx.Client(headers=headers, timeout=30) as client:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                start = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - start
                response.raise_for_status()
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return requests / (time.perf_counter() - began), latencies


def server_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) the server process has used so far, or None off Linux.

    On a loaded machine requests/s measures the other work as much as ours; the server's CPU time
    per request does not, and its ratio is the throughput ratio the endpoints would have on a
    machine of their own.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(name: str, rate: float, latencies: list[float]) -> None:
    """One line: requests/s, p50 and p95 in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{name:<32} {rate:8.1f} req/s   p50 {cuts[49] * 1000:7.1f} ms   p95 {cuts[94] * 1000:7.1f} ms")


def time_dashboard(base: str, headers: dict[str, str], requests: int) -> None:
    """One line: the median time of ``GET /api/dashboard`` (every task judged), one request at a time."""
    url = f"{base}/api/dashboard?as_of={DASHBOARD_AS_OF}"
    times = []
    with httpx.Client(headers=headers, timeout=120) as client:
        for _ in range(requests):
            start = time.perf_counter()
            client.get(url).raise_for_status()
            times.append(time.perf_counter() - start)
    print(
        f"GET /api/dashboard?as_of={DASHBOARD_AS_OF}  median {statistics.median(times) * 1000:7.0f} ms "
        f"over {requests} requests"
    )


def main() -> None:
    """Build the database, start the server, measure both endpoints, print the ratio."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000, help="per endpoint (after 50 warm-up requests)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--db", help="an existing benchmark database URL (skips building one)")
    parser.add_argument("--token", help="bearer token for --db")
    parser.add_argument("--dashboard", type=int, default=3, help="dashboard requests to time (0: skip)")
    parser.add_argument(
        "--unit",
        default=QUERY_UNIT,
        help="the unit listed (e.g. 测试市第2局 on a bench/ledger_gen.py ledger)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'bench-web.db'}"
        token = args.token if args.db else build_database(url, args.tasks)
        port = _free_port()
        server = start_server(url, port)
        try:
            base, headers = f"http://127.0.0.1:{port}", {"Authorization": f"Bearer {token}"}
            endpoints = {
                "GET /api/ping": f"{base}/api/ping",
                f"GET /api/tasks?unit={args.unit}": f"{base}/api/tasks?unit={args.unit}",
            }
            results, cpu = {}, {}
            for name, target in endpoints.items():
                drive(target, 50, args.workers, headers)  # warm-up: connections, caches, SQLite pages
                before = server_cpu(server.pid)
                results[name] = drive(target, args.requests, args.workers, headers)
                after = server_cpu(server.pid)
                report(name, *results[name])
                if before is not None and after is not None:
                    cpu[name] = (after - before) / args.requests
                    print(f"{'':<32} server CPU {cpu[name] * 1000:6.2f} ms per request")
            ping, listing = (results[name][0] for name in endpoints)
            print(
                f"ratio tasks/ping: {listing / ping:.3f} ({args.workers} workers, {args.requests} requests each, "
                f"one uvicorn process)"
            )
            if len(cpu) == len(endpoints):
                ping_cpu, listing_cpu = (cpu[name] for name in endpoints)
                print(f"ratio by server CPU per request (ping / tasks): {ping_cpu / listing_cpu:.3f}")
            if args.dashboard:
                time_dashboard(base, headers, args.dashboard)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()

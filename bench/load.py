"""Load benchmark: many concurrent clients against ``taizhang serve`` on loopback, then a login flood.

Phase 1: ``--clients`` threads (default 50) for ``--seconds`` (default 60, at most 120) each loop over
a mix of listings (``GET /api/tasks``), task pages (``GET /api/tasks/{id}``), the dashboard and
report POSTs (each with an ``Idempotency-Key``). Prints requests/s, errors, timeouts, p50/p95 of
reads and writes, and checks that every acknowledged report is in the database afterwards.
Phase 2: ``--logins`` (default 100) concurrent failed logins while one client times an unrelated
``GET /api/tasks/{id}``; prints that request's median and worst latency.

``--cpu N`` first sends each kind of request N times from one client, one at a time, and prints the
server's CPU per request of each kind: the server's cost without the machine's other load in the
queue (CPU seconds move much less with load than latencies do).

``--servers N`` starts N server processes on N ports. By default the deployment docs/deploying.md
describes: one process on SQLite (a county's one machine), one per core on PostgreSQL (behind a
reverse proxy). Client ``i`` talks to server ``i mod N`` (the proxy's round robin) and the server CPU
printed is the sum over all of them. The login flood and its timed request go to the first server.

Loopback only, bounded in count and time. The database is built fresh from the bundled gazette
(SQLite in a temporary folder, or an empty PostgreSQL database given with ``--db``).
Run from a checkout: ``python bench/load.py [--clients N] [--seconds S] [--logins N] [--servers N] [--db URL]``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import httpx
import sqlalchemy as sa

from taizhang.services import accounts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from taizhang.storage.tables import assignments, reports, tasks, units

GAZETTE = Path(str(resources.files("taizhang") / "data" / "zhongwei-gazette-2022-02.txt"))
MAX_SECONDS = 120
TIMEOUT = 10.0


def build(url: str) -> tuple[str, str, list[int], list[int]]:
    """Import the gazette; returns a leader token, a unit token, all task ids and the unit's task ids."""
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        unit_id, unit_name = conn.execute(
            sa.select(units.c.id, units.c.name)
            .join(assignments, assignments.c.unit_id == units.c.id)
            .where(units.c.kind != "group")
            .group_by(units.c.id, units.c.name)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).one()
        own = list(
            conn.execute(
                sa.select(assignments.c.task_id).where(assignments.c.unit_id == unit_id).distinct()
            ).scalars()
        )
        every = list(conn.execute(sa.select(tasks.c.id)).scalars())
        accounts.add_user(conn, "load-leader", "load-password-1", "leader")
        accounts.add_user(conn, "load-unit", "load-password-1", "unit", unit_name)
        leader, unit = accounts.issue_token(conn, "load-leader"), accounts.issue_token(conn, "load-unit")
    engine.dispose()
    return leader, unit, every, own


def start_server(url: str, port: int) -> subprocess.Popen:
    """``run_server`` in a subprocess on 127.0.0.1 with a random key; returns once it answers."""
    env = {**os.environ, "TAIZHANG_SECRET_KEY": secrets.token_urlsafe(48)}
    code = f"from taizhang.web.server import run_server; run_server({url!r}, '127.0.0.1', {port})"
    proc = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/ping", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("the server did not start")


class Tally:
    """Latencies and failures of phase 1, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reads: list[float] = []
        self.writes: list[float] = []
        self.errors: dict[str, int] = {}
        self.acknowledged: list[int] = []

    def fail(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def client_loop(
    base: str,
    leader: dict,
    unit: dict,
    every: list[int],
    own: list[int],
    until: float,
    tally: Tally,
    seed: int,
) -> None:
    """One client: reads and writes in turn until ``until``."""
    steps = itertools.cycle(("list", "task", "dashboard", "task", "report"))
    with httpx.Client(base_url=base, timeout=TIMEOUT) as http:
        for n, step in enumerate(steps):
            if time.monotonic() >= until:
                return
            started = time.perf_counter()
            try:
                response = send(http, step, n, seed, leader, unit, every, own)
            except httpx.TimeoutException:
                tally.fail(f"{step} timeout")
                continue
            except httpx.HTTPError as exc:
                tally.fail(f"{step} {type(exc).__name__}")
                continue
            elapsed = time.perf_counter() - started
            with tally.lock:
                (tally.writes if step == "report" else tally.reads).append(elapsed)
            if step == "report" and response.status_code == 201:
                with tally.lock:
                    tally.acknowledged.append(response.json()["id"])
            elif response.status_code >= 400:
                tally.fail(f"{step} {response.status_code}")


def server_cpu(*servers: subprocess.Popen) -> float:
    """CPU seconds (user + system) the server processes have used so far; 0 where /proc is missing."""
    total = 0.0
    for server in servers:
        try:
            fields = Path(f"/proc/{server.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values, default=0.0)


def phase_clients(
    bases: list[str],
    url: str,
    tokens: tuple[str, str],
    every: list[int],
    own: list[int],
    clients: int,
    seconds: float,
    servers: list[subprocess.Popen],
) -> None:
    leader, unit = ({"Authorization": f"Bearer {t}"} for t in tokens)
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client_loop, args=(bases[i % len(bases)], leader, unit, every, own, until, tally, i)
        )
        for i in range(clients)
    ]
    started, cpu = time.perf_counter(), server_cpu(*servers)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall, cpu = time.perf_counter() - started, server_cpu(*servers) - cpu
    done = len(tally.reads) + len(tally.writes)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        stored = set(conn.execute(sa.select(reports.c.id)).scalars())
    engine.dispose()
    lost = [i for i in tally.acknowledged if i not in stored]
    print(
        f"{clients} clients on {len(servers)} server process(es) for {wall:.0f} s: {done} requests, {done / wall:.1f} req/s, "
        f"errors {sum(tally.errors.values())} {tally.errors or ''}"
    )
    print(f"  server CPU {cpu:.1f} s, {cpu / max(done, 1) * 1000:.1f} ms per request")
    print(
        f"  reads  n={len(tally.reads)} p50 {statistics.median(tally.reads or [0]) * 1000:.0f} ms "
        f"p95 {p95(tally.reads) * 1000:.0f} ms"
    )
    print(
        f"  writes n={len(tally.writes)} p50 {statistics.median(tally.writes or [0]) * 1000:.0f} ms "
        f"p95 {p95(tally.writes) * 1000:.0f} ms; acknowledged {len(tally.acknowledged)}, missing afterwards "
        f"{len(lost)}"
    )


KINDS = ("list", "task", "dashboard", "report")


def send(
    http: httpx.Client,
    step: str,
    n: int,
    seed: int,
    leader: dict,
    unit: dict,
    every: list[int],
    own: list[int],
) -> httpx.Response:
    """One request of kind ``step`` (the ``n``-th of client ``seed``)."""
    if step == "report":
        key = f"load-{seed}-{n}"
        return http.post(
            f"/api/tasks/{own[(seed + n) % len(own)]}/reports",
            headers={**unit, "Idempotency-Key": key},
            json={"practice": f"负载测试 {key}", "percent": n % 100},
        )
    if step == "list":
        return http.get("/api/tasks", params={"limit": 20, "offset": (n * 20) % 200}, headers=leader)
    if step == "task":
        return http.get(f"/api/tasks/{every[(seed * 7 + n) % len(every)]}", headers=leader)
    return http.get("/api/dashboard", headers=leader)


def phase_cpu(
    base: str, tokens: tuple[str, str], every: list[int], own: list[int], count: int, server: subprocess.Popen
) -> None:
    """Server CPU per request of each kind, ``count`` requests sent one at a time (after 5 to warm up)."""
    leader, unit = ({"Authorization": f"Bearer {t}"} for t in tokens)
    figures = []
    with httpx.Client(base_url=base, timeout=60) as http:
        for kind in KINDS:
            for n in range(5):
                send(http, kind, n, 10_000, leader, unit, every, own).raise_for_status()
            cpu = server_cpu(server)
            for n in range(5, 5 + count):
                send(http, kind, n, 10_000, leader, unit, every, own).raise_for_status()
            figures.append(f"{kind} {(server_cpu(server) - cpu) / count * 1000:.1f}")
    print(f"server CPU per request, one at a time ({count} each): " + ", ".join(f"{f} ms" for f in figures))


def failed_login(base: str, n: int, ready: threading.Barrier) -> int:
    """One wrong password. The client and the login form are made first and every POST waits at
    ``ready``: the logins then hit the server at once, and this process's own set-up (100 HTTP
    clients and forms) does not take the GIL from the thread that times the unrelated request."""
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            page = http.get("/login").text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            ready.wait(60)
            return http.post(
                "/login", data={"name": f"nobody{n % 3}", "password": "wrong password", "csrf_token": token}
            ).status_code
    except (httpx.HTTPError, threading.BrokenBarrierError):
        return 0  # a timeout or a refused connection


def phase_logins(base: str, leader_token: str, task_id: int, logins: int) -> None:
    headers = {"Authorization": f"Bearer {leader_token}"}
    quiet: list[float] = []  # the same request before the flood: warm caches, and a baseline
    with httpx.Client(base_url=base, timeout=30) as http:
        for _ in range(10):
            started = time.perf_counter()
            http.get(f"/api/tasks/{task_id}", headers=headers)
            quiet.append(time.perf_counter() - started)
    latencies: list[float] = []
    with ThreadPoolExecutor(max_workers=logins) as pool:
        ready = threading.Barrier(logins + 1)
        flood = [pool.submit(failed_login, base, n, ready) for n in range(logins)]
        ready.wait(60)
        with httpx.Client(base_url=base, timeout=30) as http:
            while not all(f.done() for f in flood) or not latencies:
                started = time.perf_counter()
                try:
                    http.get(f"/api/tasks/{task_id}", headers=headers)
                except httpx.TimeoutException:
                    pass  # counted at its full wait below
                latencies.append(time.perf_counter() - started)
                time.sleep(0.05)
        statuses = [f.result() for f in flood]
    counts = {s: statuses.count(s) for s in sorted(set(statuses))}
    print(
        f"{logins} concurrent failed logins: statuses {counts}; meanwhile GET /api/tasks/{task_id} "
        f"n={len(latencies)} p50 {statistics.median(latencies) * 1000:.0f} ms max {max(latencies) * 1000:.0f} ms "
        f"(before the flood: p50 {statistics.median(quiet) * 1000:.0f} ms max {max(quiet) * 1000:.0f} ms)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def settle(base: str) -> None:
    """Wait (at most 60 s) until the server has worked off the requests the clients gave up on."""
    for _ in range(60):
        started = time.perf_counter()
        try:
            httpx.get(f"{base}/api/ping", timeout=5)
        except httpx.HTTPError:
            continue
        if time.perf_counter() - started < 0.2:
            return
        time.sleep(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--logins", type=int, default=100)
    parser.add_argument("--cpu", type=int, default=0, help="first N requests of each kind, one at a time")
    parser.add_argument(
        "--servers", type=int, help="server processes (default: 1 on SQLite, one per core on PostgreSQL)"
    )
    parser.add_argument("--db", help="an empty database URL (default: SQLite in a temporary folder)")
    args = parser.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)
    clients, logins = min(args.clients, 200), min(args.logins, 200)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'load.db'}"
        leader, unit, every, own = build(url)
        servers: list[subprocess.Popen] = []
        bases: list[str] = []
        try:
            deployed = 1 if url.startswith("sqlite") else os.cpu_count() or 1
            for _ in range(max(1, min(args.servers or deployed, 8))):
                port = free_port()
                servers.append(start_server(url, port))
                bases.append(f"http://127.0.0.1:{port}")
            base, server = bases[0], servers[0]
            print(f"{url.split(':')[0]}: {len(every)} tasks, the unit reports on {len(own)}")
            if args.cpu > 0:
                phase_cpu(base, (leader, unit), every, own, min(args.cpu, 500), server)
            if seconds > 0 and clients > 0:
                phase_clients(bases, url, (leader, unit), every, own, clients, seconds, servers)
                for each in bases:
                    settle(each)
            if logins > 0:
                phase_logins(base, leader, every[0], logins)
        finally:
            for server in servers:
                stop(server)


if __name__ == "__main__":
    main()

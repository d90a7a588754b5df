"""A request holds at most one pooled connection: a page that reads through the read connection and
checks its user through the request's own does not take a second one from the same pool, which
at 50 clients left every request thread waiting for a connection held by another waiting request."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa


@contextmanager
def counting_checkouts(engine: sa.Engine, *, hold: float = 0.0) -> Iterator[dict[str, int]]:
    """The most connections checked out of ``engine``'s pool at once (``most``); each checkout waits
    ``hold`` seconds, long enough for the other requests of a test to arrive meanwhile."""
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def checkout(*_):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(hold)

    def checkin(*_):
        with lock:
            state["now"] -= 1

    sa.event.listen(engine.pool, "checkout", checkout)
    sa.event.listen(engine.pool, "checkin", checkin)
    try:
        yield state
    finally:
        sa.event.remove(engine.pool, "checkout", checkout)
        sa.event.remove(engine.pool, "checkin", checkin)


def small_pool_app(ledger, tmp_path, **settings):
    """The app on ``ledger`` with a pool of two connections and two more at most."""
    from taizhang.settings import load_settings
    from taizhang.web.app import create_app

    from .conftest import AS_OF, SECRET

    return create_app(
        load_settings(
            database_url=ledger.url,
            upload_dir=tmp_path,
            secret_key=SECRET,
            db_pool_size=2,
            db_max_overflow=2,
            **settings,
        ),
        as_of=AS_OF,
    )


@pytest.fixture
def held(app):
    """The most connections checked out of the app's pool at once, per request (reset by the caller)."""
    with counting_checkouts(app.state.engine) as state:
        yield state


@pytest.mark.parametrize("path", ["/api/dashboard", "/", "/public", "/api/tasks", "/api/tasks/1"])
def test_a_signed_in_request_holds_one_connection(client, held, ledger, path):
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    client.get("/api/ping")
    held["most"] = 0
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text[:200]
    assert held["most"] == 1


def test_no_more_requests_hold_connections_than_the_gate_admits(ledger, tmp_path):
    """Requests beyond half the pool wait before the app, not inside it holding a connection."""
    from concurrent.futures import ThreadPoolExecutor

    from starlette.testclient import TestClient

    app = small_pool_app(ledger, tmp_path)
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    with (
        counting_checkouts(app.state.engine, hold=0.2) as held,
        TestClient(app) as client,
        ThreadPoolExecutor(max_workers=8) as pool,
    ):
        codes = list(
            pool.map(lambda n: client.get(f"/api/tasks/{n + 1}", headers=headers).status_code, range(8))
        )
    app.state.engine.dispose()
    assert codes == [200] * 8
    assert held["most"] == 2


def test_a_write_commits_before_its_response_is_serialised(app, client, ledger, monkeypatch):
    """The report's transaction (and with it SQLite's write lock) ends in the route's own thread as
    it returns: committing in the dependency's exit waited for two more threadpool hops (the
    response's serialisation, then the exit), and every other write waited with it."""
    import threading

    import fastapi.routing

    from .ledger_factory import task_where

    events: list[tuple[str, int]] = []
    serialise = fastapi.routing.serialize_response

    async def serialise_after(*args, **kwargs):
        events.append(("serialised", threading.get_ident()))
        return await serialise(*args, **kwargs)

    def wrote(conn, cursor, statement, *_):
        if statement.startswith("INSERT INTO reports"):
            events.append(("wrote", threading.get_ident()))

    monkeypatch.setattr(fastapi.routing, "serialize_response", serialise_after)
    sa.event.listen(app.state.engine, "before_cursor_execute", wrote)
    sa.event.listen(
        app.state.engine, "commit", lambda conn: events.append(("committed", threading.get_ident()))
    )
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    response = client.post(
        f"/api/tasks/{task_id}/reports",
        headers={"Authorization": f"Bearer {ledger.tokens['health']}"},
        json={"practice": "召开专题会议", "percent": 30},
    )
    assert response.status_code == 201, response.text
    kinds = [kind for kind, _ in events]
    assert kinds == ["wrote", "committed", "serialised"]
    assert events[0][1] == events[1][1]  # the thread that wrote committed


def test_writes_beyond_writes_at_once_wait_before_the_app(ledger, tmp_path):
    """Writes take turns at the database: one let in beyond ``writes_at_once`` held a thread and a
    connection only to wait there, and its work competed with the write holding the lock."""
    from concurrent.futures import ThreadPoolExecutor

    from starlette.testclient import TestClient

    from .ledger_factory import task_where

    app = small_pool_app(ledger, tmp_path, writes_at_once=1)
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    headers = {"Authorization": f"Bearer {ledger.tokens['health']}"}

    def post(n: int) -> int:
        body = {"practice": f"第{n}次报送", "percent": n}
        return client.post(f"/api/tasks/{task_id}/reports", headers=headers, json=body).status_code

    with (
        counting_checkouts(app.state.engine, hold=0.2) as held,
        TestClient(app) as client,
        ThreadPoolExecutor(max_workers=4) as pool,
    ):
        codes = list(pool.map(post, range(4)))
    app.state.engine.dispose()
    assert codes == [201] * 4
    assert held["most"] == 1


def test_every_route_commits_in_its_own_thread():
    """A router made without ``CommitRoute`` would bring back the commit two hops after the write."""
    from fastapi.routing import APIRoute

    from taizhang.web.routes import ROUTERS
    from taizhang.web.routing import CommitRoute

    routes = [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]
    assert len(routes) > 100
    assert [route.path for route in routes if not isinstance(route, CommitRoute)] == []

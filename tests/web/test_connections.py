"""A request holds at most one pooled connection: a page that reads through the read connection and
checks its user through the request's own does not take a second one from the same pool, which
at 50 clients left every request thread waiting for a connection held by another waiting request."""

from __future__ import annotations

import pytest
import sqlalchemy as sa


@pytest.fixture
def held(app):
    """The most connections checked out of the app's pool at once, per request (reset by the caller)."""
    state = {"now": 0, "most": 0}

    def checkout(*_):
        state["now"] += 1
        state["most"] = max(state["most"], state["now"])

    def checkin(*_):
        state["now"] -= 1

    sa.event.listen(app.state.engine.pool, "checkout", checkout)
    sa.event.listen(app.state.engine.pool, "checkin", checkin)
    yield state
    sa.event.remove(app.state.engine.pool, "checkout", checkout)
    sa.event.remove(app.state.engine.pool, "checkin", checkin)


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
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    from starlette.testclient import TestClient

    from taizhang.settings import load_settings
    from taizhang.web.app import create_app

    from .conftest import AS_OF, SECRET

    settings = load_settings(
        database_url=ledger.url, upload_dir=tmp_path, secret_key=SECRET, db_pool_size=2, db_max_overflow=2
    )
    app = create_app(settings, as_of=AS_OF)
    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def checkout(*_):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.2)  # hold it long enough for the other requests to arrive meanwhile

    def checkin(*_):
        with lock:
            state["now"] -= 1

    sa.event.listen(app.state.engine.pool, "checkout", checkout)
    sa.event.listen(app.state.engine.pool, "checkin", checkin)
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    with TestClient(app) as client, ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(
            pool.map(lambda n: client.get(f"/api/tasks/{n + 1}", headers=headers).status_code, range(8))
        )
    app.state.engine.dispose()
    assert codes == [200] * 8
    assert state["most"] == 2

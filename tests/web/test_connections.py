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

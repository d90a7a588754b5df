"""Routes that await their form or upload run their database work off the event loop.

Such a route is an ``async`` endpoint, and FastAPI runs it on the event loop itself. A write made
there waits on the loop for its SQLite writer turn (or a PostgreSQL lock), and a web import without
Redis runs the whole import inline: while it waits or works, no other request of the process moves.
Each case below replaces the service call a route makes with one that notes whether it ran on the
loop's thread, then posts the route's form as a browser would.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from taizhang.services import decisions, experts
from taizhang.web.routes import jobs as job_routes

from .conftest import sign_in


def _on_the_loop() -> bool:
    """True when the calling thread is running an event loop (the server's)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def seen(monkeypatch):
    """Where each replaced service call ran: a list of True (on the loop) / False (in a thread)."""
    calls: list[bool] = []

    def flags(*_args, **_kwargs):
        calls.append(_on_the_loop())

    def import_experts(*_args, **_kwargs):
        calls.append(_on_the_loop())
        return experts.ImportReport(created=1)

    def enqueue(*_args, **_kwargs):
        calls.append(_on_the_loop())
        return "inline"

    monkeypatch.setattr(decisions, "set_flags", flags)
    monkeypatch.setattr(experts, "import_experts", import_experts)
    monkeypatch.setattr(job_routes, "enqueue", enqueue)
    return calls


CASES = {
    "complexity flags": SimpleNamespace(path="/decisions/1/flags", data={"flags": "contested"}, files=None),
    "expert pool import": SimpleNamespace(
        path="/experts/import", data={}, files={"workbook": ("专家.xlsx", b"PK", "application/octet-stream")}
    ),
    "gazette upload": SimpleNamespace(
        path="/imports", data={}, files={"file": ("公报.txt", "中卫市人民政府公报\n".encode(), "text/plain")}
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_an_async_route_writes_from_a_thread_not_the_event_loop(client, seen, case):
    token = sign_in(client, "office")
    response = client.post(case.path, data={**case.data, "csrf_token": token}, files=case.files)
    assert response.status_code in (200, 303), response.text[:300]
    assert seen == [False]

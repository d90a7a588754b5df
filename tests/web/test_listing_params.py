"""The task listing reads its query parameters without FastAPI's dependency solving (web/query_route.py):
every answer, refusals included, is the one FastAPI's own handling of the same signature gives."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from taizhang.web.query_route import QueryRoute

from .conftest import make_app, sign_in

QUERIES = (
    "",
    "unit=" + quote("市卫生健康委"),
    "unit=" + quote("沙坡头区") + "&role=lead&limit=5",
    "role=bogus",
    "unit=" + quote("没有这个单位"),
    "status=" + quote("推进中") + "&sort=-due",
    "status=bogus",
    "overdue=true&as_of=2022-06-30",
    "overdue=maybe",
    "overdue=1&limit=3",
    "due_before=2022-06-30&due_after=2022-01-01&limit=4",
    "due_before=2022-02-30",
    "due_after=bad&due_before=also-bad",
    "document=" + quote("卫政发〔2022〕15号"),
    "document=" + quote("无此文"),
    "q=" + quote("推进"),
    "q=%00",
    "review=true",
    "review=perhaps",
    "limit=0",
    "limit=501",
    "limit=many",
    "limit=2&limit=3",
    "offset=-1",
    "offset=10001",
    "limit=0&offset=-1&as_of=nope&overdue=yes",
    "limit=99999999999",
    "sort=bogus",
    "after=garbage",
    "unit=&role=&q=&after=",
    "unknown=1",
)


@pytest.fixture
def clients(ledger, tmp_path, monkeypatch):
    """A client of the app as it is, and one of the same app with FastAPI's own request handling."""
    current = make_app(ledger.url, tmp_path / "current")
    TestClient(current).get("/api/tasks")  # an included route's handler is built at its first request
    monkeypatch.setattr(QueryRoute, "get_route_handler", APIRoute.get_route_handler)
    reference = make_app(ledger.url, tmp_path / "reference")
    yield TestClient(current), TestClient(reference)
    current.state.engine.dispose()
    reference.state.engine.dispose()


def _answer(client: TestClient, query: str, headers: dict[str, str]) -> tuple[int, object, str | None]:
    response = client.get(f"/api/tasks?{query}", headers=headers)
    return response.status_code, response.json(), response.headers.get("www-authenticate")


def test_every_listing_answer_is_the_one_fastapi_gives(clients, ledger):
    current, reference = clients
    callers = {name: {"Authorization": f"Bearer {token}"} for name, token in ledger.tokens.items()}
    callers |= {"anonymous": {}, "wrong token": {"Authorization": "Bearer not-a-token"}}
    statuses = set()
    for name, headers in callers.items():
        for query in QUERIES:
            expected = _answer(reference, query, headers)
            assert _answer(current, query, headers) == expected, (name, query)
            statuses.add(expected[0])
    assert statuses == {200, 400, 401, 404, 422}


def test_a_listing_page_and_its_next_page_are_fastapis(clients, ledger):
    current, reference = clients
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    first = current.get("/api/tasks?limit=3", headers=headers).json()
    assert first["next"] and len(first["data"]) == 3
    query = f"limit=3&after={first['next']}"
    assert _answer(current, query, headers) == _answer(reference, query, headers)


def test_a_signed_in_session_lists_as_with_fastapi(clients):
    current, reference = clients
    for client in clients:
        sign_in(client, "zhongning")
    query = "unit=" + quote("中宁县")
    found = _answer(current, query, {})
    assert found[0] == 200 and found[1]["data"]
    assert found == _answer(reference, query, {})


def test_the_listing_route_is_still_described_in_openapi(clients):
    current, reference = clients
    spec, expected = (c.get("/openapi.json").json()["paths"]["/api/tasks"]["get"] for c in clients)
    assert spec == expected
    assert {p["name"] for p in spec["parameters"]} >= {"unit", "role", "status", "overdue", "after"}


def test_on_sqlite_an_indexed_page_skips_the_thread_hop_and_a_search_takes_it(ledger, app, monkeypatch):
    """A page read by an index runs on the event loop (the hop cost more than the read); a search,
    whose cost grows with its words, still goes to the thread pool so it cannot hold the loop."""
    from taizhang.web import deps

    hops: list[str] = []
    real = deps.run_in_threadpool

    async def counted(func, *args, **kwargs):
        hops.append(getattr(func, "__qualname__", "?"))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(deps, "run_in_threadpool", counted)
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    listed = client.get("/api/tasks?unit=" + quote("市卫生健康委"), headers=headers)
    assert listed.status_code == 200 and listed.json()["data"]
    assert not [hop for hop in hops if hop.startswith("read_signed_in")]
    searched = client.get("/api/tasks?q=" + quote("推进"), headers=headers)
    assert searched.status_code == 200 and searched.json()["data"]
    assert [hop for hop in hops if hop.startswith("read_signed_in")]


def test_the_loop_reads_only_with_an_idle_connection_in_the_pool(ledger):
    """The loop must never wait for a connection a request thread holds: with none idle, the hop is taken."""
    from taizhang.storage.engine import create_db_engine
    from taizhang.web.deps import _idle_connection

    engine = create_db_engine(ledger.url, pool_size=1, max_overflow=0)
    try:
        assert not _idle_connection(engine)  # nothing opened yet
        with engine.connect():
            assert not _idle_connection(engine)  # the only connection is in use
        assert _idle_connection(engine)
    finally:
        engine.dispose()

"""Attacks that once worked, each replayed: stolen sessions after logout, decisions on another task's
request, retried reports stored twice, attachments run as pages, inputs that ended in a 500."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from taizhang.services import accounts
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import reports, tasks

from .conftest import csrf_of, login, sign_in
from .ledger_factory import GOLD_DATA, task_where


def bearer(ledger, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[name]}"}


def tasks_of(ledger, unit: str) -> list[int]:
    return [
        i
        for i, t in zip(ledger.task_ids, GOLD_DATA["tasks"], strict=True)
        if unit in {*t["lead"], *t["responsible"], *t["cooperating"]}
    ]


# -- a session ends with logout, a new password or a disabled account --------------------------------


def test_a_copied_session_cookie_is_refused_after_logout(client):
    login(client, "office")
    stolen = dict(client.cookies)
    assert client.get("/review").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    client.cookies.clear()
    client.cookies.update(stolen)
    assert client.get("/review").status_code == 303


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_session_ends_when_the_password_changes_or_the_account_is_disabled(client, app, change):
    login(client, "office")
    assert client.get("/review").status_code == 200
    with unit_of_work(app.state.engine) as conn:
        if change == "password":
            accounts.set_password(conn, "office", "a new password 2")
        else:
            accounts.set_active(conn, "office", False)
            accounts.set_active(conn, "office", True)
    assert client.get("/review").status_code == 303


def test_logging_in_again_after_logout_works(client):
    login(client, "office")
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    login(client, "office")
    assert client.get("/review").status_code == 200


# -- an extension decision applies to the task in the URL only ---------------------------------------


def test_a_decision_through_another_task_is_404_and_moves_no_deadline(client, ledger, app):
    first, second = tasks_of(ledger, "市卫生健康委")[:2]
    health, office = bearer(ledger, "health"), bearer(ledger, "office")
    request = client.post(
        f"/api/tasks/{first}/extension",
        headers=health,
        json={"requested_due": "2023-06-30", "reason": "资金未到位"},
    )
    assert request.status_code == 201, request.text
    request_id = request.json()["id"]
    with app.state.engine.connect() as conn:
        due_before = dict(conn.execute(sa.select(tasks.c.id, tasks.c.due_on)).all())
    for url in (f"/api/tasks/{second}/extension/{request_id}/decision",):
        assert client.post(url, headers=office, json={"approve": True, "reason": ""}).status_code == 404
    sign_in(client, "office")
    form = client.post(
        f"/tasks/{second}/extension/{request_id}", data={"csrf_token": csrf_of(client), "decision": "approve"}
    )
    assert form.status_code == 404
    with app.state.engine.connect() as conn:
        assert dict(conn.execute(sa.select(tasks.c.id, tasks.c.due_on)).all()) == due_before
        assert conn.execute(sa.select(reports.c.decision).where(reports.c.id == request_id)).scalar() is None
    ok = client.post(
        f"/api/tasks/{first}/extension/{request_id}/decision",
        headers=office,
        json={"approve": True, "reason": ""},
    )
    assert ok.status_code == 200


# -- a retried report is stored once ----------------------------------------------------------------


def _report_count(app, task_id: int) -> int:
    with app.state.engine.connect() as conn:
        query = sa.select(sa.func.count()).select_from(reports).where(reports.c.task_id == task_id)
        return int(conn.execute(query).scalar_one())


def test_a_report_retried_with_its_idempotency_key_is_stored_once(client, ledger, app):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    headers = {**bearer(ledger, "health"), "Idempotency-Key": "retry-7f3a"}
    body = {"practice": "召开专题会议", "percent": 30}
    first = client.post(f"/api/tasks/{task_id}/reports", headers=headers, json=body)
    again = client.post(f"/api/tasks/{task_id}/reports", headers=headers, json=body)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert _report_count(app, task_id) == 1
    other = client.post(
        f"/api/tasks/{task_id}/reports", headers={**headers, "Idempotency-Key": "retry-8"}, json=body
    )
    assert other.json()["id"] != first.json()["id"] and _report_count(app, task_id) == 2


def test_the_same_key_on_another_task_is_refused(client, ledger):
    first, second = tasks_of(ledger, "市卫生健康委")[:2]
    headers = {**bearer(ledger, "health"), "Idempotency-Key": "k1"}
    assert (
        client.post(f"/api/tasks/{first}/reports", headers=headers, json={"practice": "x"}).status_code == 201
    )
    reused = client.post(f"/api/tasks/{second}/reports", headers=headers, json={"practice": "x"})
    assert reused.status_code == 409 and "Idempotency-Key" in reused.json()["detail"]


def test_the_report_form_carries_a_key_so_a_resubmitted_form_is_stored_once(client, ledger, app):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    sign_in(client, "health")
    page = client.get(f"/tasks/{task_id}").text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    data = {"csrf_token": csrf_of(client), "practice": "召开推进会", "percent": "20", "idempotency_key": key}
    assert client.post(f"/tasks/{task_id}/report", data=data).status_code == 303
    assert client.post(f"/tasks/{task_id}/report", data=data).status_code == 303
    assert _report_count(app, task_id) == 1


# -- attachments are downloads, never pages ---------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "declared", "served"),
    [
        ("x.html", "text/html", "application/octet-stream"),
        ("x.svg", "image/svg+xml", "application/octet-stream"),
        ("纪要.txt", "text/html", "text/plain; charset=utf-8"),
        ("方案.pdf", "application/pdf", "application/pdf"),
    ],
)
def test_an_attachment_is_served_as_a_download_with_a_safe_type(client, ledger, filename, declared, served):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    sign_in(client, "health")
    client.post(
        f"/tasks/{task_id}/report",
        data={"csrf_token": csrf_of(client), "practice": "见附件"},
        files={"attachments": (filename, b"<script>alert(document.cookie)</script>", declared)},
    )
    link = re.search(r'href="(/attachments/\d+)"', client.get(f"/tasks/{task_id}").text).group(1)
    response = client.get(link)
    assert response.headers["content-type"] == served
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_response_forbids_sniffing_and_framing(client):
    for path in ("/login", "/api/ping", "/public/documents"):
        headers = client.get(path).headers
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert "frame-ancestors 'none'" in headers["content-security-policy"], path


# -- odd input is a 400 or 404 with a Chinese message, never a 500 -----------------------------------

HUGE = str(2**63)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/api/tasks?q=%00", 400),
        ("/api/tasks?q=" + "+".join(f"词{i}" for i in range(1001)), 400),
        ("/ledger?q=ab%00cd", 400),
        (f"/api/tasks/{HUGE}", 404),
        (f"/tasks/{HUGE}", 404),
        (f"/documents/{HUGE}", 404),
        (f"/attachments/{HUGE}", 404),
        (f"/public/documents/{HUGE}", 404),
        (f"/api/tasks?offset={HUGE}", 400),
        (f"/api/tasks?limit={HUGE}", 400),
        (f"/ledger?page={HUGE}", 400),
        ("/ledger?due_before=abc", 400),
        ("/ledger?due_after=2022-13-01", 400),
        ("/api/dashboard?as_of=9999-12-31", 400),
        ("/?as_of=9999-12-31", 400),
    ],
)
def test_odd_input_is_refused_cleanly(app, ledger, path, expected):
    client = TestClient(app, follow_redirects=False, raise_server_exceptions=False)
    sign_in(client, "office")
    response = client.get(path, headers=bearer(ledger, "office") if path.startswith("/api") else {})
    assert response.status_code == expected, (path, response.text[:300])
    assert re.search(r"[\u4e00-\u9fff]", response.text), path


def test_a_review_form_with_a_bad_date_is_a_400(app, ledger):
    client = TestClient(app, follow_redirects=False, raise_server_exceptions=False)
    token = sign_in(client, "office")
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    response = client.post(
        f"/review/{task_id}", data={"csrf_token": token, "title": "x", "due_on": "not-a-date"}
    )
    assert response.status_code == 400 and "not-a-date" in response.text


# -- logins cannot exhaust the server -----------------------------------------------------------------


def test_logins_beyond_the_password_checks_at_once_are_refused_with_429(app, client):
    from taizhang.web.login_gate import PasswordChecks

    token = csrf_of(client, "/login")
    form = {"name": "office", "password": "correct horse 台账", "csrf_token": token}
    app.state.password_checks = PasswordChecks(at_once=0)  # every slot taken by other logins
    refused = client.post("/login", data=form)
    assert refused.status_code == 429 and "登录请求过多" in refused.text
    app.state.password_checks = checks = PasswordChecks(at_once=1)
    assert client.post("/login", data=form).status_code == 303
    assert checks.running == 0  # the slot is given back


def test_forwarded_addresses_are_believed_only_from_configured_proxies(ledger, monkeypatch):
    from taizhang.web import server

    calls: list[dict] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda _app, **options: calls.append(options))
    monkeypatch.setenv("TAIZHANG_SECRET_KEY", "k" * 40)
    server.run_server(ledger.url)
    monkeypatch.setenv("TAIZHANG_TRUSTED_PROXIES", '["10.0.0.5"]')
    server.run_server(ledger.url)
    assert [(c["proxy_headers"], c["forwarded_allow_ips"]) for c in calls] == [
        (False, None),
        (True, "10.0.0.5"),
    ]


# -- uploads are bounded before they are read ---------------------------------------------------------


def _app_with(tmp_path, ledger, **limits):
    from taizhang.settings import load_settings
    from taizhang.web.app import create_app

    from .conftest import AS_OF, SECRET

    settings = load_settings(database_url=ledger.url, upload_dir=tmp_path / "up", secret_key=SECRET, **limits)
    return create_app(settings, as_of=AS_OF)


def test_a_body_over_the_limit_is_refused_413_without_reading_it():
    import asyncio

    from taizhang.web.middleware import BodyLimitMiddleware

    async def never_called(scope, receive, send):
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the app read the whole body")

    chunks = {"sent": 0}

    async def receive():
        chunks["sent"] += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": chunks["sent"] < 1600}  # 100 MB

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "path": "/api/tasks/1/reports", "headers": []}
    asyncio.run(BodyLimitMiddleware(never_called, max_bytes=1024 * 1024)(scope, receive, send))
    assert sent[0]["status"] == 413 and chunks["sent"] <= 17
    scope["headers"] = [(b"content-length", str(100 * 1024 * 1024).encode())]
    chunks["sent"], sent[:] = 0, []
    asyncio.run(BodyLimitMiddleware(never_called, max_bytes=1024 * 1024)(scope, receive, send))
    assert sent[0]["status"] == 413 and chunks["sent"] == 0
    assert "请求体超过 1 MB" in sent[1]["body"].decode()


def test_uploads_over_the_size_count_or_length_limits_store_nothing(tmp_path, ledger):
    application = _app_with(tmp_path, ledger, max_upload_mb=1, max_attachments=2, max_report_chars=100)
    client = TestClient(application)
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    health = bearer(ledger, "health")
    url = f"/api/tasks/{task_id}/reports"
    big = client.post(
        url, headers=health, data={"practice": "x"}, files={"attachments": ("a.pdf", b"0" * 1_100_000)}
    )
    assert big.status_code == 413 and "1 MB" in big.json()["detail"]
    files = [("attachments", (f"{i}.pdf", b"0", "application/pdf")) for i in range(3)]
    many = client.post(url, headers=health, data={"practice": "x"}, files=files)
    assert many.status_code == 400 and "附件过多" in many.json()["detail"]
    long = client.post(url, headers=health, json={"practice": "长" * 101})
    assert long.status_code == 400 and "报告过长" in long.json()["detail"]
    assert _report_count(application, task_id) == 0
    assert client.post(url, headers=health, json={"practice": "长" * 100}).status_code == 201
    application.state.engine.dispose()


# -- under load every request thread can hold a connection --------------------------------------------


def test_the_pool_holds_a_connection_for_every_request_thread(app, tmp_path, ledger):
    import anyio

    async def threads() -> int:
        return int(anyio.to_thread.current_default_thread_limiter().total_tokens)

    pool = app.state.engine.pool
    assert pool.size() + pool._max_overflow >= anyio.run(
        threads
    )  # 5 + 10 against 40 threads stalled at 50 clients
    sized = _app_with(tmp_path, ledger, db_pool_size=3, db_max_overflow=4)
    assert (sized.state.engine.pool.size(), sized.state.engine.pool._max_overflow) == (3, 4)
    sized.state.engine.dispose()

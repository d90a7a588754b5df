"""Uploaded imports become background jobs: inline without Redis, on the RQ queue with it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa

from taizhang.services.queue import run_worker
from taizhang.storage.tables import tasks
from taizhang.storage.tables_jobs import jobs

from ..conftest import STATE_COUNCIL
from .conftest import sign_in

FILE = ("state-council.txt", STATE_COUNCIL.read_bytes(), "text/plain")


def bearer(ledger, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[name]}"}


def _count(app, table) -> int:
    with app.state.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_an_upload_without_redis_is_imported_in_the_request_and_shown_as_a_done_job(app, client):
    before = _count(app, tasks)
    token = sign_in(client, "office")
    response = client.post("/imports", data={"csrf_token": token}, files={"file": FILE})
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "已完成" in page.text and "已导入" in page.text
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    body = client.get(f"/api/jobs/{job_id}").json()
    assert body["status"] == "done" and body["kind"] == "import" and body["percent"] == 100
    assert body["result"]["tasks"] == _count(app, tasks) - before > 0
    assert "state-council.txt" in client.get("/imports").text
    assert f"/jobs/{job_id}" in client.get("/jobs").text


def test_the_same_upload_twice_is_stored_once(app, client, ledger):
    first = client.post("/api/imports", files={"file": FILE}, headers=bearer(ledger, "office"))
    after_first = _count(app, tasks)
    second = client.post("/api/imports", files={"file": FILE}, headers=bearer(ledger, "office"))
    assert first.status_code == second.status_code == 202
    assert second.json()["result"]["already_imported"] is True
    assert _count(app, tasks) == after_first


def test_a_file_that_cannot_be_read_fails_its_job_with_a_message(client, ledger):
    junk = ("broken.pdf", b"%PDF-1.4 not really a PDF", "application/pdf")
    body = client.post("/api/imports", files={"file": junk}, headers=bearer(ledger, "office")).json()
    assert body["status"] == "failed" and body["error"]


@pytest.mark.parametrize("name,data", [("gazette.exe", b"MZ..."), ("empty.txt", b"")])
def test_a_refused_upload_makes_no_job(app, client, ledger, name, data):
    response = client.post("/api/imports", files={"file": (name, data)}, headers=bearer(ledger, "office"))
    assert response.status_code == 400 and name in response.json()["detail"]
    assert _count(app, jobs) == 0


def test_units_and_anonymous_visitors_cannot_upload_or_see_jobs(client, ledger):
    assert (
        client.post("/api/imports", files={"file": FILE}, headers=bearer(ledger, "health")).status_code == 403
    )
    assert client.get("/api/jobs", headers=bearer(ledger, "health")).status_code == 403
    assert client.get("/api/jobs").status_code == 401


def test_an_upload_form_without_the_csrf_token_is_refused(app, client):
    sign_in(client, "office")
    response = client.post("/imports", files={"file": FILE})
    assert response.status_code == 403
    assert _count(app, jobs) == 0


def _redis_or_skip() -> str:
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis not reachable at 127.0.0.1:6379")
    return url


def test_with_redis_an_upload_waits_for_a_worker_which_imports_it(app, client, ledger):
    url = _redis_or_skip()
    settings = app.state.settings.model_copy(
        update={"redis_url": url, "queue_name": f"test-{uuid.uuid4().hex}"}
    )
    app.state.settings = settings
    before = _count(app, tasks)
    body = client.post("/api/imports", files={"file": FILE}, headers=bearer(ledger, "office")).json()
    assert body["status"] == "queued" and _count(app, tasks) == before
    job_page = client.get(f"/jobs/{body['id']}", headers=bearer(ledger, "office"))
    assert 'http-equiv="refresh"' in job_page.text  # the page follows the job while it waits
    # 08:00 in Beijing: the morning reminders are not due yet, the worker only runs the queue
    run_worker(settings, burst=True, now=lambda: datetime(2022, 6, 30, 0, 0, tzinfo=UTC))
    done = client.get(f"/api/jobs/{body['id']}", headers=bearer(ledger, "office")).json()
    assert done["status"] == "done", done
    assert done["result"]["tasks"] == _count(app, tasks) - before > 0


def _big_exports(monkeypatch) -> None:
    from taizhang.web.routes import pages_ledger

    monkeypatch.setattr(pages_ledger, "EXPORT_INLINE_TASKS", 5)  # the gold ledger's 107 tasks are "big"


def test_a_big_export_without_redis_runs_as_a_job_and_is_downloaded_from_its_page(
    app, client, ledger, monkeypatch
):
    _big_exports(monkeypatch)
    sign_in(client, "leader")
    response = client.get("/ledger.xlsx", params={"document": "卫政办发〔2022〕24号"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/")
    page = client.get(response.headers["location"]).text
    assert "已导出任务 34 项" in page and 'http-equiv="refresh"' not in page
    workbook = client.get(response.headers["location"] + "/ledger.xlsx")
    sheet = openpyxl.load_workbook(BytesIO(workbook.content)).worksheets[0]
    assert len(list(sheet.iter_rows(values_only=True))) == 1 + 34
    sign_in(client, "health")  # someone else's export stays theirs
    assert client.get(response.headers["location"] + "/ledger.xlsx").status_code == 403


def test_a_small_export_is_still_the_answer_itself(client, ledger):
    sign_in(client, "office")
    response = client.get("/ledger.xlsx", params={"document": "卫政办发〔2022〕6号"}, follow_redirects=False)
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_with_redis_a_big_export_waits_for_a_worker_with_its_progress_on_the_page(
    app, client, ledger, monkeypatch
):
    url = _redis_or_skip()
    _big_exports(monkeypatch)
    settings = app.state.settings.model_copy(
        update={"redis_url": url, "queue_name": f"test-{uuid.uuid4().hex}"}
    )
    app.state.settings = settings
    sign_in(client, "office")
    location = client.get("/ledger.xlsx", follow_redirects=False).headers["location"]
    waiting = client.get(location).text
    assert "排队中" in waiting and 'http-equiv="refresh"' in waiting
    run_worker(settings, burst=True, now=lambda: datetime(2022, 6, 30, 0, 0, tzinfo=UTC))
    done = client.get("/api/jobs/" + location.rsplit("/", 1)[1]).json()
    assert (done["status"], done["kind"], done["result"]["tasks"]) == ("done", "export", _count(app, tasks))
    assert client.get(location + "/ledger.xlsx").content[:2] == b"PK"

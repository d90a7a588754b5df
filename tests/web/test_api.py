"""The JSON API over HTTP: filters, reading, writing, tokens and sessions, on the gazette's ledger."""

from __future__ import annotations

from fastapi.testclient import TestClient

from taizhang.web.security import SESSION_COOKIE

from .conftest import csrf_of, login, make_app
from .ledger_factory import GOLD_DATA, build_ledger, task_where

COUNTY_GROUPS = {"各县(区)", "各县(区)人民政府", "各县(区)政府"}


def bearer(ledger, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[name]}"}


def test_ping_is_a_constant_without_session_or_database(client):
    response = client.get("/api/ping")
    assert response.json() == {"ok": True}
    assert SESSION_COOKIE not in response.headers.get("set-cookie", "")


def test_anonymous_calls_to_non_public_data_get_401(client, ledger):
    private = task_where(ledger, unit="市卫生健康委", role="lead")
    for path in ("/api/tasks", f"/api/tasks/{private}", "/api/dashboard"):
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"


def test_anonymous_calls_see_public_tasks_and_published_documents(app, client, ledger):
    from taizhang.services.database import unit_of_work
    from taizhang.storage.tables import documents

    public_task = task_where(ledger, unit="中卫工业园区管委会")  # 卫政办发〔2022〕6号: public in the factory
    body = client.get(f"/api/tasks/{public_task}").json()
    assert (body["doc_number"], body["is_public"], body["timeline"]) == ("卫政办发〔2022〕6号", True, [])
    with unit_of_work(app.state.engine) as conn:
        conn.execute(
            documents.update().where(documents.c.doc_number == "卫政发〔2022〕15号").values(is_public=False)
        )
    listed = client.get("/api/documents").json()
    assert listed["count"] == 11 and "卫政发〔2022〕15号" not in {d["doc_number"] for d in listed["data"]}


def test_a_wrong_token_gets_401(client):
    response = client.get("/api/tasks", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401


def test_unit_filter_includes_the_county_group_tasks(client, ledger):
    response = client.get(
        "/api/tasks", params={"unit": "沙坡头区", "limit": 500}, headers=bearer(ledger, "leader")
    )
    expected = [
        t
        for t in GOLD_DATA["tasks"]
        if {*t["lead"], *t["responsible"], *t["cooperating"]} & (COUNTY_GROUPS | {"沙坡头区"})
    ]
    body = response.json()
    assert body["count"] == len(expected) > 0
    assert sorted(t["title"] for t in body["data"]) == sorted(t["title"] for t in expected)


def test_document_filter_and_paging(client, ledger):
    params = {"document": "卫政办发〔2022〕24号", "limit": 10, "offset": 30}
    body = client.get("/api/tasks", params=params, headers=bearer(ledger, "office")).json()
    assert body["count"] == 34
    assert len(body["data"]) == 4
    assert {t["doc_number"] for t in body["data"]} == {"卫政办发〔2022〕24号"}


def test_next_cursors_walk_a_listing_to_its_end(client, ledger):
    params = {"document": "卫政办发〔2022〕24号", "limit": 10}
    seen: list[int] = []
    pages = 0
    while True:
        body = client.get("/api/tasks", params=params, headers=bearer(ledger, "office")).json()
        seen += [t["id"] for t in body["data"]]
        pages += 1
        assert (body["count"], body["count_exact"]) == (34, True)
        if body["next"] is None:
            break
        params["after"] = body["next"]
    assert pages == 4 and len(seen) == len(set(seen)) == 34


def test_a_search_says_more_than_its_count_limit(client, ledger, monkeypatch):
    from taizhang.services import queries

    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 3)
    body = client.get("/api/tasks", params={"q": "推进", "limit": 2}, headers=bearer(ledger, "office")).json()
    assert (body["count"], body["count_exact"], len(body["data"])) == (3, False, 2)
    assert body["next"] is not None


def test_a_damaged_cursor_or_a_deep_offset_is_a_chinese_400(client, ledger):
    for params in ({"after": "not-a-cursor"}, {"offset": 10_001}):
        response = client.get("/api/tasks", params=params, headers=bearer(ledger, "office"))
        assert response.status_code == 400
        assert "翻页标记" in response.text or "偏移不能超过" in response.text


def test_overdue_as_of_keeps_open_tasks_due_before_the_date(client, ledger):
    params = {"overdue": "true", "as_of": "2022-04-01", "limit": 500}
    body = client.get("/api/tasks", params=params, headers=bearer(ledger, "office")).json()
    expected = [
        t for t in GOLD_DATA["tasks"] if t["deadline"].get("due") and t["deadline"]["due"] < "2022-04-01"
    ]
    assert body["count"] == len(expected) > 0
    assert all(t["due_on"] < "2022-04-01" for t in body["data"])


def test_chinese_search_finds_titles(client, ledger):
    body = client.get("/api/tasks", params={"q": "县管校聘"}, headers=bearer(ledger, "office")).json()
    assert [t["title"] for t in body["data"]] == ["全面实施中小学教师“县管校聘”"]


def test_get_one_task_with_units_by_role(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    body = client.get(f"/api/tasks/{task_id}", headers=bearer(ledger, "leader")).json()
    assert {"name": "市卫生健康委", "role": "lead"}.items() <= body["units"][0].items()
    assert body["timeline"] == []
    assert client.get("/api/tasks/999999", headers=bearer(ledger, "leader")).status_code == 404


def test_report_then_completion_then_approval_changes_status_and_dashboard(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    health, office = bearer(ledger, "health"), bearer(ledger, "office")
    before = client.get("/api/dashboard", headers=office).json()["by_status"]
    report = client.post(
        f"/api/tasks/{task_id}/reports",
        headers=health,
        json={"practice": "召开专题会议", "results": "制定方案", "percent": 60},
    )
    assert report.status_code == 201
    assert (
        client.post(
            f"/api/tasks/{task_id}/request-completion", headers=health, json={"note": "已完成"}
        ).status_code
        == 201
    )
    assert (
        client.post(f"/api/tasks/{task_id}/complete", headers=office, json={"note": "同意办结"}).status_code
        == 200
    )
    task = client.get(f"/api/tasks/{task_id}", headers=office).json()
    after = client.get("/api/dashboard", headers=office).json()["by_status"]
    assert (task["status"], task["percent"]) == ("已完成", 100)
    assert after.get("已完成", 0) == before.get("已完成", 0) + 1
    kinds = [e.get("report_kind") or e.get("action") for e in task["timeline"] if e["kind"] != "change"]
    assert kinds == ["progress", "completion", "办结"]


def test_multipart_report_stores_the_attachment(client, ledger):
    task_id = task_where(ledger, unit="各县(区)")
    response = client.post(
        f"/api/tasks/{task_id}/reports",
        headers=bearer(ledger, "zhongning"),
        data={"practice": "中宁县已完成排查", "percent": "50"},
        files={"attachments": ("排查台账.txt", "第一批 12 家".encode(), "text/plain")},
    )
    assert response.status_code == 201, response.text
    entry = client.get(f"/api/tasks/{task_id}", headers=bearer(ledger, "office")).json()["timeline"][0]
    assert [a["filename"] for a in entry["attachments"]] == ["排查台账.txt"]


def test_bad_input_is_a_400_with_a_message(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    response = client.post(
        f"/api/tasks/{task_id}/reports",
        headers=bearer(ledger, "health"),
        json={"percent": 150, "practice": "x"},
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "完成进度：不能大于 100"


def test_approving_a_task_nobody_asked_to_close_is_a_409(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    response = client.post(f"/api/tasks/{task_id}/complete", headers=bearer(ledger, "office"), json={})
    assert response.status_code == 409


def test_cookie_session_writes_need_the_csrf_header(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    login(client, "health")
    body = {"practice": "召开专题会议", "percent": 10}
    assert client.post(f"/api/tasks/{task_id}/reports", json=body).status_code == 403
    token = csrf_of(client)
    assert (
        client.post(f"/api/tasks/{task_id}/reports", json=body, headers={"X-CSRF-Token": token}).status_code
        == 201
    )


def test_documents_and_openapi(client, ledger):
    docs = client.get("/api/documents", headers=bearer(ledger, "leader")).json()
    assert docs["count"] == 12
    assert docs["data"][0]["doc_number"] == "卫政发〔2022〕15号"
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/tasks",
        "/api/tasks/{task_id}",
        "/api/tasks/{task_id}/reports",
        "/api/tasks/{task_id}/complete",
        "/api/documents",
        "/api/dashboard",
        "/api/ping",
    ):
        assert path in paths


def test_api_flow_on_each_database(db_url, tmp_path):
    """The same report-and-approve flow on SQLite and on PostgreSQL."""
    ledger = build_ledger(db_url)
    app = make_app(db_url, tmp_path)
    try:
        client = TestClient(app)
        task_id = task_where(ledger, unit="市卫生健康委", role="lead")
        health, office = bearer(ledger, "health"), bearer(ledger, "office")
        assert (
            client.post(
                f"/api/tasks/{task_id}/reports", headers=health, json={"practice": "推进中", "percent": 40}
            ).status_code
            == 201
        )
        assert (
            client.post(f"/api/tasks/{task_id}/request-completion", headers=health, json={}).status_code
            == 201
        )
        assert client.post(f"/api/tasks/{task_id}/complete", headers=office, json={}).status_code == 200
        dashboard = client.get("/api/dashboard", headers=office).json()
        assert dashboard["by_status"]["已完成"] == 1
        assert dashboard["total"] == len(GOLD_DATA["tasks"])
    finally:
        app.state.engine.dispose()


def test_openapi_declares_bearer_tokens(client):
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert {"HTTPBearer": []} in spec["paths"]["/api/tasks"]["get"]["security"]


def test_the_task_listing_is_exactly_what_its_response_model_would_give(client, ledger):
    from taizhang.web.schemas import TasksPublic

    for params in (
        {"limit": 500},
        {"unit": "市卫生健康委", "role": "lead"},
        {"overdue": "true", "as_of": "2022-06-30"},
    ):
        body = client.get("/api/tasks", params=params, headers=bearer(ledger, "office")).json()
        assert body["data"], params
        assert body == TasksPublic.model_validate(body).model_dump(mode="json")

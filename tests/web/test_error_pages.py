"""Errors on pages are Chinese pages inside the normal layout: the visitor's menu stays, what was
typed is shown again, bad query values are a 400 (never a 500), unknown addresses a Chinese 404.
The JSON API keeps JSON errors, with Chinese messages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .conftest import csrf_of, make_app, sign_in
from .ledger_factory import task_where

ENGLISH = re.compile(
    r"\b(?:Input should|Not Found|Internal Server Error|fromisoformat|Traceback|unknown unit|"
    r"an empty report|no task|Field required)\b"
)


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, scripts or styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def assert_chinese_page(response, status: int, *phrases: str) -> str:
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    text = visible_text(response.text)
    assert not ENGLISH.search(text), ENGLISH.search(text)
    for phrase in phrases:
        assert phrase in text, phrase
    return text


def test_an_unknown_address_is_a_chinese_404_with_the_users_menu(client):
    sign_in(client, "office")
    text = assert_chinese_page(client.get("/no/such/page"), 404, "没有这个页面")
    assert "退出" in text or "督查室" in text  # the logged-in menu, not the visitor's


def test_a_missing_task_is_a_chinese_404_inside_the_layout(client):
    sign_in(client, "office")
    assert_chinese_page(client.get("/tasks/99999"), 404, "没有编号为 99999 的任务", "督查室")


@pytest.mark.parametrize("query", ["due_after=2022/6/31", "due_before=明天", "page=abc"])
def test_bad_query_values_are_a_chinese_400_not_a_500(client, query):
    sign_in(client, "office")
    assert_chinese_page(client.get(f"/ledger?{query}"), 400, "输入有误")


def test_an_office_date_is_read_as_a_date(client):
    sign_in(client, "office")
    assert client.get("/ledger?due_after=2022/6/30").status_code == 200
    assert client.get("/ledger?due_after=2022年6月30日").status_code == 200


def test_an_empty_report_is_refused_in_chinese_and_keeps_what_was_typed(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    sign_in(client, "health")
    response = client.post(f"/tasks/{task_id}/report", data={"csrf_token": csrf_of(client), "percent": "50"})
    assert_chinese_page(response, 400, "报送内容为空", "市卫生健康委")
    too_much = client.post(
        f"/tasks/{task_id}/report",
        data={"csrf_token": csrf_of(client), "practice": "召开推进会，印发工作方案", "percent": "150"},
    )
    text = assert_chinese_page(too_much, 400, "完成进度", "不能大于 100")
    assert "召开推进会，印发工作方案" in text  # typed, not lost


def test_an_unknown_unit_suggests_the_closest_names(client):
    sign_in(client, "office")
    text = assert_chinese_page(
        client.get("/ledger", params={"unit": "市卫生健康委员"}), 400, "单位名录中没有"
    )
    assert "市卫生健康委" in text.split("单位名录中没有", 1)[1]


def test_the_api_keeps_json_errors_in_chinese(client, ledger):
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    missing = client.get("/api/tasks/99999", headers=headers)
    assert missing.status_code == 404 and missing.json()["detail"] == "没有编号为 99999 的任务"
    unknown = client.get("/api/no-such-thing", headers=headers)
    assert unknown.status_code == 404 and not ENGLISH.search(unknown.json()["detail"])
    bad = client.get("/api/tasks", params={"limit": "many"}, headers=headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["msg"] == "条数：应为整数"


def test_an_unexpected_fault_is_a_chinese_500_page(ledger, tmp_path, monkeypatch):
    from taizhang.web.routes import pages_ledger

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pages_ledger.queries, "list_tasks", broken)
    application = make_app(ledger.url, tmp_path)
    client = TestClient(application, follow_redirects=False, raise_server_exceptions=False)
    sign_in(client, "office")
    assert_chinese_page(client.get("/ledger"), 500, "系统内部出错")
    application.state.engine.dispose()

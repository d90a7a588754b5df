"""通知 on the web and in the API: each user sees and marks only its own notices; the menu shows the
unread count; opening an unread notice posts that it is read (a GET changes nothing); 全部标为已读.
The new writes × every role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .conftest import sign_in
from .ledger_factory import ROLE_ACCOUNT, ROLES, task_where


def _bearer(ledger, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[who]}"}


def _chase_health(client: TestClient, ledger) -> int:
    """催办 of 市卫生健康委's own part of a task it leads: a notice for that unit only; its id."""
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    chased = client.post(
        f"/api/tasks/{task_id}/chase",
        json={"message": "请抓紧报送", "unit": "市卫生健康委"},
        headers=_bearer(ledger, "office"),
    )
    assert chased.status_code == 200, chased.text
    mine = client.get("/api/notifications", headers=_bearer(ledger, "health")).json()
    return next(n["action_id"] for n in mine["data"] if n["kind"] == "催办" and n["task_id"] == task_id)


def test_each_user_sees_only_its_own_notices_and_marks_them_read(app, ledger):
    client = TestClient(app)
    notice = _chase_health(client, ledger)
    health = client.get("/api/notifications", headers=_bearer(ledger, "health")).json()
    assert health["unread"] >= 1 and {n["action_id"]: n["read"] for n in health["data"]}[notice] is False
    for who in ("education", "zhongning", "office", "leader"):
        others = client.get("/api/notifications", headers=_bearer(ledger, who)).json()
        assert notice not in [n["action_id"] for n in others["data"]], who
    assert (
        client.post(f"/api/notifications/{notice}/read", headers=_bearer(ledger, "education")).status_code
        == 403
    )
    assert client.post("/api/notifications/99999/read", headers=_bearer(ledger, "health")).status_code == 404
    read = client.post(f"/api/notifications/{notice}/read", headers=_bearer(ledger, "health"))
    assert read.status_code == 200 and read.json()["read"] is True
    after = client.get(
        "/api/notifications", params={"unread": "true"}, headers=_bearer(ledger, "health")
    ).json()
    assert notice not in [n["action_id"] for n in after["data"]] and after["unread"] == health["unread"] - 1
    cleared = client.post("/api/notifications/read-all", headers=_bearer(ledger, "health"))
    assert cleared.json()["count"] == health["unread"] - 1
    assert client.get("/api/notifications", headers=_bearer(ledger, "health")).json()["unread"] == 0


def test_the_menu_counts_unread_notices_and_opening_one_reads_it(app, ledger):
    notice = _chase_health(TestClient(app), ledger)
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "health")
    before = client.get("/notifications").text
    count = int(before.split('id="unread-count">')[1].split("<")[0])
    assert count >= 1 and f'action="/notifications/{notice}/read"' in before and "全部标为已读" in before
    opened = client.post(f"/notifications/{notice}/read", data={"csrf_token": token})
    assert opened.status_code == 303 and opened.headers["location"].startswith("/tasks/")
    page = client.get("/my").text
    assert page.count('id="unread-count"') <= 1
    left = int(page.split('id="unread-count">')[1].split("<")[0]) if 'id="unread-count"' in page else 0
    assert left == count - 1
    done = client.post("/notifications/read-all", data={"csrf_token": token})
    assert done.status_code == 303
    assert 'id="unread-count"' not in client.get("/notifications").text
    office = TestClient(app, follow_redirects=False)
    sign_in(office, "office")
    assert "暂无通知" in office.get("/notifications").text


# the new writes: endpoint → (method, path, expected status by role); the notice is 市卫生健康委's
OFFICE_NONE = {"anonymous": 401, "office": 403, "leader": 403}
WRITES = {
    "api-read": (
        "post",
        "/api/notifications/{notice}/read",
        {**OFFICE_NONE, "own_unit": 200, "other_unit": 403, "group_unit": 403},
    ),
    "api-read-all": (
        "post",
        "/api/notifications/read-all",
        {**OFFICE_NONE, "own_unit": 200, "other_unit": 200, "group_unit": 200},
    ),
    "page-read": (
        "post",
        "/notifications/{notice}/read",
        {**OFFICE_NONE, "anonymous": 401, "own_unit": 303, "other_unit": 403, "group_unit": 403},
    ),
    "page-read-all": (
        "post",
        "/notifications/read-all",
        {**OFFICE_NONE, "anonymous": 401, "own_unit": 303, "other_unit": 303, "group_unit": 303},
    ),
}


@pytest.mark.parametrize(("endpoint", "role"), [(e, r) for e in WRITES for r in ROLES])
def test_notification_write_permissions(app, ledger, endpoint, role):
    method, path, expected = WRITES[endpoint]
    notice = _chase_health(TestClient(app), ledger)
    client = TestClient(app, follow_redirects=False)
    url = path.format(notice=notice)
    if endpoint.startswith("api"):
        headers = {} if role == "anonymous" else _bearer(ledger, ROLE_ACCOUNT[role])
        response = client.request(method.upper(), url, headers=headers)
    else:
        token = sign_in(client, ROLE_ACCOUNT[role]) if role != "anonymous" else ""
        data = {"csrf_token": token} if method == "post" else None
        response = client.request(method.upper(), url, data=data)
    assert response.status_code == expected[role], response.text


OPEN = {**OFFICE_NONE, "anonymous": 303, "own_unit": 303, "other_unit": 403, "group_unit": 403}


@pytest.mark.parametrize("role", ROLES)
def test_a_notice_link_is_read_by_its_own_unit_only(app, ledger, role):
    notice = _chase_health(TestClient(app), ledger)
    client = TestClient(app, follow_redirects=False)
    if role != "anonymous":
        sign_in(client, ROLE_ACCOUNT[role])
    response = client.get(f"/notifications/{notice}")
    assert response.status_code == OPEN[role], response.text
    if role == "anonymous":
        assert response.headers["location"].startswith("/login")


def _is_read(client: TestClient, ledger, notice: int) -> bool:
    found = client.get("/api/notifications", headers=_bearer(ledger, "health")).json()["data"]
    return {n["action_id"]: n["read"] for n in found}[notice]


def test_following_a_notice_link_leaves_it_unread(app, ledger):
    notice = _chase_health(TestClient(app), ledger)
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "health")
    opened = client.get(f"/notifications/{notice}")
    assert opened.status_code == 303 and opened.headers["location"].startswith("/tasks/")
    assert _is_read(TestClient(app), ledger, notice) is False
    assert "未读" in client.get("/notifications").text


def test_a_cross_site_post_without_the_csrf_token_marks_nothing_read(app, ledger):
    notice = _chase_health(TestClient(app), ledger)
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "health")
    for forged in ({}, {"csrf_token": "not-the-token"}):
        refused = client.post(f"/notifications/{notice}/read", data=forged)
        assert refused.status_code == 403 and "CSRF" in refused.text
        assert _is_read(TestClient(app), ledger, notice) is False
    assert client.post(f"/notifications/{notice}/read", data={"csrf_token": token}).status_code == 303
    assert _is_read(TestClient(app), ledger, notice) is True

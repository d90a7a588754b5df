"""Administration on the web: users and units for the office, one's own password for everyone."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import sign_in
from .ledger_factory import PASSWORD


def test_the_office_manages_users_and_units(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    page = client.get("/admin")
    assert page.status_code == 200 and "发文机关" in page.text and "市卫生健康委" in page.text
    added = client.post("/admin/users", data={"csrf_token": token, "name": "ybj2", "password": "long enough 1",
                                              "role": "unit", "unit": "市医保局"})
    assert added.status_code == 303
    refused = client.post("/admin/users", data={"csrf_token": token, "name": "ybj2", "password": "long enough 1",
                                                "role": "unit", "unit": "市医保局"})
    assert refused.status_code == 400
    assert client.post("/admin/units", data={"csrf_token": token, "name": "市新设局"}).status_code == 303
    merged = client.post("/admin/units/merge", data={"csrf_token": token, "keep": "市新设局", "gone": "市医保局"})
    assert merged.status_code == 303
    tasks = TestClient(app).get("/api/tasks", params={"unit": "市新设局"},
                                headers={"Authorization": f"Bearer {ledger.tokens['office']}"}).json()
    assert tasks["count"] > 0  # the merged unit's tasks followed it
    assert client.post("/admin/users/office/active", data={"csrf_token": token}).status_code == 400


def test_everyone_changes_their_own_password(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "health")
    assert client.get("/account/password").status_code == 200
    wrong = client.post("/account/password", data={"csrf_token": token, "current": "nope", "new": "long enough 1",
                                                   "repeated": "long enough 1"})
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    done = client.post("/account/password", data={"csrf_token": token, "current": PASSWORD, "new": "long enough 1",
                                                  "repeated": "long enough 1"})
    assert done.status_code == 303
    assert TestClient(app, follow_redirects=False).get("/account/password").status_code == 303

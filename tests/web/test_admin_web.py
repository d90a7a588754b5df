"""Administration on the web: users and units for the office, one's own password for everyone."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from docx import Document
from fastapi.testclient import TestClient

from taizhang.services.database import unit_of_work
from taizhang.storage.tables import change_log

from .conftest import sign_in
from .ledger_factory import PASSWORD, task_where


def test_the_office_manages_users_and_units(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    page = client.get("/admin")
    assert page.status_code == 200 and "发文机关" in page.text and "市卫生健康委" in page.text
    added = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "ybj2",
            "password": "long enough 1",
            "role": "unit",
            "unit": "市医保局",
        },
    )
    assert added.status_code == 303
    refused = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "ybj2",
            "password": "long enough 1",
            "role": "unit",
            "unit": "市医保局",
        },
    )
    assert refused.status_code == 400
    assert client.post("/admin/units", data={"csrf_token": token, "name": "市新设局"}).status_code == 303
    merged = client.post(
        "/admin/units/merge", data={"csrf_token": token, "keep": "市新设局", "gone": "市医保局"}
    )
    assert merged.status_code == 303
    tasks = (
        TestClient(app)
        .get(
            "/api/tasks",
            params={"unit": "市新设局"},
            headers={"Authorization": f"Bearer {ledger.tokens['office']}"},
        )
        .json()
    )
    assert tasks["count"] > 0  # the merged unit's tasks followed it
    assert client.post("/admin/users/office/active", data={"csrf_token": token}).status_code == 400


def test_everyone_changes_their_own_password(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "health")
    assert client.get("/account/password").status_code == 200
    wrong = client.post(
        "/account/password",
        data={"csrf_token": token, "current": "nope", "new": "long enough 1", "repeated": "long enough 1"},
    )
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    done = client.post(
        "/account/password",
        data={"csrf_token": token, "current": PASSWORD, "new": "long enough 1", "repeated": "long enough 1"},
    )
    assert done.status_code == 303
    assert TestClient(app, follow_redirects=False).get("/account/password").status_code == 303


def test_the_office_names_the_issuer_of_letters_and_notices(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    assert client.post("/admin/issuer", data={"csrf_token": token, "issuer": "  "}).status_code == 400
    assert (
        client.post("/admin/issuer", data={"csrf_token": token, "issuer": "安庆市人民政府督查室"}).status_code
        == 303
    )
    assert "安庆市人民政府督查室" in client.get("/admin").text
    office = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    path = f"/api/tasks/{task_id}/escalations"
    api = TestClient(app)
    assert api.post(path, json={"unit": "市卫生健康委", "step": "催办"}, headers=office).status_code == 201
    letter = api.post(path, json={"unit": "市卫生健康委", "step": "督办函"}, headers=office)
    docx = api.get(f"/api/letters/{letter.json()['id']}.docx", headers=office)
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "安庆市人民政府督查室" in text  # the letter is headed and signed by the stored issuer
    notice = client.get("/notices/draft.docx", params={"as_of": "2022-06-30"})
    assert notice.status_code == 200
    assert "安庆市人民政府督查室" in "\n".join(p.text for p in Document(BytesIO(notice.content)).paragraphs)
    with unit_of_work(app.state.engine) as conn:
        logged = conn.execute(
            sa.select(change_log.c.actor, change_log.c.after).where(change_log.c.action == "set_issuer")
        ).all()
    assert [(r.actor, r.after) for r in logged] == [("office", {"issuer": "安庆市人民政府督查室"})]


def test_the_issuer_api_reads_and_names_the_issuer_and_logs_the_change(app, ledger):
    api = TestClient(app)
    office = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    first = api.get("/api/settings/issuer", headers=office)
    assert first.status_code == 200 and first.json()["from_web"] is False
    refused = api.put("/api/settings/issuer", json={"issuer": "  "}, headers=office)
    assert refused.status_code == 400 and refused.json()["detail"] == "发文机关不能为空"
    assert api.get("/api/settings/issuer", headers=office).json() == first.json()
    named = api.put("/api/settings/issuer", json={"issuer": "安庆市人民政府督查室"}, headers=office)
    assert named.json() == {"issuer": "安庆市人民政府督查室", "from_web": True}
    assert api.get("/api/settings/issuer", headers=office).json() == named.json()
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "office")
    assert "安庆市人民政府督查室" in client.get("/admin").text  # one setting, on the page and in the API
    with unit_of_work(app.state.engine) as conn:
        logged = conn.execute(
            sa.select(change_log.c.actor, change_log.c.after).where(change_log.c.action == "set_issuer")
        ).all()
    assert [(r.actor, r.after) for r in logged] == [("office", {"issuer": "安庆市人民政府督查室"})]


def test_a_cross_site_put_of_the_issuer_without_the_csrf_token_is_refused(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    forged = client.put("/api/settings/issuer", json={"issuer": "伪造的发文机关"})
    assert forged.status_code == 403 and "CSRF" in forged.json()["detail"]
    assert "伪造的发文机关" not in client.get("/admin").text
    sent = client.put(
        "/api/settings/issuer", json={"issuer": "安庆市人民政府督查室"}, headers={"X-CSRF-Token": token}
    )
    assert sent.status_code == 200

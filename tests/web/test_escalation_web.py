"""Escalation and 批示 on the web and the API: steps, the numbered letter, the batch, counts."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from docx import Document
from fastapi.testclient import TestClient

from .conftest import sign_in
from .ledger_factory import task_where


def _auth(ledger, who: str = "office") -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[who]}"}


def test_the_ladder_through_the_api_with_the_letter_in_word(app, ledger):
    client = TestClient(app)
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    path = f"/api/tasks/{task_id}/escalations"
    early = client.post(path, json={"unit": "市卫生健康委", "step": "督办函"}, headers=_auth(ledger))
    assert early.status_code == 409 and "须先催办" in early.json()["detail"]
    assert (
        client.post(
            path, json={"unit": "市卫生健康委", "step": "催办", "message": "请抓紧"}, headers=_auth(ledger)
        ).status_code
        == 201
    )
    letter = client.post(path, json={"unit": "市卫生健康委", "step": "督办函"}, headers=_auth(ledger))
    assert letter.status_code == 201
    docx = client.get(f"/api/letters/{letter.json()['id']}.docx", headers=_auth(ledger, "health"))
    text = "\n".join(p.text for p in Document(BytesIO(docx.content)).paragraphs)
    assert "督办〔2022〕1号" in text and "市卫生健康委：" in text
    talk = client.post(
        path,
        json={"unit": "市卫生健康委", "step": "约谈", "talk_with": "分管副主任", "outcome": "承诺月底办结"},
        headers=_auth(ledger),
    )
    assert talk.status_code == 201
    steps = [e["step"] for e in client.get(path, headers=_auth(ledger)).json()]
    assert steps == ["催办", "督办函", "约谈"]
    counts = client.get("/api/escalations", headers=_auth(ledger, "leader")).json()
    assert counts[0]["unit"] == "市卫生健康委" and counts[0]["约谈"] == 1


def test_chase_late_and_the_escalations_page(app, ledger):
    client = TestClient(app, follow_redirects=False)
    chased = TestClient(app).post(
        "/api/tasks/chase-late", json={"unit": "市卫生健康委"}, headers=_auth(ledger)
    )
    assert chased.status_code == 200 and chased.json()["count"] > 0
    sign_in(client, "office")
    page = client.get("/escalations")
    assert page.status_code == 200 and "市卫生健康委" in page.text and "批量催办" in page.text


def test_a_leader_writes_a_批示_that_the_unit_sees_on_the_task(app, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    leader = TestClient(app, follow_redirects=False)
    token = sign_in(leader, "leader")
    response = leader.post(
        f"/tasks/{task_id}/instruct", data={"csrf_token": token, "text": "请加快推进，月底前报结果"}
    )
    assert response.status_code == 303
    unit = TestClient(app, follow_redirects=False)
    sign_in(unit, "health")
    page = unit.get(f"/tasks/{task_id}")
    assert "请加快推进，月底前报结果" in page.text and "leader批示" in page.text
    portal = unit.get("/my")  # the unit's 通知
    notices = portal.text[portal.text.index('id="notices"') :]
    assert 'data-kind="批示"' in notices and "请加快推进，月底前报结果" in notices
    other = TestClient(app, follow_redirects=False)
    sign_in(other, "education")
    assert "请加快推进，月底前报结果" not in other.get("/my").text


def test_a_letters_reply_time_is_set_on_the_form_and_in_the_api(app, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    page = client.get(f"/tasks/{task_id}")
    assert 'name="reply_days"' in page.text and 'value="5"' in page.text  # the settings' default
    form = {"csrf_token": token, "unit": "市卫生健康委", "message": ""}
    assert client.post(f"/tasks/{task_id}/escalate", data={**form, "step": "催办"}).status_code == 303
    bad = client.post(f"/tasks/{task_id}/escalate", data={**form, "step": "督办函", "reply_days": "十"})
    assert bad.status_code == 400 and "督办函答复时限应为整数" in bad.text
    assert (
        client.post(
            f"/tasks/{task_id}/escalate", data={**form, "step": "督办函", "reply_days": "8"}
        ).status_code
        == 303
    )
    api = TestClient(app).post(
        f"/api/tasks/{task_id}/escalations",
        headers=_auth(ledger),
        json={"unit": "市卫生健康委", "step": "督办函", "reply_days": 61},
    )
    assert api.status_code == 400 and "1至60个工作日" in api.json()["detail"]
    steps = TestClient(app).get(f"/api/tasks/{task_id}/escalations", headers=_auth(ledger)).json()
    assert [(s["step"], s["reply_days"]) for s in steps] == [("催办", None), ("督办函", 8)]
    assert "（8个工作日内答复）" in client.get(f"/tasks/{task_id}").text


def test_the_ledger_list_shows_what_each_task_drew(app, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    path = f"/api/tasks/{task_id}/escalations"
    client = TestClient(app)
    for step in ("催办", "督办函"):
        assert (
            client.post(path, json={"unit": "市卫生健康委", "step": step}, headers=_auth(ledger)).status_code
            == 201
        )
    unit = TestClient(app, follow_redirects=False)
    sign_in(unit, "health")
    page = unit.get("/ledger", params={"unit": "市卫生健康委"}).text
    row = page[page.index(f'href="/tasks/{task_id}"') :]
    row = row[: row.index("</tr>")]
    assert (
        '<span class="badge" data-step="催办">催办1</span><span class="badge" data-step="督办函">督办函1</span>'
        in row
    )
    assert "约谈" not in row
    assert page.count('data-step="催办"') == 1  # the other tasks drew nothing


def test_unsigned_parts_past_their_days_are_yellow_and_listed(app, ledger):
    from taizhang.services.database import unit_of_work
    from taizhang.storage.tables import parts

    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    with unit_of_work(app.state.engine) as conn:  # handed over a month before the ledger's today
        conn.execute(parts.update().values(assigned_on=date(2022, 5, 30)))
    office = TestClient(app, follow_redirects=False)
    sign_in(office, "office")
    listed = office.get("/escalations").text
    table = listed[listed.index('id="unacknowledged"') :]
    assert "市卫生健康委" in table and "市教育局" in table and "2022-05-30" in table
    assert "超期未签收" in office.get(f"/tasks/{task_id}").text
    api = TestClient(app).get(f"/api/tasks/{task_id}", headers=_auth(ledger)).json()
    assert any(p["unit"] == "市卫生健康委" and p["ack_overdue"] for p in api["parts"])
    unit = TestClient(app, follow_redirects=False)
    token = sign_in(unit, "health")
    own = unit.get("/escalations").text
    own = own[own.index('id="unacknowledged"') :]
    assert "市卫生健康委" in own and "市教育局" not in own  # a unit reads its own parts
    assert unit.post(f"/tasks/{task_id}/acknowledge", data={"csrf_token": token}).status_code == 303
    assert f'href="/tasks/{task_id}"' not in office.get("/escalations").text.split('id="unacknowledged"')[1]

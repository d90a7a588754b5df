"""Each unit's part of a shared task over the API and on the task page: a county reports, asks for
办结 and is approved alone; the others stay open and late; 签收 is the unit's own."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import tasks

from .conftest import AS_OF, sign_in
from .ledger_factory import GOLD_DATA, task_where


def bearer(ledger, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[name]}"}


def _county_task(ledger) -> int:
    """A task given to 各县(区) as responsible with a due day before the app's today."""
    for task_id, task in zip(ledger.task_ids, GOLD_DATA["tasks"], strict=True):
        due = task["deadline"].get("due")
        if (
            "各县(区)" in task["responsible"]
            and not task["lead"]
            and task["deadline"]["kind"] == "date"
            and due
            and date.fromisoformat(due) < AS_OF
        ):
            return task_id
    return task_where(ledger, unit="各县(区)", role="responsible")


def test_one_county_approved_over_the_api_leaves_the_task_open(client, ledger):
    task_id = _county_task(ledger)
    zn, office = bearer(ledger, "zhongning"), bearer(ledger, "office")
    assert (
        client.post(
            f"/api/tasks/{task_id}/reports", headers=zn, json={"practice": "完成县域整治", "percent": 100}
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/tasks/{task_id}/request-completion", headers=zn, json={"note": "已完成"}
        ).status_code
        == 201
    )
    approved = client.post(
        f"/api/tasks/{task_id}/complete", headers=office, json={"note": "同意", "unit": "中宁县"}
    )
    assert approved.status_code == 200, approved.text
    task = client.get(f"/api/tasks/{task_id}", headers=office).json()
    parts = {p["unit"]: p for p in task["parts"]}
    assert parts["中宁县"]["status"] == "已完成" and parts["中宁县"]["standing"] in ("done", "done_late")
    assert {parts[c]["status"] for c in ("沙坡头区", "海原县")} == {"未开始"}
    due = task["due_on"]
    if due and date.fromisoformat(due) < AS_OF:
        assert {parts[c]["standing"] for c in ("沙坡头区", "海原县")} == {"late"}
    assert task["status"] != "已完成"
    # the office cannot approve 海原县, which never asked
    assert (
        client.post(f"/api/tasks/{task_id}/complete", headers=office, json={"unit": "海原县"}).status_code
        == 409
    )


def test_a_unit_signs_for_its_own_part_only(client, ledger):
    task_id = _county_task(ledger)
    signed = client.post(f"/api/tasks/{task_id}/acknowledge", headers=bearer(ledger, "zhongning"))
    assert signed.status_code == 201 and signed.json()["acknowledged_by"] == "zhongning"
    assert (
        client.post(f"/api/tasks/{task_id}/acknowledge", headers=bearer(ledger, "education")).status_code
        == 403
    )
    parts = {
        p["unit"]: p
        for p in client.get(f"/api/tasks/{task_id}", headers=bearer(ledger, "office")).json()["parts"]
    }
    assert parts["中宁县"]["acknowledged_by"] == "zhongning" and parts["海原县"]["acknowledged_at"] is None


def test_the_task_page_shows_each_units_part_with_its_buttons(app, ledger):
    task_id = _county_task(ledger)
    unit = TestClient(app, follow_redirects=False)
    token = sign_in(unit, "zhongning")
    page = unit.get(f"/tasks/{task_id}").text
    assert "各单位分项" in page and "签收" in page and "海原县" in page
    assert unit.post(f"/tasks/{task_id}/acknowledge", data={"csrf_token": token}).status_code == 303
    assert "已签收（zhongning）" in unit.get(f"/tasks/{task_id}").text
    office = TestClient(app, follow_redirects=False)
    sign_in(office, "office")
    assert "催办该单位" in office.get(f"/tasks/{task_id}").text


def test_the_portal_light_is_the_units_own_part(client, ledger):
    task_id = _county_task(ledger)
    engine = open_database(ledger.url)  # past due for every county
    with unit_of_work(engine) as conn:
        conn.execute(
            tasks.update()
            .where(tasks.c.id == task_id)
            .values(deadline_kind="date", due_on=AS_OF - timedelta(days=30))
        )
    engine.dispose()
    zn, office = bearer(ledger, "zhongning"), bearer(ledger, "office")

    def light() -> str:
        page = client.get("/my").text
        row = page[page.index(f'href="/tasks/{task_id}"') - 200 : page.index(f'href="/tasks/{task_id}"')]
        return row[row.rindex('class="dot ') + len('class="dot ') :].split('"')[0]

    sign_in(client, "zhongning")
    assert light() == "red"
    client.post(
        f"/api/tasks/{task_id}/reports", headers=zn, json={"practice": "完成县域整治", "percent": 100}
    )
    client.post(f"/api/tasks/{task_id}/request-completion", headers=zn, json={"note": "已完成"})
    assert (
        client.post(
            f"/api/tasks/{task_id}/complete", headers=office, json={"note": "同意", "unit": "中宁县"}
        ).status_code
        == 200
    )
    # 中宁县's part is 办结: its light is not red although 沙坡头区 and 海原县 are still late
    assert light() != "red"
    parts = {p["unit"]: p for p in client.get(f"/api/tasks/{task_id}", headers=office).json()["parts"]}
    assert parts["海原县"]["standing"] == "late"

"""Campaign pages and API over HTTP: who may do what, errors in Chinese, the public view."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from taizhang.services import accounts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from tests.services.test_campaigns import mines_workbook

from .conftest import make_app, sign_in
from .ledger_factory import GAZETTE


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("campaign-web")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", "a-long-password", "office")
        accounts.add_user(conn, "county", "a-long-password", "unit", "海原县")
        accounts.add_user(conn, "leader", "a-long-password", "leader")
    engine.dispose()
    application = make_app(url, tmp)
    yield application
    application.state.engine.dispose()


def _client(app, name: str | None = None) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    return client, sign_in(client, name) if name else ""


def _mining(client) -> int:
    found = client.get("/api/campaigns").json()["data"]
    return next(c["id"] for c in found if c["title"].startswith("中卫市矿产资源"))


def test_the_api_lists_campaigns_and_an_anonymous_caller_is_refused(app):
    anonymous, _ = _client(app)
    assert anonymous.get("/api/campaigns").status_code == 401
    leader, _ = _client(app, "leader")
    body = leader.get("/api/campaigns").json()
    assert body["count"] == 4 and body["data"][1]["groups"][0]["leader"] == "祁少波"


def test_only_the_office_imports_objects_and_draws(app):
    county, csrf = _client(app, "county")
    campaign = _mining(county)
    files = {"file": ("mines.xlsx", mines_workbook(3))}
    refused = county.post(f"/campaigns/{campaign}/objects/import", data={"csrf_token": csrf}, files=files)
    assert refused.status_code == 403
    drawn = county.post(
        f"/api/campaigns/{campaign}/draw",
        json={"objects": 1, "inspectors": 1, "seed": "s"},
        headers={"X-CSRF-Token": csrf},
    )
    assert drawn.status_code == 403
    office, csrf = _client(app, "office")
    done = office.post(f"/campaigns/{campaign}/objects/import", data={"csrf_token": csrf}, files=files)
    assert done.status_code == 303
    too_many = office.post(
        f"/api/campaigns/{campaign}/draw",
        json={"objects": 9, "inspectors": 1, "seed": "s"},
        headers={"X-CSRF-Token": csrf},
    )
    assert too_many.status_code == 400 and "不够抽取" in too_many.text


def test_a_county_may_not_record_a_finding_on_another_county_object(app):
    office, csrf = _client(app, "office")
    campaign = _mining(office)
    detail = office.get(f"/api/campaigns/{campaign}").json()
    if not detail["objects"]:
        office.post(
            f"/campaigns/{campaign}/objects/import",
            data={"csrf_token": csrf},
            files={"file": ("mines.xlsx", mines_workbook(3))},
        )
        detail = office.get(f"/api/campaigns/{campaign}").json()
    other = next(o for o in detail["objects"] if o["county"] != "海原县")
    county, csrf = _client(app, "county")
    refused = county.post(
        f"/api/campaigns/{campaign}/findings",
        json={"object_id": other["id"], "problem": "x"},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status_code == 403 and "无权" in refused.text


def test_the_public_site_shows_campaigns_without_login(app):
    anonymous, _ = _client(app)
    page = anonymous.get("/public/campaigns")
    assert page.status_code == 200 and "中卫市水利工程质量安全大检查大整治行动方案" in page.text


def test_the_office_edits_the_checklist_adds_an_object_supervises_and_publishes_a_credit_record(app):
    office, csrf = _client(app, "office")
    campaign = _mining(office)
    before = office.get(f"/api/campaigns/{campaign}").json()["check_items"]
    assert (
        office.post(
            f"/campaigns/{campaign}/check-items",
            data={"csrf_token": csrf, "title": "火工品管理", "label": "(五)"},
        ).status_code
        == 303
    )
    first = before[0]["id"]
    office.post(
        f"/campaigns/{campaign}/check-items",
        data={"csrf_token": csrf, "item_id": str(first), "title": "持续推进整治", "label": "(一)"},
    )
    items = office.get(f"/api/campaigns/{campaign}").json()["check_items"]
    assert (
        len(items) == len(before) + 1
        and items[-1]["title"] == "火工品管理"
        and items[0]["title"] == "持续推进整治"
    )
    office.post(
        f"/campaigns/{campaign}/objects",
        data={
            "csrf_token": csrf,
            "name": "手工录入矿",
            "county": "海原县",
            "credit_code": "91640500MA76XXXX0Q",
        },
    )
    added = next(
        o for o in office.get(f"/api/campaigns/{campaign}").json()["objects"] if o["name"] == "手工录入矿"
    )
    finding = office.post(
        f"/api/campaigns/{campaign}/findings",
        json={"object_id": added["id"], "problem": "无证开采"},
        headers={"X-CSRF-Token": csrf},
    ).json()["id"]
    assert (
        office.post(f"/findings/{finding}/supervision", data={"csrf_token": csrf, "on": "1"}).status_code
        == 303
    )
    office.post(
        f"/findings/{finding}/credit-records",
        data={"csrf_token": csrf, "kind": "失信", "basis": "《矿产资源法》第三十九条", "public": "1"},
    )
    detail = office.get(f"/api/campaigns/{campaign}").json()
    assert next(f for f in detail["findings"] if f["id"] == finding)["supervised"] is True
    public = TestClient(app).get("/public/campaigns").text
    assert "手工录入矿" in public and "91640500MA76XXXX0Q" in public and "《矿产资源法》第三十九条" in public


def test_a_unit_may_not_edit_the_checklist(app):
    county, csrf = _client(app, "county")
    refused = county.post(
        f"/campaigns/{_mining(county)}/check-items", data={"csrf_token": csrf, "title": "x"}
    )
    assert refused.status_code == 403


def test_a_finding_is_recorded_on_the_page_with_a_photo_and_a_bad_due_day_is_refused_in_chinese(app):
    office, csrf = _client(app, "office")
    water = next(c["id"] for c in office.get("/api/campaigns").json()["data"] if c["kind"] == "大检查大整治")
    office.post(
        f"/campaigns/{water}/objects", data={"csrf_token": csrf, "name": "某蓄水池", "county": "中宁县"}
    )
    pool = next(o for o in office.get(f"/api/campaigns/{water}").json()["objects"] if o["name"] == "某蓄水池")
    form = {"csrf_token": csrf, "object_id": str(pool["id"]), "problem": "坝坡裂缝"}
    photo = {"evidence": ("裂缝.jpg", b"\xff\xd8crack", "image/jpeg")}
    bad = office.post(f"/campaigns/{water}/findings", data={**form, "due_on": "6月底"}, files=photo)
    assert bad.status_code == 400 and "不是有效日期" in bad.text
    assert office.post(f"/campaigns/{water}/findings", data=form, files=photo).status_code == 303
    found = next(
        f for f in office.get(f"/api/campaigns/{water}").json()["findings"] if f["problem"] == "坝坡裂缝"
    )
    assert [e["filename"] for e in found["evidence"]] == ["裂缝.jpg"]


def test_a_clock_falling_due_is_warned_on_the_campaign_page(app):
    office, csrf = _client(app, "office")
    care = next(c["id"] for c in office.get("/api/campaigns").json()["data"] if c["kind"] == "日常监管")
    office.post(
        f"/campaigns/{care}/objects", data={"csrf_token": csrf, "name": "某敬老院", "county": "海原县"}
    )
    home = next(o for o in office.get(f"/api/campaigns/{care}").json()["objects"] if o["name"] == "某敬老院")
    county, csrf = _client(app, "county")
    recorded = county.post(
        f"/campaign-objects/{home['id']}/events",
        data={"csrf_token": csrf, "event": "收住老年人", "day": "2022-06-20"},
    )
    assert recorded.status_code == 303
    page = county.get(f"/campaigns/{care}").text  # the app's day is 2022-06-30; 备案 is due 2022-07-04
    assert 'id="clock-warnings"' in page and "0 项已逾期，1 项即将到期" in page
    assert "某敬老院：备案应于2022-07-04前完成（还剩2个工作日）" in page

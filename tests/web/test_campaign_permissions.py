"""Every campaign write endpoint × every role, with the status code each must get.

Roles: anonymous; the office (督查室); the account of the 督查组 that covers 中宁县 (group_own) and of
one that covers 沙坡头区 (group_other); the unit user of 中宁县, responsible for the object's findings
(county_own); the unit user of 海原县 (county_other); a leader. Each call works on an object of
中宁县; preconditions (a finding waiting for 销号, one to rectify) are set up through the services
first, so a 2xx proves the permission and a 4xx cannot come from a wrong state. Pages read by a
督查组 account are its campaigns only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from taizhang.services import accounts, campaign_work, campaigns
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from tests.services.test_campaigns import mines_workbook

from .conftest import make_app, sign_in
from .ledger_factory import GAZETTE

TODAY = date(2022, 5, 20)
PASSWORD = "a-long-password"
ROLES = ("anonymous", "office", "group_own", "group_other", "county_own", "county_other", "leader")
ACCOUNT = {
    "office": "office",
    "group_own": "二组",
    "group_other": "一组",
    "county_own": "zn",
    "county_other": "hy",
    "leader": "leader",
}


def only(ok: int, *roles: str) -> dict[str, int]:
    """``ok`` for ``roles``, 401 for anonymous, 403 for the rest."""
    return {r: ok if r in roles else (401 if r == "anonymous" else 403) for r in ROLES}


# endpoint → (path template, form or JSON body, precondition, expected by role)
PAGES: dict[str, tuple[str, dict[str, Any], str | None, dict[str, int]]] = {
    "objects-import": ("/campaigns/{campaign}/objects/import", {"file": True}, None, only(303, "office")),
    "object-add": (
        "/campaigns/{campaign}/objects",
        {"name": "新增矿", "county": "中宁县"},
        None,
        only(303, "office"),
    ),
    "inspector-add": (
        "/campaigns/{campaign}/inspectors",
        {"name": "张三", "unit": "市应急管理局"},
        None,
        only(303, "office"),
    ),
    "check-item": ("/campaigns/{campaign}/check-items", {"title": "火工品管理"}, None, only(303, "office")),
    "draw": (
        "/campaigns/{campaign}/draw",
        {"objects": "1", "inspectors": "1", "seed": "s"},
        None,
        only(303, "office"),
    ),
    "finding": (
        "/campaigns/{campaign}/findings",
        {"object_id": "{object}", "problem": "越界开采"},
        None,
        only(303, "office", "group_own", "county_own"),
    ),
    "rectify": ("/findings/{finding}/rectify", {"note": "正在回填"}, "finding", only(303, "county_own")),
    "request-close": (
        "/findings/{finding}/request_close",
        {"note": "已回填", "evidence": True},
        "finding",
        only(303, "county_own"),
    ),
    "verify": (
        "/findings/{finding}/verify",
        {},
        "close_requested",
        only(303, "office", "group_own", "county_own"),
    ),
    "return": (
        "/findings/{finding}/return",
        {"note": "照片不清"},
        "close_requested",
        only(303, "office", "group_own", "county_own"),
    ),
    "supervise": ("/findings/{finding}/supervision", {"on": "1"}, "finding", only(303, "office")),
    "credit": (
        "/findings/{finding}/credit-records",
        {"kind": "失信", "basis": "《矿产资源法》"},
        "finding",
        only(303, "office"),
    ),
}
API = {
    "api-finding": (
        "/api/campaigns/{campaign}/findings",
        {"object_id": "{object}", "problem": "越界开采"},
        None,
        only(201, "office", "group_own", "county_own"),
    ),
    "api-draw": (
        "/api/campaigns/{campaign}/draw",
        {"objects": 1, "inspectors": 1, "seed": "s"},
        None,
        only(201, "office"),
    ),
}
READS = {
    "/campaigns": {
        **only(200, "office", "group_own", "group_other", "county_own", "county_other", "leader"),
        "anonymous": 303,
    },
    "/campaigns/{campaign}": {
        **only(200, "office", "group_own", "group_other", "county_own", "county_other", "leader"),
        "anonymous": 303,
    },
    "/ledger": {**only(200, "office", "county_own", "county_other", "leader"), "anonymous": 303},
    "/api/tasks": only(200, "office", "county_own", "county_other", "leader"),
}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("campaign-permissions")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        mining = next(c for c in campaigns.list_campaigns(conn) if c["kind"] == "专项行动")
        accounts.add_user(conn, "office", PASSWORD, "office")
        accounts.add_user(conn, "zn", PASSWORD, "unit", "中宁县")
        accounts.add_user(conn, "hy", PASSWORD, "unit", "海原县")
        accounts.add_user(conn, "leader", PASSWORD, "leader")
        accounts.add_user(conn, "一组", PASSWORD, "group", group_id=mining["groups"][0]["id"])
        accounts.add_user(conn, "二组", PASSWORD, "group", group_id=mining["groups"][1]["id"])
        office = accounts.get_user_by_name(conn, "office")
        campaign_work.import_objects(conn, office, mining["id"], mines_workbook(6))
    engine.dispose()
    application = make_app(url, tmp)
    yield application
    application.state.engine.dispose()


def _setup(app, precondition: str | None) -> dict[str, int]:
    """The campaign, a 中宁县 object, and a finding in the state the precondition asks for."""
    with unit_of_work(app.state.engine) as conn:
        mining = next(c for c in campaigns.list_campaigns(conn) if c["kind"] == "专项行动")
        found = campaigns.get_campaign(conn, mining["id"])
        obj = next(o for o in found["objects"] if o["county"] == "中宁县")
        ids = {"campaign": mining["id"], "object": obj["id"], "finding": 0}
        if precondition:
            office, county = (accounts.get_user_by_name(conn, n) for n in ("office", "zn"))
            ids["finding"] = campaign_work.record_finding(
                conn, office, obj["id"], problem="未复绿", today=TODAY
            )
        if precondition == "close_requested":
            campaign_work.act_on_finding(
                conn,
                county,
                ids["finding"],
                "request_close",
                today=TODAY,
                evidence=(campaign_work.Evidence("照片.jpg", b"\xff\xd8x"),),
                upload_dir=app.state.settings.upload_dir,
            )
    return ids


def _client(app, role: str) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    return client, (sign_in(client, ACCOUNT[role]) if role != "anonymous" else "")


def _fill(body: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    return {k: (v.format(**ids) if isinstance(v, str) else v) for k, v in body.items()}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_every_campaign_form_for_every_role(app, endpoint, role):
    path, body, precondition, expected = PAGES[endpoint]
    ids = _setup(app, precondition)
    client, csrf = _client(app, role)
    data = {k: v for k, v in _fill(body, ids).items() if v is not True}
    files = {}
    if body.get("file"):
        files["file"] = ("mines.xlsx", mines_workbook(2))
    if body.get("evidence"):
        files["evidence"] = ("照片.jpg", b"\xff\xd8photo", "image/jpeg")
    response = client.post(path.format(**ids), data={**data, "csrf_token": csrf}, files=files or None)
    assert response.status_code == expected[role], response.text[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(API))
def test_every_campaign_api_write_for_every_role(app, endpoint, role):
    path, body, precondition, expected = API[endpoint]
    ids = _setup(app, precondition)
    client, csrf = _client(app, role)
    payload = _fill(body, ids)
    if "object_id" in payload:
        payload["object_id"] = int(payload["object_id"])
    response = client.post(path.format(**ids), json=payload, headers={"X-CSRF-Token": csrf})
    assert response.status_code == expected[role], response.text[:300]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", sorted(READS))
def test_a_group_account_reads_its_campaigns_only(app, path, role):
    ids = _setup(app, None)
    client, _ = _client(app, role)
    assert client.get(path.format(**ids)).status_code == READS[path][role]


def test_a_group_account_lands_on_its_campaigns_and_sees_its_county_only(app):
    ids = _setup(app, "finding")
    client, _ = _client(app, "group_other")
    detail = client.get(f"/api/campaigns/{ids['campaign']}").json()
    assert {o["county"] for o in detail["objects"]} == {"沙坡头区"}
    assert all(f["object_id"] != ids["object"] for f in detail["findings"])
    page = client.get(f"/campaigns/{ids['campaign']}").text
    assert "督查组" in page and 'href="/ledger"' not in page

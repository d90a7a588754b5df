"""Decisions, consultations, people and the registry in the web app and its JSON API."""

from __future__ import annotations

import re
from io import BytesIO

import sqlalchemy as sa
from docx import Document
from fastapi.testclient import TestClient

from taizhang.services.database import unit_of_work
from taizhang.storage.tables import units

from .conftest import sign_in
from .procedures_factory import consultation_at


def _client(app, account: str | None = None) -> tuple[TestClient, str]:
    client = TestClient(app, follow_redirects=False)
    return client, sign_in(client, account) if account else ""


def _bearer(tokens, account: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[account]}"}


def _error(page: str) -> str:
    found = re.search(r'id="form-error">([^<]*)<', page)
    return found.group(1) if found else ""


def test_the_catalogue_page_shows_each_decision_where_it_stands(procedures_app):
    client, _ = _client(procedures_app, "office")
    page = client.get("/decisions").text
    assert page.count('<tr id="decision-') == 9
    assert "全面实施中小学教师“县管校聘”" in page and "待公众参与" in page
    assert "公众参与·未开始" in page


def test_a_unit_sees_only_the_decisions_it_handles(procedures_app, tokens):
    client, _ = _client(procedures_app, "education")
    assert client.get("/decisions").text.count('<tr id="decision-') == 2
    found = TestClient(procedures_app).get("/api/decisions", headers=_bearer(tokens, "health")).json()
    assert found["count"] == 0


def test_a_panel_of_four_is_refused_over_the_api_with_the_article(procedures_app, tokens):
    api = TestClient(procedures_app)
    office = _bearer(tokens, "office")
    created = api.post(
        "/api/decisions/1/consultations",
        headers=office,
        json={
            "topic": "县管校聘",
            "form": "集体论证",
            "requested_on": "2022-06-20",
            "meeting_on": "2022-06-30",
        },
    )
    assert created.status_code == 201
    path = f"/api/consultations/{created.json()['id']}/panel"
    refused = api.post(path, headers=office, json={"members": [{"expert_id": i} for i in range(1, 5)]})
    assert refused.status_code == 400
    assert "少于5人：不符合卫政办发〔2022〕35号第十三条" in refused.json()["detail"]
    accepted = api.post(path, headers=office, json={"members": [{"expert_id": i} for i in range(1, 6)]})
    assert (accepted.status_code, accepted.json()["status"], len(accepted.json()["members"])) == (
        200,
        "专家已确定",
        5,
    )
    assert (
        api.post("/api/decisions/1/flags", headers=office, json={"flags": ["contested"]}).status_code == 200
    )
    again = api.post(path, headers=office, json={"members": [{"expert_id": i} for i in range(1, 6)]})
    assert again.status_code == 400 and "少于7人" in again.json()["detail"]


def test_a_refused_form_shows_the_page_again_with_the_rule_in_chinese(procedures_app):
    with unit_of_work(procedures_app.state.engine) as conn:
        consultation = consultation_at(conn, "requested")
    client, csrf = _client(procedures_app, "office")
    response = client.post(
        f"/consultations/{consultation}/panel", data={"csrf_token": csrf, "expert_id": ["1", "2", "3", "4"]}
    )
    assert response.status_code == 400
    assert "专家组为4人，少于5人：不符合卫政办发〔2022〕35号第十三条“专家一般不少于5人”" in _error(
        response.text
    )
    garbled = client.post(
        f"/consultations/{consultation}/panel", data={"csrf_token": csrf, "expert_id": ["1", "二"]}
    )
    assert garbled.status_code == 400 and "专家编号有误" in _error(garbled.text)
    late = client.post(
        "/decisions/1/consultations",
        data={
            "csrf_token": csrf,
            "topic": "x",
            "form": "集体论证",
            "requested_on": "2022-06-29",
            "meeting_on": "2022-06-30",
        },
    )
    assert late.status_code == 400 and "第十五条" in _error(late.text)


def test_the_report_downloads_as_word_with_each_opinion(procedures_app):
    with unit_of_work(procedures_app.state.engine) as conn:
        consultation = consultation_at(conn, "reported")
    client, _ = _client(procedures_app, "office")
    response = client.get(f"/consultations/{consultation}/report.docx")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = [p.text for p in Document(BytesIO(response.content)).paragraphs]
    assert sum("采纳情况：采纳" in line for line in text) == 5
    page = client.get(f"/consultations/{consultation}").text
    assert 'data-colour="grey" data-label="意见期限"' in page and "报送审批" in page


def test_published_consultations_reach_the_public_site(procedures_app):
    with unit_of_work(procedures_app.state.engine) as conn:
        consultation = consultation_at(conn, "reported")
    anonymous = TestClient(procedures_app, follow_redirects=False)
    assert anonymous.get(f"/public/consultations/{consultation}").status_code == 404
    client, csrf = _client(procedures_app, "office")
    assert (
        client.post(
            f"/consultations/{consultation}/publish", data={"csrf_token": csrf, "public": "1"}
        ).status_code
        == 303
    )
    page = anonymous.get(f"/public/consultations/{consultation}")
    assert page.status_code == 200 and "采纳情况：采纳" in page.text
    assert anonymous.get(f"/public/consultations/{consultation}.docx").status_code == 200
    assert anonymous.get("/api/consultations").json()["count"] == 1


def test_the_people_page_answers_who_covers_and_routes_to_the_b_post(procedures_app):
    client, csrf = _client(procedures_app, "office")
    answer = client.get("/people?target=市生态环境局&on=2022-05-10").text
    assert re.search(r'class="person">雍跃斌<', answer)
    client.post(
        "/people/absences",
        data={
            "csrf_token": csrf,
            "name": "雍跃斌",
            "starts_on": "2022-05-09",
            "ends_on": "2022-05-13",
            "reason": "出差",
        },
    )
    client.post(
        "/requests",
        data={"csrf_token": csrf, "kind": "审批", "target": "督查科", "subject": "请示", "day": "2022-05-10"},
    )
    page = client.get("/people").text
    assert re.search(r'<td class="to">陆升<small>（代雍跃斌）</small>', page)
    assert "由AB岗陆升代为处理" in page


def test_a_units_page_names_the_leader_who_covers_it(procedures_app):
    with procedures_app.state.engine.connect() as conn:
        unit_id = conn.execute(sa.select(units.c.id).where(units.c.name == "市教育局")).scalar()
    client, _ = _client(procedures_app, "education")
    page = client.get(f"/units/{unit_id}").text
    assert re.search(r'id="leaders">陆升（联系：教育）', page)
    assert "全面实施中小学教师" in page


def test_the_public_registry_filters_by_status_and_links_the_repeal(procedures_app):
    anonymous = TestClient(procedures_app)
    page = anonymous.get("/public/registry?status=废止").text
    assert page.count('data-status="废止"') == 4 and "卫政规发〔2022〕1号 废止" in page
    data = anonymous.get("/api/registry", params={"year": 2022}).json()
    assert {r["doc_number"] for r in data["data"]} == {"卫政规发〔2022〕1号", "卫政办发〔2022〕35号"}
    assert anonymous.get("/api/registry", params={"status": "作废"}).status_code == 400


def test_the_office_records_a_status_change_and_open_tasks_are_flagged(procedures_app, tokens):
    api = TestClient(procedures_app)
    changed = api.post(
        "/api/registry/status",
        headers=_bearer(tokens, "office"),
        json={"document": "卫政办发〔2022〕24号", "status": "失效", "reason": "工作要点年度届满"},
    )
    assert changed.status_code == 200
    assert (changed.json()["status"], changed.json()["open_tasks"]) == ("失效", 34)
    flagged = api.get(
        "/api/tasks",
        params={"review": "true", "document": "卫政办发〔2022〕24号", "limit": 100},
        headers=_bearer(tokens, "office"),
    ).json()
    assert flagged["count"] == 34


def test_openapi_describes_every_procedures_endpoint_with_a_response_model(procedures_app):
    schema = TestClient(procedures_app).get("/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/decisions",
        "/api/decisions/{decision_id}/consultations",
        "/api/consultations/{consultation_id}",
        "/api/consultations/{consultation_id}/panel",
        "/api/people",
        "/api/who-covers",
        "/api/requests",
        "/api/experts",
        "/api/registry",
        "/api/registry/status",
    ):
        assert path in paths, path
    ok = paths["/api/consultations/{consultation_id}/panel"]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/ConsultationPublic")
    assert "RegistryEntryPublic" in schema["components"]["schemas"]

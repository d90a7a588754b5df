"""The 考评 ranking on the web: the page with its chart, the workbook, the API; signed-in users only."""

from __future__ import annotations

from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from .conftest import sign_in


def test_ranking_page_api_and_workbook(app, ledger):
    api = TestClient(app).get(
        "/api/evaluation",
        params={"period": "2022", "as_of": "2022-12-31"},
        headers={"Authorization": f"Bearer {ledger.tokens['leader']}"},
    )
    assert api.status_code == 200
    units = api.json()["units"]
    assert units and units[0]["rank"] == 1 and {"on_time_rate", "feedback_rate", "催办"} <= set(units[0])
    client = TestClient(app, follow_redirects=False)
    sign_in(client, "office")  # the whole ranking is the office's and the leaders'
    page = client.get("/evaluation?period=2022&as_of=2022-12-31")
    assert page.status_code == 200 and "<svg" in page.text and units[0]["unit"] in page.text
    book = load_workbook(BytesIO(client.get("/evaluation.xlsx?period=2022&as_of=2022-12-31").content))
    assert book.active["B3"].value == units[0]["unit"]


def test_anonymous_visitors_get_no_ranking(app):
    assert TestClient(app).get("/api/evaluation").status_code == 401
    assert TestClient(app, follow_redirects=False).get("/evaluation").status_code == 303
    assert TestClient(app).get("/api/evaluation?period=明年", headers={}).status_code == 401


def test_the_unit_portal_shows_the_units_own_score_only(app, ledger):
    from fastapi.testclient import TestClient

    from .conftest import sign_in

    client = TestClient(app, follow_redirects=False)
    sign_in(client, "health")
    page = client.get("/my").text
    section = page[page.index('id="my-score"') : page.index('id="notices"')]
    assert "本单位考评" in section and "按本单位承担的部分计" in section
    assert section.count("<tr>") <= 2  # its header and its own row, never the other units'
    assert "市教育局" not in section

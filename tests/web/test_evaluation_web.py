"""The 考评 ranking on the web: the page with its chart, the workbook, the API; signed-in users only."""

from __future__ import annotations

from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from .conftest import sign_in


def test_ranking_page_api_and_workbook(app, ledger):
    api = TestClient(app).get("/api/evaluation", params={"period": "2022", "as_of": "2022-12-31"},
                              headers={"Authorization": f"Bearer {ledger.tokens['leader']}"})
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

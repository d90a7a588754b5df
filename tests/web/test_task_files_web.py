"""立项附件 on the web: the API and the new-task form take files; the task page and API list them and
they download by the report attachments' rule (any signed-in user, never an anonymous caller)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from .conftest import sign_in

TASK = {
    "source_kind": "领导批示",
    "source_ref": "市长批示（2022年6月28日）",
    "title": "整改医疗废物处置问题",
    "lead": "市卫生健康委员会",
    "responsible": ["市医保局", "市市场监管局"],
    "deadline_text": "10个工作日内",
}


def _bearer(ledger, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[who]}"}


def test_the_api_takes_files_with_a_new_task_and_lists_them(app, ledger):
    client = TestClient(app, follow_redirects=False)
    files = [
        ("attachments", ("批示件.pdf", b"%PDF-1.4 pishi", "application/pdf")),
        ("attachments", ("纪要.html", b"<script>x</script>", "text/html")),
    ]
    created = client.post("/api/tasks", data=TASK, files=files, headers=_bearer(ledger, "office"))
    assert created.status_code == 201, created.text
    task = client.get(f"/api/tasks/{created.json()['id']}", headers=_bearer(ledger, "health")).json()
    assert [u["name"] for u in task["units"] if u["role"] == "responsible"] == [
        "市医保局",
        "市市场监督管理局",
    ]
    assert [(f["filename"], f["size"]) for f in task["attachments"]] == [
        ("批示件.pdf", 14),
        ("纪要.html", 18),
    ]
    assert task["due_on"] == "2022-07-14"
    page_id = task["attachments"][1]["id"]
    sign_in(client, "health")  # a unit of the ledger reads the task's files as it reads report files
    served = client.get(f"/attachments/{page_id}")
    assert served.status_code == 200 and served.content == b"<script>x</script>"
    assert served.headers["content-type"] == "application/octet-stream"  # a page is never served as one
    assert served.headers["content-disposition"].startswith("attachment")
    anonymous = TestClient(app, follow_redirects=False)
    assert anonymous.get(f"/attachments/{page_id}").status_code in (303, 401)
    public = anonymous.get(f"/api/tasks/{created.json()['id']}")
    assert public.status_code == 401 or public.json()["attachments"] == []


def test_too_many_files_refuse_the_task_in_chinese(app, ledger):
    client = TestClient(app)
    before = client.get("/api/tasks", params={"q": TASK["title"]}, headers=_bearer(ledger, "office")).json()[
        "count"
    ]
    files = [("attachments", (f"{n}.pdf", b"x", "application/pdf")) for n in range(6)]
    refused = client.post("/api/tasks", data=TASK, files=files, headers=_bearer(ledger, "office"))
    assert refused.status_code == 400 and "附件过多" in refused.json()["detail"]
    after = client.get("/api/tasks", params={"q": TASK["title"]}, headers=_bearer(ledger, "office")).json()[
        "count"
    ]
    assert after == before


def test_a_unit_cannot_create_a_task_with_files(app, ledger):
    files = [("attachments", ("a.pdf", b"x", "application/pdf"))]
    response = TestClient(app).post("/api/tasks", data=TASK, files=files, headers=_bearer(ledger, "health"))
    assert response.status_code == 403


def test_the_new_task_form_takes_files_and_the_task_page_links_them(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    form = client.get("/tasks/new").text
    assert 'enctype="multipart/form-data"' in form and 'name="attachments"' in form
    response = client.post(
        "/tasks/new",
        data={
            "csrf_token": token,
            "source_kind": "会议议定事项",
            "source_ref": "市政府常务会议（2022年第9次）",
            "title": "开展医疗收费专项检查",
            "lead": "市卫生健康委",
            "deadline_text": "2022年8月底前",
        },
        files=[("attachments", ("会议纪要.docx", b"PK minutes", "application/octet-stream"))],
    )
    assert response.status_code == 303, response.text
    page = client.get(response.headers["location"]).text
    assert "立项附件" in page and "会议纪要.docx" in page
    link = re.search(r'href="(/attachments/\d+)"[^>]*>会议纪要.docx', page).group(1)
    assert client.get(link).content == b"PK minutes"
    assert (
        "<td>上传附件</td>" in page.split("变更记录")[1]
        and "附件：会议纪要.docx" in page.split("变更记录")[1]
    )

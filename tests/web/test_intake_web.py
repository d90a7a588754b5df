"""立项 on the web and in the API: create, edit, split and cancel a task."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import sign_in


def _office(ledger) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens['office']}"}


def test_the_api_creates_a_task_that_units_then_see(app, ledger):
    client = TestClient(app)
    body = {
        "source_kind": "会议议定事项",
        "source_ref": "市政府常务会议（2022年第9次）",
        "title": "开展医疗收费专项检查",
        "lead": ["市卫生健康委员会"],
        "responsible": ["市医保局、市市场监管局"],
        "deadline_text": "10个工作日内",
    }
    created = client.post("/api/tasks", json=body, headers=_office(ledger))
    assert created.status_code == 201, created.text
    task = client.get(f"/api/tasks/{created.json()['id']}", headers=_office(ledger)).json()
    assert (
        task["deadline_kind"] == "relative" and task["due_on"] == "2022-07-14"
    )  # 10 working days from 06-30
    listed = client.get(
        "/api/tasks",
        params={"unit": "市医保局", "q": "医疗收费专项检查"},
        headers={"Authorization": f"Bearer {ledger.tokens['health']}"},
    ).json()
    assert [t["id"] for t in listed["data"]] == [created.json()["id"]]


def test_a_bad_task_is_a_400_in_chinese(app, ledger):
    body = {"source_kind": "领导批示", "source_ref": "批示", "title": "某任务", "lead": ["不存在的单位"]}
    response = TestClient(app).post("/api/tasks", json=body, headers=_office(ledger))
    assert response.status_code == 400 and "不在单位名录" in response.json()["detail"]


def test_edit_split_and_cancel_through_the_api(app, ledger):
    client = TestClient(app)
    task_id = ledger.task_ids[0]
    edited = client.patch(
        f"/api/tasks/{task_id}",
        json={"deadline_text": "2022年9月底前", "reason": "市政府同意延期"},
        headers=_office(ledger),
    )
    assert edited.status_code == 200
    assert client.get(f"/api/tasks/{task_id}", headers=_office(ledger)).json()["due_on"] == "2022-09-30"
    split = client.post(
        f"/api/tasks/{task_id}/split",
        json={"titles": ["甲", "乙"], "reason": "分两项推进"},
        headers=_office(ledger),
    )
    assert split.json()["ids"][0] == task_id and len(split.json()["ids"]) == 2
    cancelled = client.post(
        f"/api/tasks/{task_id}/cancel", json={"reason": "合并到其他任务"}, headers=_office(ledger)
    )
    assert cancelled.status_code == 200
    assert client.get(f"/api/tasks/{task_id}", headers=_office(ledger)).json()["status"] == "已撤销"
    again = client.post(f"/api/tasks/{task_id}/chase", json={"message": "请抓紧"}, headers=_office(ledger))
    assert again.status_code == 409


def test_the_new_task_form_creates_and_shows_the_task(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    form = client.get("/tasks/new")
    assert form.status_code == 200 and "立项" in form.text and "领导批示" in form.text
    response = client.post(
        "/tasks/new",
        data={
            "csrf_token": token,
            "source_kind": "督查发现",
            "source_ref": "2022年第二季度专项督查",
            "title": "整改医疗废物处置问题",
            "lead": "市卫生健康委",
            "deadline_text": "2022年8月底前",
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "整改医疗废物处置问题" in page.text and "2022年8月底前" in page.text and "撤销任务" in page.text


def _workbook(rows) -> bytes:
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["2022年重点工作任务台账"])
    sheet.append(["序号", "重点任务", "牵头单位", "配合单位", "完成时限"])
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_import_page_previews_fixes_the_mapping_and_imports(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    assert client.get("/import/ledger").status_code == 200
    data = _workbook(
        [
            [1, "建立重点任务台账", "市卫生健康委", "市医保局", "2022年12月底前"],
            [2, "按月报送进展", "市医保局", "", "每月25日前"],
        ]
    )
    files = {"workbook": ("台账.xlsx", data, "application/octet-stream")}
    preview = client.post("/import/ledger", data={"csrf_token": token, "action": "preview"}, files=files)
    assert (
        preview.status_code == 200 and "表头在第 2 行" in preview.text and "建立重点任务台账" in preview.text
    )
    encoded = preview.text.split('name="data" value="')[1].split('"')[0]
    form = {
        "csrf_token": token,
        "data": encoded,
        "filename": "台账.xlsx",
        "mapped": "1",
        "map_number": "0",
        "map_title": "1",
        "map_lead": "2",
        "map_cooperating": "3",
        "map_deadline": "4",
    }
    done = client.post("/import/ledger", data={**form, "action": "import"})
    assert done.status_code == 200 and "新建任务 2 项" in done.text
    again = client.post("/import/ledger", data={**form, "action": "import"})
    assert "新建任务 0 项，已在台账中 2 项" in again.text


def test_a_bad_row_is_refused_on_the_page_naming_the_row(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    data = _workbook(
        [
            [1, "建立重点任务台账", "市卫生健康委", "", "2022年12月底前"],
            [2, "按月报送进展", "市不存在局", "", "每月25日前"],
        ]
    )
    files = {"workbook": ("台账.xlsx", data, "application/octet-stream")}
    response = client.post("/import/ledger", data={"csrf_token": token, "action": "import"}, files=files)
    assert response.status_code == 400 and "第4行“牵头单位”列：“市不存在局”不在单位名录中" in response.text


def test_the_mapping_of_a_second_sheet_is_fixed_on_the_page(app, ledger):
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(
        BytesIO(_workbook([[1, "建立重点任务台账", "市卫生健康委", "市医保局", "2022年12月底前"]]))
    )
    more = book.create_sheet("督查发现问题")
    more.append(["序号", "整改任务", "责任单位", "完成时限", "说明"])
    more.append([1, "整改医疗废物处置问题", "市卫生健康委", "2022年11月底前", "市医保局"])
    out = BytesIO()
    book.save(out)
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    files = {"workbook": ("台账.xlsx", out.getvalue(), "application/octet-stream")}
    preview = client.post("/import/ledger", data={"csrf_token": token, "action": "preview"}, files=files)
    assert preview.status_code == 200
    assert (
        'name="sheet_0" value="Sheet"' in preview.text
        and 'name="sheet_1" value="督查发现问题"' in preview.text
    )
    assert 'name="map_1_cooperating"' in preview.text and "工作表“督查发现问题”的列对应关系" in preview.text
    encoded = preview.text.split('name="data" value="')[1].split('"')[0]
    form = {
        "csrf_token": token,
        "data": encoded,
        "filename": "台账.xlsx",
        "mapped": "1",
        "sheet_0": "Sheet",
        "map_0_number": "0",
        "map_0_title": "1",
        "map_0_lead": "2",
        "map_0_cooperating": "3",
        "map_0_deadline": "4",
        "sheet_1": "督查发现问题",
        "map_1_number": "0",
        "map_1_title": "1",
        "map_1_responsible": "2",
        "map_1_deadline": "3",
        "map_1_cooperating": "4",
    }
    again = client.post("/import/ledger", data={**form, "action": "preview"})
    assert '<option value="4" selected>说明</option>' in again.text
    done = client.post("/import/ledger", data={**form, "action": "import"})
    assert done.status_code == 200 and "新建任务 2 项" in done.text
    office = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    found = client.get("/api/tasks", params={"q": "整改医疗废物处置问题"}, headers=office).json()["data"]
    assert sorted((u["role"], u["name"]) for u in found[0]["units"]) == [
        ("cooperating", "市医保局"),
        ("responsible", "市卫生健康委"),
    ]


def test_the_api_refuses_an_edit_or_a_split_without_a_reason_and_changes_nothing(app, ledger):
    client = TestClient(app)
    task_id = ledger.task_ids[0]
    before = client.get(f"/api/tasks/{task_id}", headers=_office(ledger)).json()
    total = client.get("/api/tasks", headers=_office(ledger)).json()["count"]
    edited = client.patch(
        f"/api/tasks/{task_id}",
        json={"deadline_text": "2022年9月底前", "reason": " "},
        headers=_office(ledger),
    )
    assert edited.status_code == 400 and edited.json()["detail"] == "请填写修改理由"
    split = client.post(f"/api/tasks/{task_id}/split", json={"titles": ["甲", "乙"]}, headers=_office(ledger))
    assert split.status_code == 400 and split.json()["detail"] == "请填写拆分理由"
    assert client.get(f"/api/tasks/{task_id}", headers=_office(ledger)).json() == before
    assert client.get("/api/tasks", headers=_office(ledger)).json()["count"] == total


def test_the_task_page_asks_a_reason_for_an_edit_and_a_split_and_logs_it(app, ledger):
    client = TestClient(app, follow_redirects=False)
    token = sign_in(client, "office")
    task_id = ledger.task_ids[0]
    page = client.get(f"/tasks/{task_id}").text
    assert "修改理由" in page and "拆分理由" in page
    edit = {
        "csrf_token": token,
        "title": "推进分级诊疗",
        "lead": "市卫生健康委",
        "deadline_text": "2022年9月底前",
    }
    refused = client.post(f"/tasks/{task_id}/edit", data=edit)
    assert refused.status_code == 400 and "请填写修改理由" in refused.text
    assert "推进分级诊疗" not in client.get(f"/tasks/{task_id}").text
    assert client.post(f"/tasks/{task_id}/edit", data={**edit, "reason": "市政府同意延期"}).status_code == 303
    split = {"csrf_token": token, "titles": "推进分级诊疗\n建设医联体"}
    refused = client.post(f"/review/{task_id}/split", data=split)
    assert refused.status_code == 400 and "请填写拆分理由" in refused.text
    assert client.post(f"/review/{task_id}/split", data={**split, "reason": "分两项推进"}).status_code == 303
    log = client.get(f"/tasks/{task_id}").text
    assert "理由：市政府同意延期" in log and "理由：分两项推进" in log

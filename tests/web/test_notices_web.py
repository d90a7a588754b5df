"""Notices (通报) on the web: drafting, publishing, reading, Word downloads, the public site and the API.

The ledger is the bundled gazette with the gold tasks (tests/web/ledger_factory.py), judged on
2022-06-30: tasks due at the end of May or June are overdue, so a notice has a red section.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import docx
import pytest
from fastapi.testclient import TestClient

from taizhang.services.audit import history
from taizhang.services.notices import list_notices

from .conftest import make_app, sign_in
from .ledger_factory import PASSWORD, build_ledger, task_where
from .live_server import serving

DOCUMENT = "卫政办发〔2022〕6号"  # the "两高" rectification plan: 8 tasks, several due by June
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def bearer(ledger, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ledger.tokens[name]}"}


def publish(client: TestClient, csrf: str, *, is_public: bool, document: str = "", title: str = "") -> int:
    """Publish through the page form; returns the new notice's id from the redirect."""
    response = client.post(
        "/notices",
        data={
            "csrf_token": csrf,
            "as_of": "2022-06-30",
            "document": document,
            "unit": "",
            "title": title,
            "is_public": "1" if is_public else "0",
        },
    )
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/notices/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def docx_text(content: bytes) -> str:
    document = docx.Document(BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def office(client) -> tuple[TestClient, str]:
    return client, sign_in(client, "office")


# -- the office drafts -------------------------------------------------------------------------


def test_notices_page_offers_the_office_a_draft_form_defaulting_to_today(office):
    client, _ = office
    page = client.get("/notices")
    assert page.status_code == 200
    assert 'name="as_of" value="2022-06-30"' in page.text  # the app's Today
    assert f'<option value="{DOCUMENT}">' in page.text and '<option value="市卫生健康委">' in page.text
    assert "暂无已发布的通报" in page.text
    assert '<a href="/notices">通报</a>' in page.text  # the navigation link


def test_draft_shows_sections_and_the_overdue_table(office):
    client, _ = office
    page = client.get("/notices/draft", params={"as_of": "2022-06-30"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "关于截至2022年6月30日督办事项落实情况的通报" in text
    for heading in ("一、总体情况", "二、逾期未完成事项（红灯）", "下步要求"):
        assert heading in text
    assert "各县（区）人民政府，市政府各部门、各直属机构：" in text
    assert "已逾期" in text  # the status column carries the warning reason
    assert re.search(r'<a href="/tasks/\d+">', page.text)  # draft rows link to their tasks
    assert "/notices/draft.docx?as_of=2022-06-30" in page.text


def test_draft_of_one_document_and_one_unit_is_scoped_and_named(office):
    client, _ = office
    by_document = text_of(
        client.get("/notices/draft", params={"as_of": "2022-06-30", "document": DOCUMENT}).text
    )
    assert f"关于{DOCUMENT}文件落实情况的通报" in by_document
    whole = text_of(client.get("/notices/draft", params={"as_of": "2022-06-30"}).text)
    total = int(re.search(r"纳入本次通报的任务共(\d+)项", whole).group(1))
    scoped = int(re.search(r"纳入本次通报的任务共(\d+)项", by_document).group(1))
    assert scoped == 8 and total > scoped
    by_unit = text_of(
        client.get("/notices/draft", params={"as_of": "2022-06-30", "unit": "市卫生健康委员会"}).text
    )
    assert "关于市卫生健康委督办事项落实情况的通报" in by_unit  # the alias resolved to the directory's name
    assert "市卫生健康委：" in by_unit


def test_empty_selectors_mean_the_whole_ledger_and_a_given_title_is_kept(office):
    client, _ = office
    page = client.get(
        "/notices/draft", params={"as_of": "", "document": "", "unit": "", "title": "六月督查通报"}
    )
    assert page.status_code == 200
    assert "<h1>六月督查通报" in page.text and "截至2022年6月30日" in text_of(page.text)


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"as_of": "30/06/2022"}, 400),
        ({"as_of": "2022-06-30", "unit": "火星办公室"}, 400),
        ({"as_of": "2022-06-30", "document": "卫政办发〔2099〕1号"}, 404),
    ],
)
def test_bad_draft_input_is_a_clear_error_page(office, params, status):
    client, _ = office
    response = client.get("/notices/draft", params=params)
    assert response.status_code == status
    assert "<h1>" in response.text


def test_draft_docx_is_a_word_file_with_the_title_and_is_not_stored(office, app):
    client, _ = office
    response = client.get("/notices/draft.docx", params={"as_of": "2022-06-30", "document": DOCUMENT})
    assert response.status_code == 200 and response.headers["content-type"] == DOCX_TYPE
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="notice-draft-2022-06-30.docx"')
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"关于{DOCUMENT}文件落实情况的通报.docx"
    text = docx_text(response.content)
    assert f"关于{DOCUMENT}文件落实情况的通报" in text and "逾期未完成事项（红灯）" in text
    with app.state.engine.connect() as conn:
        assert list_notices(conn) == []


# -- publishing and reading ----------------------------------------------------------------------


def test_publishing_stores_the_notice_audited_and_shows_it(office, app):
    client, csrf = office
    notice_id = publish(client, csrf, is_public=False, document=DOCUMENT)
    page = client.get(f"/notices/{notice_id}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"关于{DOCUMENT}文件落实情况的通报" in text and "内部通报" in text
    assert "二、逾期未完成事项（红灯）" in text and "<table" in page.text  # rows read back from the body
    assert f'href="/notices/{notice_id}.docx"' in page.text
    listing = client.get("/notices").text
    assert f'<a href="/notices/{notice_id}">' in listing and "暂无已发布的通报" not in listing
    with app.state.engine.connect() as conn:
        entries = history(conn, "notice", notice_id)
    assert [(e["actor"], e["action"]) for e in entries] == [("office", "publish")]


def test_notices_are_listed_newest_first(office):
    client, csrf = office
    first = publish(client, csrf, is_public=False, title="第一份通报")
    second = publish(client, csrf, is_public=True, title="第二份通报")
    listing = client.get("/notices").text
    assert listing.index(f'/notices/{second}"') < listing.index(f'/notices/{first}"')


def test_stored_notice_docx_reopens_with_its_title_and_task_table(office):
    client, csrf = office
    notice_id = publish(client, csrf, is_public=True, document=DOCUMENT)
    response = client.get(f"/notices/{notice_id}.docx")
    assert response.status_code == 200 and response.headers["content-type"] == DOCX_TYPE
    assert f'filename="notice-{notice_id}.docx"' in response.headers["content-disposition"]
    document = docx.Document(BytesIO(response.content))
    assert f"关于{DOCUMENT}文件落实情况的通报" in [p.text for p in document.paragraphs]
    assert [c.text for c in document.tables[0].rows[0].cells] == [
        "序号",
        "任务",
        "责任单位",
        "完成时限",
        "状态",
    ]
    assert "(此件公开发布)" in docx_text(response.content)


def test_publish_without_the_csrf_token_is_refused_and_stores_nothing(office, app):
    client, _ = office
    response = client.post("/notices", data={"as_of": "2022-06-30", "is_public": "1"})
    assert response.status_code == 403
    with app.state.engine.connect() as conn:
        assert list_notices(conn) == []


def test_a_missing_notice_is_404(office):
    client, _ = office
    assert client.get("/notices/999").status_code == 404
    assert client.get("/notices/999.docx").status_code == 404


# -- who may do what -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client):
    for path in ("/notices", "/notices/draft?as_of=2022-06-30", "/notices/1", "/notices/1.docx"):
        response = client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=/notices"), path


@pytest.mark.parametrize("name", ["health", "leader"])
def test_units_and_leaders_read_and_download_but_do_not_draft_or_publish(client, app, name):
    office_csrf = sign_in(client, "office")
    notice_id = publish(client, office_csrf, is_public=False)
    client.cookies.clear()
    csrf = sign_in(client, name)
    listing = client.get("/notices")
    assert listing.status_code == 200 and f'<a href="/notices/{notice_id}">' in listing.text
    assert "起草通报" not in listing.text and 'action="/notices/draft"' not in listing.text
    assert client.get(f"/notices/{notice_id}").status_code == 200
    assert client.get(f"/notices/{notice_id}.docx").status_code == 200
    assert client.get("/notices/draft", params={"as_of": "2022-06-30"}).status_code == 403
    assert client.get("/notices/draft.docx", params={"as_of": "2022-06-30"}).status_code == 403
    refused = client.post("/notices", data={"csrf_token": csrf, "as_of": "2022-06-30", "is_public": "1"})
    assert refused.status_code == 403
    with app.state.engine.connect() as conn:
        assert [n.id for n in list_notices(conn)] == [notice_id]


# -- the public site -----------------------------------------------------------------------------


def test_public_site_lists_public_notices_only(office):
    client, csrf = office
    public_id = publish(client, csrf, is_public=True, title="公开的督查通报")
    internal_id = publish(client, csrf, is_public=False, title="内部的督查通报")
    client.cookies.clear()
    index = client.get("/public")
    assert index.status_code == 200
    assert f'<a href="/public/notices/{public_id}">公开的督查通报</a>' in index.text
    assert "内部的督查通报" not in index.text and f"/public/notices/{internal_id}" not in index.text
    page = client.get(f"/public/notices/{public_id}")
    assert page.status_code == 200 and "一、总体情况" in text_of(page.text)
    download = client.get(f"/public/notices/{public_id}.docx")
    assert download.status_code == 200 and "公开的督查通报" in docx_text(download.content)
    assert client.get(f"/public/notices/{internal_id}").status_code == 404
    assert client.get(f"/public/notices/{internal_id}.docx").status_code == 404


def test_public_site_says_when_there_is_no_public_notice(client):
    assert "暂无公开通报" in client.get("/public").text


# -- the API -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"), [("office", 201), ("health", 403), ("leader", 403), ("zhongning", 403)]
)
def test_only_the_office_creates_notices_through_the_api(client, ledger, name, status):
    response = client.post(
        "/api/notices",
        headers=bearer(ledger, name),
        json={"as_of": "2022-06-30", "document": DOCUMENT, "is_public": True},
    )
    assert response.status_code == status, response.text
    if status == 201:
        created = response.json()
        assert created["title"] == f"关于{DOCUMENT}文件落实情况的通报"
        assert created["is_public"] is True and created["as_of"] == "2022-06-30"
        assert created["body"].splitlines()[0] == "各县（区）人民政府，市政府各部门、各直属机构："
        assert client.get(f"/api/notices/{created['id']}", headers=bearer(ledger, "leader")).json() == created


def test_anonymous_api_calls_get_401_except_for_a_public_notice(client, ledger):
    assert client.post("/api/notices", json={"as_of": "2022-06-30"}).status_code == 401
    office = bearer(ledger, "office")
    public_id = client.post("/api/notices", headers=office, json={"is_public": True}).json()["id"]
    internal_id = client.post("/api/notices", headers=office, json={"is_public": False}).json()["id"]
    listing = client.get("/api/notices")
    assert listing.status_code == 401 and listing.headers["www-authenticate"] == "Bearer"
    assert client.get(f"/api/notices/{internal_id}").status_code == 401
    assert client.get(f"/api/notices/{public_id}").json()["is_public"] is True


@pytest.mark.parametrize("name", ["office", "health", "leader"])
def test_every_logged_in_role_lists_all_notices_newest_first(client, ledger, name):
    office = bearer(ledger, "office")
    first = client.post("/api/notices", headers=office, json={"is_public": False, "title": "甲"}).json()["id"]
    second = client.post("/api/notices", headers=office, json={"is_public": True, "title": "乙"}).json()["id"]
    listing = client.get("/api/notices", headers=bearer(ledger, name)).json()
    assert listing["count"] == 2 and [n["id"] for n in listing["data"]] == [second, first]


def test_api_create_defaults_to_today_and_refuses_bad_input(client, ledger):
    office = bearer(ledger, "office")
    created = client.post("/api/notices", headers=office, json={})
    assert created.status_code == 201 and created.json()["as_of"] == "2022-06-30"
    assert created.json()["is_public"] is False
    assert client.post("/api/notices", headers=office, json={"unit": "火星办公室"}).status_code == 400
    assert (
        client.post("/api/notices", headers=office, json={"document": "卫政办发〔2099〕1号"}).status_code
        == 404
    )
    assert client.post("/api/notices", headers=office, json={"as_of": "June"}).status_code == 422
    assert client.get("/api/notices/999", headers=office).status_code == 404


def test_notice_api_is_described_in_openapi(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/notices"]) and "get" in paths["/api/notices/{notice_id}"]
    created = paths["/api/notices"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert created == {"$ref": "#/components/schemas/NoticePublic"}


def test_notice_flow_on_each_database(db_url, tmp_path):
    """On SQLite and PostgreSQL: a task approved through the API is 办结 in the notice the office publishes."""
    ledger = build_ledger(db_url)
    app = make_app(db_url, tmp_path)
    try:
        client = TestClient(app, follow_redirects=False)
        task_id = task_where(ledger, unit="市卫生健康委", role="lead")
        health, office = bearer(ledger, "health"), bearer(ledger, "office")
        assert (
            client.post(f"/api/tasks/{task_id}/request-completion", headers=health, json={}).status_code
            == 201
        )
        assert client.post(f"/api/tasks/{task_id}/complete", headers=office, json={}).status_code == 200
        created = client.post(
            "/api/notices", headers=office, json={"unit": "市卫生健康委", "is_public": True}
        )
        assert created.status_code == 201, created.text
        notice = created.json()
        assert re.search(r"^[一二三四五六]、已办结事项$", notice["body"], re.MULTILINE)
        assert "已办结任务1项：市卫生健康委1项" in notice["body"]
        index = client.get("/public").text
        assert f'<a href="/public/notices/{notice["id"]}">关于市卫生健康委督办事项落实情况的通报</a>' in index
        download = client.get(f"/public/notices/{notice['id']}.docx")
        assert "已办结任务1项：市卫生健康委1项" in docx_text(download.content)
    finally:
        app.state.engine.dispose()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not installed at {CHROMIUM}")
def test_browser_office_publishes_a_public_notice_and_the_public_reads_it(app, tmp_path):
    """In Chromium: the office follows 通报, drafts for one document, publishes it publicly, downloads
    the Word file; an anonymous visitor finds it on /public."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with serving(app) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run"],
        )
        try:
            page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
            page.goto(f"{base}/login")
            page.fill("input[name=name]", "office")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            page.click("nav >> text=通报")
            page.select_option("select[name=document]", DOCUMENT)
            page.click("text=生成草稿")
            page.wait_for_url(re.compile(r".*/notices/draft\?.*"))
            assert "逾期未完成事项（红灯）" in page.text_content("main")
            page.select_option("select[name=is_public]", "1")
            page.click("text=发布通报")
            page.wait_for_url(re.compile(r".*/notices/\d+$"))
            title = f"关于{DOCUMENT}文件落实情况的通报"
            assert page.text_content("h1") == title
            with page.expect_download() as download:
                page.click("text=下载 Word")
            saved = tmp_path / "notice.docx"
            download.value.save_as(saved)
            assert title in docx_text(saved.read_bytes())
            public = browser.new_context(locale="zh-CN").new_page()
            public.goto(f"{base}/public")
            public.click(f"text={title}")
            assert "一、总体情况" in public.text_content("main")
        finally:
            browser.close()

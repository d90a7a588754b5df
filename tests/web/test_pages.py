"""The HTML pages: login and sessions, dashboard, reader, ledger, review, task forms, portal, public."""

from __future__ import annotations

import html
import re
from datetime import date
from io import BytesIO

import openpyxl
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from taizhang.services.dashboard import progress_over_time, task_light
from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import documents, tasks
from taizhang.web.security import SESSION_COOKIE, Session, SessionCodec, cookie_options

from .conftest import csrf_of, login, make_app, sign_in
from .ledger_factory import GOLD_DATA, task_where


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# -- login and sessions ------------------------------------------------------------------------


def test_login_sets_a_signed_httponly_lax_cookie(client):
    response = login(client, "office")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie


def test_cookie_is_secure_outside_local():
    assert cookie_options("production")["secure"] is True
    assert cookie_options("local")["secure"] is False


def test_wrong_password_is_refused_and_attempts_are_rate_limited(client):
    token = csrf_of(client, "/login")
    statuses = [
        client.post(
            "/login", data={"name": "office", "password": "wrong password", "csrf_token": token}
        ).status_code
        for _ in range(6)
    ]
    assert statuses == [401] * 5 + [429]
    assert (
        "次数过多"
        in client.post(
            "/login", data={"name": "office", "password": "correct horse 台账", "csrf_token": token}
        ).text
    )


def test_login_without_the_csrf_token_is_refused(client):
    client.get("/login")
    response = client.post("/login", data={"name": "office", "password": "correct horse 台账"})
    assert response.status_code == 403


def test_a_cookie_signed_with_another_key_is_an_anonymous_session(client):
    session = Session(user_id=1)  # the first account: the office
    client.cookies.set(SESSION_COOKIE, SessionCodec("another secret").dumps(session))
    assert client.get("/").status_code == 303
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, SessionCodec("test-secret").dumps(session))
    assert client.get("/").status_code == 200


def test_pages_need_login_and_redirect_back(client):
    response = client.get("/ledger")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/ledger")


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/ledger?sort=due", "/ledger?sort=due"),
    ],
)
def test_login_never_redirects_off_site(client, target, landing):
    token = csrf_of(client, "/login")
    response = client.post(
        "/login",
        data={"name": "office", "password": "correct horse 台账", "csrf_token": token, "next": target},
    )
    assert response.headers["location"] == landing


def test_logout_forgets_the_user(client):
    login(client, "office")
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert client.get("/").status_code == 303


def test_forms_without_the_csrf_token_are_refused(client, ledger):
    sign_in(client, "office")
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    assert client.post(f"/tasks/{task_id}/chase", data={"message": "请报送"}).status_code == 403
    assert (
        client.post(f"/tasks/{task_id}/chase", data={"message": "请报送", "csrf_token": "guess"}).status_code
        == 403
    )


# -- dashboard ------------------------------------------------------------------------------------


def test_dashboard_counts_and_chart(client):
    sign_in(client, "leader")
    page = client.get("/")
    assert page.status_code == 200
    total = re.search(r'id="count-total">(\d+)<', page.text).group(1)
    assert int(total) == len(GOLD_DATA["tasks"])
    assert "<svg" in page.text and "逾期任务" in page.text and "市卫生健康委" in page.text


def test_lights_follow_the_ledger_rule_for_deadlines_and_cycles():
    today = date(2022, 6, 30)

    def light(status, due=None, recurrence=None, reported=()):
        row = {
            "status": status,
            "deadline_kind": "date" if due else "ongoing",
            "due_on": due,
            "recurrence": recurrence,
        }
        return task_light(row, today, 5, set(reported)).colour

    assert light("未开始", date(2022, 6, 29)) == "red"
    assert light("推进中", date(2022, 7, 7)) == "yellow"  # 5 working days on
    assert light("推进中", date(2022, 7, 8)) == "green"
    assert light("已完成", date(2022, 1, 1)) == "grey"
    assert light("长期坚持", recurrence="monthly:25") == "yellow"  # June's report was due on the 27th
    assert light("长期坚持", recurrence="monthly:25", reported={"2022-06"}) == "green"


def test_a_cycle_report_turns_a_recurring_task_green(client, ledger, app):
    from taizhang.services.dashboard import dashboard
    from taizhang.storage.tables import tasks

    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    with unit_of_work(app.state.engine) as conn:
        conn.execute(
            tasks.update()
            .where(tasks.c.id == task_id)
            .values(recurrence="monthly:25", deadline_kind="ongoing", due_on=None, status="长期坚持")
        )

    def missing() -> list[tuple[str, str]]:
        with unit_of_work(app.state.engine) as conn:
            data = dashboard(conn, date(2022, 6, 30))
        return [(t["colour"], t["reason"]) for t in data["missing_reports"] if t["id"] == task_id]

    assert missing() == [("yellow", "本期(2022-06)进展未报送")]
    # no period given: a report sent on 30 June answers June
    client.post(
        f"/api/tasks/{task_id}/reports",
        headers={"Authorization": f"Bearer {ledger.tokens['health']}"},
        json={"practice": "六月进展", "percent": 40},
    )
    assert missing() == []


def test_dashboard_overdue_and_due_soon_on_the_gazette(app):
    from taizhang.services.dashboard import dashboard

    with unit_of_work(app.state.engine) as conn:
        data = dashboard(conn, date(2022, 6, 30), list_limit=1000)
        first = dashboard(conn, date(2022, 6, 30), list_limit=3)
    overdue = sorted(
        t["title"] for t in GOLD_DATA["tasks"] if (t["deadline"].get("due") or "9") < "2022-06-30"
    )
    assert sorted(t["title"] for t in data["overdue"]) == overdue
    assert data["by_colour"]["red"] == len(overdue) == data["overdue_count"] == first["overdue_count"]
    assert first["overdue"] == data["overdue"][:3]  # the first page of the list, by due day
    assert sum(data["by_colour"].values()) == data["total"]
    assert data["by_document"][0]["name"].startswith("卫政")


def test_progress_over_time_counts_reports_per_week(client, ledger, app):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    headers = {"Authorization": f"Bearer {ledger.tokens['health']}"}
    for percent in (20, 40):
        client.post(
            f"/api/tasks/{task_id}/reports", headers=headers, json={"practice": "推进", "percent": percent}
        )
    with unit_of_work(app.state.engine) as conn:
        series = progress_over_time(conn, date(2022, 6, 30))
    assert series[-1] == {"week": "2022-06-27", "reports": 2, "mean_percent": 30.0}
    assert sum(p["reports"] for p in series) == 2 and len(series) == 12


# -- documents and reader ---------------------------------------------------------------------------


def test_reader_shows_source_lines_with_tasks_linked(client, ledger):
    sign_in(client, "office")
    docs = client.get("/api/documents", headers={"Authorization": f"Bearer {ledger.tokens['office']}"}).json()
    doc = next(d for d in docs["data"] if d["doc_number"] == "卫政办发〔2022〕6号")
    page = client.get(f"/documents/{doc['id']}").text
    gold = [t for t in GOLD_DATA["tasks"] if t["doc_number"] == "卫政办发〔2022〕6号"]
    for task in gold:
        line = re.search(rf'<li id="L{task["line"]}" class="([^"]*)">(.*?)</li>', page, re.S)
        assert line and "task-line" in line.group(1), task["line"]
        assert 'href="/tasks/' in line.group(2)
    assert page.count('class="ln"') == doc["line_end"] - doc["line_start"] + 1


def test_documents_list(client):
    sign_in(client, "leader")
    page = text_of(client.get("/documents").text)
    assert all(d["doc_number"] in page for d in GOLD_DATA["documents"])


# -- ledger table -----------------------------------------------------------------------------------


def test_ledger_next_page_link_carries_the_cursor(client):
    sign_in(client, "office")
    first = client.get("/ledger").text
    link = re.search(r'href="(\?[^"]*after=[^"]*)">下一页', first)
    assert link is not None
    second = client.get("/ledger" + html.unescape(link.group(1))).text
    assert "第 2 / 3 页" in text_of(second)
    ids = re.findall(r'href="/tasks/(\d+)"', first), re.findall(r'href="/tasks/(\d+)"', second)
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1])
    assert "上一页" in second


def test_ledger_search_filter_and_export(client):
    sign_in(client, "office")
    page = client.get("/ledger", params={"q": "县管校聘"}).text
    assert "共 1 条" in text_of(page) and "县管校聘" in page
    assert "共 34 条" in text_of(client.get("/ledger", params={"document": "卫政办发〔2022〕24号"}).text)
    assert "条以上" not in text_of(page)
    export = client.get("/ledger.xlsx", params={"document": "卫政办发〔2022〕6号"})
    sheet = openpyxl.load_workbook(BytesIO(export.content)).worksheets[-1]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "文件", "任务")
    assert len(rows) == 1 + 8


# -- review queue -----------------------------------------------------------------------------------


def test_review_queue_is_for_the_office_and_corrects_tasks(client, ledger):
    flagged = [t for t in GOLD_DATA["tasks"] if t["deadline"]["kind"] in ("other", "phased")]
    sign_in(client, "office")
    page = client.get("/review").text
    assert f"{len(flagged)} 条" in text_of(page)
    assert "时限无法解析" in page and "unreadable_deadline" not in page  # the label, never the code
    task_id = ledger.task_ids[GOLD_DATA["tasks"].index(flagged[0])]
    response = client.post(
        f"/review/{task_id}",
        data={
            "csrf_token": csrf_of(client),
            "lead": "市卫生健康委、市医保局",
            "responsible": "",
            "cooperating": "",
            "due_on": "2022-12-31",
            "deadline_text": "2022年底前",
            "reviewed": "1",
        },
    )
    assert response.status_code == 303
    task = client.get(f"/api/tasks/{task_id}").json()
    assert ([u["name"] for u in task["units"]], task["due_on"], task["needs_review"]) == (
        ["市卫生健康委", "市医保局"],
        "2022-12-31",
        False,
    )
    assert f"{len(flagged) - 1} 条" in text_of(client.get("/review").text)


def test_review_queue_shows_a_check_finding_with_both_source_lines(client, ledger):
    note = {
        "kind": "check_conflict",
        "line": 12,
        "message": "正文与附件不一致：正文第12行为“2022年4月底前”，第40行为“2022年7月底”",
        "sides": [
            {"label": "正文", "line": 12, "text": "2022年4月底前完成价格调整"},
            {"label": "附件", "line": 40, "text": "5 合理调整医疗服务价格 2022年7月底"},
        ],
    }
    engine = open_database(ledger.url)
    with unit_of_work(engine) as conn:
        conn.execute(
            tasks.update()
            .where(tasks.c.id == ledger.task_ids[0])
            .values(needs_review=True, review_notes=[note])
        )
    engine.dispose()
    sign_in(client, "office")
    page = client.get("/review").text
    card = page[page.index(f'id="task-{ledger.task_ids[0]}"') :]
    card = card[: card.index("</section>")]
    assert "正文与附件不一致" in card
    assert re.search(
        r"<th>正文 · <a [^>]*#L12\">第12行</a></th><th>附件 · <a [^>]*#L40\">第40行</a></th>", card
    )
    assert "2022年4月底前完成价格调整</td><td>5 合理调整医疗服务价格 2022年7月底" in card


def test_review_queue_is_refused_to_units_and_leaders(client):
    sign_in(client, "health")
    assert client.get("/review").status_code == 403


# -- task page and unit portal ----------------------------------------------------------------------


def test_unit_reports_with_an_attachment_through_the_form(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    sign_in(client, "health")
    page = client.get(f"/tasks/{task_id}").text
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        f"/tasks/{task_id}/report",
        data={
            "csrf_token": csrf_of(client),
            "practice": "召开推进会",
            "results": "印发方案",
            "problems": "",
            "next_steps": "督促落实",
            "percent": "50",
        },
        files={"attachments": ("推进会纪要.txt", "会议纪要".encode(), "text/plain")},
    )
    assert response.status_code == 303
    page = client.get(f"/tasks/{task_id}").text
    assert "召开推进会" in page and "推进会纪要.txt" in page
    link = re.search(r'href="(/attachments/\d+)"', page).group(1)
    assert client.get(link).content == "会议纪要".encode()


def test_office_sees_actions_and_leader_sees_only_the_instruction_form(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    sign_in(client, "office")
    assert f'action="/tasks/{task_id}/chase"' in client.get(f"/tasks/{task_id}").text
    leader = TestClient(client.app, follow_redirects=False)
    sign_in(leader, "leader")
    page = leader.get(f"/tasks/{task_id}").text
    forms = page.split('<form method="post" action="/tasks/')[1:]
    assert [f.split('"')[0].split("/", 1)[1] for f in forms] == ["instruct"] and "办理过程" in page


def test_chase_appears_in_timeline_and_history(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    sign_in(client, "office")
    client.post(f"/tasks/{task_id}/chase", data={"csrf_token": csrf_of(client), "message": "请于周五前报送"})
    page = text_of(client.get(f"/tasks/{task_id}").text)
    assert "催办" in page and "请于周五前报送" in page


def test_unit_portal_lists_tasks_in_every_role_and_through_groups(client):
    sign_in(client, "zhongning")
    page = client.get("/my").text
    county_tasks = [
        t
        for t in GOLD_DATA["tasks"]
        if {*t["lead"], *t["responsible"], *t["cooperating"]}
        & {"各县(区)", "各县(区)人民政府", "各县(区)政府", "中宁县"}
    ]
    assert f"{len(county_tasks)} 条" in text_of(page)
    assert "经各县(区)" in page


def test_portal_is_for_unit_accounts(client):
    sign_in(client, "leader")
    assert client.get("/my").status_code == 403


# -- public site ------------------------------------------------------------------------------------


def test_public_site_without_login(client):
    page = client.get("/public")
    assert page.status_code == 200
    assert all(d["title"] in page.text for d in GOLD_DATA["documents"] if d["publication"])
    doc_link = re.search(
        r'href="(/public/documents/\d+)">中卫市人民政府办公室关于印发中卫市“两高”', page.text
    ).group(1)
    detail = client.get(doc_link).text
    assert "公开任务进展 (8)" in detail and "全面核查煤炭替代情况" in detail


def test_unpublished_documents_are_not_public(app, client):
    from taizhang.storage.tables import documents

    with unit_of_work(app.state.engine) as conn:
        conn.execute(documents.update().where(documents.c.id == 1).values(is_public=False))
    assert client.get("/public/documents/1").status_code == 404


@pytest.mark.parametrize("path", ["/", "/ledger", "/documents", "/my", "/public"])
def test_pages_are_made_for_phones_too(client, path):
    sign_in(client, "health")
    page = client.get(path).text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert '<html lang="zh-CN">' in page


def test_error_pages_are_in_chinese(client):
    sign_in(client, "office")
    response = client.get("/tasks/999999")
    assert response.status_code == 404 and "未找到" in response.text


def test_app_builds_without_module_level_state(tmp_path, ledger):
    first, second = make_app(ledger.url, tmp_path), make_app(ledger.url, tmp_path)
    assert first.state.engine is not second.state.engine
    first.state.engine.dispose()
    second.state.engine.dispose()


@pytest.mark.parametrize(
    ("account", "path"),
    [("office", "/tasks/{task}"), ("health", "/tasks/{task}"), ("office", "/review"), ("office", "/")],
)
def test_every_form_carries_the_sessions_csrf_token(client, ledger, account, path):
    sign_in(client, account)
    page = client.get(path.format(task=task_where(ledger, unit="市卫生健康委", role="lead"))).text
    token = csrf_of(client, "/login")
    forms = re.findall(r'<form method="post".*?</form>', page, re.S)
    assert forms
    for form in forms:
        assert f'name="csrf_token" value="{token}"' in form, form[:200]


def test_review_merges_ticked_tasks_and_splits_one(client, ledger):
    sign_in(client, "office")
    first, second = ledger.task_ids[0], ledger.task_ids[1]
    token = csrf_of(client)
    response = client.post("/review/merge", data={"csrf_token": token, "task_ids": [str(first), str(second)]})
    assert response.status_code == 303
    assert client.get(f"/api/tasks/{second}").status_code == 404
    merged = client.get(f"/api/tasks/{first}").json()["title"]
    assert GOLD_DATA["tasks"][0]["title"] in merged and GOLD_DATA["tasks"][1]["title"] in merged
    client.post(
        f"/review/{first}/split",
        data={"csrf_token": token, "titles": "第一项\n第二项", "reason": "分两项推进"},
    )
    titles = [
        t["title"] for t in client.get("/api/tasks", params={"document": "卫政发〔2022〕15号"}).json()["data"]
    ]
    assert "第一项" in titles and "第二项" in titles


def test_task_page_shows_its_light_and_source_lines(client, ledger):
    gold_index = next(i for i, t in enumerate(GOLD_DATA["tasks"]) if t["deadline"].get("due") == "2022-03-31")
    task_id, gold = ledger.task_ids[gold_index], GOLD_DATA["tasks"][gold_index]
    sign_in(client, "leader")
    page = client.get(f"/tasks/{task_id}").text
    light = text_of(re.search(r'<dd id="task-light">(.*?)</dd>', page, re.S).group(1))
    assert "红灯" in light and "已逾期91天" in light  # 31 March to 30 June
    assert (
        f'href="/documents/{ledger_doc_id(client, gold["doc_number"])}#L{gold["line"]}">{gold["line"]}</a>'
        in page
    )


def ledger_doc_id(client, doc_number: str) -> int:
    return next(d["id"] for d in client.get("/api/documents").json()["data"] if d["doc_number"] == doc_number)


def test_ledger_rows_carry_their_lights(client):
    sign_in(client, "office")
    page = client.get("/ledger", params={"overdue": "1", "sort": "due"}).text
    rows = re.findall(r'<tr class="[^"]*">\s*<td data-label="文件">.*?</tr>', page, re.S)
    assert rows and all('class="dot red"' in row for row in rows)


def test_report_text_is_escaped_on_the_task_page(client, ledger):
    task_id = task_where(ledger, unit="市卫生健康委", role="lead")
    client.post(
        f"/api/tasks/{task_id}/reports",
        headers={"Authorization": f"Bearer {ledger.tokens['health']}"},
        json={"practice": "<script>alert(1)</script>", "percent": 5},
    )
    sign_in(client, "office")
    page = client.get(f"/tasks/{task_id}").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_times_are_shown_in_beijing_time():
    from datetime import datetime

    from taizhang.web.templating import _date

    assert _date(datetime(2022, 6, 30, 17, 5)) == "2022-07-01 01:05"  # stored UTC, read 北京时间
    assert _date(date(2022, 6, 30)) == "2022-06-30"


def test_review_queue_lists_the_documents_own_review_items(client, ledger):
    engine = open_database(ledger.url)
    with unit_of_work(engine) as conn:
        doc_id = conn.execute(sa.select(documents.c.id).order_by(documents.c.id)).scalars().first()
        note = {"kind": "contents_title_mismatch", "line": 7, "message": "目录标题与正文标题不一致"}
        conn.execute(
            documents.update().where(documents.c.id == doc_id).values(needs_review=True, review_notes=[note])
        )
    engine.dispose()
    sign_in(client, "office")
    page = client.get("/review").text
    section = page[page.index('id="documents"') :]
    assert "文件待核对 <small>1 条</small>" in section
    assert f'href="/documents/{doc_id}#L7"' in section and "目录标题与正文标题不一致" in section


def test_change_log_on_the_task_page_reads_as_chinese_sentences(client, ledger):
    gold_index = next(i for i, t in enumerate(GOLD_DATA["tasks"]) if t["deadline"].get("due") == "2022-06-30")
    task_id = ledger.task_ids[gold_index]
    office = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    edited = client.patch(
        f"/api/tasks/{task_id}",
        headers=office,
        json={"deadline_text": "2022年7月31日前", "reason": "市政府常务会议同意延后"},
    )
    assert edited.status_code == 200, edited.text
    sign_in(client, "office")
    page = client.get(f"/tasks/{task_id}").text
    history = re.search(r"<h2>变更记录.*?</table>", page, re.S).group(0)
    sentence = re.search(r"<td>修改</td><td>(office 把 [^<]*)</td>", history).group(1)
    assert "把 截止日期 从 2022-06-30 改为 2022-07-31" in sentence  # 谁 把 什么 从 A 改为 B
    assert sentence.endswith("（理由：市政府常务会议同意延后）")  # and why
    assert not re.search(r"[{}]|\\u[0-9a-f]{4}|&#34;|&quot;", history)  # no raw JSON
    assert not re.search(r"\b(import|create|edit|system)\b", text_of(history))

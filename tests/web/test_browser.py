"""A real browser on the real app: Debian's Chromium, headless, driven by Playwright.

The ledger is the real import of the bundled gazette. A unit user logs in and submits a report
with an attachment, asks for completion; the office approves and publishes the task; the
dashboard's count of completed tasks goes up; the public site shows the published document with
the task's progress. With ``TAIZHANG_SCREENSHOTS=1`` the dashboard and task page are saved to
docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from taizhang.services import accounts, queries
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file

from .chromium import PASSWORD, login, needs_chromium
from .conftest import make_app
from .ledger_factory import GAZETTE
from .live_server import serving

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a gazette ledger, served by uvicorn in a background thread."""
    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", PASSWORD, "office")
        accounts.add_user(conn, "health", PASSWORD, "unit", "市卫生健康委")
        lead = queries.list_tasks(conn, queries.TaskFilter(unit="市卫生健康委", role="lead", limit=1)).items[
            0
        ]
    engine.dispose()
    app = make_app(url, tmp)
    with serving(app) as base_url:
        yield base_url, lead
    app.state.engine.dispose()


def _count(page, element_id: str) -> int:
    return int(page.text_content(f"#{element_id}"))


def test_report_approve_dashboard_and_public_site(server, browser, tmp_path):
    base, task = server
    task_id = task["id"]

    office = login(browser, base, "office", viewport={"width": 1280, "height": 900})
    done_before = _count(office, "count-已完成")

    unit = login(browser, base, "health")
    unit.goto(f"{base}/tasks/{task_id}")
    evidence = tmp_path / "工作台账.txt"
    evidence.write_text("第一季度推进情况", encoding="utf-8")
    unit.fill("textarea[name=practice]", "召开推进会，制定实施方案")
    unit.fill("textarea[name=results]", "方案已印发")
    unit.fill("input[name=percent]", "80")
    unit.set_input_files("input[name=attachments]", str(evidence))
    unit.click("text=提交进展报告")
    unit.wait_for_url(re.compile(r".*\?done=report$"))
    assert "工作台账.txt" in unit.content()
    unit.fill("input[name=note]", "已全部完成")
    unit.click("text=申请办结")
    unit.wait_for_url(re.compile(r".*\?done=completion$"))
    assert "待审核" in unit.text_content("#task-status")

    office.goto(f"{base}/tasks/{task_id}")
    office.click("text=同意办结")
    office.wait_for_url(re.compile(r".*\?done=approve$"))
    assert "已完成" in office.text_content("#task-status")
    if os.environ.get("TAIZHANG_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        office.screenshot(path=str(SCREENSHOTS / "task.png"))
    office.click("text=公开进展")
    office.goto(f"{base}/")
    assert _count(office, "count-已完成") == done_before + 1
    if os.environ.get("TAIZHANG_SCREENSHOTS"):
        office.screenshot(path=str(SCREENSHOTS / "dashboard.png"))

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{base}/public")
    public.click(f"text={task['document_title']}")
    assert "公开任务进展 (1)" in public.content()
    assert task["title"] in public.content() and "100%" in public.content()


def test_ledger_fits_a_phone_screen(server, browser):
    base, _ = server
    phone = login(browser, base, "health", viewport={"width": 375, "height": 740}, is_mobile=True)
    for path in ("/", "/ledger", "/my"):
        phone.goto(f"{base}{path}")
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"

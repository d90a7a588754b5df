"""The 督办 cycle in a real browser: 立项 → 交办 (the unit's 通知) → 签收 → report → 催办 → 督办函 → 批示 → 办结 → 通报, and the unit's 考评
score changes; as the office, a unit and a leader (Debian's Chromium, headless, via Playwright)."""

from __future__ import annotations

import re

import pytest

from taizhang.services import accounts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file

from .chromium import PASSWORD, login, needs_chromium
from .conftest import make_app
from .ledger_factory import GAZETTE
from .live_server import serving

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cycle-browser")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", PASSWORD, "office")
        accounts.add_user(conn, "justice", PASSWORD, "unit", "市司法局")
        accounts.add_user(conn, "mayor", PASSWORD, "leader")
    engine.dispose()
    app = make_app(url, tmp)
    with serving(app) as base_url:
        yield base_url
    app.state.engine.dispose()


def _score(page, base: str, unit: str) -> str:
    page.goto(f"{base}/evaluation?period=2022&as_of=2022-06-30")
    row = page.locator("#evaluation tbody tr", has_text=unit)
    return row.locator("td").nth(2).text_content() if row.count() else ""


def test_the_whole_cycle(server, browser):
    base = server
    office = login(browser, base, "office")
    before = _score(office, base, "市司法局")

    office.goto(f"{base}/tasks/new")
    office.select_option("select[name=source_kind]", "领导批示")
    office.fill("input[name=source_ref]", "市长批示（2022年5月20日）")
    office.fill("input[name=title]", "开展行政执法案卷评查")
    office.fill("input[name=lead]", "市司法局")
    office.fill("input[name=deadline_text]", "2022年6月10日前")
    office.click("#task-new button[type=submit]")
    office.wait_for_url(re.compile(r".*/tasks/\d+\?done=create$"))
    task_url = office.url.split("?")[0]
    assert "开展行政执法案卷评查" in office.content()

    unit = login(browser, base, "justice")  # 交办: the unit is told, opens the notice and signs for its part
    unit.goto(f"{base}/notifications")
    handed = unit.locator("#notifications li.unread", has_text="开展行政执法案卷评查")
    assert handed.count() == 1 and "交办" in handed.text_content()
    assert unit.locator("#unread-count").count() == 1
    handed.locator("button", has_text="开展行政执法案卷评查").click()  # opening posts that it is read
    unit.wait_for_url(re.compile(r".*/tasks/\d+$"))
    assert unit.url.split("?")[0] == task_url
    unit.click("#parts button:has-text('签收')")
    unit.wait_for_url(re.compile(r".*\?done=acknowledge$"))
    assert "已签收（justice）" in unit.text_content("#parts")
    unit.goto(f"{base}/notifications")
    assert unit.locator("#notifications li.read", has_text="开展行政执法案卷评查").count() == 1
    unit.goto(task_url)
    unit.fill("textarea[name=practice]", "抽取案卷120卷")
    unit.fill("input[name=percent]", "40")
    unit.click("text=提交进展报告")
    unit.wait_for_url(re.compile(r".*\?done=report$"))

    for step in ("催办", "督办函"):
        office.goto(task_url)
        office.select_option("#escalate select[name=step]", step)
        office.fill("#escalate input[name=message]", "请抓紧办理")
        office.click("#escalate button[type=submit]")
        office.wait_for_url(re.compile(r".*\?done=escalate$"))
    assert "督办〔2022〕1号" in office.content()

    mayor = login(browser, base, "mayor")
    mayor.goto(task_url)
    mayor.fill("#instruct textarea[name=text]", "务必月底前完成评查")
    mayor.click("#instruct button[type=submit]")
    mayor.wait_for_url(re.compile(r".*\?done=instruct$"))

    unit.goto(task_url)
    assert "务必月底前完成评查" in unit.content() and "督办〔2022〕1号" in unit.content()
    unit.fill("input[name=note]", "评查完成")
    unit.click("text=申请办结")
    unit.wait_for_url(re.compile(r".*\?done=completion$"))

    office.goto(task_url)
    office.click("text=同意办结")
    office.wait_for_url(re.compile(r".*\?done=approve$"))
    assert "已完成" in office.text_content("#task-status")

    office.goto(f"{base}/notices/draft?as_of=2022-06-30&unit=市司法局")
    office.click("text=发布通报")
    office.wait_for_url(re.compile(r".*/notices/\d+$"))
    assert "市司法局" in office.content()

    office.goto(f"{base}/escalations")
    assert office.locator("#escalation-counts tr", has_text="市司法局").count() == 1
    after = _score(office, base, "市司法局")
    assert after and after != before

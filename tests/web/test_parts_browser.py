"""The shared-task scenario in a real browser (Chromium, Playwright): 中宁县 reports on a task given
to 各县(区) and asks for 办结; the office approves 中宁县's part only; the task stays open, the other
counties are still open and late, and the 通报's credit goes to 中宁县 alone."""

from __future__ import annotations

import re
from datetime import date

import pytest

from taizhang.services import accounts, notices, queries
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file

from .chromium import PASSWORD, login, needs_chromium
from .conftest import AS_OF, make_app
from .ledger_factory import GAZETTE
from .live_server import serving

pytestmark = needs_chromium


def _county_task(conn) -> dict:
    for task in queries.list_tasks(
        conn, queries.TaskFilter(unit="各县(区)", role="responsible", limit=None)
    ).items:
        if (
            task["deadline_kind"] == "date"
            and task["due_on"]
            and task["due_on"] < AS_OF
            and not task.get("lead")
        ):
            return task
    raise LookupError("no dated 各县(区) task")


@pytest.fixture(scope="module")
def county_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("parts-browser")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", PASSWORD, "office")
        accounts.add_user(conn, "zhongning", PASSWORD, "unit", "中宁县")
        task = _county_task(conn)
    app = make_app(url, tmp)
    with serving(app) as base_url:
        yield base_url, task, engine
    app.state.engine.dispose()
    engine.dispose()


def test_one_county_is_approved_and_the_others_stay_open(county_server, browser):  # noqa: F811
    base, task, engine = county_server
    task_id = task["id"]
    unit = login(browser, base, "zhongning")
    unit.goto(f"{base}/tasks/{task_id}")
    unit.click("#parts button:has-text('签收')")
    unit.wait_for_url(re.compile(r".*\?done=acknowledge$"))
    assert "已签收（zhongning）" in unit.text_content("#parts tr[data-unit=中宁县]")
    unit.fill("textarea[name=practice]", "完成县域排查整治")
    unit.fill("input[name=percent]", "100")
    unit.click("text=提交进展报告")
    unit.wait_for_url(re.compile(r".*\?done=report$"))
    unit.fill("input[name=note]", "中宁县已完成")
    unit.click("text=申请办结")
    unit.wait_for_url(re.compile(r".*\?done=completion$"))

    office = login(browser, base, "office", viewport={"width": 1280, "height": 900})
    office.goto(f"{base}/tasks/{task_id}")
    office.click("#parts tr[data-unit=中宁县] >> text=办结该单位")
    office.wait_for_url(re.compile(r".*\?done=approve$"))
    assert "已完成" in office.text_content("#parts tr[data-unit=中宁县]")
    for county in ("沙坡头区", "海原县"):
        row = office.text_content(f"#parts tr[data-unit={county}]")
        assert "未开始" in row and "逾期" in row
    assert "已完成" not in office.text_content("#task-status")
    with engine.connect() as conn:
        draft = notices.draft_progress_notice(conn, as_of=date(2022, 12, 31))
    assert [c.unit for c in draft.completed_by_unit] == ["中宁县"]

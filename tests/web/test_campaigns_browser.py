"""A campaign worked in a real browser (Debian's Chromium through Playwright).

The office imports 20 mines from a workbook; the account of the 督查组 that covers 中宁县 records two
findings (one with a photo of the site); 中宁县, the responsible unit, rectifies one with a photo and
asks for 销号; the group verifies it; the campaign page and the 问题整改情况表 export show 1 of 2 销号. A draw of 5
objects and 2 inspectors with a fixed seed is the same twice and is shown on the public site.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from taizhang.services import accounts, campaigns
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from tests.services.test_campaigns import mines_workbook

from .chromium import PASSWORD, login, needs_chromium
from .conftest import make_app
from .ledger_factory import GAZETTE
from .live_server import serving

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("campaign-browser")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        mining = next(c for c in campaigns.list_campaigns(conn) if c["kind"] == "专项行动")
        zhongning = next(g for g in mining["groups"] if g["counties"] == ["中宁县"])
        accounts.add_user(conn, "office", PASSWORD, "office")
        accounts.add_user(conn, "group", PASSWORD, "group", group_id=zhongning["id"])
        accounts.add_user(conn, "county", PASSWORD, "unit", "中宁县")
    engine.dispose()
    app = make_app(url, tmp)
    with serving(app) as base_url:
        yield base_url
    app.state.engine.dispose()


def _open_mining(page, base: str) -> str:
    page.goto(f"{base}/campaigns")
    page.click("text=中卫市矿产资源开采治理整顿工作方案")
    page.wait_for_selector("#progress")
    return page.url.split("#")[0]


def _import_mines(office, tmp_path) -> None:
    """The office imports the 20 mines from a workbook (a second import of it adds nothing)."""
    workbook = tmp_path / "mines.xlsx"
    workbook.write_bytes(mines_workbook(20))
    office.set_input_files("#objects-import input[name=file]", str(workbook))
    office.click("#objects-import button[type=submit]")
    office.wait_for_selector("tr[data-object='第20号砂石矿']")


def test_office_imports_group_finds_county_rectifies_group_closes(browser, server, tmp_path):
    office = login(browser, server, "office")
    campaign_url = _open_mining(office, server)
    assert "第一督查组（沙坡头区）组长：祁少波" in office.inner_text("#groups")
    _import_mines(office, tmp_path)
    assert "检查对象 20 个" in office.inner_text("#progress-total")

    group = login(browser, server, "group")
    assert group.url.rstrip("/").endswith("/campaigns")  # a 督查组 account starts at its campaigns
    group.goto(campaign_url)
    assert group.locator("tr[data-object='第2号砂石矿']").count() == 0  # 海原县: another group's
    site = tmp_path / "越界现场.jpg"
    site.write_bytes(b"\xff\xd8\xff\xe0 photo of the boundary")
    for mine, problem in (("第1号砂石矿", "未按恢复治理方案治理"), ("第4号砂石矿", "越界开采")):
        form = group.locator(f"tr[data-object='{mine}'] form.finding-form")
        form.locator("input[name=problem]").fill(problem)
        if problem == "越界开采":
            form.locator("input[name=evidence]").set_input_files(str(site))
        form.locator("button[type=submit]").click()
        group.wait_for_selector(f"#findings >> text={problem}")
    assert "越界现场.jpg" in group.inner_text("#findings")

    county = login(browser, server, "county")
    county.goto(campaign_url)
    row = county.locator("#findings tr", has_text="未按恢复治理方案治理")
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo of the restored slope")
    row.locator("input[name=note]").fill("已按方案复绿")
    row.locator("input[name=evidence]").set_input_files(str(photo))
    row.locator("form.close-form button").click()
    county.wait_for_selector("#findings td.state >> text=申请销号")

    group.goto(campaign_url)
    group.locator("#findings tr", has_text="未按恢复治理方案治理").locator("form.verify-form button").click()
    group.wait_for_selector("#findings td.state >> text=已销号")
    assert "已销号 1/2" in group.inner_text("#progress-total")
    assert "现场照片.jpg" in group.inner_text("#findings")
    with group.expect_download() as info:
        group.click("#export-xlsx")
    sheet = load_workbook(BytesIO(Path(info.value.path()).read_bytes()))["问题整改情况表"]
    states = [sheet.cell(row=r, column=11).value for r in range(3, sheet.max_row + 1)]
    assert sorted(states) == ["已销号", "待整改"]

    office.goto(campaign_url)
    assert "已销号 1/2" in office.inner_text("#progress-total")


def test_a_seeded_draw_is_the_same_twice_avoids_own_county_and_is_public(browser, server, tmp_path):
    # the draw needs objects: import them here too, so the test does not depend on running after the other
    office = login(browser, server, "office")
    campaign_url = _open_mining(office, server)
    _import_mines(office, tmp_path)
    results = []
    for _ in range(2):
        office.goto(campaign_url)
        office.fill("#draw-form input[name=seed]", "2022-05")
        office.fill("#draw-form input[name=period]", "2022年5月")
        office.click("#draw-form button[type=submit]")
        office.wait_for_selector("#latest-draw")
        table = office.locator("#latest-draw + table")
        results.append([[c.inner_text() for c in r.locator("td").all()] for r in table.locator("tr").all()])
    assert results[0] == results[1] and len(results[0]) == 5
    leads = {
        "祁少波": {"沙坡头区"},
        "崔永东": {"沙坡头区"},
        "徐海珠": {"沙坡头区"},
        "王东山": {"中宁县", "海原县"},
        "魏春勇": {"中宁县"},
        "杨旭虎": {"中宁县"},
        "蔡永慧": {"海原县"},
        "周莹": {"海原县"},
    }
    for _, county, inspector, _unit in results[0]:
        assert county not in leads[inspector]
    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(f"{server}/public/campaigns")
    text = public.inner_text("main")
    assert "随机种子 2022-05" in text and results[0][0][0] in text

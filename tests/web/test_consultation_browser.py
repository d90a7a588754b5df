"""The consultation flow in a real browser (Debian's Chromium through Playwright).

The office applies for expert consultation on a catalogue decision, is refused a panel of four
with the rule's article, confirms five, enters the opinions (one late: the clock turns red), is
refused a non-adoption without a reason, records adoption and feedback, sends the report and
downloads the 咨询论证报告 in Word.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from taizhang.services import accounts, experts
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file

from .chromium import PASSWORD, login, needs_chromium
from .conftest import make_app
from .ledger_factory import GAZETTE
from .live_server import serving

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the imported gazette with an office account and an expert pool."""
    tmp = tmp_path_factory.mktemp("consultation-browser")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", PASSWORD, "office")
        for n in range(1, 7):
            experts.add_expert(conn, "office", name=f"专家{n}", field_="教育管理", affiliation=f"大学{n}")
    engine.dispose()
    app = make_app(url, tmp)
    with serving(app) as base_url:
        yield base_url
    app.state.engine.dispose()


def _panel(page, ids: list[int]) -> None:
    for box in page.locator("#panel-form input[name=expert_id]").all():
        box.set_checked(int(box.get_attribute("value")) in ids)
    page.click("#panel-form button[type=submit]")


def _opinion(page, expert: int, day: str) -> None:
    form = page.locator(f'article[data-expert="{expert}"] form.opinion-form')
    form.locator("textarea[name=opinion]").fill(f"专家{expert}认为方案可行，建议加强培训。")
    form.locator("input[name=submitted_on]").fill(day)
    form.locator("input[name=signed]").check()
    form.locator("input[name=pledge_signed]").check()
    form.locator("button[type=submit]").click()


def _adopt(page, expert: int, adoption: str, reason: str = "") -> None:
    form = page.locator(f'article[data-expert="{expert}"] form.adoption-form')
    form.locator("select[name=adoption]").select_option(adoption)
    form.locator("input[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()


def test_the_office_runs_a_consultation_from_application_to_report(server, browser):
    base = server
    page = login(browser, base, "office")
    page.click("nav >> text=决策")
    page.click("#decision-1 >> text=全面实施中小学教师")
    form = page.locator("#apply-form")
    form.locator("input[name=topic]").fill("中小学教师“县管校聘”实施方案")
    form.locator("select[name=form]").select_option("专家小组论证")
    form.locator("input[name=requested_on]").fill("2022-06-20")
    form.locator("input[name=meeting_on]").fill("2022-06-30")
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/consultations/1")

    _panel(page, [1, 2, 3, 4])
    error = page.locator("#form-error").text_content()
    assert "专家组为4人，少于5人：不符合卫政办发〔2022〕35号第十三条" in error
    _panel(page, [1, 2, 3, 4, 5])
    assert page.locator("#members tbody tr").count() == 5
    assert "专家已确定" in page.locator("#status").text_content()

    for expert in (1, 2, 3, 4):
        _opinion(page, expert, "2022-06-30")
    assert page.locator('#clocks li[data-label="意见期限"]').get_attribute("data-colour") == "yellow"
    _opinion(page, 5, "2022-07-04")  # two working days late
    assert page.locator('#clocks li[data-label="意见期限"]').get_attribute("data-colour") == "red"
    assert "1份意见逾期提交" in page.locator("#clocks").text_content()

    _adopt(page, 2, "未采纳")
    assert "第十八条" in page.locator("#form-error").text_content()
    _adopt(page, 2, "未采纳", "培训经费已由其他渠道安排")
    for expert in (1, 3, 4, 5):
        _adopt(page, expert, "采纳")
    for expert in (1, 2, 3, 4, 5):
        page.locator(f'article[data-expert="{expert}"] form.feedback-form button[type=submit]').click()
    page.locator("#report-form textarea[name=summary]").fill("专家组认为方案总体可行。")
    page.locator("#report-form button[type=submit]").click()
    assert "已报送" in page.locator("#status").text_content()
    assert (
        "陆升" in page.locator("#report").text_content()
    )  # the approval went to the leader who covers 市教育局

    with page.expect_download() as download:
        page.click("#report-docx")
    text = "\n".join(p.text for p in Document(BytesIO(Path(download.value.path()).read_bytes())).paragraphs)
    assert "采纳情况：未采纳。理由：培训经费已由其他渠道安排。" in text
    assert text.count("采纳情况：采纳。") == 4
    assert "专家5的意见于2022年7月4日提交，晚于意见期限2022年6月30日" in text

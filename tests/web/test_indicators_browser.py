"""A real browser reports an indicator value: the chart and the unit's score change.

Debian's Chromium, headless, driven by Playwright, on the real import of the bundled gazette
(the browser, login and port helpers are those of test_browser). 市卫生健康委 has reported 30% for
2022 on 医疗服务收入占比 (target ≥33%, weight 15 of 95 in 附件3, standardised to 30 points), so its
bar is red and its score 0; it corrects the value to 35% in the browser: the bar turns green at 35 and
the score becomes 15 ÷ 95 × 30 = 4.74.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from taizhang.services import accounts
from taizhang.services import indicators as service
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file

from .chromium import PASSWORD, login, needs_chromium
from .conftest import make_app
from .ledger_factory import GAZETTE
from .live_server import serving

pytestmark = needs_chromium

UNIT = "市卫生健康委"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on the imported gazette with a unit's first, unmet value, served by uvicorn in a thread."""
    tmp = tmp_path_factory.mktemp("indicator-browser")
    url = f"sqlite:///{tmp / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        accounts.add_user(conn, "office", PASSWORD, "office")
        accounts.add_user(conn, "health", PASSWORD, "unit", UNIT)
        share = next(i for i in service.list_indicators(conn) if i["name"].startswith("医疗服务收入"))
        service.report_value(
            conn,
            indicator_id=share["id"],
            subject=UNIT,
            period="2022",
            value="30%",
            reporter="health",
            reported_on=date(2022, 6, 1),
        )
    engine.dispose()
    app = make_app(url, tmp)
    with serving(app) as base_url:
        yield base_url, share["id"]
    app.state.engine.dispose()


def _bar(page) -> tuple[str | None, str | None]:
    bar = page.locator('svg.target-chart rect.actual[data-period="2022"]')
    return bar.get_attribute("data-value"), bar.get_attribute("fill")


def _scores(page, base: str) -> tuple[str, str]:
    page.goto(f"{base}/scorecards?period=2022")
    weighted = page.locator(
        f'section.scheme table.scores tr[data-subject="{UNIT}"] td.std'
    ).first.text_content()
    total = page.locator(f'#totals tr[data-subject="{UNIT}"] td.total').text_content()
    return weighted.strip(), total.strip()


def test_a_unit_reports_a_value_and_the_chart_and_score_change(server, browser):
    base, indicator_id = server
    unit = login(browser, base, "health")
    unit.click("nav >> text=指标")
    unit.click(f'#indicator-{indicator_id} a[href="/indicators/{indicator_id}"]')
    assert _bar(unit) == ("30", "#d64545")  # below the 33% target: red
    assert _scores(unit, base) == ("0.00", "0.00")

    unit.goto(f"{base}/indicators/{indicator_id}")
    unit.select_option("select[name=period]", "2022")
    unit.fill("input[name=value]", "35%")
    unit.click(f'form[action="/indicators/{indicator_id}/values"] button[type=submit]')
    unit.wait_for_url(re.compile(r".*done=value$"))
    assert _bar(unit) == ("35", "#2f9e5b")  # meets the target: green
    assert "35%" in unit.text_content('#series tr[data-period="2022"] td.actual')
    assert _scores(unit, base) == ("4.74", "4.74")

    office = login(browser, base, "office")
    office.goto(f"{base}/indicators")
    assert office.locator(f"#indicator-{indicator_id} .dot.green").count() == 1


def test_indicator_pages_fit_a_phone_screen(server, browser):
    base, indicator_id = server
    phone = login(browser, base, "office", viewport={"width": 375, "height": 740}, is_mobile=True)
    for path in ("/indicators", f"/indicators/{indicator_id}", "/scorecards", "/fiscal?q=环境保护税"):
        phone.goto(f"{base}{path}")
        overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"

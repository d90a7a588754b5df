"""Campaign clocks warn like task deadlines: a 备案 or 现场检查 late or due within the warning days
goes to the object's county in its reminder digest, and shows on the campaign page."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.services import campaign_clocks as clocks
from taizhang.services import campaign_work as work
from taizhang.services import campaigns, reminders
from taizhang.services.accounts import add_user, get_user_by_name
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import import_file
from tests.conftest import GAZETTE


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('clock-warnings') / 'ledger.db'}")
    import_file(engine, GAZETTE, city="中卫市")
    with unit_of_work(engine) as conn:
        add_user(conn, "dcs", "correct horse battery", "office")
        add_user(conn, "zn", "correct horse battery", "unit", "中宁县")
        office, county = get_user_by_name(conn, "dcs"), get_user_by_name(conn, "zn")
        care = next(c for c in campaigns.list_campaigns(conn) if c["kind"] == "日常监管")
        home, _ = work.add_object(conn, office, care["id"], name="某养老院", county="中宁县", kind="养老机构")
        work.add_object(conn, office, care["id"], name="未登记养老院", county="海原县", kind="养老机构")
        clocks.record_event(conn, county, home, "收住老年人", date(2022, 9, 28))  # 备案 due 2022-10-17
    yield engine
    engine.dispose()


def test_a_clock_due_soon_and_a_late_one_are_warned_to_the_objects_county(engine):
    with engine.connect() as conn:
        early = clocks.clock_warnings(conn, date(2022, 10, 10))
        soon = clocks.clock_warnings(conn, date(2022, 10, 12))
        late = clocks.clock_warnings(conn, date(2022, 10, 18))
    assert early == []
    assert [(w["object"], w["clock"], w["due_on"], w["late"], w["reason"]) for w in soon] == [
        ("某养老院", "备案", date(2022, 10, 17), False, "还剩3个工作日")
    ]
    assert [(w["late"], w["reason"], w["doc_number"]) for w in late] == [
        (True, "已逾期1个工作日", "卫政办发〔2022〕36号")
    ]


def test_a_clock_met_stops_warning_and_the_next_one_starts(engine):
    with unit_of_work(engine) as conn:
        home = next(
            o["id"]
            for c in campaigns.list_campaigns(conn)
            if c["kind"] == "日常监管"
            for o in campaigns.get_campaign(conn, c["id"])["objects"]
            if o["name"] == "某养老院"
        )
        clocks.record_event(conn, get_user_by_name(conn, "zn"), home, "备案", date(2022, 10, 14))
        after = clocks.clock_warnings(conn, date(2022, 10, 18))
        inspection = clocks.clock_warnings(conn, date(2022, 11, 10))
    with engine.connect() as conn:
        told = [
            c for d in reminders.build_digests(conn, as_of=date(2022, 10, 18), warn_days=3) for c in d.clocks
        ]
    assert after == [] and told == []
    assert [(w["clock"], w["due_on"]) for w in inspection] == [("现场检查", date(2022, 11, 11))]

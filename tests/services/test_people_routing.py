"""Absences route a unit's approvals and notifications to the AB岗 partner; who covers a unit."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.errors import InvalidInput, InvalidTransition, NotFound
from taizhang.services import people, routing
from taizhang.services.database import unit_of_work

from .gazette_ledger import copy_of

DAY = date(2022, 5, 10)


@pytest.fixture
def ledger(gazette_template, tmp_path):
    engine = copy_of(gazette_template, tmp_path / "ledger.db")
    yield engine
    engine.dispose()


def test_with_yong_absent_an_approval_for_the_inspection_section_goes_to_lu_sheng(ledger):
    with unit_of_work(ledger) as conn:
        people.add_absence(conn, "office", "雍跃斌", date(2022, 5, 9), date(2022, 5, 13), "出差")
        sent = routing.route_request(
            conn, "office", kind="审批", target="督查科", subject="关于第二季度督查通报的请示", day=DAY
        )
        after = routing.route_request(
            conn, "office", kind="审批", target="督查科", subject="另一件请示", day=date(2022, 5, 16)
        )
    assert (sent["person"], sent["owner"], sent["via"]) == ("陆升", "雍跃斌", "AB岗")
    assert sent["reason"] == (
        "雍跃斌分管督查科(政府督查室)；雍跃斌2022-05-09至2022-05-13不在岗（出差）；由AB岗陆升代为处理"
    )
    assert (after["person"], after["via"]) == ("雍跃斌", "本人")
    with ledger.connect() as conn:
        pending = routing.list_requests(conn, status="待处理")
    assert [(r["person"], r["owner"]) for r in pending] == [("雍跃斌", "雍跃斌"), ("陆升", "雍跃斌")]


def test_who_covers_a_unit_names_the_person_and_why(ledger):
    with ledger.connect() as conn:
        found = people.coverage_dict(conn, "市生态环境局", DAY)
        by_alias = people.coverage_dict(conn, "市发展和改革委员会", DAY)
        office = people.coverage_dict(conn, "政府督查室", DAY)
    assert (found["person"], found["kind"], found["reason"]) == (
        "雍跃斌",
        "联系",
        "雍跃斌协调联系生态环境方面工作",
    )
    assert (by_alias["target"], by_alias["person"]) == ("市发展改革委", "雍跃斌")
    assert office["person"] == "雍跃斌"


def test_a_unit_nobody_holds_goes_to_the_head_of_the_office(ledger):
    with ledger.connect() as conn:
        found = people.coverage_dict(conn, "市委组织部", DAY)
    assert (found["person"], found["via"]) == ("孙尚金", "主持全面工作")


def test_an_unknown_unit_and_a_backwards_absence_are_refused(ledger):
    with ledger.connect() as conn:
        with pytest.raises(NotFound, match="单位名录和人员分工中都没有“不存在的单位”"):
            people.coverage_dict(conn, "不存在的单位", DAY)
        with pytest.raises(InvalidInput, match="早于开始日期"):
            people.add_absence(conn, "office", "雍跃斌", date(2022, 5, 13), date(2022, 5, 9))
        with pytest.raises(NotFound, match="人员名录中没有“张三”"):
            people.add_absence(conn, "office", "张三", DAY, DAY)


def test_an_approval_is_answered_once_and_never_just_read(ledger):
    with unit_of_work(ledger) as conn:
        sent = routing.route_request(conn, "office", kind="审批", target="市教育局", subject="请示", day=DAY)
        with pytest.raises(InvalidTransition, match="须同意或退回"):
            routing.decide_request(conn, "leader", sent["id"], "read", "", DAY)
        routing.decide_request(conn, "leader", sent["id"], "approve", "同意", DAY)
        with pytest.raises(InvalidTransition, match="已处理"):
            routing.decide_request(conn, "leader", sent["id"], "return", "", DAY)
        assert routing.list_requests(conn)[0]["status"] == "已同意"

"""Who covers a unit on a day: the holder of the 分工, the AB岗 partner while away, then others."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from taizhang.ledger.areas import area_matches, area_names, is_section
from taizhang.ledger.coverage import Absence, Holder, who_covers

SECTION = [Holder("雍跃斌", "分管", "督查科(政府督查室)"), Holder("何伟成", "协助分管", "督查科(政府督查室)")]
BACKUPS = {"雍跃斌": "陆升", "陆升": "雍跃斌"}
DAY = date(2022, 5, 10)
AWAY = Absence("雍跃斌", date(2022, 5, 9), date(2022, 5, 13), "出差")


def test_the_leader_in_charge_covers_when_present():
    found = who_covers(SECTION, BACKUPS, [], DAY)
    assert (found.person, found.via, found.reason) == ("雍跃斌", "本人", "雍跃斌分管督查科(政府督查室)")


def test_the_b_post_covers_while_the_leader_is_away():
    found = who_covers(SECTION, BACKUPS, [AWAY], DAY)
    assert (found.person, found.owner, found.via) == ("陆升", "雍跃斌", "AB岗")
    assert (
        found.reason
        == "雍跃斌分管督查科(政府督查室)；雍跃斌2022-05-09至2022-05-13不在岗（出差）；由AB岗陆升代为处理"
    )
    assert who_covers(SECTION, BACKUPS, [AWAY], date(2022, 5, 14)).person == "雍跃斌"


def test_when_both_are_away_the_next_holder_then_the_head_covers():
    both = [AWAY, Absence("陆升", date(2022, 5, 1), date(2022, 5, 31))]
    found = who_covers(SECTION, BACKUPS, both, DAY, head="孙尚金")
    assert (found.person, found.via) == ("何伟成", "次位分工")
    everyone = [*both, Absence("何伟成", DAY, DAY)]
    assert who_covers(SECTION, BACKUPS, everyone, DAY, head="孙尚金").person == "孙尚金"
    assert who_covers(SECTION, BACKUPS, everyone, DAY).via == "无人"


def test_a_unit_no_one_holds_goes_to_the_head():
    assert who_covers([], {}, [], DAY, head="孙尚金").via == "主持全面工作"
    assert who_covers([], {}, [], DAY).person is None


def test_in_charge_ranks_before_coordinating():
    holders = [
        Holder("李长海", "联系", "云计算和大数据发展"),
        Holder("刘明", "协助分管", "云计算和大数据发展局"),
        Holder("王五", "分管", "云计算和大数据发展局"),
    ]
    assert who_covers(holders, {}, [], DAY).person == "王五"
    assert who_covers(holders[:2], {}, [], DAY).person == "李长海"


people = st.sampled_from(["甲", "乙", "丙", "丁"])


@given(
    st.lists(
        st.tuples(people, st.sampled_from(["分管", "联系", "协助分管", "主持"])), min_size=1, max_size=4
    ),
    st.lists(st.tuples(people, st.integers(-3, 3), st.integers(0, 3)), max_size=4),
)
def test_whoever_covers_is_never_away_that_day(holders, absences):
    away = [
        Absence(p, DAY + timedelta(days=start), DAY + timedelta(days=start + length))
        for p, start, length in absences
    ]
    found = who_covers(
        [Holder(p, k, "某科") for p, k in holders], {"甲": "乙", "乙": "甲"}, away, DAY, head="丁"
    )
    if found.person is not None:
        assert not any(a.person == found.person and a.covers(DAY) for a in away)
    else:
        assert all(any(a.person == p and a.covers(DAY) for a in away) for p, _ in [*holders, ("丁", "")])


def test_fields_of_work_match_units_by_their_characters_in_order():
    assert area_matches("生态环境", "市生态环境局")
    assert area_matches("住房城乡建设", "市住房和城乡建设局")
    assert area_matches("旅游和文体广电", "市旅游和文化体育广电局")
    assert area_matches("医疗保障", "市医保局")
    assert area_matches("云计算和大数据发展局", "市云计算和大数据局")
    assert area_matches("市政府办公室", "市政府办公室")


def test_scattered_or_partial_characters_do_not_match():
    assert not area_matches("民政", "市人民政府办公室")
    assert not area_matches("政务公开", "市政府办公室")
    assert not area_matches("督查科(政府督查室)", "市政府办公室")  # a section of the office, not the office
    assert not area_matches("财税", "市财政局")
    assert not area_matches("政府办公室行政后勤事务", "市政府办公室")


def test_sections_go_by_every_name_they_print():
    assert area_names("督查科（政府督查室）") == ("督查科(政府督查室)", "督查科", "政府督查室")
    assert is_section("秘书一科") and is_section("督查科(政府督查室)") and not is_section("生态环境")

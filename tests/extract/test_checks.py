"""Numeric consistency checks on the bundled gazette (against the gold) and on small texts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from taizhang.extract.checks import run_checks
from taizhang.extract.model import Document
from taizhang.extract.spans import SourceText, Span
from taizhang.sources.normalise import normalise


@pytest.fixture(scope="module")
def gold_documents(gold) -> list[Document]:
    return [
        Document(
            doc_number=d["doc_number"],
            title=d["title"],
            date=date.fromisoformat(d["date"]),
            span=Span(d["line_start"], d["line_end"]),
        )
        for d in gold["documents"]
    ]


@pytest.fixture(scope="module")
def checks(gazette_source, gold_documents):
    return run_checks(gazette_source, gold_documents)


def _at(checks, line, kind=None):
    return [c for c in checks if c.line == line and (kind is None or c.kind == kind)]


def test_every_required_gold_check_is_found_with_its_line_and_verdict(checks, gold):
    required = [c for c in gold["checks"] if c["category"] == "required"]
    assert len(required) >= 19
    for expected in required:
        found = [c for c in _at(checks, expected["line"]) if c.doc_number == expected["doc_number"]]
        matching = [c for c in found if c.expected == expected["expected"] and c.found == expected["found"]]
        assert matching, f"line {expected['line']}: {expected['what']}"
        assert matching[0].consistent == expected["consistent"]
        assert matching[0].text_line == expected.get("text_line")


def test_shapotou_2021_target_is_inconsistent_and_others_consistent(checks):
    targets = [c for c in checks if c.kind == "target_vs_annex"]
    assert [(c.line, c.text_line, c.expected, c.found, c.consistent) for c in targets] == [
        (642, 562, 3224, 3324, False),
        (661, 562, 4774, 4774, True),
        (680, 562, 4825, 4825, True),
        (694, 562, 6208, 6208, True),
        (713, 562, 7118, 7118, True),
        (729, 562, 7157, 7157, True),
    ]
    assert all(c.category == "required" and c.doc_number == "卫政办发〔2022〕19号" for c in targets)


def test_no_false_alarm_on_tables_that_add_up(checks):
    sums = [c for c in checks if c.kind in ("column_sum", "row_identity")]
    assert len(sums) >= 30
    assert [c.line for c in sums if not c.consistent] == []


def test_weights_and_grades_of_28(checks):
    (weights,) = _at(checks, 1161, "weights_total")
    assert (weights.expected, weights.found, weights.consistent, weights.doc_number) == (
        100,
        95,
        False,
        "卫政办发〔2022〕28号",
    )
    (grades,) = _at(checks, 1179, "grade_total")
    assert (grades.expected, grades.found, grades.consistent) == (100, 100, True)


def test_extra_findings_stated_counts_and_deadlines(checks):
    (repealed,) = _at(checks, 162, "stated_count")
    assert (repealed.expected, repealed.found, repealed.consistent) == (4, 4, True)
    (groups,) = _at(checks, 1662, "stated_count")
    assert (groups.expected, groups.found, groups.consistent) == (3, 3, True)
    (deadline,) = _at(checks, 1287, "text_vs_annex")
    assert (deadline.expected, deadline.found, deadline.consistent, deadline.text_line) == (
        "2022年4月底前",
        "2022年7月底",
        False,
        1227,
    )
    (year,) = _at(checks, 721, "annex_year")
    assert (year.expected, year.found, year.consistent) == (2023, 2022, False)


def test_a_subtotal_that_does_not_add_up_is_reported():
    text = "乡镇\t村\t面积\n甲镇\t一村\t100\n\t二村\t50\n\t小计\t160\n合计\t\t160\n"
    found = run_checks(SourceText.from_string("t", text), [])
    assert [(c.line, c.kind, c.expected, c.found, c.consistent) for c in found] == [
        (4, "column_sum", 150.0, 160, False),
        (5, "column_sum", 150.0, 160, False),
    ]


def test_rounded_totals_are_accepted_within_printed_precision():
    text = "措施\t节水\t折减\n甲\t63.5\t1\n乙\t100\t2\n合计\t164\t3\n"
    (check,) = run_checks(SourceText.from_string("t", text), [])
    assert (check.expected, check.found, check.consistent) == ([163.5, 3.0], [164, 3], True)


def test_partial_list_with_deng_is_not_an_alarm():
    text = "应对标国家发展改革委、工业和信息化部、生态环境部等5部门发布的标准。\n"
    assert run_checks(SourceText.from_string("t", text), []) == []


STATE_COUNCIL = Path(__file__).resolve().parents[1] / "fixtures" / "state-council-documents.txt"


def test_state_council_documents_raise_no_alarm():
    from taizhang.sources import read_source

    if not STATE_COUNCIL.exists():
        pytest.skip("state council documents not present")
    assert [c for c in run_checks(read_source(STATE_COUNCIL), []) if not c.consistent] == []


def test_totals_stated_in_the_text(checks):
    sums = [(c.line, c.expected, c.found, c.consistent) for c in checks if c.kind == "text_sum"]
    assert sums == [
        (570, 1, 1, True),
        (572, 6.1, 6.1, True),
        (572, 6.1, 6.1, True),
        (588, 2.03, 2.03, True),
        (590, 16.66, 16.66, True),
        (590, 10.66, 10.66, True),
        (590, 16.66, 16.66, True),
        (651, 2.5, 2.5, True),
        (669, 3, 3, True),
        (705, 4, 4, True),
        (722, 2, 2, True),  # remarks in 亩 vs 万亩
    ]
    (points,) = [c for c in checks if c.kind == "points_total"]
    assert (points.line, points.expected, points.found, points.consistent) == (1104, 100, 100, True)
    (link,) = [c for c in checks if c.kind == "scheme_link"]
    assert (link.line, link.expected, link.found, link.consistent) == (1141, 10, 10, True)


def test_a_wrong_gongji_is_reported_and_a_partial_qizhong_is_not():
    text = "新建灌溉面积1.2万亩,改造灌溉面积0.5万亩,共计1.8万亩。\n压减水稻3万亩,其中:2021年压减1万亩。\n"
    found = run_checks(SourceText.from_string("t", text), [])
    assert [(c.line, c.kind, c.expected, c.found, c.consistent) for c in found] == [
        (1, "text_sum", 1.8, 1.7, False)
    ]


def test_full_width_punctuation_reads_like_ascii():
    text = (
        "二、压减目标。甲县２０２２—２０２３年每年度压减用水量分别为１００万立方米、２００万立方米，乙县另行安排。\n"
        "新建灌溉面积１.２万亩，改造灌溉面积０.５万亩，共计１.７万亩。\n"
        "\n甲县２０２２年治理措施\n"
        "措施\t节水量\t责任部门\n"
        "压减水稻\t６０\t甲县农业农村局\n"
        "合计\t６０\t\t满足压减用水量１００万立方米要求\n"
    )
    found = run_checks(SourceText.from_string("t", text), [])
    assert [(c.line, c.kind, c.expected, c.found, c.consistent) for c in found] == [
        (2, "text_sum", 1.7, 1.7, True),
        (7, "column_sum", 60.0, 60, True),
        (7, "target_vs_annex", 100, 100, True),
        (7, "total_meets_target", 100, 60, False),
    ]


def test_figures_of_a_county_section_are_found_in_its_annexes(checks):
    (figures,) = [c for c in checks if c.kind == "text_vs_annex" and c.line == 578]
    assert (figures.expected, figures.found, figures.consistent) == (
        [1609, 563, 63.5, 4.75, 217, 468],
        [1609, 563, 63.5, 4.75, 217, 468],
        True,
    )


def test_a_figure_missing_from_the_annex_is_reported():
    text = (
        "(一)甲县治理任务。\n1. 压减生态用水100万 m^3 ;工业节水25万 m^3 。\n(二)保障措施。\n\n"
        "甲县2022年治理措施\n措施\t节水量\n压减生态用水\t100\n工业节水\t20\n"
    )
    source = SourceText.from_string("t", normalise(text))  # the LaTeX as the normalisation stage repairs it
    (check,) = [c for c in run_checks(source, []) if c.kind == "text_vs_annex"]
    assert (check.line, check.expected, check.found, check.consistent) == (2, [100, 25], [100, None], False)


def test_yearly_cuts_in_the_text_match_the_village_tables(checks):
    found = [
        (c.line, c.text_line, c.expected, c.found, c.consistent)
        for c in checks
        if c.kind == "text_vs_annex" and c.line in (774, 794)
    ]
    assert found == [
        (774, 570, [5000, 5000], [5000, 5000], True),
        (794, 588, [13300, 7000], [13300, 7000], True),
    ]


def test_a_cut_the_table_does_not_carry_is_reported():
    text = (
        "甲县2021—2022年压减0.3万亩水稻,其中:2021年压减0.2万亩,2022压减0.1万亩。\n\n甲县压减水稻改种玉米范围\n"
        "乡镇\t村\t2021年水稻面积(亩)\t\t\t2022年水稻面积(亩)\n\t\t实际\t压减\t保留\t实际\t压减\t保留\n"
        "某镇\t一村\t3000\t2000\t1000\t1000\t500\t500\n合计\t\t3000\t2000\t1000\t1000\t500\t500\n"
    )
    (check,) = [c for c in run_checks(SourceText.from_string("t", text), []) if c.kind == "text_vs_annex"]
    assert (check.line, check.text_line, check.expected, check.found, check.consistent) == (
        7,
        1,
        [2000, 1000],
        [2000, 500],
        False,
    )


def test_rates_in_a_total_row_are_not_added_up():
    text = "县(区)\t目标\t完成\t完成率\n甲县\t100\t80\t80%\n乙县\t100\t100\t100%\n全市合计\t200\t180\t90%\n"
    (check,) = run_checks(SourceText.from_string("t", text), [])
    assert (check.line, check.expected, check.found, check.consistent) == (
        4,
        [200.0, 180.0],
        [200, 180],
        True,
    )
    assert "1 列为比率或平均值" in check.note


def test_remaining_area_in_annex_remarks_matches_the_village_tables(checks):
    found = [
        (c.line, c.expected, c.found, c.consistent)
        for c in checks
        if c.kind == "text_vs_annex" and "剩余" in c.what
    ]
    assert found == [
        (636, 20000, 20000, True),
        (653, 15000, 15000, True),
        (690, 17000, 17000, True),
        (707, 10000, 10000, True),
    ]


def test_a_target_stated_in_the_text_matches_the_indicator_table(checks):
    (check,) = [c for c in checks if c.text_line == 1042]
    assert (check.line, check.expected, check.found, check.consistent) == (1142, "35%", "35%", True)


def test_a_text_target_that_differs_from_the_table_is_reported():
    text = (
        "力争到2023年,全市基层医疗卫生机构诊疗人次占比 $\\geq 65\\%$,其他指标稳步提升。\n\n附件2\n\n具体任务目标\n"
        "序号\t指标\t2022年\t2023年\n1\t基层医疗卫生机构诊疗人次占医疗卫生机构诊疗总人次数的比例\t58%\t60%\n"
    )
    source = SourceText.from_string("t", normalise(text))  # the LaTeX as the normalisation stage repairs it
    (check,) = [c for c in run_checks(source, []) if c.kind == "text_vs_annex"]
    assert (check.line, check.text_line, check.expected, check.found, check.consistent) == (
        7,
        1,
        "65%",
        "60%",
        False,
    )

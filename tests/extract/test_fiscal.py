"""The 事权/支出责任 matrix: matters, levels, sentences, and "who pays for X?"."""

from __future__ import annotations

import pytest

from taizhang.extract.fiscal import find_fiscal_matters, split_items, who
from taizhang.extract.schemes import find_schemes
from taizhang.extract.spans import SourceText

SMALL = """(一)大气污染防治。

将甲园区内大气污染治理,清洁取暖,确认为市本级财政事权,由市本级承担支出责任。

将甲园区之外的大气污染治理,确认为某区财政事

权,由某区承担支出责任。

将应急监测有关事项,确认为市本级与某区共同财政事权,由市本级与某区按职责分工共同承担支出责任。
"""


def test_sentences_split_by_a_page_are_rejoined_and_levels_read():
    found = find_fiscal_matters(SourceText.from_string("t", SMALL), [])
    assert [(m.line, m.level, m.items, m.section) for m in found] == [
        (3, "市本级", ("甲园区内大气污染治理", "清洁取暖"), "大气污染防治"),
        (5, "某区", ("甲园区之外的大气污染治理",), "大气污染防治"),
        (9, "shared", ("应急监测有关事项",), "大气污染防治"),
    ]
    assert found[1].sentence == "将甲园区之外的大气污染治理,确认为某区财政事权,由某区承担支出责任。"


def test_split_items_keeps_bracketed_lists_whole():
    assert split_items("生态保护修复(治理、造林),自然保护地建设、监测") == (
        "生态保护修复(治理、造林)",
        "自然保护地建设",
        "监测",
    )


@pytest.fixture(scope="module")
def matters(gazette_source):
    return find_fiscal_matters(gazette_source, [])


def test_environment_tax_review_is_city_level(matters):
    (best, score), *_ = who(matters, "环境保护税征收复核")
    assert (best.level, best.line, score) == ("市本级", 342, 1.0)
    assert (
        best.sentence
        == "将沙坡头区及中卫工业园区内环境保护税征收复核,确认为市本级财政事权,由市本级承担支出责任。"
    )


def test_gazette_matrix_has_both_plans_and_a_shared_matter(matters):
    assert len(matters) == 50
    assert {m.level for m in matters} == {"市本级", "沙坡头区", "shared"}
    (shared,) = [m for m in matters if m.level == "shared"]
    assert shared.line == 494 and "地质灾害调查监测" in shared.matter
    assert {m.domain for m in matters} == {"中卫市市本级与沙坡头区生态环境", "中卫市市本级与沙坡头区自然资源"}


def test_who_finds_nothing_for_an_unrelated_question(matters):
    assert who(matters, "养老服务补贴发放") == []


def test_schemes_of_28_are_data(gazette_source):
    weighted, graded = find_schemes(gazette_source, [])
    assert (weighted.annex, weighted.kind, weighted.scale, weighted.maximum, len(weighted.items)) == (
        "附件3",
        "weighted",
        30.0,
        95.0,
        10,
    )
    assert weighted.items[0].weight == 15 and weighted.items[0].indicator_key is not None
    assert (graded.annex, graded.kind, graded.scale, graded.maximum, len(graded.items)) == (
        "附件4",
        "graded",
        70.0,
        100.0,
        7,
    )
    assert graded.items[-1].grades == (("好", 10.0), ("中", 5.0), ("差", 0.0))

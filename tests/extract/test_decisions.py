"""Decision catalogues (重大行政决策事项目录): rows as decision items with their procedures."""

from __future__ import annotations

from pathlib import Path

import pytest

from taizhang.extract import extract
from taizhang.extract.decisions import PROCEDURES, find_decisions, procedure_names
from taizhang.extract.to_json import decision_to_dict
from taizhang.sources import read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "procedures"
ALL = [p.name for p in PROCEDURES]


def _decisions(path: Path):
    source = read_source(path)
    extraction = extract(source)
    return find_decisions(source, extraction.documents, extraction.tasks)


def test_the_gazette_catalogue_has_nine_decisions_with_their_units(gazette_source, gazette_extraction):
    items = find_decisions(gazette_source, gazette_extraction.documents, gazette_extraction.tasks)
    assert [(d.label, d.units, d.line) for d in items] == [
        ("1", ("市教育局",), 140),
        ("2", ("市教育局",), 141),
        ("3", ("市旅游和文化体育广电局",), 142),
        ("4", ("市旅游和文化体育广电局",), 143),
        ("5", ("市交通运输局",), 144),
        ("6", ("市住房和城乡建设局", "市财政局", "市自然资源局", "应理集团"), 145),
        ("7", ("市自然资源局", "市住房和城乡建设局"), 146),
        ("8", ("市住房和城乡建设局",), 147),
        ("9", ("市自然资源局",), 148),
    ]
    assert {d.doc_number for d in items} == {"卫政发〔2022〕15号"}
    assert items[0].catalogue == "中卫市2022年度重大行政决策事项目录"


def test_a_catalogue_that_prints_no_procedures_gets_the_five_of_the_law(gazette_source, gazette_extraction):
    items = find_decisions(gazette_source, gazette_extraction.documents, gazette_extraction.tasks)
    assert {(d.procedures, d.procedures_source, d.procedures_line) for d in items} == {
        (tuple(ALL), "law", None)
    }
    assert items[5].deadline.due.isoformat() == "2022-09-30"


def test_a_procedures_column_is_read_per_row_with_aliases_and_unknown_words_flagged():
    items = _decisions(FIXTURES / "catalogue-procedure-column.txt")
    assert [(d.title, d.procedures, d.procedures_source) for d in items] == [
        ("银川市城市供水价格调整方案", tuple(ALL), "column"),
        ("银川市公共交通线网优化方案", ("公众参与", "合法性审查", "集体讨论决定"), "column"),
        ("银川市历史文化名城保护规划", ("公众参与", "专家论证", "合法性审查", "集体讨论决定"), "column"),
    ]
    assert items[1].units == ("市交通运输局", "市公安局")
    assert [(f.kind, f.line) for f in items[2].flags] == [("unknown_procedure", 18)]
    assert "实地踏勘" in items[2].flags[0].message


def test_one_column_per_procedure_with_marks_beats_the_sentence_of_the_notice():
    items = _decisions(FIXTURES / "catalogue-marks.txt")
    assert [(d.procedures, d.procedures_source, d.line) for d in items] == [
        (("公众参与", "专家论证", "合法性审查", "集体讨论决定"), "column", 16),
        (tuple(ALL), "column", 17),
    ]
    assert items[0].catalogue == "2023年度重大行政决策事项清单"


def test_documents_that_are_not_catalogues_give_no_decisions(gazette_source, gazette_extraction):
    others = [d for d in gazette_extraction.documents if d.doc_number != "卫政发〔2022〕15号"]
    assert find_decisions(gazette_source, others, gazette_extraction.tasks) == []


@pytest.mark.parametrize(
    ("text", "names", "unknown"),
    [
        ("公众参与、专家论证、风险评估、合法性审查、集体讨论决定", tuple(ALL), ()),
        ("征求意见、法制审核和集体讨论", ("公众参与", "合法性审查", "集体讨论决定"), ()),
        ("社会稳定风险评估", ("风险评估",), ()),
        ("听证会/实地调研", ("公众参与",), ("实地调研",)),
        ("", (), ()),
    ],
)
def test_procedure_names_read_aliases_in_statutory_order(text, names, unknown):
    assert procedure_names(text) == (names, unknown)


def test_decisions_as_json_keep_the_row_line_and_deadline(gazette_source, gazette_extraction):
    item = find_decisions(gazette_source, gazette_extraction.documents, gazette_extraction.tasks)[8]
    data = decision_to_dict(item)
    assert data["deadline"] == {"kind": "other", "due": None}
    assert (data["line"], data["label"], data["procedures_source"]) == (148, "9", "law")

"""Whole extractions of small texts written in other governments' styles, against expected JSON.

tests/fixtures/styles/NAME.txt holds the text and NAME.json what must come out of it:
a county 工作要点 with 责任单位 lines of their own and a standing note, a city plan with 【牵头单位】
labels and unbracketed 'A牵头，B、C配合' sentences, a received State Council document flattened onto
one line with its number run on to the title, a 整改清单 in list form, and a provincial plan with
every verb form (参与, 参加, 指导, 具体实施, 分头落实, 落实, 会同) and the unit shapes that must keep
their names (团省委, 实验室, bank branches, shared suffixes, groups of level words), a State Council
notice enclosing a plan whose first bracket states '列第一位者为牵头单位，下同', and a province's
work points with dropped 省 prefixes and a closing sentence, and a city's task division with
sentence assignments followed by a deadline bracket, an item with a deadline but no unit, and
district names sharing one suffix (萧山区、余杭区、滨江区政府), and a city's action plan enclosed
by a notice without number, with 【牵头单位】 runs, a 【完成时限】 label and a bracket that lists
units with no role word, and a city's task list with deadline brackets next to the assignment
bracket ('（A牵头，B配合）（2023年6月底前）'), a 〔牵头〕 mark, a '时间：' part and a status mark (【已完成】),
a provincial plan numbering its third level '1）', and a State Council notice copied as one line
with its number first, a title quoting a document in 《》, and the enclosed plan after its date,
and a provincial plan whose brackets separate labels from units by spaces ('（牵头单位 A；责任单位 B）'),
and brackets naming no unit ('（按职责分工负责）'): a city's plan whose units come from the parent
heading or the 主送机关, and a county's plan with neither, where the task asks for its units, and
national guiding opinions signed jointly by five ministries over two lines of spaced names, and a
county's task division whose items set title, target and '牵头单位　A' labels apart by spaces only,
and texts flattened onto one line with no full stop between items: a county's work points whose
title runs straight into 一、 and whose items close on a bracket (一、 （一） 1. （1） ①), a province's
work points whose label runs ('完成时限：2024年12月底') run into the next number, and a joint
notice of three ministries (issuers as a list) whose title quotes the plan in 《》, signed and dated
inside the line before the plan it encloses, and a city's reform work points with the label
variants of other offices (主要责任单位/协同单位, 牵头责任单位/协同配合单位, 责任部门/配合部门, 责任主体,
牵头领导 ignored) and bare units with a deadline after them, and a district's plan numbered with
full-width digits and '1)', with a '由A牵头，B配合，2024年底前完成。' sentence, as printed and flattened,
and a State Council 重点任务分工方案 (等 before 按职责分工负责, 各有关部门 kept, '；各省级人民政府负责落实'
after the roles, 各地区各部门 without 、), as printed and flattened, and a city's plan with label
lines of every shape (three labels on one line set apart by spaces, one label a line, labels after
the sentence, 【】 labels, bare units, a closing sentence), as printed and flattened, and a city
office's opinion without number whose issuer stands on a line above '关于…', with dropped 市 prefixes
beside bodies that keep their own names (团市委, a bank branch, a power company, a customs office),
and a province's work points with shared-suffix lists (武汉、宜昌、襄阳市政府), level groups sharing a
body (各市、州统计局), 团省委, a research institute, and deadlines 每季度末, 长期坚持 and
限期10个工作日, a city's notice whose items run label after label (牵头单位：…；配合单位：…；完成时限：…,
主办/协办 set apart by spaces, 【责任部门】【完成时限】 brackets side by side), and a city's reform list
of bracket forms (A会同B负责, A及B具体负责, 等部门参与, 分别落实, a convention stated in the eighth item).

Regenerate with ``pytest tests/extract/test_styles.py --update-golden`` and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taizhang.extract import SourceText, extract
from taizhang.extract.to_json import to_dict
from taizhang.sources import read_source

STYLES = Path(__file__).resolve().parents[1] / "fixtures" / "styles"
NAMES = sorted(p.stem for p in STYLES.glob("*.txt"))
DOCUMENT_KEYS = (
    "doc_number",
    "title",
    "issuer",
    "issuers",
    "type",
    "date",
    "publication",
    "addressees",
    "line_start",
    "line_end",
)
TASK_KEYS = (
    "label",
    "title",
    "lead",
    "responsible",
    "cooperating",
    "deadline_text",
    "deadline",
    "line",
    "column",
)


def summary(path: Path) -> dict:
    """What a reviewer checks: documents with their elements, tasks with units, deadline and place."""
    data = to_dict(extract(read_source(path)))
    documents = [{k: d[k] for k in DOCUMENT_KEYS} for d in data["documents"]]
    tasks = [
        {**{k: t[k] for k in TASK_KEYS}, "review": [f["kind"] for f in t["review"]]} for t in data["tasks"]
    ]
    review = sorted({f["kind"] for f in data["review"]})
    return {"documents": documents, "tasks": tasks, "review": review}


@pytest.mark.parametrize("name", NAMES)
def test_style_fixture_gives_its_expected_extraction(name, update_golden):
    got = summary(STYLES / f"{name}.txt")
    expected_path = STYLES / f"{name}.json"
    if update_golden:
        expected_path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert got == json.loads(expected_path.read_text(encoding="utf-8"))


def test_every_style_is_covered():
    assert set(NAMES) >= {
        "county-work-points",
        "city-lead-brackets",
        "flattened-received-notice",
        "rectification-list",
        "provincial-plan-roles",
        "state-council-enclosed-plan",
        "provincial-work-points",
        "city-task-division",
        "city-action-plan",
        "city-task-list",
        "provincial-close-paren",
        "flattened-number-first",
        "provincial-spaced-labels",
        "city-duty-only",
        "county-duty-to-fill",
        "ministries-joint-signature",
        "county-spaced-items",
    }


# Styles that need their line breaks: items with no full stop anywhere ('…完成时限　2024年6月底前' then
# '3.改善…') run together leave nothing to tell the next number from the deadline's figures. Label
# lines set off by spaces ('牵头单位　县财政局') read run together (county-work-points).
NEEDS_LINES = {"county-spaced-items"}


@pytest.mark.parametrize("name", sorted(set(NAMES) - NEEDS_LINES))
@pytest.mark.parametrize("joiner", ["", " "])
def test_each_style_flattened_onto_one_line_gives_the_same_tasks(name, joiner):
    # a received document copied from a web page: the title on its own line, the rest on one line
    lines = [
        line.strip()
        for line in (STYLES / f"{name}.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    flat = SourceText.from_string(f"{name}.txt", lines[0] + "\n" + joiner.join(lines[1:]))

    def tasks(source: SourceText) -> list[tuple]:
        return [
            (t.label, t.lead, t.responsible, t.cooperating, t.deadline.kind, t.deadline.due)
            for t in extract(source).tasks
        ]

    expected = tasks(read_source(STYLES / f"{name}.txt"))
    assert expected
    assert tasks(flat) == expected

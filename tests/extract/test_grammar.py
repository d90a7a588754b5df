"""The assignment grammar: every phrasing the product reads, each as its own case, whole results compared."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.assignments import find_assignments, read_assignment
from taizhang.extract.grammar import count_assignment_phrases, split_verb, standing_note
from taizhang.extract.model import Document
from taizhang.extract.spans import SourceText, Span
from taizhang.extract.tasks import extract_tasks
from taizhang.extract.units import default_directory


def roles(text: str, **options) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    found = read_assignment(text, **options)
    return found.lead, found.responsible, found.cooperating


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国家发展改革委牵头", (("国家发展改革委",), (), ())),
        ("教育部负责", ((), ("教育部",), ())),
        ("教育部指导", ((), ("教育部",), ())),
        ("市场监管总局会同公安部负责", (("市场监管总局",), (), ("公安部",))),
        ("商务部牵头，财政部、海关总署配合", (("商务部",), (), ("财政部", "海关总署"))),
        ("商务部牵头，财政部参与", (("商务部",), (), ("财政部",))),
        ("商务部牵头，财政部参加", (("商务部",), (), ("财政部",))),
        ("财政部、商务部等部门按职责分工负责", ((), ("财政部", "商务部"), ())),
        ("民政部牵头，各有关部门分头落实", (("民政部",), ("各有关部门",), ())),
        (
            "省经济和信息化厅指导，各市、州人民政府具体实施",
            ((), ("省经济和信息化厅", "各市、州人民政府"), ()),
        ),
        ("各市政府落实", ((), ("各市政府",), ())),
        ("国家发展改革委牵头，各地区、各部门按职能分工负责", (("国家发展改革委",), ("各地区", "各部门"), ())),
        ("科技部牵头，各地区、各部门按职责分别负责", (("科技部",), ("各地区", "各部门"), ())),
        ("由市政府办公室负责", ((), ("市政府办公室",), ())),
        ("各市政府负总责，省直有关部门配合", ((), ("各市政府",), ("省直有关部门",))),
        ("省委宣传部牵头抓总", (("省委宣传部",), (), ())),
        ("具体由省财政厅负责", ((), ("省财政厅",), ())),
    ],
)
def test_verb_forms(text, expected):
    assert roles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("牵头单位：市发展改革委；责任单位：市财政局", (("市发展改革委",), ("市财政局",), ())),
        (
            "牵头部门：省发展改革委，配合单位：省财政厅、自然资源厅",
            (("省发展改革委",), (), ("省财政厅", "省自然资源厅")),
        ),
        ("主办单位:市住房城乡建设局;协办单位:市城管局", (("市住房城乡建设局",), (), ("市城管局",))),
        ("牵头单位：省卫生健康委，参加单位：省大数据局", (("省卫生健康委",), (), ("省大数据局",))),
        ("责任部门：市教育局 配合单位：市财政局", ((), ("市教育局",), ("市财政局",))),
        ("【牵头单位】市审批服务局【责任单位】市大数据中心", (("市审批服务局",), ("市大数据中心",), ())),
        ("责任单位：市应急局（牵头）、市消防救援支队", (("市应急局",), ("市消防救援支队",), ())),
    ],
)
def test_labelled_forms(text, expected):
    assert roles(text) == expected


@pytest.mark.parametrize("brackets", ["（）", "()", "〔〕", "【】", "[]"])
def test_a_labelled_assignment_in_any_bracket(brackets):
    opening, closing = brackets
    [found] = find_assignments(f"加强协调。{opening}牵头单位：市司法局；责任单位：各县（区）{closing}")
    assert (found.assignment.lead, found.assignment.responsible) == (("市司法局",), ("各县（区）",))


def test_a_bare_list_takes_the_role_it_is_read_in():
    assert roles("市财政局、人力资源社会保障局", role="cooperating") == (
        (),
        (),
        ("市财政局", "市人力资源社会保障局"),
    )
    assert roles("教育部、财政部", first_leads=True) == (("教育部",), ("财政部",), ())


def test_etc_and_odd_parts_are_noted_for_review():
    found = read_assignment("住房城乡建设部等国务院相关部门及各地区按职责分工负责")
    assert (found.responsible, found.etc, found.odd) == (
        ("住房城乡建设部", "各地区"),
        ("住房城乡建设部",),
        (),
    )


def test_qualifiers_never_stay_in_unit_names():
    for phrase in ("按职责", "按职能分工", "分别", "具体", "按职责分工", "共同"):
        clause = split_verb(f"市财政局、市商务局{phrase}负责")
        assert clause is not None and clause.units == "市财政局、市商务局", phrase


@pytest.mark.parametrize(
    ("sentence", "units", "role", "backwards"),
    [
        ("各区（市）政府为各项任务的责任单位，不再一一列出", "各区（市）政府", "responsible", False),
        ("以下任务均需各县（市、区）人民政府落实，不再列出", "各县（市、区）人民政府", "responsible", False),
        ("以上任务各乡镇人民政府均为配合单位", "各乡镇人民政府", "cooperating", True),
    ],
)
def test_standing_notes(sentence, units, role, backwards):
    note = standing_note(sentence)
    assert note is not None and (note.units, note.role, note.backwards) == (units, role, backwards)


def test_a_sentence_that_merely_mentions_tasks_is_no_note():
    assert standing_note("各地区要建立相应的协调推进机制") is None


def _tasks(text: str, issuer: str | None = None) -> list[tuple]:
    source = SourceText.from_string("t", text)
    doc = Document(
        doc_number=None, title="t", issuer=issuer, date=date(2023, 1, 1), span=Span(1, len(source))
    )
    return [
        (t.label, t.line, t.lead, t.responsible, t.cooperating)
        for t in extract_tasks(source, doc, default_directory())
    ]


def test_several_brackets_in_one_paragraph_each_make_a_task_with_its_label():
    text = "15.加快创新平台建设。建设一批中试基地。（牵头单位：省科技厅）打造一批创新中心。（牵头单位：省工业和信息化厅）\n"
    assert _tasks(text) == [("15.", 1, ("省科技厅",), (), ()), ("15.", 1, ("省工业和信息化厅",), (), ())]


def test_a_standing_note_before_the_items_adds_its_unit_to_each_task():
    text = (
        "各区市政府为各项任务的责任单位，不再一一列出。\n"
        "（一）建设平台。内容。（责任单位：市工业和信息化局）\n"
        "（二）培育企业。内容。（牵头单位：市科技局）\n"
    )
    assert _tasks(text) == [
        ("（一）", 2, (), ("市工业和信息化局", "各区市政府"), ()),
        ("（二）", 3, ("市科技局",), ("各区市政府",), ()),
    ]


def test_the_first_listed_convention_applies_to_what_follows():
    text = (
        "（一）完善政策。内容。（省教育厅、省财政厅负责，列第一位者为牵头部门，下同）\n"
        "（二）加强监管。内容。（省委教育工委、团省委负责）\n"
        "（三）培训。内容。（省教育厅负责）\n"
    )
    assert _tasks(text) == [
        ("（一）", 1, ("省教育厅",), ("省财政厅",), ()),
        ("（二）", 2, ("省委教育工委",), ("团省委",), ()),
        ("（三）", 3, ("省教育厅",), (), ()),
    ]


def test_assignment_phrases_are_counted_for_the_no_task_message():
    assert count_assignment_phrases("由市财政局牵头，各部门负责落实；责任单位：市商务局") == 3
    assert count_assignment_phrases("欢迎市民参加，共同落实。") == 0


ALPHABET = "（）()〔〕【】：:；;，,、。牵头责任配合参加单位部门负责落实市省县区各等和及会同按职责分工列第一位者为下同局委厅办"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_any_text_reads_without_raising_and_units_are_never_empty(text):
    found = read_assignment(text)
    assert all(name for name in (*found.lead, *found.responsible, *found.cooperating))
    for one in find_assignments(text):
        assert 0 <= one.start <= one.end <= len(text)


def test_every_deadline_part_after_the_units_is_kept():
    found = read_assignment("省教育厅负责，2024年9月前完成，长期坚持")
    assert (found.responsible, found.deadline_text) == (("省教育厅",), "2024年9月前完成，长期坚持")


def test_bare_units_and_a_closing_sentence_keep_the_deadline_after_them():
    (bare,) = find_assignments("（七）强化督导考核。（区委督查室、区政府督查室，持续推进）")
    assert (bare.bare, bare.assignment.responsible, bare.assignment.deadline_text) == (
        True,
        ("区委督查室", "区政府督查室"),
        "持续推进",
    )

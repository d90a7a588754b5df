"""Assignment styles of other cities' gazettes, on notices written in the 银川, 石嘴山 and 吴忠 styles.

tests/fixtures/tasks/yinchuan-style-sample.txt uses full-width punctuation, a (牵头) mark inside
a 责任单位 list, 'A牵头，B等配合', labelled brackets with 持续推进, separate label lines, a
central-bank branch among municipal units, and a task table with 牵头单位/配合单位 columns.
"""

from __future__ import annotations

from pathlib import Path

from taizhang.extract import extract
from taizhang.sources import read_source

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "tasks" / "yinchuan-style-sample.txt"


def test_every_style_gives_units_by_role_and_a_deadline():
    result = extract(read_source(SAMPLE))
    (document,) = result.documents
    assert (document.doc_number, document.issuer, document.date.isoformat()) == (
        "银政办发〔2023〕12号",
        "银川市人民政府办公室",
        "2023-03-15",
    )
    got = [
        (
            t.label,
            t.lead,
            t.responsible,
            t.cooperating,
            t.deadline.kind,
            t.deadline.due and t.deadline.due.isoformat(),
        )
        for t in result.tasks
    ]
    assert got == [
        ("（一）", ("市审批服务局",), ("市司法局", "市市场监管局"), (), "date", "2023-06-30"),
        ("（二）", ("市市场监管局",), (), ("市税务局", "市公安局"), "date", "2023-06-30"),
        ("（三）", ("市自然资源局",), (), ("市住房城乡建设局", "各县（市）区人民政府"), "ongoing", None),
        ("（四）", ("市发展改革委",), (), ("市中级人民法院", "人民银行银川中心支行"), "date", "2023-09-30"),
        ("1", ("市审批服务局",), (), ("市大数据局",), "date", "2023-12-31"),
        ("2", ("市住房城乡建设局",), (), ("市自然资源局", "市发展改革委"), "recurring", None),
    ]


def test_another_citys_units_are_not_flagged_as_unknown_to_this_directory():
    # the bundled directory is 中卫市's: it cannot judge 银川市's departments
    flags = {f.kind for t in extract(read_source(SAMPLE)).tasks for f in t.flags}
    assert "unknown_unit" not in flags
    assert "etc_units" in flags  # '市税务局、市公安局等配合' still says the list may be incomplete


def test_a_unit_working_with_another_leads_it():
    from taizhang.extract.assignments import parse_verbal

    found = parse_verbal("市场监管总局会同工业和信息化部、公安部负责")
    assert (found.lead, found.responsible, found.cooperating) == (
        ("市场监管总局",),
        (),
        ("工业和信息化部", "公安部"),
    )
    assert parse_verbal("商务部负责").responsible == ("商务部",)


def _tasks(name: str):
    path = SAMPLE.parent / name
    return [
        (
            t.source,
            t.label,
            t.lead,
            t.responsible,
            t.cooperating,
            t.deadline.kind,
            t.deadline.due and t.deadline.due.isoformat(),
        )
        for t in extract(read_source(path)).tasks
    ]


def test_red_header_notice_with_inline_role_labels():
    # number above the title, roles after the item's last sentence, a 责任领导 line that is no unit
    assert _tasks("shizuishan-style-sample.txt") == [
        ("text", "1.", (), ("市工业和信息化局",), ("市发展改革委", "市科技局"), "date", "2023-12-31"),
        ("text", "2.", ("市发展改革委",), ("各县区人民政府",), (), "recurring", None),
        ("text", "3.", (), ("市审批服务局", "市市场监管局"), (), "date", "2023-06-30"),
        ("text", "4.", ("市人力资源社会保障局",), (), (), "date", "2023-12-31"),
    ]


def test_task_table_with_a_lead_mark_in_the_unit_cell():
    assert _tasks("wuzhong-style-sample.txt") == [
        ("table", "1", ("市交通运输局",), ("市财政局",), (), "date", "2023-11-30"),
        ("table", "2", (), ("市住房城乡建设局",), (), "date", "2023-10-31"),
        ("table", "3", (), ("市民政局", "各县（市、区）人民政府"), (), "date", "2023-12-31"),
    ]

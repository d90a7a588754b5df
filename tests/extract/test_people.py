"""People of the division-of-work notice 卫政办发〔2022〕30号 and their AB岗 backups."""

from __future__ import annotations

from taizhang.extract.documents import parse_documents
from taizhang.extract.issue import parse_issue
from taizhang.extract.people import extract_people
from taizhang.extract.spans import SourceText
from taizhang.extract.to_json import person_to_dict

COMPARED = ("name", "role", "backup", "designation", "line")  # duties is an optional summary


def test_people_equal_gold(gazette_source, gold) -> None:
    documents = parse_documents(gazette_source, parse_issue(gazette_source))
    people = [person_to_dict(p) for p in extract_people(gazette_source, documents)]
    assert [{k: p[k] for k in COMPARED} for p in people] == [
        {k: p[k] for k in COMPARED} for p in gold["people"]
    ]


DIVISION = """\
某市人民政府办公室关于副秘书长工作分工的通知

某政办发〔2023〕8号

各部门:

张三同志 负责文电工作。

李四同志(挂职) 协助处理

政务公开工作。

王五同志(四级调研员) 主持督查室工作。

实行AB岗工作制,张三与李四互为AB岗。

某市人民政府办公室

2023年1月5日
"""


def test_people_of_small_notice_with_page_break_and_ab_posts() -> None:
    source = SourceText.from_string("division", DIVISION)
    people = extract_people(source, parse_documents(source, None))
    assert [(p.name, p.role, p.backup, p.designation, p.line) for p in people] == [
        ("张三", "负责文电工作。", "李四", None, 7),
        ("李四", "协助处理政务公开工作。", "张三", "挂职", 9),
        ("王五", "主持督查室工作。", None, "四级调研员", 13),
    ]


def test_no_people_outside_division_notices(gazette_source) -> None:
    documents = parse_documents(gazette_source, parse_issue(gazette_source))
    others = [d for d in documents if d.doc_number != "卫政办发〔2022〕30号"]
    assert extract_people(gazette_source, others) == []


def test_people_with_colon_form_and_non_names_skipped() -> None:
    text = (
        "某县人民政府关于县长副县长工作分工的通知\n\n某政发〔2023〕2号\n\n各乡镇:\n\n"
        "张三:负责县政府全面工作。\n\n李四(挂职):负责财政工作。\n\n联系人:王五\n\n"
        "张三与李四互为AB岗。\n\n某县人民政府\n\n2023年2月1日\n"
    )
    source = SourceText.from_string("colon", text)
    people = extract_people(source, parse_documents(source, None))
    assert [(p.name, p.role, p.backup, p.designation) for p in people] == [
        ("张三", "负责县政府全面工作。", "李四", None),
        ("李四", "负责财政工作。", "张三", "挂职"),
    ]


def test_ab_sentence_wrapped_over_lines() -> None:
    text = (
        "某县人民政府办公室关于工作分工的通知\n\n某政办发〔2023〕3号\n\n各部门:\n\n"
        "张三同志 负责文电。\n\n李四同志 负责会务。\n\n王五同志 负责督查。\n\n赵六同志 负责信息。\n\n"
        "实行AB岗工作制,张三与李四、王五\n与赵六互为AB岗。\n"
    )
    source = SourceText.from_string("wrapped", text)
    people = extract_people(source, parse_documents(source, None))
    assert [(p.name, p.backup) for p in people] == [
        ("张三", "李四"),
        ("李四", "张三"),
        ("王五", "赵六"),
        ("赵六", "王五"),
    ]

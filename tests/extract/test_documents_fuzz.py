"""No text makes the document stages raise; spans stay ordered and inside the source."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.documents import parse_documents
from taizhang.extract.issue import parse_issue
from taizhang.extract.people import extract_people
from taizhang.extract.spans import SourceText

# Fragments that steer the parser into its branches: titles, numbers, dates, notes, lists.
FRAGMENTS = [
    "", "中卫市人民政府", "关于印发《甲方案》的通知", "卫政发〔2022〕15号", "（卫政发[2022]15号）..... 3",
    "第707号", "中华人民共和国国务院令", "各县(区)人民政府,市政府各部门:", "2022年3月17日",
    "一九九六年二月五日", "(此件公开发布)", "附件:1. 任务清单", "2. 指标表(略)", "附件 1", "目 录",
    "【市政府文件】", "中卫市人民政府公报", "2022年第2期", "(总第16期)", "张三同志(挂职) 负责",
    "张三与李四互为AB岗。", "现将《乙》印发给你们。", "- 3 -", "中卫市人民政府文件", "编辑委员会", "主任:张三",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40))
def test_any_text_parses_without_raising(parts: list[str]) -> None:
    source = SourceText.from_string("fuzz", "\n".join(parts))
    issue = parse_issue(source)
    documents = parse_documents(source, issue)
    extract_people(source, documents)
    previous_end = issue.span.end if issue and issue.span else 0
    for document in documents:
        assert previous_end < document.span.start <= document.span.end <= max(1, len(source))
        previous_end = document.span.end


def test_runs_of_organ_suffixes_do_not_backtrack() -> None:
    # '部部部…' once took seconds per line: joint organs without separators could be cut every way
    lines = [
        "部" * 40 + "X",
        "局会部院委厅署" * 6,
        "委员会" * 12 + "文件",
        "部 " * 30 + "关于",
        "卫政发〔2022〕1号",
    ]
    source = SourceText.from_string("runs", "\n\n".join(lines * 20))
    # a regex that backtracks catastrophically takes minutes here; the time is measured in bench/
    documents = parse_documents(source, parse_issue(source))
    assert [document.doc_number for document in documents] == ["卫政发〔2022〕1号"] * 20

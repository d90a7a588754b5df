"""Documents repeated inside one input are read once, each later copy flagged, line numbers kept."""

from __future__ import annotations

from taizhang.extract import extract
from taizhang.extract.duplicates import REPEATED
from taizhang.extract.spans import SourceText

NOTICE = """中卫市人民政府办公室关于做好防汛工作的通知
卫政办发〔2022〕50号
各县（区）人民政府，市政府各部门：
一、加强值守。（市应急管理局牵头，市水务局配合，2022年6月30日前完成）
中卫市人民政府办公室
2022年5月10日
"""
OTHER = NOTICE.replace("50号", "51号").replace("防汛", "防火").replace("市水务局", "市林草局")


def _lines(extraction):
    return [(t.line, t.lead) for t in extraction.tasks]


def test_a_later_identical_copy_is_set_aside_and_flagged_with_both_lines():
    single = extract(SourceText.from_string("one", NOTICE + "\n" + OTHER))
    repeated = extract(SourceText.from_string("rep", NOTICE + "\n" + OTHER + "\n" + NOTICE + "\n" + OTHER))
    assert [d.doc_number for d in repeated.documents] == [d.doc_number for d in single.documents]
    assert _lines(repeated) == _lines(single) and len(single.tasks) == 2
    flags = [(f.kind, f.line, f.doc_number) for f in repeated.flags if f.kind == REPEATED]
    assert flags == [(REPEATED, 15, "卫政办发〔2022〕50号"), (REPEATED, 22, "卫政办发〔2022〕51号")]
    assert "第 15 行起" in repeated.flags[0].message and "第 1 行起" in repeated.flags[0].message


def test_documents_that_differ_are_all_read():
    extraction = extract(SourceText.from_string("two", NOTICE + "\n" + OTHER))
    assert len(extraction.documents) == 2 and not [f for f in extraction.flags if f.kind == REPEATED]

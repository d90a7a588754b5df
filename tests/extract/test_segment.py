"""Segmentation of files without a header, with a number run on to the title, or flattened to one line."""

from __future__ import annotations

from taizhang.extract import extract
from taizhang.extract.headers import run_on_header
from taizhang.extract.spans import SourceText


def documents(text: str, name: str = "plan.txt") -> list[tuple]:
    result = extract(SourceText.from_string(name, text))
    return [
        (
            d.doc_number,
            d.title,
            d.issuer,
            d.date and d.date.isoformat(),
            d.span.start,
            d.span.end,
            [f.kind for f in d.flags],
        )
        for d in result.documents
    ]


def test_a_file_without_header_is_one_document_titled_by_its_first_title_like_line():
    text = "国务院办公厅\n\n湖南省数字政府建设实施方案\n\n为加快建设数字政府，制定本方案。\n一、主要任务\n（一）建设平台。内容。（省政务局负责）\n"
    assert documents(text) == [(None, "湖南省数字政府建设实施方案", None, None, 3, 7, ["no_header"])]


def test_a_body_without_title_takes_the_file_name():
    text = "为加快建设数字政府，制定本方案。\n（一）建设平台。内容。（省政务局负责）\n"
    assert documents(text, "/tmp/湘政办发2022-1.txt")[0][:2] == (None, "湘政办发2022-1")


def test_text_before_the_first_document_is_a_document_when_it_assigns_work():
    text = (
        "（一）建设平台。内容。（省政务局负责）\n\n"
        "湖南省人民政府关于加强数字政府建设的通知\n\n湘政发〔2022〕3号\n\n各市州人民政府：\n现将有关事项通知如下。\n"
    )
    found = documents(text)
    assert [(d[0], d[4], "no_header" in d[6]) for d in found] == [
        (None, 1, True),
        ("湘政发〔2022〕3号", 3, False),
    ]


def test_a_number_run_on_to_its_title_in_either_order():
    assert run_on_header("国务院办公厅关于推进数字政府建设的指导意见国办发〔2022〕14号") == (
        "国务院办公厅关于推进数字政府建设的指导意见",
        "国办发〔2022〕14号",
        -1,
    )
    assert run_on_header("国办发〔2022〕14号国务院办公厅关于推进数字政府建设的指导意见") == (
        "国务院办公厅关于推进数字政府建设的指导意见",
        "国办发〔2022〕14号",
        -1,
    )


def test_a_citation_in_running_text_is_no_header():
    assert run_on_header("关于推进数字政府建设的指导意见国办发〔2022〕14号精神，各地要抓好落实。") is None
    assert run_on_header("根据国务院办公厅关于推进数字政府建设的指导意见国办发〔2022〕14号") is None


def test_header_and_body_on_one_line_with_signature_date_and_note_at_its_end():
    line = (
        "国务院关于加强数字政府建设的指导意见国发〔2022〕14号各省、自治区、直辖市人民政府，国务院各部委、"
        "各直属机构：加强数字政府建设是适应新一轮科技革命的必然要求。现提出以下意见。一、主要任务（一）构建协同高效的政府"
        "数字化履职能力体系。内容。（国务院办公厅牵头，各地区、各部门按职责分工负责）国务院2022年6月6日（此件公开发布）"
    )
    result = extract(SourceText.from_string("one.txt", line + "\n"))
    (document,) = result.documents
    assert (
        document.doc_number,
        document.issuer,
        document.date.isoformat(),
        document.publication,
        document.addressees,
    ) == (
        "国发〔2022〕14号",
        "国务院",
        "2022-06-06",
        "此件公开发布",
        ("各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"),
    )
    [(task_label, task_line, lead, responsible)] = [
        (t.label, t.line, t.lead, t.responsible) for t in result.tasks
    ]
    assert (task_label, task_line, lead, responsible) == (
        "（一）",
        1,
        ("国务院办公厅",),
        ("各地区", "各部门"),
    )


def test_a_headerless_title_keeps_its_issuer_line_and_its_second_line():
    from taizhang.extract.segment import segment

    text = "某市人民政府办公室\n关于加快发展夜间经济的\n实施意见\n各区人民政府：\n一、优化供给。（市商务局负责）\n"
    (document,) = segment(SourceText.from_string("t", text), None)
    assert (document.title, document.issuer, document.span.start) == (
        "某市人民政府办公室关于加快发展夜间经济的实施意见",
        "某市人民政府办公室",
        1,
    )

"""Normative documents (规范性文件) and the links that repeal, void or revise them."""

from __future__ import annotations

from pathlib import Path

from taizhang.extract import extract
from taizhang.extract.normative import find_normative, find_status_links
from taizhang.sources import read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "procedures"
REPEALED = ["卫政发〔2005〕96号", "卫政发〔2012〕253号", "卫政办发〔2014〕87号", "卫政办发〔2017〕103号"]


def test_the_repeal_decision_links_its_four_documents(gazette_source, gazette_extraction):
    links = find_status_links(gazette_source, gazette_extraction.documents)
    assert [(link.doc_number, link.status, link.by, link.line) for link in links] == [
        (number, "废止", "卫政规发〔2022〕1号", line)
        for number, line in zip(REPEALED, range(179, 183), strict=True)
    ]


def test_normative_documents_of_the_gazette_and_why(gazette_source, gazette_extraction):
    found = {n.doc_number: n.reason for n in find_normative(gazette_source, gazette_extraction.documents)}
    assert found["卫政规发〔2022〕1号"] == "文号含“规”字"
    assert [found[n] for n in REPEALED] == ["列入卫政规发〔2022〕1号规范性文件目录"] * 4
    assert found["卫政办发〔2022〕35号"].startswith("制定规则：")
    assert "卫政办发〔2022〕6号" not in found  # a work plan is not normative


def test_a_new_rule_repeals_the_old_one_in_its_closing_article():
    source = read_source(FIXTURES / "repeal-in-passing.txt")
    extraction = extract(source)
    links = find_status_links(source, extraction.documents)
    assert [(link.doc_number, link.title, link.status, link.by, link.line) for link in links] == [
        ("吴政发〔2016〕88号", "吴忠市城市绿化管理暂行办法", "废止", "吴政规发〔2023〕2号", 17)
    ]


def test_a_revised_regulation_links_to_the_order_it_was_first_issued_under():
    text = "\n\n".join(
        [
            "中华人民共和国国务院令",
            "第707号",
            "现公布修订后的《中华人民共和国个人所得税法实施条例》，自2019年1月1日起施行。",
            "总理　　李克强",
            "2018年12月18日",
            "中华人民共和国个人所得税法实施条例",
            "（1994年1月28日中华人民共和国国务院令第142号发布　2018年12月18日中华人民共和国国务院令第707号第四次修订）",
            "第一条　根据《中华人民共和国个人所得税法》，制定本条例。",
        ]
    )
    from taizhang.extract.spans import SourceText

    source = SourceText.from_string("order.txt", text)
    links = find_status_links(source, extract(source).documents)
    assert [(link.doc_number, link.status, link.by) for link in links] == [
        ("国务院令第142号", "修订", "国务院令第707号")
    ]


def test_citing_a_document_as_a_basis_does_not_repeal_it(gazette_source, gazette_extraction):
    plans = [d for d in gazette_extraction.documents if d.doc_number == "卫政办发〔2022〕36号"]
    assert plans[0].cited_doc_numbers and find_status_links(gazette_source, plans) == []

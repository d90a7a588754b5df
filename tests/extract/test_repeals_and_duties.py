"""The registry side of the gazette: documents a decision repeals, duties to report periodically."""

from __future__ import annotations

from taizhang.extract.duties import reporting_duties
from taizhang.extract.repeals import repealed_documents


def _document(extraction, number):
    return next(d for d in extraction.documents if d.doc_number == number)


def test_the_repeal_decision_lists_its_four_documents_with_titles(gazette_source, gazette_extraction):
    found = repealed_documents(gazette_source, _document(gazette_extraction, "卫政规发〔2022〕1号"))
    assert [(r.doc_number, r.status, r.line) for r in found] == [
        ("卫政发〔2005〕96号", "废止", 179),
        ("卫政发〔2012〕253号", "废止", 180),
        ("卫政办发〔2014〕87号", "废止", 181),
        ("卫政办发〔2017〕103号", "废止", 182),
    ]
    assert found[1].title == "中卫市国土资源违法行为报告办法"
    assert found[0].reason.startswith("卫政规发〔2022〕1号《")


def test_a_document_that_repeals_nothing_lists_nothing(gazette_source, gazette_extraction):
    assert repealed_documents(gazette_source, _document(gazette_extraction, "卫政办发〔2022〕29号")) == []


def test_monthly_ledger_reports_are_a_duty_of_the_whole_document(gazette_source, gazette_extraction):
    duties = reporting_duties(gazette_source, _document(gazette_extraction, "卫政办发〔2022〕29号"))
    assert (1269, "monthly:25") in duties

"""Consultation rules read from a rules document, with their articles and parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from taizhang.extract import extract
from taizhang.extract.consultation_rules import find_consultation_rules, read_rules
from taizhang.extract.spans import SourceText
from taizhang.sources import read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "procedures"


def _rules(source, documents):
    return {r.rule: r for r in find_consultation_rules(source, documents)}


def test_the_gazette_rules_with_their_articles_and_numbers(gazette_source, gazette_extraction):
    rules = _rules(gazette_source, gazette_extraction.documents)
    assert {name: (r.article, r.params) for name, r in rules.items()} == {
        "pool_first": ("第七条", {}),
        "forms": ("第十条", {"forms": ["专家个人论证", "专家小组论证", "集体论证", "函审咨询论证"]}),
        "neutrality": ("第十二条", {}),
        "panel_odd": ("第十三条", {}),
        "panel_min": ("第十三条", {"min": 5}),
        "panel_min_flagged": ("第十三条", {"min": 7}),
        "sides_represented": ("第十三条", {}),
        "archive": ("第十四条", {}),
        "opinion_deadline": ("第十四条", {}),
        "application_window": ("第十五条", {"min_days": 3, "max_days": 10}),
        "adoption": ("第十七条", {}),
        "adoption_reason": ("第十八条", {}),
        "feedback": ("第十八条", {}),
        "report_with_decision": ("第十八条", {}),
        "pledge": ("第二十条", {}),
        "signed_opinion": ("第二十条", {}),
    }
    assert {r.doc_number for r in rules.values()} == {"卫政办发〔2022〕35号"}
    assert rules["panel_min"].line == 1442
    assert rules["sides_represented"].text == "对论证问题存在重大分歧、持不同意见的各方都应当有代表参与论证。"


def test_another_city_states_other_numbers_in_other_words():
    source = read_source(FIXTURES / "rules-other-city.txt")
    rules = _rules(source, extract(source).documents)
    assert (rules["panel_min"].params, rules["panel_min"].article) == ({"min": 7}, "第五条")
    assert rules["panel_min_flagged"].params == {"min": 9}
    assert rules["application_window"].params == {"min_days": 5, "max_days": 15}
    assert (rules["neutrality"].article, rules["feedback"].article) == ("第六条", "第九条")
    assert "sides_represented" not in rules


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("第三条　选定的专家应为单数，一般不少于五人。", {"min": 5}),
        ("第三条　选定的专家应为奇数,不得少于11名。", {"min": 11}),
    ],
)
def test_panel_minimum_in_figures_or_chinese_numerals(clause, expected):
    text = (
        f"某市人民政府办公室关于印发某市重大行政决策咨询论证规则的通知\n\n某政办发〔2023〕1号\n\n{clause}\n"
    )
    source = SourceText.from_string("rules.txt", text)
    document = extract(source).documents[0]
    assert {r.rule: r.params for r in read_rules(source, document)}["panel_min"] == expected


def test_documents_that_are_not_rules_give_none(gazette_source, gazette_extraction):
    others = [d for d in gazette_extraction.documents if d.doc_number != "卫政办发〔2022〕35号"]
    assert find_consultation_rules(gazette_source, others) == []

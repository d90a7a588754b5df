"""Indicators: units, directions and targets per period from text and tables."""

from __future__ import annotations

import pytest

from taizhang.extract.indicators import find_indicators, normalise_unit, parse_direction, yearly_targets
from taizhang.extract.measures import Quantity, find_measures
from taizhang.extract.spans import SourceText, Span
from taizhang.sources.normalise import normalise


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("≥35%", {"direction": "≥", "low": 35.0, "high": None, "unit": "%"}),
        (r"$\geq 35\%$", {"direction": "≥", "low": 35.0, "high": None, "unit": "%"}),
        ("控制在35%—50%", {"direction": "between", "low": 35.0, "high": 50.0, "unit": "%"}),
        ("不低于25%", {"direction": "≥", "low": 25.0, "high": None, "unit": "%"}),
        ("≤ 20 元", {"direction": "≤", "low": None, "high": 20.0, "unit": "元"}),
        ("控制2.168亿 m^3 以内", {"direction": "≤", "low": None, "high": 2.168, "unit": None}),
        ("逐年下降", {"direction": "decreasing", "low": None, "high": None, "unit": None}),
        ("8.3天", {"direction": "=", "low": 8.3, "high": 8.3, "unit": "天"}),
    ],
)
def test_parse_direction_reads_target_phrases(phrase, expected):
    # LaTeX a converter left ($\geq$, m^3) is repaired by the normalisation stage before extraction
    assert parse_direction(normalise(phrase)) == expected


def test_normalise_unit_writes_cubic_metres_one_way():
    assert [normalise_unit(u) for u in ("万 m³", "亿 m3", "万m³", "万 m ³", "%")] == [
        "万m³",
        "亿m³",
        "万m³",
        "万m³",
        "%",
    ]


def test_yearly_list_gives_one_target_per_year():
    text = "2. 超载压减目标。甲县2021—2023年每年度压减黄河耗水量分别为10万 m^3 、20万 m^3 、30万 m^3 ,乙区2022—2023年每年度压减黄河耗水量分别为5万 m^3 、6万 m^3 。"
    found = yearly_targets(SourceText.from_string("t", normalise(text)), Span(1, 1), "X〔2022〕1号")
    assert [
        (i.subject, i.name, i.unit, i.direction, [(t.period, t.value) for t in i.targets]) for i in found
    ] == [
        ("甲县", "压减黄河耗水量", "万m³", "≥", [("2021", 10.0), ("2022", 20.0), ("2023", 30.0)]),
        ("乙区", "压减黄河耗水量", "万m³", "≥", [("2022", 5.0), ("2023", 6.0)]),
    ]


def test_ceilings_carry_the_year_of_their_clause_in_base_units():
    text = "2021年,甲县耗黄河水量控制2.1亿 m^3 以内,乙区耗黄河水量控制在3亿 m^3 以内。2022—2023年,甲县耗黄河水量控制2亿 m^3 以内。"
    found = yearly_targets(SourceText.from_string("t", normalise(text)), Span(1, 1), None)
    assert [(i.subject, i.direction, [(t.period, t.value, t.unit) for t in i.targets]) for i in found] == [
        ("甲县", "≤", [("2021", 21000.0, "万m³")]),
        ("乙区", "≤", [("2021", 30000.0, "万m³")]),
        ("甲县", "≤", [("2022", 20000.0, "万m³"), ("2023", 20000.0, "万m³")]),
    ]


def test_indicator_table_of_28_has_2022_and_2023_targets(gazette_source):
    table = [i for i in find_indicators(gazette_source, []) if i.source == "table"]
    assert len(table) == 10
    first, sixth = table[0], table[5]
    assert first.name.startswith("医疗服务收入") and first.unit == "%" and first.direction == "≥"
    assert [(t.period, t.value) for t in first.targets] == [("2022", 33.0), ("2023", 35.0)]
    assert (sixth.name, sixth.unit, sixth.direction) == ("公立医院平均住院日", "天", "≤")
    assert [(t.period, t.value) for t in sixth.targets] == [("2022", 8.3), ("2023", 8.2)]
    assert first.line == 1142 and first.annex == "附件2"


def test_measures_keep_their_figures_and_departments(gazette_source):
    measures = find_measures(gazette_source, [])
    first = measures[0]
    assert (first.subject, first.period, first.name, first.line) == (
        "沙坡头区",
        "2021",
        "压减0.5万亩水稻改为玉米",
        634,
    )
    assert first.quantities == (Quantity("节耗水量", 401, "万m³"), Quantity("折减取水量", 799, "万m³"))
    assert first.responsible == ("沙坡头区农业农村局",) and first.cooperating == ("沙坡头区水务局",)
    second = measures[1]
    assert [(q.name, q.value, q.unit) for q in second.quantities if q.name == "投资估算"] == [
        ("投资估算", 300, "万元")
    ]
    assert {m.subject for m in measures} == {"沙坡头区", "中宁县"}
    assert {m.period for m in measures} == {"2021", "2022", "2023"}


def test_the_quantities_are_json_ready(gazette_source):
    import json

    from taizhang.extract.quantities import read_quantities
    from taizhang.extract.to_json import quantities_to_dict

    data = quantities_to_dict(read_quantities(gazette_source, []))
    assert set(data) == {"indicators", "schemes", "fiscal"}
    json.dumps(data, ensure_ascii=False)  # raises on anything that is not JSON-ready
    kinds = {d.get("kind", "indicator") for d in data["indicators"]}
    assert kinds == {"indicator", "measure"}
    measure = next(d for d in data["indicators"] if d.get("kind") == "measure")
    assert measure["quantities"][0] == {"name": "节耗水量", "value": 401.0, "unit": "万m³"}
    assert [s["annex"] for s in data["schemes"]] == ["附件3", "附件4"]
    assert any(m["line"] == 342 and m["level"] == "市本级" for m in data["fiscal"])

"""Real plans of other governments (national, provincial, city; 2020–2024), each with hand-checked gold.

The ten texts and their gold are copies of the development corpus (tests/fixtures/plans/SOURCES.md
states its conventions). Each plan must reach a strict task F1 of at least 0.95 in our own
comparison (tests/utils/task_score.py), and every task must point at the bracket it came from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from taizhang.extract import extract
from taizhang.extract.spans import SourceText
from taizhang.extract.to_json import to_dict
from taizhang.sources import read_source
from tests.utils.task_score import compare, label_key

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"
GOLD_GAZETTE = (
    Path(__file__).resolve().parents[1] / "fixtures" / "gold" / "zhongwei-gazette-2022-02.gold.json"
)
NAMES = sorted(p.name.removesuffix(".gold.json") for p in PLANS.glob("*.gold.json"))


@pytest.fixture(scope="module")
def extracted() -> dict[str, dict]:
    return {name: to_dict(extract(read_source(PLANS / f"{name}.txt"))) for name in NAMES}


def _gold(name: str) -> dict:
    return json.loads((PLANS / f"{name}.gold.json").read_text(encoding="utf-8"))


def test_the_ten_plans_are_there():
    assert len(NAMES) == 10


@pytest.mark.parametrize("name", NAMES)
def test_strict_task_f1_is_at_least_095(name, extracted):
    score = compare(_gold(name), extracted[name])
    assert score.f1 >= 0.95, score.report()


def test_the_bundled_gazette_stays_exact(gazette_extraction):
    gold = json.loads(GOLD_GAZETTE.read_text(encoding="utf-8"))
    score = compare(gold, to_dict(gazette_extraction))
    assert (score.f1, score.differences) == (1.0, [])


@pytest.mark.parametrize("name", NAMES)
def test_every_task_points_at_its_assignment_in_the_line(name, extracted):
    lines = (PLANS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    for task in extracted[name]["tasks"]:
        at = lines[task["line"] - 1][task["column"] - 1 :]
        assert at[:1] in "（(〔【[" or at.startswith(("责任单位", "牵头单位")), (
            task["label"],
            task["line"],
            at[:20],
        )


def test_a_plan_without_header_is_one_flagged_document(extracted):
    (document,) = extracted["jinan_2021_digital_pioneer_city_plan"]["documents"]
    assert (document["doc_number"], document["title"], document["line_start"], document["line_end"]) == (
        None,
        "加快数字化高质量发展打造数字先锋城市推进方案",
        2,
        86,
    )
    review = extracted["jinan_2021_digital_pioneer_city_plan"]["review"]
    assert [(f["kind"], f["line"]) for f in review if f["kind"] == "no_header"] == [("no_header", 2)]


def test_a_body_without_title_is_named_after_its_file(extracted):
    (document,) = extracted["qingdao_office_2024_ocean_ai_model_plan"]["documents"]
    assert (document["title"], document["doc_number"], document["issuer"]) == (
        "qingdao_office_2024_ocean_ai_model_plan",
        None,
        None,
    )


def test_a_flattened_document_is_read_from_its_one_long_line(extracted):
    result = extracted["guobanfa_2020_24_business_environment_flattened"]
    (document,) = result["documents"]
    assert {
        k: document[k] for k in ("doc_number", "title", "issuer", "date", "publication", "addressees")
    } == {
        "doc_number": "国办发〔2020〕24号",
        "title": "国务院办公厅关于进一步优化营商环境更好服务市场主体的实施意见",
        "issuer": "国务院办公厅",
        "date": "2020-07-15",
        "publication": "此件公开发布",
        "addressees": ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"],
    }
    tasks = result["tasks"]
    assert [label_key(t["label"]) for t in tasks] == [
        "一",
        "二",
        "三",
        "四",
        "五",
        "六",
        "七",
        "八",
        "九",
        "十",
        "十一",
        "十二",
        "十三",
        "十四",
        "十五",
        "十六",
        "十七",
        "十八",
        "十九",
        "二十",
    ]
    assert {t["line"] for t in tasks} == {4}
    columns = [t["column"] for t in tasks]
    assert columns == sorted(columns) and len(set(columns)) == 20


def test_labels_are_kept_as_printed(extracted):
    labels = {name: [t["label"] for t in extracted[name]["tasks"]] for name in NAMES}
    assert labels["qingdao_office_2024_ocean_ai_model_plan"][:3] == [
        "1",
        "2",
        "3",
    ]  # a glyph stood for the dot
    assert labels["guobanfa_2020_45_elderly_smart_technology_plan"][:2] == ["1．", "2．"]
    assert labels["shandong_drc_2024_scenario_innovation_plan_pdf_text"][:2] == ["(一)", "(二)"]
    assert labels["jinan_2021_digital_pioneer_city_plan"][:2] == ["（1）", "（2）"]


def _flattened(name: str) -> SourceText:
    """The plan as a web page copy gives it: the title on its line, the whole body on one line."""
    lines = (PLANS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    body = "".join(line.strip() for line in lines[2:] if line.strip())
    return SourceText.from_string(f"{name} (flattened)", f"{lines[0]}\n{lines[1]}\n\n{body}\n")


@pytest.mark.parametrize("name", NAMES)
def test_a_plan_flattened_onto_one_line_gives_the_same_tasks(name):
    def key(task) -> tuple:
        return (label_key(task.label), task.lead, task.responsible, task.cooperating)

    printed = extract(read_source(PLANS / f"{name}.txt")).tasks
    flattened = extract(_flattened(name)).tasks
    assert [key(t) for t in flattened] == [key(t) for t in printed]
    assert {t.line for t in flattened} <= {2, 4}  # every task points into the one body line


def _wrapped(name: str, width: int = 35) -> SourceText:
    """The plan as a printed PDF gives it: every paragraph broken into lines of ``width`` characters."""
    lines = (PLANS / f"{name}.txt").read_text(encoding="utf-8").split("\n")
    out = lines[:1]
    for line in lines[1:]:
        text = line.strip()
        out.extend(text[i : i + width] for i in range(0, len(text), width)) if text else out.append("")
    return SourceText.from_string(f"{name} (wrapped)", "\n".join(out) + "\n")


@pytest.mark.parametrize("name", NAMES)
def test_a_plan_wrapped_into_printed_lines_gives_the_same_tasks(name):
    def key(task) -> tuple:
        return (label_key(task.label), task.lead, task.responsible, task.cooperating)

    printed = extract(read_source(PLANS / f"{name}.txt")).tasks
    assert [key(t) for t in extract(_wrapped(name)).tasks] == [key(t) for t in printed]

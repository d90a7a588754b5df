"""Campaigns and supervision rules: the gazette's 44号, 6号 and 36号, a county plan of another layout."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract import extract
from taizhang.extract.campaigns import campaign_kind, find_campaigns
from taizhang.extract.segment import segment
from taizhang.extract.spans import SourceText
from taizhang.extract.supervision import find_supervision
from taizhang.extract.to_json import to_dict

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "campaigns" / "county-gas-campaign.txt"


def _campaigns(gazette_extraction):
    return {c["title"]: c for c in to_dict(gazette_extraction)["campaigns"]}


def test_the_gazette_runs_three_campaigns(gazette_extraction):
    found = _campaigns(gazette_extraction)
    assert [(c["doc_number"], c["kind"]) for c in found.values()] == [
        ("卫政办发〔2022〕6号", "排查整治"),
        ("卫政办发〔2022〕44号", "专项行动"),
        ("卫政办发〔2022〕44号", "大检查大整治"),
    ]


def test_the_mining_campaign_has_three_groups_one_leader_twice(gazette_extraction):
    mining = _campaigns(gazette_extraction)["中卫市矿产资源开采治理整顿工作方案"]
    assert [(g["name"], g["counties"], g["leader"]) for g in mining["groups"]] == [
        ("第一督查组", ["沙坡头区"], "祁少波"),
        ("第二督查组", ["中宁县"], "王东山"),
        ("第三督查组", ["海原县"], "王东山"),
    ]
    assert mining["counties"] == ["沙坡头区", "中宁县", "海原县"]
    assert mining["declared_groups"] == 3 and mining["group_lead_unit"] == "市自然资源局"
    assert [(m["when"], m["due"], m["what"]) for m in mining["milestones"]] == [
        ("5月底", "2022-05-31", "取得实效"),
        ("6月底前", "2022-06-30", "完成自治区级验收销号"),
    ]
    members = mining["groups"][0]["members"]
    assert [(m["role"], m["name"]) for m in members] == [
        ("组长", "祁少波"),
        ("成员", "崔永东"),
        ("成员", "徐海珠"),
        ("成员", None),
    ]
    inline = [c for c in mining["check_items"] if c["label"].startswith("(二)")]
    assert len(inline) == 7 and inline[2]["title"] == "是否编制或及时更新环评"
    assert mining["object_kinds"] == ["矿山"] and mining["flags"] == []


def test_the_water_campaign_has_scope_checklist_forms_and_a_flag_for_its_unprinted_groups(gazette_extraction):
    water = _campaigns(gazette_extraction)["中卫市水利工程质量安全大检查大整治行动方案"]
    assert water["object_kinds"] == ["已建工程", "在建工程", "水库", "蓄水池"]
    assert [c["label"] for c in water["check_items"]] == [
        "(一)",
        "(二)",
        "(三)1.",
        "(三)2.",
        "(四)1.",
        "(四)2.",
        "(四)3.",
        "(四)4.",
    ]
    assert water["check_items"][2]["parent"] == "已建水利工程质量安全管理情况"
    assert len(water["forms"]) == 4 and all(f.endswith("表") for f in water["forms"])
    assert [m["due"] for m in water["milestones"]] == ["2022-04-30", "2022-05-31", "2022-06-30"]
    assert water["groups"] == [] and water["declared_groups"] == 3 and water["group_lead_unit"] == "市水务局"
    assert [f["kind"] for f in water["flags"]] == ["campaign_groups"]


def test_the_six_document_campaign_takes_its_tasks_as_check_items(gazette_extraction):
    plan = _campaigns(gazette_extraction)["中卫市“两高”项目突出问题排查整治工作方案"]
    assert len(plan["check_items"]) == 8 and plan["object_kinds"] == ["项目"]
    assert plan["milestones"][0]["due"] == "2022-12-31"


def test_the_elderly_care_document_lays_chained_clocks_three_lists_random_checks_and_public_credit(
    gazette_extraction,
):
    rules = {r["doc_number"]: r for r in to_dict(gazette_extraction)["supervision"]}["卫政办发〔2022〕36号"]
    assert [(c["event"], c["days"], c["name"], c["after"]) for c in rules["clocks"]][:2] == [
        ("收住老年人", 10, "备案", None),
        ("备案", 20, "现场检查", "备案"),
    ]
    assert rules["lists"] == ["隐患", "整改", "责任"]
    assert rules["random_inspection_line"] and rules["credit_line"] and rules["credit_public"] is True


def test_a_county_plan_in_another_layout():
    source = SourceText.from_string(FIXTURE.name, FIXTURE.read_text(encoding="utf-8"))
    data = to_dict(extract(source))
    (plan,) = data["campaigns"]
    assert plan["object_kinds"] == ["餐饮场所", "燃气经营企业", "充装站"]
    assert [(g["counties"], g["leader"]) for g in plan["groups"]] == [
        (["城关镇", "东城镇"], "李明"),
        (["西山乡"], "周平"),
    ]
    assert [c["label"] for c in plan["check_items"]] == ["(一)", "(二)1.", "(二)2."]
    assert [m["due"] for m in plan["milestones"]] == ["2023-03-20", "2023-04-30", "2023-06-30"]
    assert plan["group_lead_unit"] == "县应急管理局" and plan["flags"] == []


def test_a_title_without_campaign_words_is_no_campaign():
    assert campaign_kind("关于加强养老服务综合监管的实施意见") is None
    assert campaign_kind("某市安全生产大检查方案") == "大检查大整治"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "第一督查组(某县)",
                "组长:",
                "成员:张三 某局",
                "专项整治行动方案",
                "一、整治任务",
                "(一)检查。",
                "1.内容。",
                "5月底完成",
                "自备案之日起20个工作日内检查",
                "",
                "附件",
            ]
        ),
        max_size=30,
    )
)
def test_no_text_makes_the_campaign_stages_raise(lines):
    source = SourceText.from_string("x.txt", "\n".join(lines))
    documents = segment(source, None)
    find_campaigns(source, documents)
    find_supervision(source, documents)

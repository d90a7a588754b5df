"""The division of work (分工) read into duties, and AB岗 pairs with their line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract import extract
from taizhang.extract.posts import duties_of, find_backup_pairs, find_posts, split_areas
from taizhang.sources import read_source

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "procedures"


def _posts(extraction):
    return {p.name: p for p in find_posts(extraction.people)}


def _kinds(post):
    found: dict[str, list[str]] = {}
    for duty in post.duties:
        found.setdefault(duty.kind, []).append(duty.area)
    return found


def test_every_person_of_the_notice_has_a_post(gazette_extraction):
    posts = _posts(gazette_extraction)
    assert len(posts) == 14
    assert _kinds(posts["雍跃斌"]) == {
        "联系": [
            "发展改革",
            "财税",
            "生态环境",
            "应急管理",
            "地震",
            "审计",
            "统计",
            "金融",
            "机关事务",
            "地方志",
            "政务公开",
        ],
        "分管": ["市地方志编审委员会办公室", "政务公开服务中心", "督查科(政府督查室)"],
    }
    assert posts["雍跃斌"].backup == "陆升"


def test_assisting_in_charge_is_its_own_kind(gazette_extraction):
    posts = _posts(gazette_extraction)
    assert _kinds(posts["王立明"])["协助分管"] == ["研究室", "秘书一科"]
    assert _kinds(posts["何伟成"]) == {"协助分管": ["督查科(政府督查室)"]}
    assert _kinds(posts["刘明"]) == {
        "联系": ["云计算和大数据发展", "军民融合产业"],
        "协助分管": ["云计算和大数据发展局", "军民融合产业服务中心"],
    }


def test_presiding_over_a_unit_and_duties_keep_their_line(gazette_extraction):
    posts = _posts(gazette_extraction)
    assert _kinds(posts["孙尚金"]) == {"主持": ["市政府办公室"]}
    assert _kinds(posts["马宏全"])["主持"] == ["市信访局"]
    assert {d.line for d in posts["陆升"].duties} == {1339}
    assert posts["李斌"].duties == ()


def test_the_four_ab_pairs_carry_the_line_of_their_sentence(gazette_source, gazette_extraction):
    pairs = find_backup_pairs(gazette_source, gazette_extraction.documents)
    assert [(p.a, p.b, p.doc_number, p.line) for p in pairs] == [
        ("刘明", "李长海", "卫政办发〔2022〕30号", 1351),
        ("王秀娟", "田力", "卫政办发〔2022〕30号", 1351),
        ("金钟河", "王立明", "卫政办发〔2022〕30号", 1351),
        ("雍跃斌", "陆升", "卫政办发〔2022〕30号", 1351),
    ]


def test_another_city_writes_names_with_colons_and_joins_pairs_with_he():
    source = read_source(FIXTURES / "division-other-city.txt")
    extraction = extract(source)
    posts = _posts(extraction)
    assert list(posts) == ["张建国", "李文华", "赵明"]
    assert _kinds(posts["张建国"]) == {
        "联系": ["教育", "卫生健康", "医疗保障"],
        "分管": ["秘书一科", "督查室"],
    }
    assert _kinds(posts["李文华"]) == {"联系": ["生态环境", "自然资源"], "协助分管": ["秘书二科"]}
    assert _kinds(posts["赵明"]) == {"主持": ["市人民政府办公室"]}
    assert [(p.a, p.b, p.line) for p in find_backup_pairs(source, extraction.documents)] == [
        ("张建国", "李文华", 15)
    ]


def test_areas_split_on_the_enumeration_comma_never_on_he():
    assert split_areas("云计算和大数据发展、军民融合产业等方面的工作") == [
        "云计算和大数据发展",
        "军民融合产业",
    ]
    assert split_areas("督查科(政府督查室)工作") == ["督查科(政府督查室)"]


@given(st.text(alphabet="分管协助联系主持处理方面的工作等、。；科局和市生态环境督查", max_size=60))
def test_duties_never_raise_and_every_area_is_printed_in_the_paragraph(paragraph):
    for duty in duties_of(paragraph, 1):
        assert duty.area and duty.area in paragraph.replace("(", "(")

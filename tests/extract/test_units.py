"""The unit directory and unit-list splitting."""

from __future__ import annotations

import pytest

from taizhang.extract.unit_lists import split_units
from taizhang.extract.unit_names import restore_prefix
from taizhang.extract.units import Unit, UnitDirectory, default_directory


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("市卫生健康委员会", "市卫生健康委"),
        ("市发展和改革委员会", "市发展改革委"),
        ("市人社局", "市人力资源社会保障局"),
        ("市人力资源和社会保障局", "市人力资源社会保障局"),
        ("市医疗保障局", "市医保局"),
        ("市市场监督管理局", "市市场监管局"),
        ("市市场监管部门", "市市场监管局"),
        ("市住房和城乡建设局", "市住房城乡建设局"),
        ("市应急管理局", "市应急局"),
        ("沙坡头区政府", "沙坡头区"),
        ("各县（区）人民政府", "各县(区)"),
    ],
)
def test_aliases_resolve_to_the_canonical_unit(alias, canonical):
    assert default_directory("中卫市").resolve(alias).name == canonical


def test_county_groups_hold_the_three_counties():
    # the directory is data; a group is expanded by services.groups once it is in the ledger
    directory = default_directory("中卫市")
    for name in ("各县(区)", "各县(区)人民政府", "县(区)", "各县(区)政府"):
        assert directory.resolve(name).members == ("沙坡头区", "中宁县", "海原县")


def test_unknown_names_resolve_to_nothing_and_some_groups_have_no_members():
    directory = default_directory("中卫市")
    assert directory.resolve("市未来局") is None
    assert directory.resolve("市直有关部门(单位)").members == ()
    assert directory.resolve("市卫生健康委员会").name == "市卫生健康委"


def test_groups_of_a_county():
    assert default_directory("中卫市").groups_of("沙坡头区人民政府") == ["各县(区)"]


def test_round_trip_and_add_replaces_by_name():
    directory = default_directory("中卫市")
    copy = UnitDirectory.from_dict(directory.to_dict())
    assert copy.to_dict() == directory.to_dict()
    copy.add(Unit("市卫生健康委", aliases=("卫健老口径",)))
    copy.add(Unit("市卫生健康委", aliases=("市卫健局",)))
    assert copy.resolve("市卫健局").name == "市卫生健康委"
    assert copy.resolve("卫健老口径") is None  # the replaced unit's own alias is gone
    # the lexicon's standard forms still find it: 市卫生健康委员会 is 市卫生健康委 in any city
    assert copy.resolve("市卫生健康委员会").name == "市卫生健康委"
    assert len(copy.units) == len(directory.units)


def test_unknown_city_gets_an_empty_directory():
    directory = default_directory("银川市")
    assert (directory.units, directory.city, directory.resolve("市财政局")) == ([], "银川市", None)


def test_split_keeps_parenthesised_groups_and_names_with_he():
    units = split_units("市住房和城乡建设局、市直有关部门(单位),各县(区);市卫生健康委和市民政局")
    assert units.names == ("市住房和城乡建设局", "市直有关部门(单位)", "各县(区)", "市卫生健康委", "市民政局")
    assert (units.etc, units.odd) == ((), ())


def test_split_strips_etc_and_notes_it():
    units = split_units("扶贫办、全国总工会等和各省级人民政府")
    assert units.names == ("扶贫办", "全国总工会", "各省级人民政府")
    assert units.etc == ("全国总工会",)


@pytest.mark.parametrize(
    ("printed", "restored"),
    [
        ("市财政局、人力资源社会保障局、医保局", ["市财政局", "市人力资源社会保障局", "市医保局"]),
        ("市委组织部、编办", ["市委组织部", "市委编办"]),
        ("市委编办,市民政局、市场监督管理局", ["市委编办", "市民政局", "市市场监督管理局"]),
        (
            "市住房和城乡建设局、市财政局,应理集团,银保监中卫分局,沙坡头区政府,中卫市税务局,医联体牵头医院",
            [
                "市住房和城乡建设局",
                "市财政局",
                "应理集团",
                "银保监中卫分局",
                "沙坡头区政府",
                "中卫市税务局",
                "医联体牵头医院",
            ],
        ),
        ("发展改革委、财政部", ["发展改革委", "财政部"]),
        ("省财政厅、教育厅", ["省财政厅", "省教育厅"]),
    ],
)
def test_restore_prefix(printed, restored):
    level = "市" if printed.startswith("市") else None
    assert restore_prefix(split_units(printed).names, level) == restored


def test_bare_level_words_stay_in_their_group():
    assert split_units("市委组织部、市人力资源和社会保障局,各区、县级市").names == (
        "市委组织部",
        "市人力资源和社会保障局",
        "各区、县级市",
    )
    assert split_units("各县、区人民政府,市财政局").names == ("各县、区人民政府", "市财政局")


def test_market_regulator_takes_the_level_of_a_province_list():
    assert restore_prefix(split_units("省发展改革委、市场监管局").names, "省") == [
        "省发展改革委",
        "省市场监管局",
    ]
    assert restore_prefix(split_units("市场监管总局、发展改革委").names, None) == [
        "市场监管总局",
        "发展改革委",
    ]
    assert restore_prefix(split_units("市财政局、市场监管总局、海关总署").names, "市") == [
        "市财政局",
        "市场监管总局",
        "海关总署",
    ]


def test_spaces_split_whole_names_and_are_removed_inside_a_name():
    assert split_units("市财政局 市民政局, 各县(区)人 民政府").names == (
        "市财政局",
        "市民政局",
        "各县(区)人民政府",
    )


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # group names stay whole
        ("各有关部门和单位", ("各有关部门和单位",)),
        ("国务院相关部门和单位及各地区", ("国务院相关部门和单位", "各地区")),
        ("有关区、市政府", ("有关区、市政府",)),
        ("各区、市政府", ("各区、市政府",)),
        ("各市、州、县人民政府", ("各市、州、县人民政府",)),
        ("各级党委和政府", ("各级党委和政府",)),
        # a shared suffix is expanded
        ("济南、青岛、烟台市政府", ("济南市政府", "青岛市政府", "烟台市政府")),
        ("省生态环境厅，济南、青岛、济宁市政府", ("省生态环境厅", "济南市政府", "青岛市政府", "济宁市政府")),
        # 及 separates; 和 only between whole names
        ("交通运输部及各地区", ("交通运输部", "各地区")),
        ("文化和旅游部、住房和城乡建设部", ("文化和旅游部", "住房和城乡建设部")),
        # 等 and the group after it
        ("体育总局等国务院相关部门及各地区", ("体育总局", "各地区")),
        ("商务部、海关总署等5部门", ("商务部", "海关总署")),
    ],
)
def test_unit_lists_split_as_printed(text, names):
    assert split_units(text).names == names


def test_etc_is_noted_on_the_name_before_it():
    assert split_units("体育总局等国务院相关部门及各地区").etc == ("体育总局",)


@pytest.mark.parametrize(
    ("names", "restored"),
    [
        (["市财政局", "人力资源社会保障局", "医保局"], ["市财政局", "市人力资源社会保障局", "市医保局"]),
        (["省教育厅", "团省委"], ["省教育厅", "团省委"]),
        (["市科技局", "青岛海洋科技中心", "崂山实验室"], ["市科技局", "青岛海洋科技中心", "崂山实验室"]),
        (["省交通运输厅", "中铁济南局"], ["省交通运输厅", "中铁济南局"]),
        (["省财政厅", "人民银行济南分行", "山东银保监局"], ["省财政厅", "人民银行济南分行", "山东银保监局"]),
        (
            ["市发展改革委", "武汉东湖实验室", "市委组织部", "编办"],
            ["市发展改革委", "武汉东湖实验室", "市委组织部", "市委编办"],
        ),
        (["市司法局", "公共资源交易中心"], ["市司法局", "市公共资源交易中心"]),
    ],
)
def test_a_dropped_prefix_is_restored_only_onto_a_department_of_that_government(names, restored):
    assert restore_prefix(names, None) == restored


@pytest.mark.parametrize(
    ("printed", "standard"),
    [
        ("国家发展和改革委员会", "国家发展改革委"),
        ("青岛市人力资源和社会保障局", "青岛市人力资源社会保障局"),
        ("省卫生健康委员会", "省卫生健康委"),
        ("市委机构编制委员会办公室", "市委编办"),
        ("中国人民银行", "人民银行"),
        ("市未来局", "市未来局"),
    ],
)
def test_the_lexicon_knows_standard_names_for_any_city(printed, standard):
    from taizhang.extract.lexicon import lexicon

    assert lexicon().standard_name(printed) == standard


def test_any_citys_directory_resolves_short_and_full_forms():
    directory = UnitDirectory(units=[Unit("市发展改革委")], city="济南市")
    assert directory.resolve("市发展和改革委员会").name == "市发展改革委"
    assert directory.resolve("市发改委").name == "市发展改革委"
    assert directory.resolve("市财政局") is None


def test_no_city_is_built_into_the_default_directory():
    assert default_directory() == UnitDirectory()
    assert default_directory("中卫市").city == "中卫市" and default_directory("中卫市").units


def test_two_groups_run_together_read_as_the_two_groups():
    assert split_units("各地区各部门").names == ("各地区", "各部门")
    assert split_units("各区县各有关单位、市直各部门").names == ("各区县", "各有关单位", "市直各部门")
    assert split_units("各级各部门").names == ("各级各部门",)  # one group: bodies of every level


def test_organs_ending_in_jiguan_streets_and_party_committees_are_units():
    units = split_units("市纪委监委机关、各街道、县委宣传部、某镇党委")
    assert units.names == ("市纪委监委机关", "各街道", "县委宣传部", "某镇党委")
    assert units.odd == ()

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


def test_county_groups_expand_to_the_three_counties():
    directory = default_directory("中卫市")
    for name in ("各县(区)", "各县(区)人民政府", "县(区)", "各县(区)政府"):
        assert directory.expand(name) == ["沙坡头区", "中宁县", "海原县"]


def test_expand_keeps_unknown_names_and_memberless_groups():
    directory = default_directory("中卫市")
    assert directory.expand("市未来局") == ["市未来局"]
    assert directory.expand("市直有关部门(单位)") == ["市直有关部门(单位)"]
    assert directory.expand("市卫生健康委员会") == ["市卫生健康委"]


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
            ["市住房和城乡建设局", "市财政局", "应理集团", "银保监中卫分局", "沙坡头区政府", "中卫市税务局", "医联体牵头医院"],
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
    assert restore_prefix(split_units("省发展改革委、市场监管局").names, "省") == ["省发展改革委", "省市场监管局"]
    assert restore_prefix(split_units("市场监管总局、发展改革委").names, None) == ["市场监管总局", "发展改革委"]
    assert restore_prefix(split_units("市财政局、市场监管总局、海关总署").names, "市") == ["市财政局", "市场监管总局", "海关总署"]


def test_spaces_split_whole_names_and_are_removed_inside_a_name():
    assert split_units("市财政局 市民政局, 各县(区)人 民政府").names == ("市财政局", "市民政局", "各县(区)人民政府")

"""发文字号: normalisation of every bracket form, whole-line numbers, orders, citations in text."""

from __future__ import annotations

import pytest

from taizhang.extract import docnumbers


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("卫政办发〔2022〕6号", "卫政办发〔2022〕6号"),
        ("卫政办发[2022]6号", "卫政办发〔2022〕6号"),  # gazette 目录, line 48
        ("国办发（2019）6号", "国办发〔2019〕6号"),
        ("国办发(2019)6号", "国办发〔2019〕6号"),
        ("卫政发【2022】15号", "卫政发〔2022〕15号"),
        ("卫政办发 〔 2022 〕 6 号", "卫政办发〔2022〕6号"),
        ("国卫办医函[2021]547号", "国卫办医函〔2021〕547号"),  # gazette line 1281
    ],
)
def test_normalise_brackets_and_spacing(printed: str, expected: str) -> None:
    assert docnumbers.normalise(printed) == expected


def test_normalise_without_number_is_none() -> None:
    assert docnumbers.normalise("2022年第2期") is None


def test_number_of_line_whole_line_only() -> None:
    assert docnumbers.number_of_line("卫政办发〔2022〕6号") == "卫政办发〔2022〕6号"
    assert docnumbers.number_of_line("  国办发〔2019〕6号  ") == "国办发〔2019〕6号"
    # a 目录 entry and a citation in a sentence are not number lines
    assert docnumbers.number_of_line("(卫政发[2022]15号)..... 3") is None
    assert docnumbers.number_of_line("按照国办发〔2020〕48号文件要求") is None


def test_order_number_from_header_and_serial_line() -> None:
    assert docnumbers.order_serial_of_line("第707号") == 707
    assert docnumbers.order_serial_of_line("第707号令") is None
    assert docnumbers.order_number("中华人民共和国国务院令", 707) == "国务院令第707号"


def test_find_cited_cuts_running_text_off_the_abbreviation() -> None:
    text = "（三）西藏自治区人民政府要按照国办发〔1993〕71号文件的规定，并执行《意见》（中发〔1994〕8号）"
    assert [n for n, _ in docnumbers.find_cited(text)] == ["国办发〔1993〕71号", "中发〔1994〕8号"]


def test_find_cited_lists_and_orders_in_order() -> None:
    text = "根据国发〔2018〕5号和国发〔2018〕6号，以及1994年中华人民共和国国务院令第142号发布的条例"
    assert [n for n, _ in docnumbers.find_cited(text)] == [
        "国发〔2018〕5号",
        "国发〔2018〕6号",
        "国务院令第142号",
    ]


def test_find_cited_in_table_cell() -> None:
    row = "1\t《中卫市国土资源违法行为报告办法》\t卫政发〔2012〕253号"
    assert docnumbers.find_cited(row) == [("卫政发〔2012〕253号", row.index("2012"))]


def test_find_cited_nothing_in_plain_text() -> None:
    assert docnumbers.find_cited("2022年12月底前完成,每月25日前报送") == []

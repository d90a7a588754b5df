"""Chinese numerals read through cn2an: every number written out reads back, odd text reads as none."""

from __future__ import annotations

import cn2an
from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract.numerals import chinese_int
from taizhang.extract.outline import cn_number


@given(st.integers(min_value=0, max_value=99_999))
def test_a_number_written_in_chinese_reads_back(n):
    assert chinese_int(cn2an.an2cn(n)) == n
    assert chinese_int(str(n)) == n


@given(st.text(alphabet="一二两三四五六七八九十百千万零〇12ab、", max_size=8))
def test_no_text_makes_it_raise(text):
    value = chinese_int(text)
    assert value is None or value >= 0


def test_labels_counts_and_runs_that_are_no_number():
    assert [cn_number(t) for t in ("十", "二十三", "一百零五")] == [10, 23, 105]
    assert chinese_int("两") == 2
    assert chinese_int("三五") is None  # 三五天: a range as printed, not 35
    assert chinese_int("二〇二二") is None  # a year printed digit by digit

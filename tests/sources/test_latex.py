"""LaTeX left by PDF-to-text reads as printed, in the one normalisation stage, without moving a column."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from taizhang.sources.normalise import normalise, repair_latex


def test_symbols_and_superscripts_read_as_printed():
    assert repair_latex(r"占比 $\geq 35\%$").split() == ["占比", "≥", "35%"]
    assert repair_latex("压减3224万 m^3 、4774万 m^{3}").replace(" ", "") == "压减3224万m³、4774万m³"
    assert repair_latex(r"(总收入-总支出 \geq 0)").replace(" ", "") == "(总收入-总支出≥0)"
    assert repair_latex("单价 $100 与 $200") == "单价 $100 与 $200"  # a price is no math
    assert repair_latex(r"\legal") == r"\legal"


@given(
    st.lists(
        st.sampled_from(["$", "\\geq", "\\leq", "\\%", "m^3", "m ^ 2", " ", "35", "万", "\n", "^", "\\"]),
        max_size=30,
    ).map("".join)
)
def test_every_line_keeps_its_length(text):
    repaired = normalise(text)
    assert [len(line) for line in repaired.split("\n")] == [len(line) for line in text.split("\n")]

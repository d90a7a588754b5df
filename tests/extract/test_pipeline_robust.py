"""The whole pipeline on damaged versions of the real gazette: it may find less, it never raises.

Real damage is what PDF exports do: lines lost at page breaks, tables cut in two, rows split
into one-row tables (DOCX), punctuation in full width. Each variant keeps most of the text, so
the stages meet realistic partial structures rather than random noise.
"""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taizhang.extract import extract
from taizhang.extract.spans import SourceText
from taizhang.extract.to_json import to_dict

FULL_WIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})


def _variant(lines: tuple[str, ...], cuts: list[tuple[int, int]], blank_tabs: bool) -> SourceText:
    kept = list(lines)
    for start, length in sorted(cuts, reverse=True):
        del kept[start : start + length]
    if blank_tabs:  # every table row becomes a table of its own, as a DOCX with split tables reads
        kept = [part for line in kept for part in ([line, ""] if "\t" in line else [line])]
    return SourceText("variant", tuple(kept))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(st.tuples(st.integers(0, 1770), st.integers(1, 40)), max_size=6),
    blank_tabs=st.booleans(),
)
def test_damaged_gazette_never_raises(gazette_source, cuts, blank_tabs):
    source = _variant(gazette_source.lines, cuts, blank_tabs)
    result = to_dict(extract(source))
    for task in result["tasks"]:
        assert 1 <= task["line"] <= len(source)


def test_full_width_punctuation_reads_like_ascii(gazette_source, gazette_extraction):
    wide = SourceText("wide", tuple(line.translate(FULL_WIDTH) for line in gazette_source.lines))
    tasks = extract(wide).tasks

    def key(t):  # labels keep the brackets as printed; compare them folded
        return (t.doc_number, unicodedata.normalize("NFKC", t.label or ""), t.deadline.due)

    assert [key(t) for t in tasks] == [key(t) for t in gazette_extraction.tasks]


def test_tables_split_row_by_row_keep_every_task(gazette_source, gazette_extraction):
    split = _variant(gazette_source.lines, [], blank_tabs=True)
    assert len(extract(split).tasks) == len(gazette_extraction.tasks)

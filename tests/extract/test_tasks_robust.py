"""Task extraction never raises on odd text and stays fast on the whole gazette."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.extract.model import Document
from taizhang.extract.spans import SourceText, Span
from taizhang.extract.tasks import extract_tasks
from taizhang.extract.units import default_directory

# Characters the grammars react to, so random text exercises them.
ALPHABET = "〔〕[]【】()（）:：;；,，、。\t\n 0123456789牵头责任配合单位部门负责市县区各等和年月底前完成长期坚持局委办一二三.．"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_text_never_raises_and_lines_stay_in_range(text):
    source = SourceText.from_string("fuzz", text)
    if not len(source):
        return
    doc = Document(
        doc_number="x", title="x", issuer="中卫市人民政府", date=date(2022, 1, 1), span=Span(1, len(source))
    )
    for task in extract_tasks(source, doc, default_directory()):
        assert 1 <= task.line <= len(source)
        assert task.span is not None and 1 <= task.span.start <= task.span.end <= len(source)

"""Periodic reporting duties a document states for all its units (每月25日前…报送)."""

from __future__ import annotations

import re

from .deadlines import parse_deadline
from .model import Document
from .spans import SourceText

_CYCLE_WORDS = ("每月", "每季度", "每半年", "每年", "每周")
# units send something in: 报送/上报/报告 (通报 alone is the office publishing, not a duty)
_REPORTING_VERBS = ("报送", "上报", "报告")
_SENTENCE_END = re.compile(r"[。;；]")


def reporting_duties(source: SourceText, doc: Document) -> list[tuple[int, str]]:
    """(line, rule) of each periodic reporting duty a document's text states (每月25日前...报送).

    A duty may be stated for a whole document rather than for one task (卫政办发〔2022〕29号,
    line 1269: 各单位于每月25日前将工作进展情况台账...报送至市卫生健康委).
    """
    signed = doc.date
    found: list[tuple[int, str]] = []
    for line, text in source.numbered(doc.span):
        for sentence in _SENTENCE_END.split(text):
            if not any(w in sentence for w in _CYCLE_WORDS) or not any(v in sentence for v in _REPORTING_VERBS):
                continue
            deadline = parse_deadline(sentence, year=signed.year if signed else None, signed=signed)
            if deadline.kind == "recurring" and deadline.recurrence:
                found.append((line, deadline.recurrence))
    return found

"""Periodic reporting duties a document states for all its units (每月25日前…报送)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .deadlines import parse_deadline
from .model import Document
from .spans import SourceText

_CYCLE_WORDS = ("每月", "每季度", "每半年", "每年", "每周")
# units send something in: 报送/上报/报告 (通报 alone is the office publishing, not a duty)
_REPORTING_VERBS = ("报送", "上报", "报告")
_SENTENCE_END = re.compile(r"[。;；]")


@dataclass(frozen=True)
class ReportingDuty:
    """A periodic reporting duty (报送) a document lays on all its units: the cycle and the line stating it.

    ``rule`` is a deadline recurrence (``monthly:25``); a duty on the line of a task with that
    same cycle is the task's own and is not listed again.
    """

    doc_number: str | None
    rule: str
    line: int


def find_reporting_duties(
    source: SourceText, documents: Sequence[Document], recurring_task_lines: set[tuple[str | None, int]]
) -> list[ReportingDuty]:
    """Every document's reporting duties, but for those stated on the line of a recurring task."""
    return [
        ReportingDuty(doc.doc_number, rule, line)
        for doc in documents
        for line, rule in reporting_duties(source, doc)
        if (doc.doc_number, line) not in recurring_task_lines
    ]


def reporting_duties(source: SourceText, doc: Document) -> list[tuple[int, str]]:
    """(line, rule) of each periodic reporting duty a document's text states (每月25日前...报送).

    A duty may be stated for a whole document rather than for one task (卫政办发〔2022〕29号,
    line 1269: 各单位于每月25日前将工作进展情况台账...报送至市卫生健康委).
    """
    signed = doc.date
    found: list[tuple[int, str]] = []
    if "每" not in source.text(doc.span):
        return found  # every cycle word starts with 每
    for line, text in source.numbered(doc.span):
        if "每" not in text or not any(w in text for w in _CYCLE_WORDS):
            continue  # no sentence of the line can name a cycle: most lines are not split
        for sentence in _SENTENCE_END.split(text):
            if not any(w in sentence for w in _CYCLE_WORDS) or not any(
                v in sentence for v in _REPORTING_VERBS
            ):
                continue
            deadline = parse_deadline(sentence, year=signed.year if signed else None, signed=signed)
            if deadline.kind == "recurring" and deadline.recurrence:
                found.append((line, deadline.recurrence))
    return found

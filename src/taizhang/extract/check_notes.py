"""``check`` findings as review notes: on the task they concern, else on their document.

A finding concerns a task when one of its lines (the text's or the annex's) falls inside the
task's span in the same document: 正文 says 2022年4月底前 and the 附件 row says 2022年7月底, and
both the text item and the annex row carry the note with both source lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .model import Check, Task
from .spans import SourceText

# The kinds of numeric checks (extract/checks.py) as a reader names them.
CHECK_KINDS = {
    "column_sum": "合计行核对",
    "target_vs_annex": "目标与附件",
    "weights_total": "权重合计",
    "grade_total": "等次满分",
    "text_vs_annex": "正文与附件",
    "total_meets_target": "合计达标",
    "row_identity": "行内等式",
    "annex_year": "附件年度",
    "text_sum": "正文合计",
    "points_total": "分值合计",
    "scheme_link": "方案指标",
    "stated_count": "所述数目",
    "list_count": "列举数目",
}
KIND = "check_conflict"


def _line_text(source: SourceText, line: int) -> str:
    return source.lines[line - 1].strip() if 0 < line <= len(source.lines) else ""


def check_note(check: Check, source: SourceText) -> dict[str, Any]:
    """One inconsistent finding as a review note: its reason in Chinese and both source lines."""
    name = CHECK_KINDS.get(check.kind or "", check.kind or "核对")
    sides = []
    if check.text_line:
        sides.append({"label": "正文", "line": check.text_line, "text": _line_text(source, check.text_line)})
        message = (
            f"{name}不一致：正文第{check.text_line}行为“{check.expected}”，第{check.line}行为“{check.found}”"
        )
    else:
        message = f"{name}不一致：应为“{check.expected}”，第{check.line}行实为“{check.found}”"
    sides.append(
        {
            "label": "附件" if check.text_line else "原文",
            "line": check.line,
            "text": _line_text(source, check.line),
        }
    )
    return {
        "kind": KIND,
        "check": check.kind,
        "line": check.text_line or check.line,
        "message": message,
        "doc_number": check.doc_number,
        "sides": sides,
    }


def _task_lines(task: Task) -> tuple[int, int]:
    return (task.span.start, task.span.end) if task.span else (task.line, task.line)


def _concerns(check: Check, task: Task) -> bool:
    start, end = _task_lines(task)
    return check.doc_number == task.doc_number and any(
        line is not None and start <= line <= end for line in (check.text_line, check.line)
    )


def task_check_notes(task: Task, checks: Sequence[Check], source: SourceText) -> list[dict[str, Any]]:
    """The inconsistent findings whose text or annex line lies in ``task``'s span, as review notes."""
    return [check_note(c, source) for c in checks if not c.consistent and _concerns(c, task)]


def document_check_notes(
    doc_number: str | None, checks: Sequence[Check], tasks: Sequence[Task], source: SourceText
) -> list[dict[str, Any]]:
    """The inconsistent findings of one document that concern none of its tasks (a scheme's 权重
    totalling 95, a 合计 row that is not the sum of its column), as the document's review notes."""
    own_tasks = [t for t in tasks if t.doc_number == doc_number]
    return [
        check_note(c, source)
        for c in checks
        if not c.consistent and c.doc_number == doc_number and not any(_concerns(c, t) for t in own_tasks)
    ]

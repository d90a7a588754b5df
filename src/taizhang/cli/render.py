"""Rich rendering helpers shared by the commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..extract.extraction import Extraction
from ..extract.grammar import count_assignment_phrases
from ..extract.spans import SourceText


def console() -> Console:
    """A console on stdout."""
    return Console()


def print_extraction_summary(out: Console, extraction: Extraction) -> None:
    """One row per document: number, title, tasks, flags."""
    table = Table(title=f"{extraction.source}")
    for col in ("发文字号", "标题", "任务", "待审核"):
        table.add_column(col)
    for doc in extraction.documents:
        tasks = [t for t in extraction.tasks if t.doc_number == doc.doc_number]
        flags = sum(len(t.flags) for t in tasks) + len(doc.flags)
        table.add_row(doc.doc_number or "", doc.title, str(len(tasks)), str(flags))
    out.print(table)
    out.print(
        f"共 {len(extraction.documents)} 份文件，{len(extraction.tasks)} 项任务，{len(extraction.checks)} 项核对"
    )


def no_task_line(source: SourceText) -> str:
    """The one line that tells a user no task was found, and how many assignment-like phrases were."""
    seen = count_assignment_phrases("\n".join(source.lines))
    if not seen:
        return f"未找到任务：{source.name} 中没有“牵头”“负责”“责任单位”等分工表述。"
    return (
        f"未找到任务：{source.name} 中有 {seen} 处“牵头”“负责”“责任单位”等分工表述，"
        "但未能读成任务，请检查文件版式或联系维护人员。"
    )

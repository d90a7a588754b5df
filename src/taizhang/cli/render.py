"""Rich rendering helpers shared by the commands."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..extract.model import Extraction


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
    out.print(f"{len(extraction.documents)} documents, {len(extraction.tasks)} tasks, {len(extraction.checks)} checks")

"""Issue header (期号, 总期, 出版日期) and table of contents (目录)."""

from __future__ import annotations

from .model import Issue
from .spans import SourceText


def parse_issue(source: SourceText) -> Issue | None:
    """The issue header of a gazette, or None for a single document."""
    return None

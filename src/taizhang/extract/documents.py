"""Document boundaries and 公文 elements: 发文字号, title, issuer, type, 主送机关, 成文日期, 附注, 附件."""

from __future__ import annotations

from .model import Document, Issue
from .spans import SourceText


def parse_documents(source: SourceText, issue: Issue | None) -> list[Document]:
    """Every document of the source, in order."""
    return []

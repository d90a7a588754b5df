"""Numeric consistency checks: table sums, targets against annexes, weights against totals."""

from __future__ import annotations

from .model import Check, Document
from .spans import SourceText


def run_checks(source: SourceText, documents: list[Document]) -> list[Check]:
    """Every consistency finding of the source (consistent ones too)."""
    return []

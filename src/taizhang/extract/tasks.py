"""Assigned items of work in every style real documents use."""

from __future__ import annotations

from .model import Document, Task
from .spans import SourceText
from .units import UnitDirectory


def extract_tasks(source: SourceText, document: Document, directory: UnitDirectory) -> list[Task]:
    """The tasks of one document, in source order."""
    return []

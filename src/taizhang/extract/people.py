"""People of division-of-work notices (工作分工) and their A/B backup posts (AB岗)."""

from __future__ import annotations

from .model import Document, Person
from .spans import SourceText


def extract_people(source: SourceText, documents: list[Document]) -> list[Person]:
    """People named with their duties in the documents that divide work among them."""
    return []

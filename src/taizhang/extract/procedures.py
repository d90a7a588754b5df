"""Procedures and people, read after the tasks: decision catalogues, posts and AB岗, normative
documents and their status links, consultation rules. One typed bundle.

``extract()`` keeps the bundle in the extraction's readings; ``to_json`` writes it and the import
stores it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .consultation_rules import RuleClause, find_consultation_rules
from .decisions import DecisionItem, find_decisions
from .model import Document, Person, Task
from .normative import NormativeDocument, StatusLink, find_normative, find_status_links
from .posts import BackupPair, Post, find_backup_pairs, find_posts
from .spans import SourceText


@dataclass(frozen=True)
class Procedures:
    """What this stage read from one source."""

    decisions: tuple[DecisionItem, ...] = ()
    posts: tuple[Post, ...] = ()
    backup_pairs: tuple[BackupPair, ...] = ()
    normative: tuple[NormativeDocument, ...] = ()
    status_links: tuple[StatusLink, ...] = ()
    consultation_rules: tuple[RuleClause, ...] = ()


def read_procedures(
    source: SourceText,
    documents: tuple[Document, ...] | list[Document],
    tasks: tuple[Task, ...] | list[Task],
    people: tuple[Person, ...] | list[Person],
) -> Procedures:
    """Read decisions, posts, AB岗 pairs, normative documents, status links and consultation rules."""
    return Procedures(
        decisions=tuple(find_decisions(source, documents, tasks)),
        posts=tuple(find_posts(people)),
        backup_pairs=tuple(find_backup_pairs(source, documents)),
        normative=tuple(find_normative(source, documents)),
        status_links=tuple(find_status_links(source, documents)),
        consultation_rules=tuple(find_consultation_rules(source, documents)),
    )

"""Procedures and people, read after the tasks: decision catalogues, posts and AB岗, normative
documents and their status links, consultation rules. One typed bundle, and its JSON keys.

``extract()`` adds :func:`procedures_to_dict` of this bundle to the extraction's JSON; the import
reads the same bundle with :func:`read_procedures` to store it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .consultation_rules import RuleClause, find_consultation_rules
from .decisions import DecisionItem, find_decisions
from .model import Document, Person, Task
from .normative import NormativeDocument, StatusLink, find_normative, find_status_links
from .posts import BackupPair, Post, find_backup_pairs, find_posts
from .records import as_dict
from .spans import SourceText
from .to_json import deadline_to_dict, flag_to_dict


@dataclass(frozen=True)
class Procedures:
    """What this stage read from one source."""

    decisions: tuple[DecisionItem, ...] = ()
    posts: tuple[Post, ...] = ()
    backup_pairs: tuple[BackupPair, ...] = ()
    normative: tuple[NormativeDocument, ...] = ()
    status_links: tuple[StatusLink, ...] = ()
    consultation_rules: tuple[RuleClause, ...] = ()


def read_procedures(source: SourceText, documents: tuple[Document, ...] | list[Document],
                    tasks: tuple[Task, ...] | list[Task], people: tuple[Person, ...] | list[Person]) -> Procedures:
    """Read decisions, posts, AB岗 pairs, normative documents, status links and consultation rules."""
    return Procedures(
        decisions=tuple(find_decisions(source, documents, tasks)),
        posts=tuple(find_posts(people)),
        backup_pairs=tuple(find_backup_pairs(source, documents)),
        normative=tuple(find_normative(source, documents)),
        status_links=tuple(find_status_links(source, documents)),
        consultation_rules=tuple(find_consultation_rules(source, documents)),
    )


def decision_to_dict(item: DecisionItem) -> dict[str, Any]:
    """One decision item: catalogue, row, 承办单位, timing and procedures."""
    return {
        "doc_number": item.doc_number,
        "catalogue": item.catalogue,
        "label": item.label,
        "title": item.title,
        "units": list(item.units),
        "deadline_text": item.deadline_text,
        "deadline": deadline_to_dict(item.deadline),
        "procedures": list(item.procedures),
        "procedures_source": item.procedures_source,
        "procedures_line": item.procedures_line,
        "line": item.line,
        "review": [flag_to_dict(f) for f in item.flags],
    }


def post_to_dict(post: Post) -> dict[str, Any]:
    """A person's post with duties."""
    return {"name": post.name, "backup": post.backup, "line": post.line,
            "duties": [as_dict(d) for d in post.duties]}


def procedures_to_dict(procedures: Procedures) -> dict[str, list[dict[str, Any]]]:
    """The bundle as the extraction's JSON keys (documented in docs/extraction-format.md)."""
    return {
        "decisions": [decision_to_dict(d) for d in procedures.decisions],
        "posts": [post_to_dict(p) for p in procedures.posts],
        "backup_pairs": [as_dict(p) for p in procedures.backup_pairs],
        "normative": [as_dict(n) for n in procedures.normative],
        "status_links": [as_dict(link) for link in procedures.status_links],
        "consultation_rules": [as_dict(r) for r in procedures.consultation_rules],
    }

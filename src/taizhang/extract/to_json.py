"""Extraction → the JSON shape of the gold annotation (``issue``, ``documents``, ``tasks``, ``people``, ``checks``).

The shape is documented in docs/extraction-format.md; keys added here must be added there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .model import Check, Deadline, Document, Extraction, Flag, Issue, Person, Task


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def issue_to_dict(issue: Issue | None) -> dict[str, Any] | None:
    """The issue header, or None for a single document."""
    if issue is None:
        return None
    return {
        "title": issue.title,
        "year": issue.year,
        "number": issue.number,
        "cumulative_number": issue.cumulative_number,
        "published": _iso(issue.published),
        "contents": [
            {"title": e.title, "doc_number": e.doc_number, "page": e.page, "section": e.section, "line": e.line}
            for e in issue.contents
        ],
        "editors": [{"post": post, "name": name} for post, name in issue.editors],
    }


def document_to_dict(doc: Document, task_count: int) -> dict[str, Any]:
    """One document with every 公文 element and its line range."""
    return {
        "doc_number": doc.doc_number,
        "title": doc.title,
        "issuer": doc.issuer,
        "issuers": list(doc.issuers),
        "type": doc.type,
        "date": _iso(doc.date),
        "publication": doc.publication,
        "addressees": list(doc.addressees),
        "enclosed": list(doc.enclosed),
        "attachments": list(doc.attachments),
        "cited_doc_numbers": list(doc.cited_doc_numbers),
        "line_start": doc.span.start,
        "line_end": doc.span.end,
        "date_line": doc.date_line,
        "section": doc.section,
        "task_count": task_count,
    }


def deadline_to_dict(deadline: Deadline) -> dict[str, Any]:
    """Kind and due date (as in the gold file), plus cycle, working days and phases when present."""
    out: dict[str, Any] = {"kind": deadline.kind, "due": _iso(deadline.due)}
    if deadline.recurrence:
        out["recurrence"] = deadline.recurrence
    if deadline.working_days is not None:
        out["working_days"] = deadline.working_days
        out["anchor"] = deadline.anchor
    if deadline.phases:
        out["phases"] = [{"text": text, "due": _iso(due)} for text, due in deadline.phases]
    return out


def flag_to_dict(flag: Flag) -> dict[str, Any]:
    """A review flag."""
    return {"kind": flag.kind, "line": flag.line, "message": flag.message, "doc_number": flag.doc_number}


def task_to_dict(task: Task) -> dict[str, Any]:
    """One task: units by role, deadline text and data, source line (and page), review flags."""
    return {
        "doc_number": task.doc_number,
        "source": task.source,
        "label": task.label,
        "title": task.title,
        "lead": list(task.lead),
        "responsible": list(task.responsible),
        "cooperating": list(task.cooperating),
        "deadline_text": task.deadline_text,
        "deadline": deadline_to_dict(task.deadline),
        "line": task.line,
        "column": task.column,
        "line_start": task.span.start if task.span else task.line,
        "column_start": task.column_start,
        "line_end": task.span.end if task.span else task.line,
        "page": task.page,
        "review": [flag_to_dict(f) for f in task.flags],
    }


def person_to_dict(person: Person) -> dict[str, Any]:
    """A person with duties and backup post."""
    return {
        "name": person.name,
        "role": person.role,
        "duties": person.duties,
        "backup": person.backup,
        "designation": person.designation,
        "line": person.line,
    }


def check_to_dict(check: Check) -> dict[str, Any]:
    """A consistency finding."""
    out: dict[str, Any] = {
        "doc_number": check.doc_number,
        "what": check.what,
        "expected": check.expected,
        "found": check.found,
        "consistent": check.consistent,
        "line": check.line,
        "category": check.category,
        "confidence": check.confidence,
    }
    if check.text_line is not None:
        out["text_line"] = check.text_line
    if check.kind:
        out["kind"] = check.kind
    if check.note:
        out["note"] = check.note
    return out


def to_dict(extraction: Extraction) -> dict[str, Any]:
    """The whole extraction as one JSON-ready dict."""
    counts: dict[str | None, int] = {}
    for task in extraction.tasks:
        counts[task.doc_number] = counts.get(task.doc_number, 0) + 1
    out: dict[str, Any] = {
        "source": extraction.source,
        "issue": issue_to_dict(extraction.issue),
        "documents": [document_to_dict(d, counts.get(d.doc_number, 0)) for d in extraction.documents],
        "tasks": [task_to_dict(t) for t in extraction.tasks],
        "people": [person_to_dict(p) for p in extraction.people],
        "checks": [check_to_dict(c) for c in extraction.checks],
        "review": [flag_to_dict(f) for f in extraction.all_flags()],
    }
    out.update(extraction.extras)
    return out

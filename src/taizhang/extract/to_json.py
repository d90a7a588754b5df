"""Extraction → the JSON shape of the gold annotation (``issue``, ``documents``, ``tasks``, ``people``,
``checks``), and the keys of the later stages' readings (``indicators`` … ``reporting_duties``).

The shape is documented in docs/extraction-format.md; keys added here must be added there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .campaigns import campaign_to_dict
from .decisions import DecisionItem
from .extraction import Extraction, Readings
from .model import Check, Deadline, Document, Flag, Issue, Person, Task
from .posts import Post
from .procedures import Procedures
from .quantities import Quantities
from .records import as_dict
from .supervision import supervision_to_dict


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
            {
                "title": e.title,
                "doc_number": e.doc_number,
                "page": e.page,
                "section": e.section,
                "line": e.line,
            }
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
    if extraction.readings is not None:
        out.update(readings_to_dict(extraction.readings))
    return out


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
    return {
        "name": post.name,
        "backup": post.backup,
        "line": post.line,
        "duties": [as_dict(d) for d in post.duties],
    }


def procedures_to_dict(procedures: Procedures) -> dict[str, list[dict[str, Any]]]:
    """Decisions, posts, AB岗 pairs, normative documents, status links (repeals) and consultation rules."""
    return {
        "decisions": [decision_to_dict(d) for d in procedures.decisions],
        "posts": [post_to_dict(p) for p in procedures.posts],
        "backup_pairs": [as_dict(p) for p in procedures.backup_pairs],
        "normative": [as_dict(n) for n in procedures.normative],
        "status_links": [as_dict(link) for link in procedures.status_links],
        "consultation_rules": [as_dict(r) for r in procedures.consultation_rules],
    }


def quantities_to_dict(quantities: Quantities) -> dict[str, list[dict[str, Any]]]:
    """Indicators (measure rows among them, as ``"kind": "measure"``), schemes and fiscal matters."""
    indicators = [as_dict(i) for i in quantities.indicators]
    indicators.extend({"kind": "measure", **as_dict(m)} for m in quantities.measures)
    return {
        "indicators": indicators,
        "schemes": [as_dict(s) for s in quantities.schemes],
        "fiscal": [as_dict(m) for m in quantities.fiscal],
    }


def readings_to_dict(readings: Readings) -> dict[str, Any]:
    """The later stages' keys of the extraction JSON (documented in docs/extraction-format.md)."""
    return {
        **quantities_to_dict(readings.quantities),
        **procedures_to_dict(readings.procedures),
        "campaigns": [campaign_to_dict(c) for c in readings.campaigns],
        "supervision": [supervision_to_dict(r) for r in readings.supervision],
        "reporting_duties": [as_dict(d) for d in readings.reporting_duties],
    }

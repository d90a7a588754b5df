"""Import a gazette issue into the ledger: issue, documents, units, tasks, in one transaction.

Stages (reported to a progress callback): read, extract (documents done / total), store documents,
store tasks.
Idempotent: an issue whose text was imported before (same SHA-256) is not stored again, and a
task whose key exists (same document, source, label and title) is skipped. Every created or
changed record is written to the change log with actor ``import``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import GazetteFormatError
from ..extract import extract
from ..extract.check_notes import document_check_notes, task_check_notes
from ..extract.duplicates import REPEATED
from ..extract.duties import ReportingDuty
from ..extract.extraction import Extraction, read_after_tasks
from ..extract.model import Check, Document, Flag, Task
from ..extract.spans import SourceText
from ..extract.to_json import flag_to_dict
from ..extract.units import UnitDirectory, default_directory
from ..ledger.status import initial_status
from ..sources import read_source
from ..storage.tables import assignments, documents, issues, reporting_cycles, tasks
from .audit import change_batch, flush_changes, record_change
from .campaigns import store_campaigns
from .database import insert_returning_ids, unit_of_work
from .indicators import store_quantitative
from .parts import add_parts
from .procedures import store_procedures
from .search_index import index_at_end
from .units import DirectoryIndex, ensure_unit, load_directory, merged_directory, sync_directory

log = logging.getLogger(__name__)

ACTOR = "import"
STAGES = ("read", "extract", "store documents", "store tasks")
ROLE_FIELDS = (("lead", "lead"), ("responsible", "responsible"), ("cooperating", "cooperating"))

# progress(stage, done, total): called as each stage starts (done=0) and as it advances
Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    """What an import stored; ``already_imported`` when the same text was imported before."""

    issue_id: int
    source: str
    already_imported: bool = False
    documents: int = 0
    tasks: int = 0
    tasks_skipped: int = 0
    units_created: int = 0
    review_items: int = 0
    repeated_documents: int = 0  # later copies of a document repeated in the input, stored once
    repealed: list[str] = field(default_factory=list)


def _silent(stage: str, done: int, total: int) -> None:
    return None


def source_sha256(source: SourceText) -> str:
    """The identity of an issue: the digest of its decoded lines (the same text in UTF-8 or GBK is one issue)."""
    return hashlib.sha256("\n".join(source.lines).encode("utf-8")).hexdigest()


def find_issue(conn: Connection, sha: str) -> int | None:
    """The id of the issue imported from text with this digest, if any."""
    return conn.execute(sa.select(issues.c.id).where(issues.c.source_sha256 == sha)).scalar()


def import_file(
    engine: Engine,
    path: str | Path,
    *,
    directory: UnitDirectory | None = None,
    city: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, extract and store one gazette file.

    The ledger's stored units are merged with ``directory`` (default: the one shipped for ``city``,
    empty when there is none) before the text is read.

    Raises:
        SourceError: the file cannot be read (missing, empty, binary, PDF without text).
        GazetteFormatError: no document was found in the text.
    """
    progress = progress or _silent
    progress("read", 0, 1)
    source = read_source(path)
    with engine.connect() as conn:
        existing = find_issue(conn, source_sha256(source))
        stored = load_directory(conn)
    if existing is not None:
        return ImportResult(issue_id=existing, source=source.name, already_imported=True)
    progress("extract", 0, 1)
    directory = merged_directory(stored, directory if directory is not None else default_directory(city))
    extraction = extract(source, directory, lambda done, total: progress("extract", done, total))
    try:
        with unit_of_work(engine) as conn:
            return store_extraction(conn, source, extraction, directory=directory, progress=progress)
    except sa.exc.IntegrityError:
        # another import of the same text committed first (a web upload and the CLI at once)
        with engine.connect() as conn:
            winner = find_issue(conn, source_sha256(source))
        if winner is None:
            raise
        return ImportResult(issue_id=winner, source=source.name, already_imported=True)


def store_extraction(
    conn: Connection,
    source: SourceText,
    extraction: Extraction,
    *,
    directory: UnitDirectory | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Store an extraction of ``source`` on ``conn`` (the caller's transaction).

    ``directory`` (default: the bundled one) seeds the unit directory before tasks are resolved.

    Raises:
        GazetteFormatError: the extraction holds no document, or a task names a document it lacks;
            nothing is stored then (the caller's transaction rolls back).
    """
    sha = source_sha256(source)
    existing = find_issue(conn, sha)
    if existing is not None:
        return ImportResult(issue_id=existing, source=source.name, already_imported=True)
    if not extraction.documents:
        raise GazetteFormatError(source.name, None, "文字中没有找到任何文件")
    with change_batch(conn):
        result = _store(conn, source, extraction, sha, directory, progress or _silent)
    log.info("imported %s: %d documents, %d tasks", source.name, result.documents, result.tasks)
    return result


def _store(
    conn: Connection,
    source: SourceText,
    extraction: Extraction,
    sha: str,
    directory: UnitDirectory | None,
    progress: Progress,
) -> ImportResult:
    result = ImportResult(issue_id=_insert_issue(conn, source, extraction, sha), source=source.name)
    result.repeated_documents = sum(1 for f in extraction.flags if f.kind == REPEATED)
    directory = directory if directory is not None else default_directory()
    result.units_created = sync_directory(conn, directory, actor=ACTOR).units
    progress("store documents", 0, len(extraction.documents))
    doc_ids, created = _store_documents(conn, result, extraction, progress, source)
    with index_at_end(conn):
        _store_tasks(conn, result, extraction, doc_ids, sha, progress, source)
    readings = extraction.readings or read_after_tasks(
        source, extraction.documents, extraction.tasks, extraction.people
    )
    result.repealed = store_procedures(
        conn, extraction, readings.procedures, doc_ids, actor=ACTOR
    ).status_changed
    _store_reporting_duties(
        conn, readings.reporting_duties, {n: i for n, i in doc_ids.items() if i in created}
    )
    store_quantitative(conn, readings.quantities, {k: v for k, v in doc_ids.items() if k is not None})
    store_campaigns(conn, source, extraction, readings, doc_ids, actor=ACTOR)
    return result


def _insert_issue(conn: Connection, source: SourceText, extraction: Extraction, sha: str) -> int:
    issue = extraction.issue
    doc_numbers = {d.doc_number for d in extraction.documents}
    loose = [
        flag_to_dict(f)
        for f in _review_flags(extraction)
        if f.doc_number not in doc_numbers or f.doc_number is None
    ]
    values: dict[str, Any] = {
        "title": issue.title if issue else None,
        "year": issue.year if issue else None,
        "number": issue.number if issue else None,
        "cumulative_number": issue.cumulative_number if issue else None,
        "published": issue.published if issue else None,
        "source_name": Path(source.name).name,
        "source_sha256": sha,
        "contents": [
            {
                "title": e.title,
                "doc_number": e.doc_number,
                "page": e.page,
                "section": e.section,
                "line": e.line,
            }
            for e in (issue.contents if issue else ())
        ],
        "review_notes": loose,
    }
    issue_id = conn.execute(
        issues.insert().values(source_text="\n".join(source.lines), **values)
    ).inserted_primary_key[0]
    record_change(
        conn,
        actor=ACTOR,
        action="create",
        entity="issue",
        entity_id=issue_id,
        after={**values, "lines": len(source.lines)},
    )
    return int(issue_id)


def is_public(publication: str | None) -> bool:
    """此件公开发布 (and 主动公开) make a document public; 不予公开 and 依申请公开 do not."""
    text = publication or ""
    return ("公开发布" in text or "主动公开" in text) and "不" not in text


def _document_values(
    doc: Document, issue_id: int, position: int, notes: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "issue_id": issue_id,
        "doc_number": doc.doc_number,
        "title": doc.title,
        "issuer": doc.issuer,
        "doc_type": doc.type,
        "signed_on": doc.date,
        "publication": doc.publication,
        "addressees": list(doc.addressees),
        "enclosed": list(doc.enclosed),
        "attachments": list(doc.attachments),
        "cited_doc_numbers": list(doc.cited_doc_numbers),
        "section": doc.section,
        "line_start": doc.span.start,
        "line_end": doc.span.end,
        "date_line": doc.date_line,
        "is_public": is_public(doc.publication),
        "position": position,
        "needs_review": bool(notes),
        "review_notes": notes,
    }


def _review_flags(extraction: Extraction) -> list[Flag]:
    """The extraction's own flags a reviewer settles: a repeated copy set aside is counted, not reviewed."""
    return [f for f in extraction.flags if f.kind != REPEATED]


@dataclass
class _ByDocument:
    """The extraction's review flags, inconsistent checks and tasks grouped by document number, once:
    looking them up for each document and task instead grows with the square of the input."""

    flags: dict[str | None, list[Flag]]
    checks: dict[str | None, list[Check]]
    tasks: dict[str | None, list[Task]]

    @classmethod
    def of(cls, extraction: Extraction) -> _ByDocument:
        flags: dict[str | None, list[Flag]] = {}
        for flag in _review_flags(extraction):
            flags.setdefault(flag.doc_number, []).append(flag)
        checks: dict[str | None, list[Check]] = {}
        for check in extraction.checks:
            if not check.consistent:  # only inconsistent findings become notes
                checks.setdefault(check.doc_number, []).append(check)
        tasks_of: dict[str | None, list[Task]] = {}
        for task in extraction.tasks:
            tasks_of.setdefault(task.doc_number, []).append(task)
        return cls(flags, checks, tasks_of)


def _document_notes(doc: Document, grouped: _ByDocument, source: SourceText) -> list[dict[str, Any]]:
    """The document's review notes: its flags, the issue's flags naming it, and the ``check``
    findings in it that concern none of its tasks."""
    loose = grouped.flags.get(doc.doc_number, []) if doc.doc_number else []
    checks = grouped.checks.get(doc.doc_number, [])
    checked = document_check_notes(doc.doc_number, checks, grouped.tasks.get(doc.doc_number, []), source)
    return [*(flag_to_dict(f) for f in (*doc.flags, *loose)), *checked]


def _known_documents(conn: Connection, extraction: Extraction) -> dict[str, tuple[int, int | None, str]]:
    """The ledger's documents bearing the extraction's numbers: number → (id, issue id, title), read at once."""
    numbers = sorted({d.doc_number for d in extraction.documents if d.doc_number})
    known: dict[str, tuple[int, int | None, str]] = {}
    for start in range(0, len(numbers), 500):
        chosen = documents.c.doc_number.in_(numbers[start : start + 500])
        query = sa.select(documents.c.doc_number, documents.c.id, documents.c.issue_id, documents.c.title)
        for row in conn.execute(query.where(chosen)):
            known[row.doc_number] = (row.id, row.issue_id, row.title)
    return known


def _store_documents(
    conn: Connection, result: ImportResult, extraction: Extraction, progress: Progress, source: SourceText
) -> tuple[dict[str | None, int], set[int]]:
    """Insert the new documents together, fill in those known so far only by citation, keep the
    ones imported before; each change logged in the documents' order."""
    grouped = _ByDocument.of(extraction)
    known: dict[str, tuple[int | _New, int | None, str]] = dict(_known_documents(conn, extraction))
    steps: list[tuple[Document, dict[str, Any], tuple[int | _New, int | None, str] | None]] = []
    new_rows: list[dict[str, Any]] = []
    for position, doc in enumerate(extraction.documents):
        values = _document_values(doc, result.issue_id, position, _document_notes(doc, grouped, source))
        result.review_items += len(values["review_notes"])
        row = known.get(doc.doc_number) if doc.doc_number else None
        steps.append((doc, values, row))
        if row is None:
            new_rows.append({"status": "有效", **values})
            if doc.doc_number:  # a second document of this number in the input is kept as the first
                known[doc.doc_number] = (_New(len(new_rows) - 1), result.issue_id, values["title"])
        elif row[1] is None:  # known so far only by citation (a repealed document): now we have its text
            known[doc.doc_number] = (row[0], result.issue_id, values["title"])
    new_ids = insert_returning_ids(conn, documents, new_rows)
    doc_ids: dict[str | None, int] = {}
    created: set[int] = set()
    fresh = iter(new_ids)
    for position, (doc, values, row) in enumerate(steps):
        if row is None:
            doc_id = next(fresh)
            record_change(
                conn,
                actor=ACTOR,
                action="create",
                entity="document",
                entity_id=doc_id,
                after={**values, "status": "有效"},
            )
            result.documents += 1
            created.add(doc_id)
        else:
            doc_id = new_ids[row[0].index] if isinstance(row[0], _New) else row[0]
            if row[1] is None:
                conn.execute(documents.update().where(documents.c.id == doc_id).values(**values))
                record_change(
                    conn,
                    actor=ACTOR,
                    action="update",
                    entity="document",
                    entity_id=doc_id,
                    before={"issue_id": None, "title": row[2]},
                    after=values,
                )
            else:
                log.info("%s was imported before with issue %s; kept as it is", doc.doc_number, row[1])
        doc_ids[doc.doc_number] = doc_id
        progress("store documents", position + 1, len(extraction.documents))
    return doc_ids, created


@dataclass(frozen=True)
class _New:
    """A document of this input not inserted yet: its place among the new rows."""

    index: int


def _store_reporting_duties(
    conn: Connection, duties: tuple[ReportingDuty, ...], new_docs: dict[str | None, int]
) -> None:
    for duty in duties:
        if duty.doc_number not in new_docs:  # a document imported before keeps its cycles
            continue
        cycle = {
            "document_id": new_docs[duty.doc_number],
            "task_id": None,
            "rule": duty.rule,
            "line": duty.line,
        }
        cycle_id = conn.execute(reporting_cycles.insert(), cycle).inserted_primary_key[0]
        record_change(
            conn, actor=ACTOR, action="create", entity="reporting_cycle", entity_id=cycle_id, after=cycle
        )


def task_key(task: Task, fallback: str) -> str:
    """A key that finds the same task again: document number, source, label and a digest of the title."""
    digest = hashlib.sha1(task.title.encode("utf-8")).hexdigest()[:12]
    return f"{task.doc_number or fallback}|{task.source}|{task.label or ''}|{digest}"


def _task_keys(extraction: Extraction, sha: str) -> list[str]:
    # a second task with the same key in one extraction gets a suffix: both are kept
    keys, seen = [], {}
    for task in extraction.tasks:
        key = task_key(task, f"issue:{sha[:12]}")
        seen[key] = seen.get(key, 0) + 1
        keys.append(key if seen[key] == 1 else f"{key}#{seen[key]}")
    return keys


# new tasks inserted together: a few statements for hundreds of tasks, not a few for each document's
CHUNK = 500


def _store_tasks(
    conn: Connection,
    result: ImportResult,
    extraction: Extraction,
    doc_ids: dict[str | None, int],
    sha: str,
    progress: Progress,
    source: SourceText,
) -> None:
    """Store the new tasks, :data:`CHUNK` at a time with their assignments, parts and cycles."""
    index = DirectoryIndex.load(conn)
    keys = _task_keys(extraction, sha)
    existing = (
        set(conn.execute(sa.select(tasks.c.key).where(tasks.c.key.in_(keys))).scalars()) if keys else set()
    )
    total = len(extraction.tasks)
    checks_of = _ByDocument.of(extraction).checks
    progress("store tasks", 0, total)
    new: list[_NewTask] = []
    for done, (task, key) in enumerate(zip(extraction.tasks, keys, strict=True), start=1):
        if task.doc_number not in doc_ids:
            raise GazetteFormatError(
                extraction.source,
                task.line,
                f"任务 {task.label or task.title!r} 属于 {task.doc_number}，但读出的文件中没有它",
            )
        if key in existing:
            result.tasks_skipped += 1
        else:
            checked = task_check_notes(task, checks_of.get(task.doc_number, []), source)
            new.append(_new_task(conn, result, index, task, key, doc_ids[task.doc_number], checked))
        if len(new) >= CHUNK or done == total:
            _insert_tasks(conn, new)
            result.tasks += len(new)
            new = []
            flush_changes(conn, sign=False)  # the batch's end signs the head
            progress("store tasks", done, total)


@dataclass
class _NewTask:
    """A task ready to insert: its row, its units resolved (role, unit id, printed name), its reporting rule."""

    values: dict[str, Any]
    resolved: list[tuple[str, int, str]]
    recurrence: str | None


def _new_task(
    conn: Connection,
    result: ImportResult,
    index: DirectoryIndex,
    task: Task,
    key: str,
    doc_id: int,
    checked: list[dict[str, Any]],
) -> _NewTask:
    notes = [flag_to_dict(f) for f in task.flags] + checked
    resolved: list[tuple[str, int, str, bool]] = []  # role, unit id, printed, known
    for role, attr in ROLE_FIELDS:
        for printed in getattr(task, attr):
            unit_id, known = ensure_unit(conn, index, printed, actor=ACTOR)
            result.units_created += not known
            resolved.append((role, unit_id, printed, known))
    notes.extend(_unit_notes(task, resolved))
    span_start, span_end = (task.span.start, task.span.end) if task.span else (task.line, task.line)
    values = {
        "document_id": doc_id,
        "key": key,
        "source": task.source,
        "label": task.label,
        "title": task.title,
        "body": task.body,
        "line": task.line,
        "line_start": span_start,
        "line_end": span_end,
        "deadline_kind": task.deadline.kind,
        "deadline_text": task.deadline_text,
        "due_on": task.deadline.due,
        "recurrence": task.deadline.recurrence,
        "working_days": task.deadline.working_days,
        "status": initial_status(task.deadline.kind),
        "needs_review": bool(notes),
        "review_notes": notes,
    }
    result.review_items += len(notes)
    recurrence = task.deadline.recurrence if task.deadline.kind == "recurring" else None
    return _NewTask(values, [(role, unit_id, printed) for role, unit_id, printed, _ in resolved], recurrence)


def _insert_tasks(conn: Connection, new: list[_NewTask]) -> None:
    """Insert tasks with their assignments, parts and reporting cycles, each row logged as it is created."""
    if not new:
        return
    # the times the database would fill in, given here so the rows are sealed from their values
    now = datetime.now(UTC).replace(microsecond=0)
    task_ids = insert_returning_ids(
        conn, tasks, [{**t.values, "created_at": now, "updated_at": now} for t in new]
    )
    rows = [_assignment_rows(task_id, t.resolved) for task_id, t in zip(task_ids, new, strict=True)]
    assignment_ids = iter(
        insert_returning_ids(conn, assignments, [r for task_rows in rows for r in task_rows])
    )
    for task_id, task, task_rows in zip(task_ids, new, rows, strict=True):
        for row in task_rows:
            record_change(
                conn,
                actor=ACTOR,
                action="create",
                entity="assignment",
                entity_id=next(assignment_ids),
                after=row,
            )
        units_after = [
            {"unit_id": r["unit_id"], "role": r["role"], "printed": r["printed"]} for r in task_rows
        ]
        record_change(
            conn,
            actor=ACTOR,
            action="create",
            entity="task",
            entity_id=task_id,
            after={**task.values, "units": units_after},
        )
    add_parts(
        conn,
        [
            (task_id, t.values["deadline_kind"], [(r["unit_id"], r["role"]) for r in task_rows])
            for task_id, t, task_rows in zip(task_ids, new, rows, strict=True)
        ],
        actor=ACTOR,
    )
    cycles = [
        {
            "document_id": t.values["document_id"],
            "task_id": task_id,
            "rule": t.recurrence,
            "line": t.values["line"],
        }
        for task_id, t in zip(task_ids, new, strict=True)
        if t.recurrence
    ]
    for cycle_id, cycle in zip(insert_returning_ids(conn, reporting_cycles, cycles), cycles, strict=True):
        record_change(
            conn, actor=ACTOR, action="create", entity="reporting_cycle", entity_id=cycle_id, after=cycle
        )


def _unit_notes(task: Task, resolved: list[tuple[str, int, str, bool]]) -> list[dict[str, Any]]:
    flagged = {f.message for f in task.flags if f.kind == "unknown_unit"}
    notes = [
        flag_to_dict(Flag("unknown_unit", task.line, f"单位不在单位库中：{printed}", task.doc_number))
        for _, _, printed, known in resolved
        if not known and not any(printed in m for m in flagged)
    ]
    if not resolved and not any(f.kind == "no_assignment" for f in task.flags):
        notes.append(
            flag_to_dict(
                Flag("no_assignment", task.line, "no unit is assigned to this task", task.doc_number)
            )
        )
    return notes


def _assignment_rows(task_id: int, resolved: list[tuple[str, int, str]]) -> list[dict[str, Any]]:
    """The task's assignment rows: two printed names of one unit in one role give one row."""
    rows: list[dict[str, Any]] = []
    taken: set[tuple[int, str]] = set()
    for position, (role, unit_id, printed) in enumerate(resolved):
        if (unit_id, role) in taken:
            continue
        taken.add((unit_id, role))
        rows.append(
            {"task_id": task_id, "unit_id": unit_id, "role": role, "printed": printed, "position": position}
        )
    return rows

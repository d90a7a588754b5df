"""Assigned items of work in every style real documents use.

A document's text is repaired into paragraphs (``cleanup``), cut into numbered items
(``outline``), and each assignment stated in an item (``statements``, read with ``assignments``)
becomes a :class:`Task`; standing notes ('各区市政府为各项任务的责任单位，不再列出') add their units
(``conventions``); table rows with a unit and a deadline column become tasks too (``task_tables``).
Only stated assignments make tasks: an item without one is a task only as a gap between assigned
siblings, and then it is flagged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from .assignments import trailing_deadline
from .cleanup import Paragraph, ParagraphReader
from .conventions import NoteScope, apply_notes, standing_notes
from .deadlines import parse_deadline
from .grammar import states_first_leads
from .model import Deadline, Document, Flag, Task
from .outline import MARKER, Item, items, style_ranks
from .spans import SourceText, Span
from .statements import Stated, fold_closing_assignments, stated_in
from .task_flags import task_flags
from .task_tables import table_lines, table_tasks
from .units import UnitDirectory

log = logging.getLogger(__name__)

# A heading longer than this is a paragraph with no full stop; the title is cut there.
_TITLE_MAX = 200

# The issuer's level, for restoring dropped prefixes: 中卫市人民政府办公室 → 市.
_ISSUER_LEVEL = re.compile(r"(自治区|省|市|县|区)(?:人民政府|政府|委员会|党委)")


def extract_tasks(
    source: SourceText, document: Document, directory: UnitDirectory, read: ParagraphReader | None = None
) -> list[Task]:
    """The tasks of one document, in source order; ``read`` gives the paragraphs (shared with the
    later stages of the same extraction).

    Guarantees: every task points at the line (and column) its assignment is stated on and spans
    its item; unit names are as printed with a dropped level prefix restored; what is unsure is
    flagged.
    """
    level = document_level(document)
    checked = directory if _directory_applies(document, directory, level) else None
    # the rows of task tables (also those aligned with spaces) and their notes are the tables' to read
    tabled = table_lines(source, document, level=level)
    read = read or ParagraphReader(source)
    paras = [p for p in read(document.span) if not p.is_table_row and not _within(p, tabled)]
    found = fold_closing_assignments(items(paras))
    notes = standing_notes(found)
    tasks: list[Task] = []
    first_leads = False
    stated_by_item: list[list[Stated]] = []
    for position, item in enumerate(found):
        if any(states_first_leads(p.text) for p in item.paragraphs):
            first_leads = True  # '列第一位者为牵头单位，下同' holds from here on
        stated = stated_in(item, level, first_leads)
        stated_by_item.append(stated)
        for index, one in enumerate(stated):
            previous = stated[index - 1] if index else None
            scope = NoteScope(position, one.line)
            task = _task(item, one, previous, document, single=len(stated) == 1)
            task = apply_notes(task, scope, notes, level)
            if one.unitless and not (task.lead or task.responsible or task.cooperating):
                task = _units_from_context(task, position, found, stated_by_item, document)
            tasks.append(_with_flags(task, one, document, checked))
    tasks.extend(_unassigned_siblings(found, stated_by_item, document))
    tasks.extend(table_tasks(source, document, checked, level=level))
    tasks.sort(key=lambda t: (t.line, t.source, t.column))  # a flattened body puts all on one line
    log.debug("%s: %d tasks", document.doc_number, len(tasks))
    return tasks


def _within(paragraph: Paragraph, lines: frozenset[int]) -> bool:
    """True when every line of ``paragraph`` is one of ``lines``."""
    return bool(lines) and all(n in lines for n in paragraph.span.lines())


# The city named at the head of an issuer: 银川市人民政府办公室 → 银川市.
_ISSUER_CITY = re.compile(r"^[\u4e00-\u9fff]{2,5}?市(?=人民政府|政府|委|[\u4e00-\u9fff]*局)")


def _directory_applies(document: Document, directory: UnitDirectory, level: str | None) -> bool:
    """True when unknown unit names should be flagged: the directory is the issuer's own city's.

    A city's directory says nothing about ministries (national documents) or another city's
    departments (a 银川市 notice read with the 中卫市 directory), and an empty directory nothing at
    all, so there nothing is "unknown".
    """
    if not directory.units:
        return False
    if not directory.city:
        return True
    if level is None:
        return False
    city = _ISSUER_CITY.match(document.issuer or "")
    return city is None or city.group(0) == directory.city


def document_level(document: Document) -> str | None:
    """The level (市, 省, 自治区, 县, 区) of the document's issuer, None for national bodies or unknown."""
    match = _ISSUER_LEVEL.search(document.issuer or "")
    return match.group(1) if match else None


def _task(item: Item, stated: Stated, previous: Stated | None, document: Document, *, single: bool) -> Task:
    """The task of one assignment of an item (flags are added by :func:`_with_flags`)."""
    assignment = stated.assignment
    body_from = (previous.paragraph, previous.end) if previous else (0, 0)
    body = _body(item, body_from, stated) if not single else "\n".join(p.text for p in item.paragraphs)
    first = item.paragraphs[body_from[0]]
    start_line = first.line_at(body_from[1]) if previous else first.span.start
    start_column = first.column_at(body_from[1]) if previous else first.column_at(0)
    end_line = item.paragraphs[stated.paragraph].line_at(max(stated.start, stated.end - 1))
    if single:
        end_line = max(end_line, item.paragraphs[-1].span.end)
    return Task(
        doc_number=document.doc_number,
        source="text",
        label=item.label,
        title=_title(item, stated, previous),
        lead=assignment.lead,
        responsible=assignment.responsible,
        cooperating=assignment.cooperating,
        deadline_text=assignment.deadline_text,
        deadline=_deadline(assignment.deadline_text, document),
        line=stated.line,
        column=stated.column,
        span=Span(start_line, max(start_line, end_line)),
        column_start=start_column,
        body=body,
    )


def _with_flags(task: Task, stated: Stated, document: Document, directory: UnitDirectory | None) -> Task:
    """``task`` with its review flags, judged on its final units (a standing note's included)."""
    assignment = stated.assignment
    if (assignment.lead, assignment.responsible, assignment.cooperating) != (
        task.lead,
        task.responsible,
        task.cooperating,
    ):  # copied only when the units changed (a standing note, the context): most tasks keep them
        assignment = replace(
            assignment, lead=task.lead, responsible=task.responsible, cooperating=task.cooperating
        )
    flags = task_flags(assignment, task.deadline, directory, line=task.line, doc_number=document.doc_number)
    if stated.unitless:  # the units came from the context, or are asked for: no second 'no_units'
        flags = (*task.flags, *(f for f in flags if f.kind != "no_units"))
    if stated.from_sentence:
        message = "分工取自正文句子（无括号、无“牵头单位”等标签），请核对"
        flags = (*flags, Flag("sentence_assignment", task.line, message, document.doc_number))
    if stated.bare:
        message = "括号内只列出单位、未写明牵头或配合，按责任单位读取，请核对"
        flags = (*flags, Flag("bare_units", task.line, message, document.doc_number))
    return replace(task, flags=flags) if flags != task.flags else task


def _units_from_context(
    task: Task, position: int, found: list[Item], stated: list[list[Stated]], document: Document
) -> Task:
    """A task whose bracket names no unit ('（按职责分工负责）'): the units of the nearest heading
    above the item that names some, else the document's 主送机关, else none and a flag asking for them.
    """
    ranks = style_ranks(found)
    rank = ranks.get(found[position].style or "", len(ranks))
    for index in range(position - 1, -1, -1):
        style = found[index].style
        if not style or ranks[style] >= rank:
            continue
        rank = ranks[style]
        named = [s.assignment for s in stated[index] if s.assignment.has_units()]
        if named:
            one = named[-1]
            message = f"括号内只写“按职责分工负责”一类用语、未列单位，已按上级标题{found[index].label or ''}的分工填入，请核对"
            flag = Flag("units_from_context", task.line, message, document.doc_number)
            task = replace(task, lead=one.lead, responsible=one.responsible, cooperating=one.cooperating)
            return replace(task, flags=(*task.flags, flag))
    if document.addressees:
        message = "括号内只写“按职责分工负责”一类用语、未列单位，已按主送机关填入责任单位，请核对"
        flag = Flag("units_from_context", task.line, message, document.doc_number)
        return replace(task, responsible=document.addressees, flags=(*task.flags, flag))
    message = "括号内只写“按职责分工负责”一类用语、未列单位，上下文也未写明，请补填责任单位"
    return replace(task, flags=(*task.flags, Flag("units_to_fill", task.line, message, document.doc_number)))


def _title(item: Item, stated: Stated, previous: Stated | None) -> str:
    """The item heading for its first assignment; for a later one, the first sentence before it."""
    heading = item_title(item, stop=stated.start if stated.paragraph == 0 else None)
    if previous is None:
        return heading
    text = item.paragraphs[stated.paragraph].text
    begin = previous.end if previous.paragraph == stated.paragraph else 0
    piece = text[begin : stated.start]
    marker = MARKER.match(piece.lstrip())
    if marker:
        piece = piece.lstrip()[marker.end() :]
    return first_sentence(piece) or heading


def _body(item: Item, start: tuple[int, int], stated: Stated) -> str:
    """The item text from ``start`` (paragraph, offset) to the end of the assignment."""
    parts: list[str] = []
    for index in range(start[0], stated.paragraph + 1):
        text = item.paragraphs[index].text
        begin = start[1] if index == start[0] else 0
        end = stated.end if index == stated.paragraph else len(text)
        parts.append(text[begin:end])
    return "\n".join(p for p in parts if p)


def item_title(item: Item, *, stop: int | None = None) -> str:
    """The heading of an item: its text after the label up to the first 。 (or the assignment).

    A heading on a line of its own with the text in the next paragraph ('（一）加强组织领导') is
    the whole first paragraph.
    """
    text = item.paragraphs[0].text
    end = min(stop if stop is not None else len(text), item.marker_end + _TITLE_MAX)
    return first_sentence(text[item.marker_end : end])


def first_sentence(text: str) -> str:
    """Text up to the first 。 (or ！/？), without leading punctuation; all of it when there is none."""
    text = text.strip().lstrip("。;；,，、 ")
    match = re.search(r"[。！？!?]", text)
    return (text[: match.start()] if match else text).strip()


def _deadline(text: str | None, document: Document) -> Deadline:
    year = document.date.year if document.date else None
    return parse_deadline(text, year=year, signed=document.date)


def _unassigned_siblings(found: list[Item], stated: list[list[Stated]], document: Document) -> list[Task]:
    """Flagged tasks for numbered items with no assignment between siblings that have one.

    Only a gap inside an assigned list counts (an item before the first or after the last assigned
    sibling is usually a preamble or a closing item), and only in a list that is mostly assigned.
    """
    out: list[Task] = []
    ranks = style_ranks(found)
    for run in _sibling_runs(found, ranks):
        assigned = [i for i in run if stated[i]]
        if len(assigned) < 2 or len(assigned) * 2 <= len(run):
            continue
        for index in run:
            if not assigned[0] < index < assigned[-1]:
                continue
            if stated[index] or _has_assigned_children(index, found, stated, ranks):
                continue
            out.append(_unassigned_task(found[index], document))
    return out


def _sibling_runs(found: list[Item], ranks: dict[str, int]) -> list[list[int]]:
    """Indexes of items of the same style not separated by an item of a higher-ranked style."""
    runs: list[list[int]] = []
    open_runs: dict[str, list[int]] = {}
    for index, item in enumerate(found):
        if not item.style:
            continue
        rank = ranks[item.style]
        for style in [s for s in open_runs if ranks[s] > rank]:
            runs.append(open_runs.pop(style))
        open_runs.setdefault(item.style, []).append(index)
    runs.extend(open_runs.values())
    return runs


def _has_assigned_children(
    index: int, found: list[Item], stated: list[list[Stated]], ranks: dict[str, int]
) -> bool:
    rank = ranks[found[index].style or ""]
    for later in range(index + 1, len(found)):
        style = found[later].style
        if style and ranks[style] <= rank:
            return False
        if stated[later]:
            return True
    return False


def _unassigned_task(item: Item, document: Document) -> Task:
    first = item.paragraphs[0]
    line = first.span.start
    deadline_text = trailing_deadline(item.paragraphs[-1].text)  # '…。（2024年6月底前完成）'
    return Task(
        doc_number=document.doc_number,
        source="text",
        label=item.label,
        title=item_title(item),
        deadline_text=deadline_text,
        deadline=_deadline(deadline_text, document),
        line=line,
        column=first.column_at(0),
        span=Span(line, item.paragraphs[-1].span.end),
        column_start=first.column_at(0),
        body="\n".join(p.text for p in item.paragraphs),
        flags=(Flag("no_assignment", line, "同级事项均有分工，本项未写明责任单位", document.doc_number),),
    )

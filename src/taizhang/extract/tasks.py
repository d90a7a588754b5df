"""Assigned items of work in every style real documents use.

A document's text is repaired into paragraphs (``cleanup``), cut into numbered items, and each
assignment stated in an item (``assignments``) becomes a :class:`Task`; table rows with a unit
and a deadline column become tasks too (``task_tables``). Only stated assignments make tasks:
an item without one is a task only as a gap between assigned siblings, and then it is flagged.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from .assignments import (
    FIRST_LEADS,
    LINE_LABEL,
    ROLE_OF_LABEL,
    Assignment,
    Found,
    find_assignments,
    parse_labelled,
)
from .cleanup import Paragraph, paragraphs
from .deadlines import parse_deadline
from .model import Deadline, Document, Flag, Task
from .spans import SourceText, Span
from .task_flags import task_flags
from .task_tables import table_tasks
from .units import UnitDirectory

log = logging.getLogger(__name__)

# Item labels, by style. Their nesting differs between documents, so a style's rank is the order
# in which it first appears in the document.
_ITEM_LABEL = re.compile(
    r"""^\s*(?:
        (?P<cn_paren>[(（][一二三四五六七八九十百]+[)）])   # (一) 卫政办发〔2022〕6号 line 214; （一） 国办发〔2018〕129号 line 161
      | (?P<cn_comma>[一二三四五六七八九十百]+、)           # 一、总体要求 (chapter heading), 卫政办发〔2022〕6号 line 206
      | (?P<num_dot>\d{1,3}\s*[.．、](?!\d))               # 1.完善领导体制 卫政办发〔2022〕28号 line 1048; '6. 深化…' line 1064
      | (?P<num_paren>[(（]\d{1,3}[)）])                   # (1)
      | (?P<circled>[①-⑳])                                 # ①
    )\s*""",
    re.VERBOSE,
)

# The issuer's level, for restoring dropped prefixes: 中卫市人民政府办公室 → 市.
_ISSUER_LEVEL = re.compile(r"(自治区|省|市|县|区)(?:人民政府|政府|委员会|党委)")


@dataclass
class _Item:
    """A numbered item: its label, label style and the paragraphs up to the next label."""

    label: str | None
    style: str | None
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass(frozen=True)
class _Stated:
    """An assignment located in an item: which paragraph, where, and what it says."""

    paragraph: int
    start: int
    end: int
    line: int
    assignment: Assignment


def extract_tasks(source: SourceText, document: Document, directory: UnitDirectory) -> list[Task]:
    """The tasks of one document, in source order.

    Guarantees: every task points at the line its assignment is stated on and spans its item;
    unit names are as printed with a dropped level prefix restored; what is unsure is flagged.
    """
    level = document_level(document)
    check_units = _directory_applies(document, directory, level)
    paras = paragraphs(source, document.span)
    items = _fold_closing_assignments(_items([p for p in paras if not p.is_table_row]))
    tasks: list[Task] = []
    first_leads = False
    stated_by_item: list[list[_Stated]] = []
    for item in items:
        if any(FIRST_LEADS.search(p.text) for p in item.paragraphs):
            first_leads = True  # '列第一位者为牵头单位，下同' holds from here on
        stated = _stated(item, level, first_leads)
        stated_by_item.append(stated)
        for index, found in enumerate(stated):
            previous = stated[index - 1] if index else None
            tasks.append(_task(item, found, previous, document, directory if check_units else None, single=len(stated) == 1))
    tasks.extend(_unassigned_siblings(items, stated_by_item, document))
    tasks.extend(table_tasks(source, document, directory if check_units else None, level=level))
    tasks.sort(key=lambda t: (t.line, t.source))
    log.debug("%s: %d tasks", document.doc_number, len(tasks))
    return tasks


# The city named at the head of an issuer: 银川市人民政府办公室 → 银川市.
_ISSUER_CITY = re.compile(r"^[\u4e00-\u9fff]{2,5}?市(?=人民政府|政府|委|[\u4e00-\u9fff]*局)")


def _directory_applies(document: Document, directory: UnitDirectory, level: str | None) -> bool:
    """True when unknown unit names should be flagged: the directory is the issuer's own city's.

    A city's directory says nothing about ministries (national documents) or another city's
    departments (a 银川市 notice read with the 中卫市 directory), so there nothing is "unknown".
    """
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


def _items(paras: list[Paragraph]) -> list[_Item]:
    """Cut paragraphs into items at each item label; text before the first label is an unlabelled item."""
    items: list[_Item] = []
    for para in paras:
        match = _ITEM_LABEL.match(para.text)
        if match or not items:
            style = match.lastgroup if match else None
            label = re.sub(r"\s+", "", match.group(style)) if match and style else None
            items.append(_Item(label=label, style=style))
        items[-1].paragraphs.append(para)
    return items


def _style_ranks(items: list[_Item]) -> dict[str, int]:
    """Rank of each label style: the order in which styles first appear (一、 before (一) before 1.)."""
    ranks: dict[str, int] = {}
    for item in items:
        if item.style and item.style not in ranks:
            ranks[item.style] = len(ranks)
    return ranks


def _fold_closing_assignments(items: list[_Item]) -> list[_Item]:
    """Give an assignment standing alone after a list of sub-items to the item that owns the list.

    '1.标题。' / '(1)…' / '(2)…' / '〔牵头单位:…〕': when the sub-items state nothing themselves and the
    assignment is a paragraph of its own after the last of them, it assigns item 1, so the sub-items
    are folded into it.
    """
    ranks = _style_ranks(items)
    out: list[_Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        children = _children(items, index, ranks)
        # A chapter heading (一、) owns sections, not work: its closing assignment stays with the last one.
        if item.style != "cn_comma" and len(children) >= 2 and _closes_with_assignment(items, index, children):
            folded = _Item(item.label, item.style, [p for i in (index, *children) for p in items[i].paragraphs])
            out.append(folded)
            index = children[-1] + 1
            continue
        out.append(item)
        index += 1
    return out


def _children(items: list[_Item], index: int, ranks: dict[str, int]) -> list[int]:
    """Indexes of the items nested under ``items[index]``."""
    style = items[index].style
    if not style:
        return []
    out: list[int] = []
    for later in range(index + 1, len(items)):
        later_style = items[later].style
        if not later_style or ranks[later_style] <= ranks[style]:
            break
        out.append(later)
    return out


def _closes_with_assignment(items: list[_Item], index: int, children: list[int]) -> bool:
    """True when only the last child's trailing standalone paragraphs state an assignment."""
    last = items[children[-1]].paragraphs
    if len(last) < 2 or not _standalone_assignment(last[-1].text):
        return False
    body = [p.text for i in (index, *children) for p in items[i].paragraphs]
    body = body[: len(body) - 1]
    while body and _standalone_assignment(body[-1]):
        body.pop()  # the other lines of a 牵头单位:/责任单位:/完成时限: run
    return not any(LINE_LABEL.match(text) or find_assignments(text) for text in body)


def _standalone_assignment(text: str) -> bool:
    """True for a paragraph that is only an assignment: a label line or a bracket alone."""
    if LINE_LABEL.match(text):
        return True
    found = find_assignments(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end >= len(text.rstrip("。")) - 1


def _stated(item: _Item, level: str | None, first_leads: bool) -> list[_Stated]:
    """Every assignment of an item: brackets and parentheses in its text, then separate label lines."""
    out: list[_Stated] = []
    run: list[int] = []
    for index, para in enumerate(item.paragraphs):
        if index and LINE_LABEL.match(para.text):
            run.append(index)
            continue
        out.extend(_flush_lines(item, run, level))
        run = []
        for found in find_assignments(para.text, level=level, first_leads=first_leads):
            out.append(_from_found(index, para, found))
    out.extend(_flush_lines(item, run, level))
    return [s for s in out if s.assignment.has_units() or s.assignment.deadline_text]


def _from_found(index: int, para: Paragraph, found: Found) -> _Stated:
    return _Stated(index, found.start, found.end, para.line_at(found.start), found.assignment)


def _flush_lines(item: _Item, run: list[int], level: str | None) -> list[_Stated]:
    """A run of '牵头单位:'/'责任单位:'/'完成时限:' lines as one assignment (卫政办发〔2022〕6号 lines 216-220)."""
    if not run:
        return []
    text = ";".join(item.paragraphs[i].text for i in run)
    # The assignment is stated on its first unit line (牵头单位, else 责任单位), not a 完成时限 line before it.
    index = next((i for i in run if _labels_units(item.paragraphs[i].text)), run[0])
    para = item.paragraphs[index]
    return [_Stated(index, 0, len(para.text), para.span.start, parse_labelled(text, level=level))]


def _labels_units(text: str) -> bool:
    """True for a '牵头单位:'/'责任单位:'… line (not '完成时限:')."""
    match = LINE_LABEL.match(text)
    return match is not None and match.group("label") in ROLE_OF_LABEL


def _task(
    item: _Item,
    stated: _Stated,
    previous: _Stated | None,
    document: Document,
    directory: UnitDirectory | None,
    *,
    single: bool,
) -> Task:
    """The task of one assignment of an item."""
    assignment = stated.assignment
    title = _title(item, stated, previous)
    body_from = (previous.paragraph, previous.end) if previous else (0, 0)
    body = _body(item, body_from, stated) if not single else "\n".join(p.text for p in item.paragraphs)
    start_line = item.paragraphs[body_from[0]].line_at(body_from[1]) if previous else item.paragraphs[0].span.start
    end_line = item.paragraphs[stated.paragraph].line_at(max(stated.start, stated.end - 1))
    if single:
        end_line = max(end_line, item.paragraphs[-1].span.end)
    deadline = _deadline(assignment.deadline_text, document)
    return Task(
        doc_number=document.doc_number,
        source="text",
        label=item.label,
        title=title,
        lead=assignment.lead,
        responsible=assignment.responsible,
        cooperating=assignment.cooperating,
        deadline_text=assignment.deadline_text,
        deadline=deadline,
        line=stated.line,
        span=Span(start_line, max(start_line, end_line)),
        body=body,
        flags=task_flags(assignment, deadline, directory, line=stated.line, doc_number=document.doc_number),
    )


def _title(item: _Item, stated: _Stated, previous: _Stated | None) -> str:
    """The item heading for its first assignment; for a later one, the first sentence before it."""
    heading = item_title(item.paragraphs[0].text, item.label, stop=stated.start if stated.paragraph == 0 else None)
    if previous is None:
        return heading
    text = item.paragraphs[stated.paragraph].text
    begin = previous.end if previous.paragraph == stated.paragraph else 0
    return first_sentence(_ITEM_LABEL.sub("", text[begin : stated.start], count=1)) or heading


def _body(item: _Item, start: tuple[int, int], stated: _Stated) -> str:
    """The item text from ``start`` (paragraph, offset) to the end of the assignment."""
    parts: list[str] = []
    for index in range(start[0], stated.paragraph + 1):
        text = item.paragraphs[index].text
        begin = start[1] if index == start[0] else 0
        end = stated.end if index == stated.paragraph else len(text)
        parts.append(text[begin:end])
    return "\n".join(p for p in parts if p)


def item_title(text: str, label: str | None, *, stop: int | None = None) -> str:
    """The heading of an item: its text after the label up to the first 。 (or the assignment)."""
    match = _ITEM_LABEL.match(text)
    head = text[match.end() if match and label else 0 : stop if stop is not None else len(text)]
    return first_sentence(head)


def first_sentence(text: str) -> str:
    """Text up to the first 。 (or ！/？), without leading punctuation; all of it when there is none."""
    text = text.strip().lstrip("。;；,，、 ")
    match = re.search(r"[。！？!?]", text)
    return (text[: match.start()] if match else text).strip()


def _deadline(text: str | None, document: Document) -> Deadline:
    year = document.date.year if document.date else None
    return parse_deadline(text, year=year, signed=document.date)


def _unassigned_siblings(items: list[_Item], stated: list[list[_Stated]], document: Document) -> list[Task]:
    """Flagged tasks for numbered items with no assignment between siblings that have one.

    Only a gap inside an assigned list counts (an item before the first or after the last assigned
    sibling is usually a preamble or a closing item), and only in a list that is mostly assigned.
    """
    out: list[Task] = []
    ranks = _style_ranks(items)
    for run in _sibling_runs(items, ranks):
        assigned = [i for i in run if stated[i]]
        if len(assigned) < 2 or len(assigned) * 2 <= len(run):
            continue
        for index in run:
            if not assigned[0] < index < assigned[-1]:
                continue
            if stated[index] or _has_assigned_children(index, items, stated, ranks):
                continue
            out.append(_unassigned_task(items[index], document))
    return out


def _sibling_runs(items: list[_Item], ranks: dict[str, int]) -> list[list[int]]:
    """Indexes of items of the same style not separated by an item of a higher-ranked style."""
    runs: list[list[int]] = []
    open_runs: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if not item.style:
            continue
        rank = ranks[item.style]
        for style in [s for s in open_runs if ranks[s] > rank]:
            runs.append(open_runs.pop(style))
        open_runs.setdefault(item.style, []).append(index)
    runs.extend(open_runs.values())
    return runs


def _has_assigned_children(index: int, items: list[_Item], stated: list[list[_Stated]], ranks: dict[str, int]) -> bool:
    rank = ranks[items[index].style or ""]
    for later in range(index + 1, len(items)):
        style = items[later].style
        if style and ranks[style] <= rank:
            return False
        if stated[later]:
            return True
    return False


def _unassigned_task(item: _Item, document: Document) -> Task:
    first = item.paragraphs[0]
    line = first.span.start
    return Task(
        doc_number=document.doc_number,
        source="text",
        label=item.label,
        title=item_title(first.text, item.label),
        line=line,
        span=Span(line, item.paragraphs[-1].span.end),
        body="\n".join(p.text for p in item.paragraphs),
        flags=(Flag("no_assignment", line, "同级事项均有分工,本项未写明责任单位", document.doc_number),),
    )

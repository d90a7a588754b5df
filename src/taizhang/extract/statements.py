"""Where an item states its assignments: brackets and labels in its text, label lines of their own,
a closing sentence, and an assignment standing alone after a list of sub-items.

What the next stage may rely on: every :class:`Stated` names the paragraph of its item and the
offsets of the assignment in it, and has at least one unit or a deadline, or says it has none
(``unitless``: '（按职责分工负责）').
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .assignments import (
    LINE_LABEL,
    ROLE_OF_LABEL,
    Assignment,
    Found,
    closing_sentence,
    find_assignments,
    parse_labelled,
)
from .outline import Item, style_ranks


@dataclass(frozen=True)
class Stated:
    """An assignment located in an item: which paragraph, where, and what it says."""

    paragraph: int
    start: int
    end: int
    line: int
    column: int
    assignment: Assignment
    from_sentence: bool = False  # read from an unbracketed sentence, not a bracket or a label
    bare: bool = False  # a bracket naming units with no role word
    unitless: bool = False  # duty words with no unit ('（按职责分工负责）'): units from the context


def stated_in(item: Item, level: str | None, first_leads: bool) -> list[Stated]:
    """Every assignment of an item: brackets and parentheses in its text, then separate label lines.

    An item that states none that way may close with an unbracketed assignment sentence
    ('…。市发展改革委牵头，市财政局配合。').
    """
    out: list[Stated] = []
    run: list[int] = []
    for index, para in enumerate(item.paragraphs):
        if index and LINE_LABEL.match(para.text):
            run.append(index)
            continue
        out.extend(_flush_lines(item, run, level))
        run = []
        for found in find_assignments(para.text, level=level, first_leads=first_leads):
            out.append(_from_found(item, index, found))
    out.extend(_flush_lines(item, run, level))
    if not out and item.label:
        # the item's last sentence, read as an assignment when it is nothing but one
        index = len(item.paragraphs) - 1
        shift = item.marker_end if index == 0 else 0
        closing = closing_sentence(item.paragraphs[index].text[shift:], level=level)
        if closing is not None:
            placed = Found(closing.start + shift, closing.end + shift, closing.assignment)
            out.append(replace(_from_found(item, index, placed), from_sentence=True))
    return [s for s in out if s.assignment.has_units() or s.assignment.deadline_text or s.unitless]


def _from_found(item: Item, index: int, found: Found) -> Stated:
    para = item.paragraphs[index]
    line, column = para.line_at(found.start), para.column_at(found.start)
    return Stated(
        index,
        found.start,
        found.end,
        line,
        column,
        found.assignment,
        bare=found.bare,
        unitless=found.unitless,
    )


def _flush_lines(item: Item, run: list[int], level: str | None) -> list[Stated]:
    """A run of '牵头单位:'/'责任单位:'/'完成时限:' lines as one assignment (卫政办发〔2022〕6号 lines 216-220)."""
    if not run:
        return []
    text = ";".join(_as_labelled(item.paragraphs[i].text) for i in run)
    # The assignment is stated on its first unit line (牵头单位, else 责任单位), not a 完成时限 line before it.
    index = next((i for i in run if _labels_units(item.paragraphs[i].text)), run[0])
    para = item.paragraphs[index]
    return [
        Stated(
            index, 0, len(para.text), para.span.start, para.column_at(0), parse_labelled(text, level=level)
        )
    ]


def _as_labelled(text: str) -> str:
    """A label line in the colon form: '牵头单位　县财政局' and '【牵头单位】县财政局' → '牵头单位:县财政局'."""
    match = LINE_LABEL.match(text)
    if match is None:
        return text
    return f"{match.group('label') or match.group('bracketed')}:{match.group('rest')}"


def _labels_units(text: str) -> bool:
    """True for a '牵头单位:'/'责任单位:'… line (not '完成时限:')."""
    match = LINE_LABEL.match(text)
    if match is None:
        return False
    return (match.group("label") or match.group("bracketed")) in ROLE_OF_LABEL


def fold_closing_assignments(items: list[Item]) -> list[Item]:
    """Give an assignment standing alone after a list of sub-items to the item that owns the list.

    '1.标题。' / '(1)…' / '(2)…' / '〔牵头单位:…〕': when the sub-items state nothing themselves and the
    assignment is a paragraph of its own after the last of them, it assigns item 1, so the sub-items
    are folded into it.
    """
    ranks = style_ranks(items)
    out: list[Item] = []
    index = 0
    while index < len(items):
        item = items[index]
        children = children_of(items, index, ranks)
        # A chapter heading (一、) owns sections, not work: its closing assignment stays with the last one.
        if (
            item.style != "cn_comma"
            and len(children) >= 2
            and _closes_with_assignment(items, index, children)
        ):
            paragraphs = [p for i in (index, *children) for p in items[i].paragraphs]
            out.append(Item(item.label, item.style, item.number, paragraphs, item.marker_end))
            index = children[-1] + 1
            continue
        out.append(item)
        index += 1
    return out


def children_of(items: list[Item], index: int, ranks: dict[str, int]) -> list[int]:
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


def _closes_with_assignment(items: list[Item], index: int, children: list[int]) -> bool:
    """True when only the last child's trailing standalone paragraphs state an assignment."""
    last = items[children[-1]].paragraphs
    if len(last) < 2 or not standalone_assignment(last[-1].text):
        return False
    body = [p.text for i in (index, *children) for p in items[i].paragraphs]
    body = body[: len(body) - 1]
    while body and standalone_assignment(body[-1]):
        body.pop()  # the other lines of a 牵头单位:/责任单位:/完成时限: run
    return not any(LINE_LABEL.match(text) or find_assignments(text) for text in body)


def standalone_assignment(text: str) -> bool:
    """True for a paragraph that is only an assignment: a label line or a bracket alone."""
    if LINE_LABEL.match(text):
        return True
    found = find_assignments(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end >= len(text.rstrip("。")) - 1

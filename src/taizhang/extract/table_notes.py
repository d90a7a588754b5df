"""Notes printed with a task table that speak of every row: a unit added to each task, a convention.

    注：各项任务均需各县（区）政府落实。
    以上任务各市政府均需落实。
    表中各项任务，各地区均按职责分工负责。
    注：责任单位中列第一位者为牵头单位。
    注：各区县政府均需按职责分工落实。

A note is read from the lines right below the table (注：…, numbered notes 1. 2. …) or right
above its header. The phrases that make a note speak of the whole table, and the verbs that give
the added unit its role, are data below; the units themselves are read by the table grammar.

Guarantees: a note adds a unit only when it names the whole table (各项任务, 以上任务, 表中 …, or
a 注： whose units act 均 on every row) and the unit reads as unit names; anything else is left as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cleanup import is_page_number
from .grammar_data import QUALIFIERS
from .spans import SourceText, Span
from .table_grammar import cells_assignment, states_first_leads

# What a note says it is about: every row of the table.
_SCOPE = re.compile(
    r"""^\s*(?:(?:注|备注|说明)\s*\d?\s*[:：]?\s*)?(?:[\d①-⑨]{1,2}\s*[.．、]\s*)?
    (?:表中|表内|本表|此表|上表|以上|上述|所列)*(?:所列)?(?:的)?
    (?:各项|所有|全部|每项|各)?(?:重点)?(?:任务|工作|事项|措施)
    [，,、\s]*(?:均|都|皆)?(?:需要|需|要|应当|应|由)?\s*""",
    re.VERBOSE,
)
_SCOPE_WORD = re.compile(r"表中|表内|本表|此表|上表|以上|上述|所列|各项|所有|全部|每项")
# A note with no scope word whose units act on all rows: '注：各区县政府均需按职责分工落实。'.
_NOTE_ALL = re.compile(
    r"^\s*(?:注|备注|说明)\s*\d?\s*[:：]\s*(?=[^。；;，,]{2,40}?(?:均|都)(?:需要|需|要|应当|应|须|必须|按)?)"
)

# Verbs that end a note and the role they give the unit before them, longest first.
NOTE_VERBS: tuple[tuple[str, str], ...] = (
    ("按职责分工负责", "responsible"),
    ("按职责分工落实", "responsible"),
    ("按职责负责", "responsible"),
    ("分工负责", "responsible"),
    ("负责落实", "responsible"),
    ("抓好落实", "responsible"),
    ("组织实施", "responsible"),
    ("具体实施", "responsible"),
    ("分头落实", "responsible"),
    ("贯彻落实", "responsible"),
    ("落实", "responsible"),
    ("负责", "responsible"),
    ("实施", "responsible"),
    ("牵头", "lead"),
    ("配合", "cooperating"),
    ("参与", "cooperating"),
    ("参加", "cooperating"),
    ("协助", "cooperating"),
    ("协同", "cooperating"),
)
# '…，各县（区）人民政府为责任单位': the role stated as a label.
_AS_LABEL = re.compile(
    r"(?:为|是|作为)(?P<label>牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|参加单位|参与单位)$"
)
_LABEL_ROLE = {
    "牵头": "lead",
    "责任": "responsible",
    "配合": "cooperating",
    "参加": "cooperating",
    "参与": "cooperating",
}
# Words between the units and the verb: '各市政府均需落实', '各地区均按职责分工负责'.
# '各乡镇人民政府均需按职责分工抓好落实': the grammar's qualifiers may stand before the verb too.
_QUALIFIER = re.compile(
    r"(?:均|都|皆|也|同时)?(?:需要|需|要|应当|应|须|必须|负责)?(?:"
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + ")*$"
)
_MAX_NOTE_LINES = 4


@dataclass(frozen=True)
class TableNotes:
    """What the notes of one table add: units by role for every row, and the first-leads convention."""

    units: tuple[tuple[str, str], ...] = ()  # (role, unit name)
    first_leads: bool = False
    lines: tuple[int, ...] = ()  # the note lines read


def notes_of(source: SourceText, header_line: int, end: int, span: Span, *, level: str | None) -> TableNotes:
    """The notes printed right above a table's header and right below its last row."""
    units: list[tuple[str, str]] = []
    first_leads = False
    lines: list[int] = []
    for number in _note_lines(source, header_line, end, span):
        text = source.line(number).strip()
        found = note_units(text, level=level)
        leads = states_first_leads(text)
        if found or leads:
            units.extend(u for u in found if u not in units)
            first_leads = first_leads or leads
            lines.append(number)
    return TableNotes(tuple(units), first_leads, tuple(lines))


def _note_lines(source: SourceText, header_line: int, end: int, span: Span) -> list[int]:
    """Up to two lines above the header (title, note) and the note lines below the table."""
    above: list[int] = []
    number = header_line - 1
    while number >= span.start and len(above) < 2:
        text = source.line(number).strip()
        if "\t" in source.line(number):
            break
        if text and not is_page_number(text):
            above.append(number)
        number -= 1
    below: list[int] = []
    number = end + 1
    while number <= span.end and len(below) < _MAX_NOTE_LINES:
        text = source.line(number).strip()
        if text and not is_page_number(text):
            if not (text.startswith(("注", "备注", "说明")) or below or _SCOPE_WORD.search(text)):
                break
            if (
                below
                and not re.match(r"^\s*(?:[\d①-⑨]{1,2}\s*[.．、]|注|备注|说明)", text)
                and not _SCOPE_WORD.search(text)
            ):
                break
            below.append(number)
        number += 1
    return above + below


def note_units(text: str, *, level: str | None) -> list[tuple[str, str]]:
    """(role, unit) pairs a note adds to every row of its table; [] when it is not such a note."""
    scope = _SCOPE.match(text)
    if scope is None or not _SCOPE_WORD.search(scope.group()):
        scope = _NOTE_ALL.match(text)  # '注：各区县政府均需按职责分工落实': 均 speaks of every row
        if scope is None:
            return []
    rest = text[scope.end() :].strip().rstrip("。；;，,")
    role, units = _split_verb(rest)
    if role is None or not units:
        return []
    assignment = cells_assignment([(role, units)], level=level, first_leads=False)
    if assignment.odd or not assignment.has_units():
        return []
    return [
        (r, name)
        for r, names in (
            ("lead", assignment.lead),
            ("responsible", assignment.responsible),
            ("cooperating", assignment.cooperating),
        )
        for name in names
    ]


def _split_verb(rest: str) -> tuple[str | None, str]:
    """The role of a note's verb and the unit text before it."""
    labelled = _AS_LABEL.search(rest)
    if labelled:
        return _LABEL_ROLE[labelled.group("label")[:2]], _QUALIFIER.sub("", rest[: labelled.start()]).strip(
            "，, "
        )
    for verb, role in NOTE_VERBS:
        if rest.endswith(verb):
            units = rest[: -len(verb)]
            units = re.sub(r"^由", "", _QUALIFIER.sub("", units)).strip("，, ")
            return role, units
    return None, ""

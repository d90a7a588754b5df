"""Assignments: who does an item (牵头/责任/配合) and by when, read with the grammar of ``grammar``.

The ways documents state an assignment, each found in a paragraph and parsed into one
:class:`Assignment`:

* a labelled bracket closing an item, ``〔牵头单位:A;责任单位:B;配合单位:C〕`` (卫政办发〔2022〕24号),
  ``（牵头单位：A，参加单位：B）`` (山东省服务业数字化转型行动方案), possibly with the deadline inside
  (``〔责任单位:各县(区),2022年4月底前完成并长期坚持〕``, 卫政办发〔2022〕28号) and closed by ']' or ')'
  by mistake (卫政办发〔2022〕36号 line 1537);
* labels with no bracket: separate lines ``牵头单位:``/``责任单位:``/``完成时限:`` after an item
  (卫政办发〔2022〕6号), a run after a sentence, or ``【牵头单位】A【责任单位】B``;
* the national parenthesised forms ``（A、B负责）``, ``（A牵头，B配合）``, ``（A会同B负责）``,
  ``（负责部门：A、B，适用范围：…）`` (国办发〔2018〕121号, 国发〔2018〕38号), with the convention
  '列第一位者为牵头单位' when stated;
* an unbracketed sentence closing an item, ``市发展改革委牵头，市财政局、市商务局配合。``.

:func:`read_assignment` reads any such text on its own (a table cell, a bracket body).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .grammar import (
    CONVENTION_CLAUSE,
    FIRST_LEADS,
    LABEL,
    LABEL_WORDS,
    LINE_LABEL,
    ROLE_OF_LABEL,
    ROLE_WORDS,
    conjoint,
    ends_with_verb,
    has_verb,
    split_verb,
    strip_leading_words,
)
from .grammar_data import DEADLINE_LABELS, IGNORED_LABELS
from .unit_lists import split_top_level, split_units
from .unit_names import UNIT_SUFFIX, level_of, looks_like_unit, restore_prefix

__all__ = [
    "FIRST_LEADS",
    "LINE_LABEL",
    "ROLE_OF_LABEL",
    "Assignment",
    "Found",
    "find_assignments",
    "looks_verbal",
    "parse_labelled",
    "parse_verbal",
    "read_assignment",
]

# Text that is a deadline, not a unit: dates, '长期坚持', '分阶段完成', '立行立改' (卫政办发〔2022〕28号/29号 brackets).
DEADLINE_HINT = re.compile(
    r"""\d|[一二三四五六七八九十]+个?(?:工作日|月|年)|长期|持续|完成|立行立改|分阶段|年底|月底|季度
      |上旬|中旬|下旬|每月|每年|每周|常态化|前$|以前|之前|立即|即日|年内|全年|定期|按月|按季""",
    re.VERBOSE,
)

# A unit marked as the lead inside a list: '市审批服务局（牵头）', '市发展改革委(牵头单位)'.
LEAD_MARK = re.compile(r"[（(]牵头(?:单位|部门)?[)）]$")


@dataclass(frozen=True)
class Assignment:
    """One stated assignment: units by role, the deadline text, and what a reviewer should see."""

    lead: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    deadline_text: str | None = None
    etc: tuple[str, ...] = ()  # names printed with 等
    odd: tuple[str, ...] = ()  # parts that do not look like unit names

    def has_units(self) -> bool:
        """True when at least one unit is named."""
        return bool(self.lead or self.responsible or self.cooperating)


class _Builder:
    """Collects units by role while an assignment is parsed."""

    def __init__(self, level: str | None) -> None:
        self.level = level
        self.roles: dict[str, list[str]] = {"lead": [], "responsible": [], "cooperating": []}
        self.deadline: str | None = None
        self.etc: list[str] = []
        self.odd: list[str] = []
        self.raw: list[tuple[str, list[str]]] = []

    def add(self, role: str, text: str) -> None:
        units = split_units(text)
        for name in units.names:
            # '责任单位：市审批服务局（牵头）、市司法局': a (牵头) mark makes that unit the lead
            marked = LEAD_MARK.search(name)
            if marked:
                self.raw.append(("lead", [name[: marked.start()]]))
            else:
                self.raw.append((role, [name]))
        self.etc.extend(units.etc)
        self.odd.extend(units.odd)

    def build(self) -> Assignment:
        # The level prefix is restored across the whole assignment: in '责任单位:市卫生健康委,各县(区),
        # 配合单位:市场监督管理局' (卫政办发〔2022〕28号 line 1070) the 市 printed first carries over.
        flat = [name for _, names in self.raw for name in names]
        level = self.level or next((lv for lv in map(level_of, flat) if lv), None)
        restored = restore_prefix(flat, level)
        position = 0
        for role, names in self.raw:
            for _ in names:
                name = restored[position]
                position += 1
                if name not in self.roles[role]:
                    self.roles[role].append(name)
        etc = tuple(restored[flat.index(n)] for n in self.etc if n in flat)
        return Assignment(
            lead=tuple(self.roles["lead"]),
            responsible=tuple(self.roles["responsible"]),
            cooperating=tuple(self.roles["cooperating"]),
            deadline_text=self.deadline,
            etc=etc,
            odd=tuple(self.odd),
        )


def _is_deadline_part(part: str) -> bool:
    """True for a list part that states a deadline, not a unit: '2022年底前完成', '长期坚持'."""
    return DEADLINE_HINT.search(part) is not None and UNIT_SUFFIX.search(part) is None and not ends_with_verb(part)


def _peel_deadline(text: str) -> tuple[str, str | None]:
    """Split trailing deadline parts off a unit list: 'A,B,2022年底完成' → ('A,B', '2022年底完成')."""
    parts = _parts_with_offsets(text)
    cut = None
    for start, part in reversed(parts):
        if _is_deadline_part(part):
            cut = start
        else:
            break
    if cut is None:
        return text, None
    return text[:cut].rstrip(",，;；、 "), text[cut:].strip().rstrip("。;；,，") or None


def _parts_with_offsets(text: str) -> list[tuple[int, str]]:
    """Top-level parts of ``text`` split on , ， ; ； with their start offsets."""
    parts: list[tuple[int, str]] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        elif char in ",，;；" and depth == 0:
            parts.append((start, text[start:index]))
            start = index + 1
    parts.append((start, text[start:]))
    return [(s, p) for s, p in parts if p.strip()]


def _add_verbal(builder: _Builder, text: str, default_role: str, first_leads: bool) -> None:
    """Parse 'A牵头，B等部门分工负责' / 'A、B负责' into roles; parts without a verb take ``default_role``."""
    pending: list[str] = []
    for part in split_top_level(text, ",，;；"):
        clause = split_verb(part)
        if clause is None and _is_deadline_part(part):
            builder.deadline = builder.deadline or part  # '（教育部负责，2019年底前完成）'
            continue
        if clause is None:
            pending.append(part)
            continue
        units_text = "、".join(p for p in [*pending, clause.units] if p)
        pending = []
        jointly = conjoint(units_text)
        if jointly and clause.role == "responsible":
            # 'A会同B负责': A leads, B works with it (国务院 style; 'A牵头，B配合' said in one clause)
            builder.add("lead", jointly[0])
            builder.add("cooperating", jointly[1])
        elif clause.role == "responsible" and first_leads and default_role == "responsible":
            _add_first_leads(builder, units_text)
        else:
            builder.add(clause.role, units_text)
    if pending:
        builder.add(default_role, "、".join(pending))


def _add_first_leads(builder: _Builder, units_text: str) -> None:
    """Under '列第一位者为牵头单位' the first unit leads and the others are responsible."""
    first, *rest = split_top_level(units_text) or [""]
    builder.add("lead", first)
    if rest:
        builder.add("responsible", "、".join(rest))


def parse_labelled(text: str, *, level: str | None = None, first_leads: bool = False) -> Assignment:
    """Parse labelled assignment text: '牵头单位:A;责任单位:B;配合单位:C,2022年底完成'.

    Labels may be wrapped in 【】 ('【牵头单位】A') and separated by ，；,; or spaces.
    Guarantees: a trailing deadline phrase after the last unit list becomes ``deadline_text``;
    a 完成时限 label does too; '适用范围' is ignored.
    """
    builder = _Builder(level)
    matches = list(LABEL.finditer(text))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = _strip_closer(text[match.end() : end].strip().rstrip(";；,，。、 "))
        label = match.group("label") or match.group("bracketed")
        if label in IGNORED_LABELS:
            continue
        if label in DEADLINE_LABELS:
            builder.deadline = body or None
            continue
        body, deadline = _peel_deadline(body)
        if deadline and builder.deadline is None:
            builder.deadline = deadline
        _add_units(builder, body, ROLE_OF_LABEL[label], first_leads)
    return builder.build()


def _strip_closer(body: str) -> str:
    """Drop a closing bracket left at the end of an unbracketed label's text, keeping '各县(区)' whole."""
    body = body.rstrip("〕】]］")
    while body[-1:] in (")", "）") and body.count("(") + body.count("（") < body.count(")") + body.count("）"):
        body = body[:-1]
    return body.rstrip(";；,，。、 ")


def _add_units(builder: _Builder, body: str, role: str, first_leads: bool) -> None:
    if any(ends_with_verb(part) for part in split_top_level(body, ",，;；")):
        _add_verbal(builder, body, role, first_leads)
    elif body and first_leads and role == "responsible":
        _add_first_leads(builder, body)  # '负责单位：A、B' under '列第一位者为牵头单位'
    elif body:
        builder.add(role, body)


def parse_verbal(text: str, *, level: str | None = None, first_leads: bool = False) -> Assignment:
    """Parse a national parenthesis body: '体育总局、民政部负责', 'A牵头，B配合', 'A等和各省级人民政府负责'."""
    builder = _Builder(level)
    _add_verbal(builder, strip_leading_words(text.strip().rstrip("。;；,，")), "responsible", first_leads)
    return builder.build()


# Words that never occur in a unit name but often in a sentence that merely mentions one:
# '专家咨询论证工作由市政府办公室负责' is a rule, not an assignment list.
_SENTENCE_WORDS = re.compile(r"由|的|要|应|将|把|对|在|工作|任务|方案|机制|制度|意见")


def looks_verbal(text: str, *, strict: bool = False) -> bool:
    """True when a text is a national-style assignment ('A、B负责', 'A牵头，B配合').

    Every clause names units and the last ends with a verb. In a bracket most names must look like
    units (an odd one is kept and flagged for review); ``strict`` (a sentence outside brackets)
    wants every one to, and none to read like a sentence ('…工作由…', '…的…').
    """
    body = strip_leading_words(text.strip().rstrip("。"))
    if len(body) > 200 or not has_verb(body):
        return False
    parts = [p for p in split_top_level(body, ",，;；") if not _is_deadline_part(p)]
    if not parts or not ends_with_verb(parts[-1]):
        return False
    names: list[str] = []
    for part in parts:
        clause = split_verb(part)
        found = split_units(clause.units if clause else part).names
        if not found:
            return False
        names.extend(found)
    units = sum(looks_like_unit(n) for n in names)
    if strict:
        return units == len(names) and not any(_SENTENCE_WORDS.search(n) or len(n) > 25 for n in names)
    return units * 2 >= len(names) and all(len(n) <= 40 for n in names)


def read_assignment(
    text: str, *, role: str = "responsible", level: str | None = None, first_leads: bool = False
) -> Assignment:
    """Roles and units of any assignment text: a bracket body, a labelled line, or a table cell.

    '牵头单位：A；配合单位：B' and 'A牵头，B配合' are read by their labels and verbs; a bare list
    ('A、B') takes ``role`` (the column's role for a table cell), its first unit leading when
    ``first_leads``. Review notes come with the result: ``etc`` (a list ending in 等) and ``odd``
    (a part that is no unit name) — ``task_flags`` turns them into flags.
    """
    body = CONVENTION_CLAUSE.sub("", text.strip())
    if LABEL.search(body):
        return parse_labelled(body, level=level, first_leads=first_leads)
    builder = _Builder(level)
    _add_units(builder, strip_leading_words(body.rstrip("。;；,，")), role, first_leads)
    return builder.build()


# An opening bracket followed by a role label: '〔牵头单位' (卫政办发〔2022〕24号), '[责任单位', '(负责部门', '（负责部门'
# (国发〔2018〕38号 line 2415).
_LABELLED_OPEN = re.compile(rf"[〔\[【(（［]\s*(?=(?:{LABEL_WORDS})\s*[:：])")

# A role label with no enclosing bracket: opening a sentence ('…整改。牵头单位:A;责任单位:B') or
# wrapped in 【】 anywhere ('…监管。【牵头单位】市市场监管局【配合单位】市公安局'); it runs to the
# paragraph end or the next assignment.
_INLINE_LABEL = re.compile(
    rf"(?=[{''.join(sorted({w[0] for w in ROLE_OF_LABEL}))}【\[［])"
    rf"(?:(?P<plain>{ROLE_WORDS})\s*[:：]|[【\[［]\s*(?:{ROLE_WORDS})\s*[】\]］])"
)


def _opens_sentence(text: str, start: int) -> bool:
    """True when ``start`` begins the text or follows a sentence end ('。牵头单位：…')."""
    before = text[max(0, start - 4) : start].rstrip()
    return not before or before[-1] in "。；;"


@dataclass(frozen=True)
class Found:
    """An assignment found in a paragraph: where it is (offsets into the text) and what it says."""

    start: int
    end: int
    assignment: Assignment
    states_convention: bool = False


def _close(text: str, start: int) -> int:
    """Offset of the bracket closing an assignment opened before ``start``, or len(text) if unclosed.

    Closes on 〕 】 or ']' at any depth and on ')' '）' at depth 0: 卫政办发〔2022〕36号 line 1537 closes
    '〔责任单位:…各县(区)人民政府]' with ']', and the '(区)' inside must not close it.
    """
    depth = brackets = 0
    for index in range(start, len(text)):
        char = text[index]
        if char in "(（":
            depth += 1
        elif char in ")）":
            if depth == 0:
                return index
            depth -= 1
        elif char == "〔":
            brackets += 1  # '各县〔市、区〕' inside the list
        elif char == "〕" and brackets:
            brackets -= 1
        elif char in "〕】]］":
            return index
    return len(text)


def find_assignments(text: str, *, level: str | None = None, first_leads: bool = False) -> list[Found]:
    """Every labelled bracket, inline label run and national-style parenthesis in a paragraph, in order.

    Guarantees: found assignments do not overlap; time is linear in the text's length (taken
    stretches are looked up by bisection, never by scanning what was found).
    """
    taken = _Taken()
    for match in _LABELLED_OPEN.finditer(text):
        if taken.covers(match.start()):
            continue
        end = _close(text, match.end())
        parsed = parse_labelled(text[match.end() : end], level=level, first_leads=first_leads)
        taken.add(Found(match.start(), min(end + 1, len(text)), parsed))
    bracketed = [f.start for f in taken.found]
    for match in _INLINE_LABEL.finditer(text):
        if taken.covers(match.start()):
            continue
        if match.group("plain") and not _opens_sentence(text, match.start()):
            continue  # '明确责任单位：…' inside a sentence is no assignment run
        index = bisect.bisect_right(bracketed, match.start())
        end = bracketed[index] if index < len(bracketed) else len(text)
        taken.add(Found(match.start(), end, parse_labelled(text[match.start() : end], level=level, first_leads=first_leads)))
    for start, end in _parentheses(text):
        if taken.covers(start):
            continue
        body = text[start + 1 : end]
        convention = FIRST_LEADS.search(body) is not None
        body = CONVENTION_CLAUSE.sub("", body)
        if looks_verbal(body):
            leads = first_leads or convention
            taken.add(Found(start, end + 1, parse_verbal(body, level=level, first_leads=leads), convention))
    return sorted(taken.found, key=lambda f: f.start)


class _Taken:
    """Stretches of a paragraph already read as an assignment, kept sorted for bisection."""

    def __init__(self) -> None:
        self.found: list[Found] = []
        self._starts: list[int] = []

    def covers(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and self.found[index].start <= offset < self.found[index].end

    def add(self, found: Found) -> None:
        index = bisect.bisect_right(self._starts, found.start)
        self._starts.insert(index, found.start)
        self.found.insert(index, found)


def closing_sentence(text: str, *, level: str | None = None, first_leads: bool = False) -> Found | None:
    """An unbracketed assignment closing a paragraph: '…工作。市发展改革委牵头，市财政局配合。'."""
    body_end = len(text.rstrip().rstrip("。；;"))
    start = max(text.rfind(mark, 0, body_end) for mark in "。；;！？") + 1
    sentence = text[start:body_end]
    if not ends_with_verb(sentence) or len(sentence) > 150 or not looks_verbal(sentence, strict=True):
        return None
    offset = start + len(sentence) - len(sentence.lstrip())
    return Found(offset, len(text), parse_verbal(sentence, level=level, first_leads=first_leads))


def _parentheses(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of outermost parenthesis pairs ( ) or （ ）."""
    pairs: list[tuple[int, int]] = []
    depth, opened = 0, -1
    for match in _PAREN.finditer(text):
        index = match.start()
        if match.group() in "(（":
            if depth == 0:
                opened = index
            depth += 1
        elif depth > 0:
            depth -= 1
            if depth == 0:
                pairs.append((opened, index))
    return pairs


_PAREN = re.compile(r"[()（）]")

"""Finding assignments in a paragraph: where each one is, read by ``roles`` with the grammar.

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

:func:`read_assignment` (from ``roles``, re-exported here) reads any such text on its own (a table
cell, a bracket body). What the next stage may rely on: found assignments do not overlap and come in
text order, each with its offsets in the paragraph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .grammar import (
    FIRST_LEADS,
    LABEL,
    LABEL_WORDS,
    LINE_LABEL,
    ROLE_OF_LABEL,
    ROLE_WORDS,
    drop_convention,
    ends_with_verb,
    has_verb,
    states_first_leads,
    unitless_duty,
)
from .lexicon import lexicon, starts_with_place
from .roles import Assignment, looks_verbal, only_deadline, parse_labelled, parse_verbal, read_assignment
from .unit_lists import split_units
from .unit_names import level_of, looks_like_unit, split_top_level

__all__ = [
    "FIRST_LEADS",
    "LINE_LABEL",
    "ROLE_OF_LABEL",
    "Assignment",
    "Found",
    "closing_sentence",
    "find_assignments",
    "looks_verbal",
    "parse_labelled",
    "parse_verbal",
    "read_assignment",
]


# An opening bracket followed by a role label: '〔牵头单位' (卫政办发〔2022〕24号), '[责任单位', '(负责部门', '（负责部门'
# (国发〔2018〕38号 line 2415), with a colon or a space after it ('（牵头单位 省工业和信息化厅；…）').
_LABELLED_OPEN = re.compile(rf"[〔\[【(（［]\s*(?=(?:{LABEL_WORDS})(?:\s*[:：]|[ \u3000]+\S))")

# A label set off from its units by one or two spaces instead of a colon ('牵头单位　县财政局'), in
# labelled lines run together; not a table header's run of labels ('牵头单位    配合单位').
_LABEL_SPACE = rf"[ \u3000]{{1,2}}(?![ \u3000]|{LABEL_WORDS})"

# A role label with no enclosing bracket: opening a sentence ('…整改。牵头单位:A;责任单位:B', or
# '牵头单位　A责任单位　B' with spaces) or
# wrapped in 【】 anywhere ('…监管。【牵头单位】市市场监管局【配合单位】市公安局'); it runs to the
# paragraph end or the next assignment.
_INLINE_LABEL = re.compile(
    rf"(?=[{''.join(sorted({w[0] for w in ROLE_OF_LABEL}))}【\[［])"
    rf"(?:(?P<plain>{ROLE_WORDS})(?:\s*[:：]|{_LABEL_SPACE})|[【\[［]\s*(?:{ROLE_WORDS})\s*[】\]］])"
)


# How the role labels end (单位, 部门, 处室 …): a paragraph with none of them has no inline label, and
# _INLINE_LABEL, which opens with a lookahead, would be tried at every offset to find that out.
_ROLE_ENDINGS = tuple(sorted({word[-2:] for word in ROLE_OF_LABEL}))
_ANY_ROLE_ENDING = re.compile("|".join(map(re.escape, _ROLE_ENDINGS)))


def _opens_sentence(text: str, start: int) -> bool:
    """True when ``start`` begins the text, follows a sentence end ('。牵头单位：…') or a space
    ('…50公里 牵头单位　县交通运输局', parts of an item line set off by spaces)."""
    before = text[max(0, start - 4) : start]
    return not before.strip() or before[-1].isspace() or before.rstrip()[-1] in "。；;"


@dataclass(frozen=True)
class Found:
    """An assignment found in a paragraph: where it is (offsets into the text) and what it says."""

    start: int
    end: int
    assignment: Assignment
    states_convention: bool = False
    bare: bool = False  # a bracket listing units with no role word ('（市教育局、市财政局）')
    unitless: bool = False  # a bracket of duty words with no unit ('（按职责分工负责）')


def _close(text: str, start: int) -> int:
    """Offset of the bracket closing an assignment opened before ``start``, or len(text) if unclosed.

    Closes on 〕 】 or ']' at any depth and on ')' '）' at depth 0: 卫政办发〔2022〕36号 line 1537 closes
    '〔责任单位:…各县(区)人民政府]' with ']', and the '(区)' inside must not close it.
    """
    depth = brackets = 0
    for match in _BRACKET_CHAR.finditer(text, start):  # only the brackets, not every character
        char, index = match.group(), match.start()
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
    inline = _INLINE_LABEL.finditer(text) if _ANY_ROLE_ENDING.search(text) else ()
    for match in inline:
        if taken.covers(match.start()):
            continue
        if match.group("plain") and not _opens_sentence(text, match.start()):
            continue  # '明确责任单位：…' inside a sentence is no assignment run
        index = bisect.bisect_right(bracketed, match.start())
        end = bracketed[index] if index < len(bracketed) else len(text)
        taken.add(
            Found(
                match.start(),
                end,
                parse_labelled(text[match.start() : end], level=level, first_leads=first_leads),
            )
        )
    deadlines: list[tuple[int, int]] = []
    for start, end in _parentheses(text):
        if taken.covers(start):
            continue
        body = text[start + 1 : end]
        if only_deadline(body):
            deadlines.append((start, end))
            continue
        unitless = _unitless(body)
        if unitless is not None:
            taken.add(Found(start, end + 1, unitless, unitless=True))
            continue
        convention = states_first_leads(body)
        body = drop_convention(body)
        if looks_verbal(body):
            leads = first_leads or convention
            taken.add(Found(start, end + 1, parse_verbal(body, level=level, first_leads=leads), convention))
        elif _closes_item(text, start, end) and bare_unit_list(_without_deadline(body)[0]):
            # '…。（市工业和信息化局；各区政府）': units named with no role, read as responsible,
            # with a deadline after them ('（区委督查室、区政府督查室，持续推进）')
            units, deadline = _without_deadline(body)
            assignment = read_assignment(units, level=level, first_leads=first_leads)
            if deadline and not assignment.deadline_text:
                assignment = replace(assignment, deadline_text=deadline)
            taken.add(Found(start, end + 1, assignment, bare=True))
    found = _deadline_labels_joined(text, sorted(taken.found, key=lambda f: f.start))
    return _with_adjacent_deadlines(text, found, deadlines) if deadlines and found else found


def _deadline_labels_joined(text: str, found: list[Found]) -> list[Found]:
    """A labelled deadline with no unit printed right after an assignment is that assignment's
    deadline, not a task of its own: '【责任部门：市税务局】【完成时限：2023年底】'."""
    out: list[Found] = []
    for one in found:
        previous = out[-1] if out else None
        alone = not one.assignment.has_units() and one.assignment.deadline_text and not one.assignment.odd
        if (
            alone
            and previous is not None
            and previous.assignment.has_units()
            and not previous.assignment.deadline_text
            and not text[previous.end : one.start].strip(" 　。；;，,")
        ):
            joined = replace(previous.assignment, deadline_text=one.assignment.deadline_text)
            out[-1] = replace(previous, end=one.end, assignment=joined)
            continue
        out.append(one)
    return out


def _with_adjacent_deadlines(text: str, found: list[Found], deadlines: list[tuple[int, int]]) -> list[Found]:
    """Give an assignment without deadline the deadline bracket printed right after (or before) it:
    '（市市场监管局牵头，市公安局配合）（2023年6月底前）'."""
    out = list(found)
    for start, end in deadlines:
        deadline = text[start + 1 : end].strip().rstrip("。")
        for index, one in enumerate(out):
            after = not text[one.end : start].strip(" 。；;，,")
            before = not text[end + 1 : one.start].strip(" 。；;，,")
            if one.end <= start and after or end < one.start and before:
                if not one.assignment.deadline_text:
                    out[index] = replace(one, assignment=replace(one.assignment, deadline_text=deadline))
                break
    return out


def _unitless(body: str) -> Assignment | None:
    """The assignment of a bracket of duty words with no unit, with its deadline if one is printed:
    '按职责分工负责', '按职能分工落实，2023年12月底前'; None for any other bracket."""
    if "职" not in body and "分" not in body:
        return None  # no 职责, 职能 or 分工 (not even spaced out): most brackets need no splitting
    parts = split_top_level(body, ",，;；")
    if not parts or not unitless_duty(parts[0]) or not all(only_deadline(p) for p in parts[1:]):
        return None
    deadline = "，".join(p.strip() for p in parts[1:]) or None
    return Assignment(deadline_text=deadline)


def _without_deadline(body: str) -> tuple[str, str | None]:
    """A bracket body without the deadline parts that close it: ('A、B', '持续推进') for 'A、B，持续推进'."""
    parts = split_top_level(body, ",，;；")
    kept = len(parts)
    while kept > 1 and only_deadline(parts[kept - 1]):
        kept -= 1
    if kept == len(parts):
        return body, None
    return "，".join(parts[:kept]), "，".join(p.strip() for p in parts[kept:])


def _closes_item(text: str, start: int, end: int) -> bool:
    """True when the bracket ``start``..``end`` follows a sentence end and closes the paragraph."""
    before = text[:start].rstrip()
    return before[-1:] in ("。", "；", ";") and not text[end + 1 :].strip(" 。；;")


def _of_a_government(name: str) -> bool:
    """True for a name with a level or place (市教育局, 深圳市…, 各区政府) or one the lexicon knows."""
    if level_of(name) or name.startswith(("各", "有关")):
        return True
    return starts_with_place(name) or lexicon().is_known_body(name)


def bare_unit_list(body: str) -> bool:
    """True for a bracket body that only lists units, each of them a body of some government or
    known to the lexicon: '市工业和信息化局；各区政府', '省教育厅、省财政厅'."""
    if len(body) > 120 or not body.strip() or LABEL.search(body):
        return False
    names = [n for part in split_top_level(body, ",，;；") for n in split_units(part).names]
    return bool(names) and all(looks_like_unit(n) and _of_a_government(n) for n in names)


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
    """An unbracketed assignment closing a paragraph: '…工作。市发展改革委牵头，市财政局配合。'.

    A bracket holding only a deadline may follow it: '…市应急管理局负责。（2024年6月底前完成）'.
    """
    body_end, deadline = _trailing_deadline(text)
    body_end = len(text[:body_end].rstrip().rstrip("。；;"))
    start = max(text.rfind(mark, 0, body_end) for mark in "。；;！？") + 1
    sentence = text[start:body_end]
    if not has_verb(sentence):
        return None  # it could not end with a verb, with or without a deadline clause
    if not ends_with_verb(sentence):
        # a deadline clause may close the sentence: '由A牵头，B配合，2024年底前完成。'
        sentence, clause = _without_deadline(sentence)
        deadline = deadline or clause
    if not ends_with_verb(sentence) or len(sentence) > 150 or not looks_verbal(sentence, strict=True):
        return None
    offset = start + len(sentence) - len(sentence.lstrip())
    assignment = parse_verbal(sentence, level=level, first_leads=first_leads)
    if deadline and not assignment.deadline_text:
        assignment = replace(assignment, deadline_text=deadline)
    return Found(offset, len(text), assignment)


def trailing_deadline(text: str) -> str | None:
    """The deadline of a bracket closing ``text`` when it holds nothing else: '…。（2023年底前完成）'."""
    return _trailing_deadline(text)[1]


def _trailing_deadline(text: str) -> tuple[int, str | None]:
    """Where a closing deadline-only bracket starts, and its text; (len(text), None) when there is none."""
    stripped = text.rstrip().rstrip("。；;")
    pairs = _parentheses(stripped) if stripped[-1:] in ")）" else []
    if not pairs or pairs[-1][1] != len(stripped) - 1:
        return len(text), None
    start, end = pairs[-1]
    body = stripped[start + 1 : end].strip()
    return (start, body) if only_deadline(body) else (len(text), None)


def _parentheses(text: str) -> list[tuple[int, int]]:
    """(open, close) offsets of outermost parenthesis pairs ( ) or （ ）."""
    pairs: list[tuple[int, int]] = []
    if "(" not in text and "（" not in text:
        return pairs  # most paragraphs: two substring tests instead of a scan for all four marks
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
_BRACKET_CHAR = re.compile(r"[()（）〔〕】\]］]")

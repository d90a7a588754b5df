"""Reading one assignment text into units by role: a bracket body, a labelled run, a table cell.

'牵头单位：A；配合单位：B，2022年底前' is read by its labels (``parse_labelled``), 'A牵头，B、C配合' and
'A会同B负责' by their verbs (``parse_verbal``), a bare list in the role it is read in
(``read_assignment``). The words are the grammar's (``grammar_data``); units are split by
``unit_lists`` and a dropped level prefix restored across the whole assignment (``unit_names``).

What the next stage may rely on: an :class:`Assignment` never holds an empty name; what a
reviewer should see (a list ending in 等, a part that is no unit name) is in ``etc`` and ``odd``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .grammar import (
    LABEL,
    LABEL_WORDS,
    ROLE_OF_LABEL,
    conjoint,
    drop_convention,
    ends_with_verb,
    has_verb,
    split_verb,
    strip_leading_words,
)
from .grammar_data import DEADLINE_LABELS, IGNORED_LABELS
from .lexicon import lexicon
from .unit_lists import split_top_level, split_units
from .unit_names import ends_like_unit_name, level_of, looks_like_unit, restore_prefix

# Text that is a deadline, not a unit: dates, '长期坚持', '分阶段完成', '立行立改' (卫政办发〔2022〕28号/29号 brackets).
DEADLINE_HINT = re.compile(
    r"""\d|[一二三四五六七八九十]+个?(?:工作日|月|年)|长期|持续|完成|立行立改|分阶段|年底|月底|季度
      |上旬|中旬|下旬|每月|每年|每周|常态化|前$|以前|之前|立即|即日|年内|全年|定期|按月|按季""",
    re.VERBOSE,
)

# A unit marked as the lead inside a list: '市审批服务局（牵头）', '市发展改革委(牵头单位)', 'A〔牵头〕'.
LEAD_MARK = re.compile(r"[（(〔]牵头(?:单位|部门)?[)）〕]$")


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
            marked = LEAD_MARK.search(name) if "牵头" in name else None
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
            deadline_text=_DEADLINE_WORD.sub("", self.deadline) or None if self.deadline else None,
            etc=etc,
            odd=tuple(self.odd),
        )


def only_deadline(text: str) -> bool:
    """True for a text that states a deadline and nothing else: '2024年6月底前完成，长期坚持'."""
    if len(text) > 80 or DEADLINE_HINT.search(text) is None:
        return False  # most brackets: checked before splitting
    parts = split_top_level(text.strip().rstrip("。"), ",，;；")
    return bool(parts) and all(_is_deadline_part(p) for p in parts)


def _is_deadline_part(part: str) -> bool:
    """True for a list part that states a deadline, not a unit: '2022年底前完成', '长期坚持'."""
    return (
        DEADLINE_HINT.search(part) is not None and not ends_like_unit_name(part) and not ends_with_verb(part)
    )


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
    deadline = _DEADLINE_WORD.sub("", text[cut:].strip()).rstrip("。;；,，")  # '时间：持续推进'
    return text[:cut].rstrip(",，;；、 "), deadline or None


# A word naming the deadline before it, not a label of the grammar: '时间：持续推进'.
_DEADLINE_WORD = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:时间|时限|期限|节点)\s*[:：]\s*")


def _parts_with_offsets(text: str) -> list[tuple[int, str]]:
    """Top-level parts of ``text`` split on , ， ; ； with their start offsets."""
    parts: list[tuple[int, str]] = []
    depth, start = 0, 0
    for match in _PART_MARK.finditer(text):  # only brackets and separators, not every character
        char, index = match.group(), match.start()
        if char in "(（":
            depth += 1
        elif char in ")）":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append((start, text[start:index]))
            start = index + 1
    parts.append((start, text[start:]))
    return [(s, p) for s, p in parts if p.strip()]


_PART_MARK = re.compile(r"[(（)）,，;；]")


def _add_verbal(builder: _Builder, text: str, default_role: str, first_leads: bool) -> None:
    """Parse 'A牵头，B等部门分工负责' / 'A、B负责' into roles; parts without a verb take ``default_role``."""
    pending: list[str] = []
    for part in split_top_level(text, ",，;；"):
        clause = split_verb(part)
        if clause is None and _is_deadline_part(part):
            # '（教育部负责，2019年底前完成）'; '…，2024年9月前完成，长期坚持' keeps both parts
            builder.deadline = f"{builder.deadline}，{part.strip()}" if builder.deadline else part
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


# A label followed by spaces instead of a colon, anywhere in an assignment run: after a separator, or
# right after the units of the label before when labelled lines were run together
# ('牵头单位　县财政局责任单位　各乡镇人民政府').
_SPACED_LABEL = re.compile(rf"({LABEL_WORDS})[ \u3000]+(?=\S)")


def _with_colon(label: re.Match[str]) -> str:
    # a function, not the template r"\g<1>：": a template is parsed again by every call of sub
    return label.group(1) + "："


def parse_labelled(text: str, *, level: str | None = None, first_leads: bool = False) -> Assignment:
    """Parse labelled assignment text: '牵头单位:A;责任单位:B;配合单位:C,2022年底完成'.

    Labels may be wrapped in 【】 ('【牵头单位】A') and separated by ，；,; or spaces.
    Guarantees: a trailing deadline phrase after the last unit list becomes ``deadline_text``;
    a 完成时限 label does too; '适用范围' is ignored.
    """
    builder = _Builder(level)
    text = _SPACED_LABEL.sub(_with_colon, text)  # '牵头单位 省财政厅' → '牵头单位：省财政厅'
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
    while body[-1:] in (")", "）") and body.count("(") + body.count("（") < body.count(")") + body.count(
        "）"
    ):
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


def _reads_like_sentence(name: str) -> bool:
    """True for a name that reads like a sentence, unless the lexicon knows it (市应急管理局 has 应)."""
    if len(name) > 25:
        return True
    return _SENTENCE_WORDS.search(name) is not None and not lexicon().is_known_body(name)


# A bracket is asked this when closing assignments are folded into their item and again when the
# item's assignments are read (and a document repeats its brackets): each text is judged once.
@lru_cache(maxsize=4096)
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
        return units == len(names) and not any(_reads_like_sentence(n) for n in names)
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
    body = drop_convention(text.strip())
    if LABEL.search(body):
        return parse_labelled(body, level=level, first_leads=first_leads)
    builder = _Builder(level)
    _add_units(builder, strip_leading_words(body.rstrip("。;；,，")), role, first_leads)
    return builder.build()

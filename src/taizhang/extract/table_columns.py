"""Column headers of task tables, recognised by name, and what a header row says about its table.

Task tables come in many layouts: a national 重点任务分工表 (序号 | 重点任务 | 牵头单位 | 参加单位 |
完成时限), a provincial 整改清单 (序号 | 问题 | 整改措施 | 责任单位 | 整改时限), a city 台账 with a
title row and merged header cells (责任单位 over 牵头单位 | 配合单位), this gazette's own
卫政发〔2022〕15号 (序号 | 重大决策事项名称 | 承办部门 | 完成时间, line 139). Which column holds what
is read from the header words below, kept as data; a header printed over two rows is read column
by column, the lower (more specific) row first.

Guarantees: a column is recognised by its words only, never by its position; a header cell that
names no known column leaves that column unrecognised (``None``), never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# What each kind of column is called. A cell is matched whole first, then by the longest word it
# contains ('重大决策事项名称' → 名称 → task; '整改责任单位' → responsible). Progress columns are
# looked for first: '工作任务推进落实及进展情况' (卫政办发〔2022〕29号 line 1278) asks for progress
# and makes the table a reporting form, whatever else it names.
COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("progress", ("进展情况", "进展", "落实情况", "完成情况", "推进情况", "进度情况", "办理情况")),
    (
        "ignored",
        ("责任领导", "牵头领导", "分管领导", "责任人", "联系人", "备注", "投资渠道", "资金来源", "文号"),
    ),
    ("number", ("序号", "编号")),
    ("lead", ("牵头单位", "牵头部门", "主办单位", "主责单位", "牵头责任单位", "牵头")),
    (
        "responsible",
        (
            "责任单位",
            "责任部门",
            "承办单位",
            "承办部门",
            "负责单位",
            "负责部门",
            "实施单位",
            "责任主体",
            "责任分工",
            "落实单位",
            "整改责任单位",
            "具体责任单位",
            "主体责任单位",
        ),
    ),
    (
        "cooperating",
        ("配合单位", "配合部门", "参加单位", "参加部门", "参与单位", "协办单位", "协助单位", "协同单位"),
    ),
    (
        "deadline",
        (
            "完成时限",
            "完成时间",
            "完成期限",
            "时间节点",
            "整改时限",
            "整改期限",
            "出台时间",
            "办结时限",
            "时限要求",
            "时间要求",
            "截止时间",
            "时间进度",
            "进度安排",
            "时限",
            "完成时间节点",
        ),
    ),
    (
        "task",
        (
            "重点任务",
            "主要任务",
            "工作任务",
            "具体任务",
            "任务内容",
            "任务名称",
            "目标任务",
            "任务",
            "具体措施",
            "整改措施",
            "工作措施",
            "主要措施",
            "推进措施",
            "政策措施",
            "措施",
            "工作内容",
            "主要内容",
            "具体内容",
            "内容",
            "重点工作",
            "工作事项",
            "事项名称",
            "事项",
            "项目名称",
            "名称",
            "工作要点",
        ),
    ),
    ("problem", ("问题", "存在问题", "问题描述", "反馈问题", "主要问题", "问题清单", "问题表现")),
    ("target", ("整改目标", "工作目标", "目标", "预期成效", "预期目标", "成果形式")),
    ("group", ("类别", "领域", "分类", "板块", "阶段")),
    # A decision catalogue marks the procedures each decision goes through, one column each
    # (公众参与 | 专家论证 | 风险评估 | 合法性审查 | 集体讨论决定, as 《重大行政决策程序暂行条例》 names
    # them); the decision stage reads the marks, the task reader leaves them alone.
    ("procedure", ("公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论决定", "履行程序", "决策程序")),
    # An indicator table assigns figures, not work (卫政办发〔2022〕28号 附件2 line 1141); the indicator
    # stage reads it.
    ("indicator", ("指标", "指标名称", "考核指标", "评价指标", "监测指标", "目标值", "指标值")),
)
UNIT_KINDS = ("lead", "responsible", "cooperating")  # 牵头, 责任, 配合

# Words that name a column only when they are the whole cell: '序' in a narrow 序号 column,
# '时间' for a deadline column.
_WHOLE_ONLY = {"序": "number", "时间": "deadline"}
_WORDS = sorted(((w, kind) for kind, words in COLUMN_WORDS[1:] for w in words), key=lambda x: -len(x[0]))
_EXACT = {w: kind for kind, words in COLUMN_WORDS for w in words}
# The kind of a cell that is a column word as a whole, the first of _WORDS winning as in their loop.
_WORD_KIND: dict[str, str] = {}
for _word, _kind in _WORDS:
    _WORD_KIND.setdefault(_word, _kind)
# Any column word, longest first: most cells (figures, names, task text) hold none, and one search
# says so where a loop over every word would test each in turn.
_ANY_WORD = re.compile("|".join(re.escape(word) for word, _ in _WORDS))
_PROGRESS = COLUMN_WORDS[0][1]
# Parentheses in a header cell explain it: '责任单位（列第一位的为牵头单位）', '完成时限（年月）'.
_PARENTHETICAL = re.compile(r"[(（][^()（）]*[)）]")
_SPACES = re.compile(r"\s+")
# A label followed by its text ('责任单位：市财政局'), as an item's label line prints it.
_LABEL_WITH_TEXT = re.compile(r"[:：]\S")


@lru_cache(maxsize=4096)
def column_kind(cell: str) -> str | None:
    """What a header cell names (``task``, ``lead``, ``deadline`` ...) or None."""
    text = _SPACES.sub("", cell)
    if any(word in text for word in _PROGRESS):
        return "progress"  # '工作任务推进落实及进展情况(包括主要做法、成效和存在问题)' is a long header
    if not text or len(text) > 24 or _LABEL_WITH_TEXT.search(text):
        return None  # '责任单位：市财政局' is a label with its units, not a column name
    bare = _PARENTHETICAL.sub("", text) or text
    if bare in _WHOLE_ONLY:
        return _WHOLE_ONLY[bare]
    if bare in _WORD_KIND:
        return _WORD_KIND[bare]
    if _ANY_WORD.search(bare) is None:
        return None
    for word, kind in _WORDS:  # the longest word held names the column
        if word in bare:
            return kind
    return None


def exact_kind(cell: str) -> str | None:
    """What a header cell names when it is a column word as a whole ('序号'), not merely holding one."""
    text = _PARENTHETICAL.sub("", _SPACES.sub("", cell))
    return _WHOLE_ONLY.get(text) or _EXACT.get(text)


def is_header_row(cells: tuple[str, ...]) -> bool:
    """True for a row that names columns: two at least, and at least half of its cells, no figure.

    '序号 | 重点任务 | 牵头单位 | 评估方式' is a header with one column of no known kind; a data row
    never starts with a row number or holds a date.
    """
    filled = [c for c in cells if c.strip()]
    if any(_DATA_CELL.match(c) for c in filled):
        return False
    named = sum(1 for c in filled if column_kind(c))
    return named >= 2 and named * 2 >= len(filled)


# A cell no header holds: a row number, a year or a date.
_DATA_CELL = re.compile(r"^\s*(?:[(（]?\d{1,3}[)）.．、]?|\d{4}\s*年.*)\s*$")


@dataclass(frozen=True)
class Columns:
    """What each column of a table holds, read from its header rows."""

    kinds: tuple[str | None, ...]
    names: tuple[str, ...]  # the header text of each column, rows joined with '/'
    header: tuple[tuple[str, ...], ...]  # the header rows as printed

    def first(self, kind: str) -> int | None:
        """Index of the first column of ``kind``."""
        return self.kinds.index(kind) if kind in self.kinds else None

    @property
    def number(self) -> int | None:
        """The 序号 column."""
        return self.first("number")

    @property
    def deadline(self) -> int | None:
        """The deadline column (完成时限, 时间节点, 整改时限 ...)."""
        return self.first("deadline")

    @property
    def task(self) -> int | None:
        """The column that names the work: the rightmost task column (具体措施 right of 重点工作), else 问题."""
        tasks = [i for i, kind in enumerate(self.kinds) if kind == "task"]
        return tasks[-1] if tasks else self.first("problem")

    @property
    def groups(self) -> tuple[int, ...]:
        """Columns a row inherits from the row above when empty (merged cells): task, problem, group."""
        return tuple(i for i, kind in enumerate(self.kinds) if kind in ("task", "problem", "group"))

    @property
    def units(self) -> tuple[tuple[int, str], ...]:
        """(column, role) of every unit column, in order."""
        return tuple((i, kind) for i, kind in enumerate(self.kinds) if kind in UNIT_KINDS)

    def verdict(self) -> str:
        """``tasks`` (rows are work items), ``form`` (a progress report form), ``matrix`` (units but
        neither a deadline nor row numbers), ``no_task_column`` (units and a deadline but nothing
        naming the work) or ``other`` (an indicator table, a table without units)."""
        if "progress" in self.kinds:
            return "form"
        if not self.units:
            return "other"
        if self.task is None:
            return (
                "no_task_column" if self.deadline is not None and "indicator" not in self.kinds else "other"
            )
        if self.deadline is None and self.number is None:
            return "matrix"
        return "tasks"


def read_header(rows: list[tuple[str, ...]]) -> Columns:
    """The columns named by header rows printed one above the other (merged cells left empty).

    Each column takes its kind from the lowest row that names it: under '责任单位' spanning two
    columns, a second row '牵头单位 | 配合单位' decides; a cell merged down from the first row
    ('序号', '完成时限') is empty in the second and the first row's word holds.
    """
    width = max((len(r) for r in rows), default=0)
    kinds: list[str | None] = []
    names: list[str] = []
    for index in range(width):
        cells = [r[index].strip() for r in rows if index < len(r) and r[index].strip()]
        found = [column_kind(c) for c in cells]
        kinds.append(next((k for k in reversed(found) if k), None))
        names.append("/".join(_SPACES.sub("", c) for c in cells))
    return Columns(kinds=tuple(kinds), names=tuple(names), header=tuple(rows))


def spell_header(text: str) -> list[str] | None:
    """Column words that spell ``text`` with nothing between them ('序号重点任务牵头单位'), or None."""
    if len(text) > 60:
        return None
    words: list[str] = []
    position = 0
    while position < len(text):
        # the alternation tries _WORDS in their order, so the match is the first word printed here
        word = _ANY_WORD.match(text, position)
        if word is None:
            return None
        words.append(word.group())
        position = word.end()
    return words

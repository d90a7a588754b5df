"""Tasks from tables whose rows are work items: a name column, a unit column and a deadline column.

卫政发〔2022〕15号 lists its decisions as '序号 | 重大决策事项名称 | 承办部门 | 完成时间' (line 139) and
卫政办发〔2022〕28号 附件1 its documents to issue as '序号 | 配套文件名称 | 牵头单位 | 出台时间' (line 1124).
Tables without a deadline column are responsibility matrices (卫政办发〔2022〕19号 附件 line 632,
卫政办发〔2022〕36号 附件 line 1581), and tables with a progress column are reporting forms that
restate the text's tasks (卫政办发〔2022〕29号 附件 line 1278: '工作任务推进落实及进展情况'); neither
makes tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .assignments import FIRST_LEADS, parse_labelled
from .cleanup import is_page_number
from .deadlines import parse_deadline
from .model import Document, Task
from .spans import SourceText, Span
from .task_flags import task_flags
from .units import UnitDirectory

# Unit column headers and the role they give: 承办部门 (卫政发〔2022〕15号 line 139), 牵头单位
# (卫政办发〔2022〕28号 line 1124), 责任单位/责任部门/负责部门/责任分工.
_UNIT_HEADERS = (
    ("牵头单位", "牵头单位"),
    ("牵头部门", "牵头单位"),
    ("承办部门", "责任单位"),
    ("承办单位", "责任单位"),
    ("责任单位", "责任单位"),
    ("责任部门", "责任单位"),
    ("负责部门", "责任单位"),
    ("负责单位", "责任单位"),
    ("责任分工", "责任单位"),
)
_COOPERATING_HEADERS = ("配合单位", "配合部门", "协办单位")
# Deadline column headers: 完成时间 (line 139), 出台时间 (line 1124), 完成时限, 时限.
_DEADLINE_HEADER = re.compile(r"完成时间|完成时限|出台时间|完成期限|时限|时间节点|时间进度|进度安排|截止时间")
# A column that asks for progress makes the table a reporting form (卫政办发〔2022〕29号 line 1278).
_PROGRESS_HEADER = re.compile(r"进展|落实情况|完成情况")
_NAME_HEADER = re.compile(r"名称|事项|任务|文件|内容|项目")
_ROW_NUMBER = re.compile(r"^\s*[(（]?\d{1,3}[)）.．、]?\s*$")


@dataclass(frozen=True)
class _Columns:
    """Where a task table keeps each field: the name, each unit column with its label, the deadline."""

    name: int
    units: tuple[tuple[int, str], ...]  # (column, 牵头单位/责任单位/配合单位)
    deadline: int
    numbered: bool  # the first column is 序号


@dataclass
class _Reading:
    """What a row needs from its document: the document, directory, level and the lead convention."""

    document: Document
    directory: UnitDirectory | None
    level: str | None
    first_leads: bool = False  # '列第一位者为牵头单位' was stated above the table


def table_tasks(
    source: SourceText,
    document: Document,
    directory: UnitDirectory | None,
    *,
    level: str | None,
) -> list[Task]:
    """Tasks from the document's work-item tables, one per numbered row.

    Guarantees: a row becomes a task only under a header with a unit and a deadline column and
    no progress column; an empty name cell (merged over rows) takes the name of the row above.
    """
    reading = _Reading(document, directory, level)
    tasks: list[Task] = []
    columns: _Columns | None = None
    previous_name = ""
    for number, line in source.numbered(document.span):
        if "\t" not in line:
            if line.strip() and not is_page_number(line):
                columns = None  # text between tables ends the table
                reading.first_leads = reading.first_leads or FIRST_LEADS.search(line) is not None
            continue
        cells = [c.strip() for c in line.split("\t")]
        header = _columns(cells)
        if header is not None or _is_header(cells):
            columns, previous_name = header, ""
            continue
        if columns is None or (columns.numbered and not _ROW_NUMBER.match(cells[0])):
            continue
        name = _cell(cells, columns.name) or previous_name
        previous_name = name
        if name and any(_cell(cells, i) for i, _ in columns.units):
            task = _row_task(reading, columns, number, line, name)
            # Without row numbers a row must name units to count (not a subtotal or a note).
            if columns.numbered or not any(f.kind in ("unsplit_units", "no_units") for f in task.flags):
                tasks.append(task)
    return tasks


def _row_task(reading: _Reading, columns: _Columns, number: int, line: str, name: str) -> Task:
    """The task of one table row."""
    cells = [c.strip() for c in line.split("\t")]
    labelled = ";".join(f"{label}:{_cell(cells, i)}" for i, label in columns.units if _cell(cells, i))
    deadline_text = _cell(cells, columns.deadline) or None
    parsed = parse_labelled(labelled, level=reading.level, first_leads=reading.first_leads)
    assignment = replace(parsed, deadline_text=deadline_text)
    document = reading.document
    year = document.date.year if document.date else None
    deadline = parse_deadline(deadline_text, year=year, signed=document.date)
    return Task(
        doc_number=document.doc_number,
        source="table",
        label=re.sub(r"[^\d]", "", cells[0]) if columns.numbered else None,
        title=name,
        lead=assignment.lead,
        responsible=assignment.responsible,
        cooperating=assignment.cooperating,
        deadline_text=deadline_text,
        deadline=deadline,
        line=number,
        span=Span(number, number),
        body=line,
        flags=task_flags(assignment, deadline, reading.directory, line=number, doc_number=document.doc_number),
    )


def _cell(cells: list[str], index: int) -> str:
    return cells[index].strip() if index < len(cells) else ""


def _is_header(cells: list[str]) -> bool:
    """True for any header row (序号 ...), task table or not."""
    return bool(cells) and cells[0].strip() in ("序号", "类别", "阶段") or any(c.strip() == "序号" for c in cells)


def _columns(cells: list[str]) -> _Columns | None:
    """The columns of a task-table header row, or None when the row is not one."""
    if any(_PROGRESS_HEADER.search(c) for c in cells):
        return None
    units = tuple((i, label) for i, c in enumerate(cells) for label in _unit_label(c))
    deadline = next((i for i, c in enumerate(cells) if _DEADLINE_HEADER.search(c)), None)
    if not units or deadline is None:
        return None
    numbered = "序号" in cells[0] or "编号" in cells[0]
    taken = {i for i, _ in units} | {deadline} | ({0} if numbered else set())
    free = [i for i in range(len(cells)) if i not in taken]
    name = next((i for i in free if _NAME_HEADER.search(cells[i])), free[0] if free else 0)
    return _Columns(name=name, units=units, deadline=deadline, numbered=numbered)


def _unit_label(header: str) -> list[str]:
    """The role label of a unit column header ('承办部门' → 责任单位), or [] for other columns."""
    for word, label in _UNIT_HEADERS:
        if word in header:
            return [label]
    if any(word in header for word in _COOPERATING_HEADERS):
        return ["配合单位"]
    return []

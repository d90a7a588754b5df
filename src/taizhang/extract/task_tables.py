"""Tasks from tables whose rows are work items: a column naming the work, unit columns, a deadline.

卫政发〔2022〕15号 lists its decisions as '序号 | 重大决策事项名称 | 承办部门 | 完成时间' (line 139) and
卫政办发〔2022〕28号 附件1 its documents to issue as '序号 | 配套文件名称 | 牵头单位 | 出台时间' (line 1124);
other governments print 重点任务分工表 (序号 | 重点任务 | 牵头单位 | 参加单位 | 完成时限) and 整改清单
(序号 | 问题 | 整改措施 | 责任单位 | 整改时限). Which column is which is read from the header
(``table_columns``); rows wrapped over several lines are joined first (``table_rows``).

Tables with units but neither a deadline nor a 序号 column are responsibility matrices
(卫政办发〔2022〕19号 附件 line 632, 卫政办发〔2022〕36号 附件 line 1581), and tables with a progress
column are reporting forms that restate the text's tasks (卫政办发〔2022〕29号 附件 line 1278: '工作任务推进
落实及进展情况'); neither makes tasks. A table that looks like a task table but cannot be read is
a review item (:func:`table_flags`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .model import Document, Flag, Task
from .spans import SourceText, Span
from .table_grammar import Assignment, cell_deadline, cells_assignment, states_first_leads
from .table_layout import read_tables
from .table_notes import TableNotes, notes_of
from .table_rows import ReadTable, TableRow, row_number
from .task_flags import task_flags
from .units import UnitDirectory

# A total row, not a work item.
_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|小\s*计|共\s*计)\s*$")


@dataclass(frozen=True)
class _Reading:
    """What the rows of one table need from their document and the table's notes."""

    document: Document
    directory: UnitDirectory | None
    level: str | None
    first_leads: bool
    notes: TableNotes
    source: SourceText


def table_tasks(
    source: SourceText,
    document: Document,
    directory: UnitDirectory | None,
    *,
    level: str | None,
) -> list[Task]:
    """Tasks from the document's work-item tables, one per row.

    Guarantees: a row becomes a task only in a table whose header names the work, a unit column
    and a deadline or 序号 column, and no progress column; a 序号 table's rows without a number
    (headings, totals) and other tables' rows without units make none; an empty name cell
    (merged over rows) takes the name of the row above; each task spans the lines its row was
    printed on and carries its page when the source has pages.
    """
    stated_from = _convention_line(source, document.span)
    tasks: list[Task] = []
    for table in read_tables(source, document.span).tables:
        if table.columns.verdict() != "tasks":
            continue
        notes = notes_of(source, table.header_line, table.end, document.span, level=level)
        first_leads = (
            notes.first_leads
            or any(states_first_leads(name) for name in table.columns.names)
            or (stated_from is not None and stated_from < table.header_line)
        )
        reading = _Reading(document, directory, level, first_leads, notes, source)
        tasks.extend(_tasks_of(table, reading))
    return tasks


def table_flags(source: SourceText, document: Document) -> list[Flag]:
    """Review items for the document's tables that could not be read, with the reason and line."""
    reading = read_tables(source, document.span)
    flags = [Flag("unreadable_table", p.line, p.message, document.doc_number) for p in reading.problems]
    for table in reading.tables:
        if table.columns.verdict() == "no_task_column":
            message = (
                f"第{table.header_line}行的表格有单位列，但没有可识别的任务列（如“重点任务”“工作任务”“具体措施”），"
                "各行未能读成任务"
            )
            flags.append(Flag("unreadable_table", table.header_line, message, document.doc_number))
    return sorted(flags, key=lambda f: f.line)


def table_lines(source: SourceText, document: Document, *, level: str | None = None) -> frozenset[int]:
    """The lines of the document's task tables and of the notes read with them: text that the
    text stage must not read again (an aligned table's rows, '注：各项任务均需各县（区）政府落实')."""
    lines: set[int] = set()
    for table in read_tables(source, document.span).tables:
        if table.columns.verdict() == "tasks":
            lines.update(table.span.lines())
            lines.update(notes_of(source, table.header_line, table.end, document.span, level=level).lines)
    return frozenset(lines)


def _convention_line(source: SourceText, span: Span) -> int | None:
    """The first line of text stating '列第一位者为牵头单位' in the document, if any."""
    text = source.text(span)
    if "第一位" not in text and "首位" not in text:
        return None
    for number, text in source.numbered(span):
        if "\t" not in text and ("第一位" in text or "首位" in text) and states_first_leads(text):
            return number
    return None


def _tasks_of(table: ReadTable, reading: _Reading) -> list[Task]:
    """The tasks of one table's rows."""
    columns = table.columns
    merged: dict[int, str] = {}  # the last text of each column a merged cell leaves empty below
    tasks: list[Task] = []
    for row in table.rows:
        label = None
        if columns.number is not None:
            number = row.cell(columns.number)
            label = row_number(number or merged.get(columns.number, ""))
            if number and label is None:
                merged.clear()
                continue  # a heading or total printed in the 序号 column
        filled = [c for c in row.cells if c]
        if label is None and (len(filled) == 1 or any(_TOTAL.match(c) for c in filled)):
            merged.clear()
            continue  # a heading across the table, or a total
        cells = list(row.cells)
        for index in (*columns.groups, *([columns.number] if columns.number is not None else [])):
            merged[index] = cells[index] = cells[index] or merged.get(index, "")
        task = _row_task(row, cells, label, table, reading)
        if task is not None:
            tasks.append(task)
    return tasks


def _row_task(
    row: TableRow, cells: list[str], label: str | None, table: ReadTable, reading: _Reading
) -> Task | None:
    """The task of one row, or None for a row of an unnumbered table that names no unit."""
    columns = table.columns
    title = cells[columns.task] if columns.task is not None else ""
    units = [(role, row.cell(index)) for index, role in columns.units]
    assignment = cells_assignment(units, level=reading.level, first_leads=reading.first_leads)
    if label is None and (not assignment.has_units() or assignment.odd or not title):
        return None
    assignment = _with_notes(assignment, reading.notes)
    deadline_text = row.cell(columns.deadline) or assignment.deadline_text
    document = reading.document
    deadline = cell_deadline(deadline_text, document.date)
    assignment = replace(assignment, deadline_text=deadline_text)
    line = row.line
    return Task(
        doc_number=document.doc_number,
        source="table",
        label=label,
        title=title or next((c for c in row.cells if c and c != row.cell(columns.number)), ""),
        lead=assignment.lead,
        responsible=assignment.responsible,
        cooperating=assignment.cooperating,
        deadline_text=deadline_text,
        deadline=deadline,
        line=line,
        span=row.span,
        body="\t".join(cells),
        flags=task_flags(assignment, deadline, reading.directory, line=line, doc_number=document.doc_number),
        page=reading.source.page_of(line),
    )


def _with_notes(assignment: Assignment, notes: TableNotes) -> Assignment:
    """The row's units plus those a note adds to every row, each unit once."""
    if not notes.units:
        return assignment
    roles = {
        "lead": list(assignment.lead),
        "responsible": list(assignment.responsible),
        "cooperating": list(assignment.cooperating),
    }
    named = {n for names in roles.values() for n in names}
    for role, name in notes.units:
        if name not in named:
            roles[role].append(name)
            named.add(name)
    return replace(
        assignment,
        lead=tuple(roles["lead"]),
        responsible=tuple(roles["responsible"]),
        cooperating=tuple(roles["cooperating"]),
    )

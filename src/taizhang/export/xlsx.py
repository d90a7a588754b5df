"""The ledger as an Excel workbook (台账), in the columns a supervision office keeps.

Sheets: ``全部任务`` (all tasks) first, then one sheet per document named by its 发文字号.
Columns: 序号, 文件, 任务, 牵头单位, 责任单位, 配合单位, 完成时限, 截止日期, 状态, 进展情况, 来源行,
督办情况 (催办2次、督办函1件、约谈1次: the escalation steps of all the task's units), 逾期 (是 / 否 on
the day of export, by the one definition of late in ``ledger.standing``).
The header row is frozen and filtered; 截止日期 holds real dates; units are written as the
gazette prints them; 进展情况 is the latest progress report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.engine import Connection

from ..ledger.standing import is_late
from ..services.escalation import counts as escalation_counts
from ..services.queries import TaskFilter, list_tasks

ALL_TASKS_SHEET = "全部任务"
COLUMNS = (
    "序号",
    "文件",
    "任务",
    "牵头单位",
    "责任单位",
    "配合单位",
    "完成时限",
    "截止日期",
    "状态",
    "进展情况",
    "来源行",
    "督办情况",
    "逾期",
)
WIDTHS = (6, 24, 48, 26, 30, 26, 22, 12, 10, 40, 8, 30, 6)
LATE_WORDS = {True: "是", False: "否"}
DATE_FORMAT = "yyyy-mm-dd"
MAX_SHEET_NAME = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass
class ExportResult:
    """The sheets written and the number of task rows in the all-tasks sheet."""

    path: Path | None  # None when written to a stream
    sheets: list[str] = field(default_factory=list)
    tasks: int = 0


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name: forbidden characters dropped, at most 31 characters."""
    base = _FORBIDDEN.sub("", wanted).strip("' ") or "文件"
    name, n = base[:MAX_SHEET_NAME], 1
    while name.lower() in {t.lower() for t in taken}:
        n += 1
        suffix = f"~{n}"
        name = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name)
    return name


def _printed(task: dict[str, Any], role: str) -> str:
    return "、".join(u["printed"] for u in task["units"] if u["role"] == role)


def escalation_text(steps: dict[str, int]) -> str:
    """催办2次、督办函1件、约谈1次: what a task's units drew, empty when nothing."""
    words = (("催办", "次"), ("督办函", "件"), ("约谈", "次"))
    return "、".join(f"{step}{steps[step]}{unit}" for step, unit in words if steps.get(step))


def task_row(number: int, task: dict[str, Any], escalated: str = "", as_of: date | None = None) -> list[Any]:
    """One ledger row for a task as list_tasks returns it; ``escalated`` is its 督办情况, ``as_of``
    the day its 逾期 is judged on (today when not given)."""
    late = is_late(task["status"], task.get("deadline_kind"), task["due_on"], as_of or date.today())
    report = task.get("latest_report")
    return [
        number,
        task["doc_number"] or task["document_title"],
        task["title"],
        _printed(task, "lead"),
        _printed(task, "responsible"),
        _printed(task, "cooperating"),
        task["deadline_text"] or "",
        task["due_on"],
        task["status"],
        report["summary"] if report else "",
        task["line"],
        escalated,
        LATE_WORDS[late],
    ]


def _write_sheet(
    sheet: Worksheet, rows: list[dict[str, Any]], escalated: dict[int, str], as_of: date
) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for number, task in enumerate(rows, start=1):
        sheet.append(task_row(number, task, escalated.get(task["id"], ""), as_of))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
        row[COLUMNS.index("截止日期")].number_format = DATE_FORMAT
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(1, len(rows) + 1)}"


def _escalated(conn: Connection) -> dict[int, str]:
    """task id → its 督办情况, the steps of all its units added up."""
    totals: dict[int, dict[str, int]] = {}
    for (task_id, _unit), steps in escalation_counts(conn).items():
        mine = totals.setdefault(task_id, {})
        for step, n in steps.items():
            mine[step] = mine.get(step, 0) + n
    return {task_id: escalation_text(steps) for task_id, steps in totals.items()}


# Above this many ids, select every task and keep the wanted ones in Python: a database takes
# only so many bound parameters in one statement.
_MAX_BOUND_IDS = 5000


def _selected(
    conn: Connection, unit: str | None, document: str | None, task_ids: list[int] | None
) -> list[dict[str, Any]]:
    if task_ids is None or len(task_ids) > _MAX_BOUND_IDS:
        items = list_tasks(conn, TaskFilter(unit=unit, document=document, limit=None)).items
        if task_ids is None:
            return items
        wanted = set(task_ids)
        return [t for t in items if t["id"] in wanted]
    return list_tasks(conn, TaskFilter(unit=unit, document=document, ids=tuple(task_ids), limit=None)).items


def write_ledger(
    conn: Connection,
    out: str | Path | BinaryIO,
    *,
    unit: str | None = None,
    document: str | None = None,
    task_ids: list[int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    as_of: date | None = None,
) -> ExportResult:
    """Write the tasks a unit/document filter (and optional list of ids) selects as a workbook.

    ``out`` is a path or a binary stream (a web response body). ``progress`` hears
    ("write", rows written, rows in all) after each sheet: every task is written twice, on the
    sheet of all tasks and on its document's.

    Raises:
        UnknownUnit, NotFound: the unit or document does not exist.
    """
    items = _selected(conn, unit, document, task_ids)
    day = as_of or date.today()  # 逾期 is judged on this day
    result = ExportResult(path=Path(out) if isinstance(out, (str, Path)) else None, tasks=len(items))
    book = Workbook()
    taken: set[str] = set()
    first = book.active
    first.title = sheet_name(ALL_TASKS_SHEET, taken)
    escalated = _escalated(conn)
    tick = progress or (lambda stage, done, total: None)
    tick("write", 0, 2 * len(items))
    _write_sheet(first, items, escalated, day)
    written = len(items)
    tick("write", written, 2 * len(items))
    by_document: dict[int, list[dict[str, Any]]] = {}
    for task in items:
        by_document.setdefault(task["document_id"], []).append(task)
    for rows in by_document.values():
        wanted = rows[0]["doc_number"] or f"文件{rows[0]['document_id']}"
        _write_sheet(book.create_sheet(sheet_name(wanted, taken)), rows, escalated, day)
        written += len(rows)
        tick("write", written, 2 * len(items))
    result.sheets = book.sheetnames
    book.save(out)
    return result


def write_ledger_xlsx(
    conn: Connection,
    out: str | Path | BinaryIO,
    *,
    task_ids: list[int] | None = None,
    unit: str | None = None,
    document: str | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    as_of: date | None = None,
) -> ExportResult:
    """The web's export link: :func:`write_ledger` for the tasks a ledger page shows."""
    return write_ledger(
        conn, out, unit=unit, document=document, task_ids=task_ids, progress=progress, as_of=as_of
    )

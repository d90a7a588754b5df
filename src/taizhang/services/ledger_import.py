"""Import a ledger the office already keeps in Excel (台账): one task per row.

The header row is found among the first rows (a title row above it is skipped, merged header
cells are read as their value, a two-row header uses the lower row's names); its columns are
recognised by name (序号, 任务/工作任务/重点任务, 牵头单位, 责任单位, 配合单位, 完成时限 ...) and the
mapping can be corrected by the caller. Units and deadlines go through the same parsers as
documents. One wrong row refuses the whole workbook, each reason naming the sheet, the row and
the column; a row already in the ledger (same source, same task) is skipped, so importing a
workbook twice changes nothing. ``taizhang export xlsx`` writes a workbook this reads back.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, UnknownUnit
from ..extract.model import Deadline
from ..ledger import permissions as perm
from ..storage.tables import tasks
from . import intake
from .intake import (
    ROLE_NAMES,
    TaskDraft,
    insert_task,
    read_deadline,
    resolve_printed,
    row_level,
    source_document,
    unit_names,
)
from .user_info import UserInfo

# field → (its name on the preview, the header words that mean it); exact names win over contained ones
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "number": ("序号", ("序号", "编号")),
    "source": ("文件", ("文件", "任务来源", "文件名称", "文号", "来源")),
    "title": (
        "任务",
        ("工作任务", "重点任务", "任务内容", "具体任务", "主要任务", "工作内容", "工作事项", "任务", "事项"),
    ),
    "lead": ("牵头单位", ("牵头单位", "牵头部门")),
    "responsible": ("责任单位", ("责任单位", "责任部门", "承办单位", "承办部门", "主办单位", "落实单位")),
    "cooperating": ("配合单位", ("配合单位", "配合部门", "协办单位", "参与单位", "参加单位")),
    "deadline": ("完成时限", ("完成时限", "完成时间", "时间节点", "时限要求", "办结时限", "时限")),
    "due": ("截止日期", ("截止日期",)),
}
IGNORED = ("来源行", "状态", "进展情况", "进展", "备注", "完成情况", "督办情况", "逾期")
HEADER_ROWS_SCANNED = 15
CN_NUMERALS = "一二三四五六七八九十"
MAX_ERRORS_SHOWN = 10


@dataclass(frozen=True)
class LedgerRow:
    """One task row as read: its row number in the sheet and the texts of the mapped columns."""

    row: int
    label: str | None
    source: str | None
    title: str
    lead: str
    responsible: str
    cooperating: str
    deadline_text: str | None
    due: date | None
    deadline: Deadline | None = None


@dataclass
class LedgerPreview:
    """What the workbook holds: the sheet and header used, the column mapping, rows and errors."""

    sheet: str
    header_row: int
    columns: list[tuple[int, str]]  # (0-based index, header text)
    mapping: dict[str, int]
    title: str | None  # a title row above the header, if any
    rows: list[LedgerRow] = field(default_factory=list)
    headings: int = 0  # category rows (一、…) that are not tasks
    errors: list[str] = field(default_factory=list)
    more_sheets: list[str] = field(default_factory=list)  # further sheets read, each by its own header
    unread_sheets: list[str] = field(default_factory=list)  # sheets without a recognisable header row
    sheets: list[SheetColumns] = field(default_factory=list)  # every sheet read, first one first


@dataclass(frozen=True)
class SheetColumns:
    """One sheet read: where its header is, its columns and the mapping used (the preview's fix form)."""

    sheet: str
    header_row: int
    columns: list[tuple[int, str]]
    mapping: dict[str, int]


@dataclass
class LedgerImport:
    """The outcome: tasks created and rows skipped because the ledger already has them."""

    created: int = 0
    skipped: int = 0
    task_ids: list[int] = field(default_factory=list)
    unread_sheets: list[str] = field(default_factory=list)  # sheets without a header row: reported, not read


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def classify(header: str) -> str | None:
    """The field a header names, or None."""
    text = "".join(header.split())
    if not text or text in IGNORED:
        return None
    for name, (_, words) in FIELDS.items():
        if text in words:
            return name
    best: tuple[int, str] | None = None
    for name, (_, words) in FIELDS.items():
        for word in words:
            if word in text and (best is None or len(word) > best[0]):
                best = (len(word), name)
    return best[1] if best else None


def _mapping(headers: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = classify(header)
        if name is not None and name not in found:
            found[name] = index
    return found


def _is_header(mapping: Mapping[str, int]) -> bool:
    return "title" in mapping and any(role in mapping for role in ROLE_NAMES)


def _grid(sheet: Worksheet) -> list[list[Any]]:
    """The sheet's values with every merged range filled with its top-left value."""
    grid = [list(row) for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(grid) and c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
    return grid


def _find_header(grid: list[list[Any]]) -> tuple[int, list[str]] | None:
    """(last header row, 1-based; the header texts), a two-row header read as its lower names."""
    for r in range(min(HEADER_ROWS_SCANNED, len(grid))):
        texts = [_text(v) for v in grid[r]]
        if not _is_header(_mapping(texts)):
            continue
        if r + 1 < len(grid):
            lower = [_text(v) for v in grid[r + 1]]
            combined = [low if classify(low) else up for up, low in zip(texts, lower, strict=False)]
            if _is_header(_mapping(lower)) or (
                len(_mapping(combined)) > len(_mapping(texts))
                and not any(isinstance(v, (int, float)) for v in grid[r + 1])
            ):
                return r + 2, combined
        return r + 1, texts
    return None


def _open(source: str | Path | bytes, label: str) -> Any:
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        return load_workbook(BytesIO(data), data_only=True)
    except FileNotFoundError:
        raise InvalidInput(f"{label}：文件不存在") from None
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"{label}：不是有效的 Excel 工作簿（.xlsx）：{exc.__class__.__name__}") from None


def _is_heading(values: list[str], number: str) -> bool:
    """A category row (一、体制机制改革): merged across the row, alone in the first cell, or numbered 一/二."""
    filled = [v for v in values if v]
    if len(filled) > 1 and len(set(filled)) == 1:
        return True
    if len(filled) == 1 and values[0] == filled[0] and not number.isdigit():
        return True
    numeral = number.rstrip("、.．").strip()
    return bool(numeral) and all(ch in CN_NUMERALS for ch in numeral) and len(set(filled)) <= 2


def _cell(values: list[Any], mapping: Mapping[str, int], name: str) -> Any:
    index = mapping.get(name)
    return values[index] if index is not None and index < len(values) else None


def _due_cell(value: Any) -> date | None | str:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return text


def read_ledger(
    conn: Connection,
    source: str | Path | bytes,
    *,
    today: date,
    label: str = "台账",
    mapping: Mapping[str, int] | None = None,
    mappings: Mapping[str, Mapping[str, int]] | None = None,
) -> LedgerPreview:
    """Read the workbook and check every row (units in the directory, deadlines readable).

    Nothing is written. ``mappings`` (sheet name → field → 0-based column) replaces the recognised
    columns of the sheets it names; ``mapping`` alone is the first sheet's. A name that is no sheet
    read is refused. Raises InvalidInput when no sheet has a header row with a task column and a
    unit column.
    """
    book = _open(source, label)
    sheets = [(sheet, _grid(sheet)) for sheet in book.worksheets]
    headed = [(sheet, grid, found) for sheet, grid in sheets if (found := _find_header(grid)) is not None]
    if not headed:
        raise InvalidInput(
            f"{label}：前{HEADER_ROWS_SCANNED}行中没有找到表头（须有“任务”列和“牵头单位”或“责任单位”列）"
        )
    sheet, grid, (header_row, headers) = headed[0]
    chosen = dict(mappings or {})
    if mapping is not None:
        chosen.setdefault(sheet.title, mapping)
    unknown = [name for name in chosen if all(name != h[0].title for h in headed)]
    if unknown:
        raise InvalidInput(f"{label}：没有可读取的工作表“{'、'.join(unknown)}”")
    preview = _read_sheet(conn, sheet.title, grid, header_row, headers, today, label, chosen.get(sheet.title))
    preview.sheets.append(_columns_of(preview))
    preview.unread_sheets = [sheet.title for sheet, grid in sheets if all(sheet is not h[0] for h in headed)]
    seen = {(row.source, row.title) for row in preview.rows}
    for other, other_grid, (other_row, other_headers) in headed[1:]:
        more = _read_sheet(
            conn, other.title, other_grid, other_row, other_headers, today, label, chosen.get(other.title)
        )
        preview.sheets.append(_columns_of(more))
        preview.more_sheets.append(other.title)
        preview.errors += [e for e in more.errors if not (not more.rows and e.endswith("表头下没有任务行"))]
        preview.headings += more.headings
        for row in more.rows:  # a task a workbook lists on two sheets (a summary and its document's) is one
            if (row.source, row.title) not in seen:
                seen.add((row.source, row.title))
                preview.rows.append(row)
    return preview


def _columns_of(preview: LedgerPreview) -> SheetColumns:
    return SheetColumns(preview.sheet, preview.header_row, preview.columns, dict(preview.mapping))


def _read_sheet(
    conn: Connection,
    name: str,
    grid: list[list[Any]],
    header_row: int,
    headers: list[str],
    today: date,
    label: str,
    mapping: Mapping[str, int] | None,
) -> LedgerPreview:
    """The task rows of one sheet under its header row (``mapping`` replaces the recognised columns)."""
    columns = [(i, h) for i, h in enumerate(headers) if h]
    used = dict(mapping) if mapping is not None else _mapping(headers)
    bad = [name for name, index in used.items() if name not in FIELDS or not 0 <= index < len(headers)]
    if bad:
        raise InvalidInput(f"{label}：列对应关系有误：{'、'.join(bad)}")
    above = [_text(v) for row in grid[: header_row - 1] for v in row if _text(v)]
    preview = LedgerPreview(
        sheet=name,
        header_row=header_row,
        columns=columns,
        mapping=used,
        title=above[0] if above else None,
    )
    if "title" not in used or not any(role in used for role in ROLE_NAMES):
        preview.errors.append(f"工作表“{name}”：请指定“任务”列和至少一个单位列")
        return preview
    for r, values in enumerate(grid[header_row:], start=header_row + 1):
        _read_row(conn, preview, headers, r, values, today)
    if not preview.rows and not preview.errors:
        preview.errors.append(f"工作表“{name}”：表头下没有任务行")
    return preview


def _read_row(
    conn: Connection, preview: LedgerPreview, headers: list[str], r: int, values: list[Any], today: date
) -> None:
    texts = [_text(v) for v in values]
    if not any(texts):
        return
    used = preview.mapping
    number = _text(_cell(values, used, "number"))
    if _is_heading(texts, number):
        preview.headings += 1
        return

    def where(name: str) -> str:
        column = headers[used[name]] if name in used else FIELDS[name][0]
        return f"工作表“{preview.sheet}”第{r}行“{column}”列"

    errors = preview.errors
    title = _text(_cell(values, used, "title"))
    if not title:
        errors.append(f"{where('title')}：任务为空")
    printed = {role: _text(_cell(values, used, role)) for role in ROLE_NAMES}
    if not any(printed.values()):
        errors.append(f"工作表“{preview.sheet}”第{r}行：没有牵头单位或责任单位")
    level = row_level([n for text in printed.values() for n in unit_names((text,))])
    for role, text in printed.items():
        for name in unit_names((text,)):
            try:
                resolve_printed(conn, name, level)
            except UnknownUnit:
                errors.append(f"{where(role)}：“{name}”不在单位名录中")
    due = _due_cell(_cell(values, used, "due"))
    if isinstance(due, str):
        errors.append(f"{where('due')}：“{due}”不是日期")
        due = None
    deadline_text = _text(_cell(values, used, "deadline")) or None
    deadline = None
    if deadline_text:
        try:
            deadline = read_deadline(deadline_text, today)
        except InvalidInput:
            if due is None:
                errors.append(f"{where('deadline')}：“{deadline_text}”无法识别为期限")
            deadline = Deadline(kind="date", due=due, text=deadline_text)
    if due is not None:
        if deadline is None:
            deadline = Deadline(kind="date", due=due)
        elif deadline.kind not in ("ongoing", "recurring"):
            # the ledger's own date wins (an extension moved it)
            deadline = Deadline(
                kind=deadline.kind,
                due=due,
                text=deadline.text,
                recurrence=deadline.recurrence,
                working_days=deadline.working_days,
                anchor=deadline.anchor,
                phases=deadline.phases,
            )
    preview.rows.append(
        LedgerRow(
            row=r,
            label=number or None,
            source=_text(_cell(values, used, "source")) or None,
            title=title,
            deadline_text=deadline_text,
            due=due,
            deadline=deadline or Deadline(),
            **printed,
        )
    )


def refusal(preview: LedgerPreview, label: str) -> str:
    """The one message that refuses a workbook, naming its first wrong places."""
    shown = "；".join(preview.errors[:MAX_ERRORS_SHOWN])
    more = (
        f"；另有{len(preview.errors) - MAX_ERRORS_SHOWN}处错误"
        if len(preview.errors) > MAX_ERRORS_SHOWN
        else ""
    )
    return f"{label} 未导入：{shown}{more}"


def import_ledger(
    conn: Connection,
    actor: UserInfo,
    source: str | Path | bytes,
    *,
    today: date,
    label: str = "台账",
    mapping: Mapping[str, int] | None = None,
    mappings: Mapping[str, Mapping[str, int]] | None = None,
) -> LedgerImport:
    """Import every task row of the workbook, or none (InvalidInput naming each wrong place)."""
    perm.require(perm.can_create_task(actor), f"{actor.name} 无权导入台账：只有督查室可以立项")
    preview = read_ledger(conn, source, today=today, label=label, mapping=mapping, mappings=mappings)
    if preview.errors:
        raise InvalidInput(refusal(preview, label))
    result = LedgerImport(unread_sheets=list(preview.unread_sheets))
    fallback = preview.title or Path(label).stem or "台账"
    for row in preview.rows:
        doc_id = source_document(conn, actor, None, row.source or fallback)
        exists = conn.execute(
            sa.select(tasks.c.id).where(tasks.c.document_id == doc_id, tasks.c.title == row.title)
        )
        if exists.first() is not None:
            result.skipped += 1
            continue
        draft = TaskDraft(
            source_kind="文件",
            source_ref=row.source or fallback,
            title=row.title,
            lead=(row.lead,),
            responsible=(row.responsible,),
            cooperating=(row.cooperating,),
            deadline_text=row.deadline_text,
        )
        resolved = intake.resolve_roles(conn, draft)
        key = f"ledger|{doc_id}|{hashlib.sha1(row.title.encode('utf-8')).hexdigest()[:16]}"
        task_id = insert_task(
            conn,
            actor,
            doc_id,
            key,
            draft,
            resolved,
            row.deadline or Deadline(),
            source="ledger",
            label=row.label,
            line=row.row,
        )
        result.created += 1
        result.task_ids.append(task_id)
    return result

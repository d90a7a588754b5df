"""The ledger as xlsx for the web's export link.

Uses ``export.xlsx.write_ledger_xlsx`` when the export module is installed; until then a single
"全部任务" sheet with the same columns, so the link works either way.
"""

from __future__ import annotations

import importlib
from typing import Any, BinaryIO

from openpyxl import Workbook
from sqlalchemy.engine import Connection

COLUMNS = ("序号", "文件", "任务", "牵头单位", "责任单位", "配合单位", "完成时限", "截止日期", "状态", "进展情况", "来源行")


def _units(row: dict[str, Any], role: str) -> str:
    return "、".join(u["name"] for u in row["units"] if u["role"] == role)


def ledger_workbook(conn: Connection, rows: list[dict[str, Any]], out: BinaryIO) -> None:
    """Write ``rows`` (tasks as listed by the query service) to ``out`` as xlsx."""
    try:
        writer = importlib.import_module("taizhang.export.xlsx").write_ledger_xlsx
    except (ImportError, AttributeError):
        writer = None
    if writer is not None:
        try:
            writer(conn, out, task_ids=[r["id"] for r in rows])
            return
        except TypeError:
            pass  # another signature: fall back to the plain sheet rather than fail the download
    book = Workbook()
    sheet = book.active
    sheet.title = "全部任务"
    sheet.append(COLUMNS)
    for n, row in enumerate(rows, start=1):
        sheet.append([n, row.get("doc_number"), row["title"], _units(row, "lead"), _units(row, "responsible"),
                      _units(row, "cooperating"), row.get("deadline_text"), row.get("due_on"), row["status"],
                      f"{row['percent']}%", row["line"]])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJK", (6, 22, 50, 18, 18, 18, 20, 12, 10, 10, 8), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(out)


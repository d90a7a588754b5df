"""Scorecards to an Excel workbook: a summary sheet and one sheet per subject with the arithmetic."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..ledger.scoring import Scorecard

SUMMARY_COLUMNS = (
    "对象",
    "考评方案",
    "期间",
    "计分规则",
    "原始得分",
    "满分",
    "标化系数",
    "标化满分",
    "标化得分",
    "缺报项数",
)
ITEM_COLUMNS = ("序号", "指标/项目", "满分(权重)", "目标/等次", "报送值", "是否达标", "得分", "说明")
BOLD = Font(bold=True)


def _sheet_name(text: str, used: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name; names must be unique."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in text)[:28] or "sheet"
    name, n = clean, 2
    while name in used:
        name, n = f"{clean}_{n}", n + 1
    used.add(name)
    return name


def _header(sheet, columns: tuple[str, ...], widths: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(list(columns))
    for index, width in enumerate(widths, start=1):
        sheet.cell(row=1, column=index).font = BOLD
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def write_scorecards(cards: list[Scorecard], path: str | Path) -> Path:
    """Write ``cards`` to ``path`` (.xlsx): 汇总 with raw, maximum, factor and score, then one sheet per subject."""
    path = Path(path)
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    _header(summary, SUMMARY_COLUMNS, (14, 28, 8, 12, 10, 8, 10, 10, 10, 10))
    used = {"汇总"}
    for card in cards:
        summary.append(
            [
                card.subject,
                card.scheme,
                card.period,
                card.rule,
                card.raw,
                card.maximum,
                round(card.factor, 6),
                card.scale,
                round(card.standardised, 2),
                len(card.missing),
            ]
        )
        sheet = book.create_sheet(_sheet_name(card.subject, used))
        _header(sheet, ITEM_COLUMNS, (6, 60, 12, 16, 14, 10, 8, 40))
        for number, item in enumerate(card.items, start=1):
            met = "" if item.met is None else ("是" if item.met else "否")
            sheet.append(
                [
                    number,
                    item.name,
                    item.maximum,
                    item.target,
                    item.reported or "未报",
                    met,
                    item.earned,
                    item.explanation,
                ]
            )
            sheet.cell(row=number + 1, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.append([])
        sheet.append(["", "计算", "", "", "", "", "", card.explain()])
        if card.missing:
            sheet.append(["", "缺报(按0分计)", "", "", "", "", "", "、".join(card.missing)])
    book.save(path)
    return path

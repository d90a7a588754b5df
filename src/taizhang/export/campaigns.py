"""A campaign to the files an office uses: the workbook shaped like its annexes (问题整改情况表,
排查表) and a 通报 of its progress in 公文 layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..services.campaigns import LISTS
from ..services.notices import NoticeRow, NoticeSection, chinese_date
from .docx import NoticeFile, write_notice_docx

RECTIFICATION_COLUMNS = (
    "序号",
    "县（区）",
    "检查对象",
    "检查项",
    "存在问题",
    "问题类别",
    "严重程度",
    "整改措施",
    "责任单位",
    "整改时限",
    "整改状态",
    "销号日期",
    "挂牌督办",
)
SURVEY_COLUMNS = (
    "序号",
    "县（区）",
    "检查对象",
    "类型",
    "业主单位",
    "统一社会信用代码",
    "行业主管部门",
    "排查日期",
    "发现问题",
    "已销号",
)


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else (value or "")


def _sheet(sheet: Worksheet, title: str, columns: tuple[str, ...], rows: list[list[Any]]) -> None:
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A3"


def rectification_rows(campaign: dict[str, Any]) -> list[list[Any]]:
    """The rows of the 问题整改情况表, one per finding."""
    return [
        [
            n,
            f["county"],
            f["object_name"],
            f["check_title"] or "",
            f["problem"],
            f["category"],
            f["severity"],
            f["measures"],
            f["unit_name"] or "",
            _iso(f["due_on"]),
            f["state"],
            _iso(f["closed_on"]),
            "是" if f["supervised"] else "",
        ]
        for n, f in enumerate(campaign["findings"], start=1)
    ]


def survey_rows(campaign: dict[str, Any]) -> list[list[Any]]:
    """The rows of the 排查表, one per object, with its findings and those closed."""
    found: dict[int, list[str]] = {}
    for f in campaign["findings"]:
        found.setdefault(f["object_id"], []).append(f["state"])
    return [
        [
            n,
            o["county"],
            o["name"],
            o["kind"],
            o["owner"],
            o["credit_code"] or "",
            o["industry_unit"],
            _iso(o["inspected_on"]),
            len(found.get(o["id"], [])),
            found.get(o["id"], []).count("已销号"),
        ]
        for n, o in enumerate(campaign["objects"], start=1)
    ]


# the columns of the 三个清单, as the office reads them
LIST_LABELS = {
    "county": "县（区）",
    "object_name": "检查对象",
    "check_title": "检查项",
    "problem": "存在问题",
    "category": "问题类别",
    "severity": "严重程度",
    "supervised": "挂牌督办",
    "found_on": "发现日期",
    "measures": "整改措施",
    "due_on": "整改时限",
    "state": "整改状态",
    "closed_on": "销号日期",
    "unit_name": "责任单位",
    "industry_unit": "行业主管部门",
    "owner": "业主单位",
}


def _list_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else ""
    return _iso(value) if isinstance(value, date) else (value or "")


def list_rows(campaign: dict[str, Any], keys: tuple[str, ...]) -> list[list[Any]]:
    """One 清单 of the campaign's findings: 序号 then the list's columns."""
    return [[n, *(_list_cell(f.get(k)) for k in keys)] for n, f in enumerate(campaign["findings"], start=1)]


def write_campaign_xlsx(campaign: dict[str, Any], out: str | Path | BinaryIO) -> int:
    """Write the 问题整改情况表, the 排查表 and the 三个清单 (问题清单, 整改清单, 责任清单: three
    views of the same findings) of a campaign (from ``services.campaigns.get_campaign``)."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "问题整改情况表"
    rows = rectification_rows(campaign)
    _sheet(first, f"{campaign['title']}问题整改情况表", RECTIFICATION_COLUMNS, rows)
    _sheet(book.create_sheet("排查表"), f"{campaign['title']}排查表", SURVEY_COLUMNS, survey_rows(campaign))
    for name, keys in LISTS.items():
        columns = ("序号", *(LIST_LABELS[k] for k in keys))
        _sheet(book.create_sheet(name), f"{campaign['title']}{name}", columns, list_rows(campaign, keys))
    book.save(out if not isinstance(out, Path) else str(out))
    return len(rows)


@dataclass(frozen=True)
class CampaignNotice:
    """A 通报 of a campaign, in the shape the 公文 writer takes."""

    title: str
    as_of: date
    is_public: bool
    addressee: str
    opening: str
    sections: tuple[NoticeSection, ...]


def _rate(p: dict[str, Any]) -> str:
    return f"{p['close_rate'] * 100:.1f}%"


def campaign_notice(campaign: dict[str, Any], as_of: date) -> CampaignNotice:
    """The 通报: overall progress, per county, the findings under 挂牌督办, what follows."""
    total = campaign["progress"]["total"]
    overall = (
        f"截至{chinese_date(as_of)}，共排查{total['inspected']}个对象（共{total['objects']}个），发现问题"
        f"{total['findings']}个，已整改{total['rectified']}个，已销号{total['closed']}个，销号率{_rate(total)}。"
    )
    counties = tuple(
        f"{c['county'] or '未注明县（区）'}：排查{c['inspected']}个，发现问题{c['findings']}个，"
        f"已销号{c['closed']}个，销号率{_rate(c)}。"
        for c in campaign["progress"]["by_county"]
    )
    supervised = tuple(
        NoticeRow(f"{f['object_name']}：{f['problem']}", f["unit_name"] or "", _iso(f["due_on"]), f["state"])
        for f in campaign["findings"]
        if f["supervised"]
    )
    milestones = "；".join(f"{m['when']}{m['what']}" for m in campaign["milestones"])
    sections = (
        NoticeSection("总体进展", (overall,)),
        NoticeSection("各县（区）进展", counties or ("尚未录入检查对象。",)),
        NoticeSection("挂牌督办问题", () if supervised else ("无挂牌督办问题。",), supervised),
        NoticeSection(
            "下步要求", (f"各责任单位要对照问题清单限期整改销号，确保{milestones or '按期完成'}。",)
        ),
    )
    return CampaignNotice(
        title=f"关于{campaign['title'].removesuffix('方案')}进展情况的通报",
        as_of=as_of,
        is_public=bool(campaign["is_public"]),
        addressee="各县（区）人民政府，市政府各部门、直属机构：",
        opening=f"现将{campaign['title'].removesuffix('方案')}进展情况通报如下。",
        sections=sections,
    )


def write_campaign_notice(
    campaign: dict[str, Any], out: str | Path | BinaryIO, *, as_of: date, issuer: str
) -> NoticeFile:
    """Write the campaign's 通报 as a .docx in 公文 layout, headed and signed by ``issuer``."""
    return write_notice_docx(campaign_notice(campaign, as_of), out, issuer=issuer)

"""A 督办函 (supervision letter) as a Word document in 公文 layout, numbered (督办〔2023〕3号).

It uses the notice writer's layout: the issuer's mark in red, the number, a red line, the title,
the unit addressed, the body, then the issuer and the date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO

from ..services.notices import NoticeRow, NoticeSection, chinese_date
from ..workdays import add_workdays
from .docx import NoticeFile, write_notice_docx

DEFAULT_REPLY_DAYS = 5


@dataclass(frozen=True)
class Letter:
    """What the 公文 writer needs of a letter."""

    title: str
    as_of: date
    addressee: str
    opening: str
    sections: tuple[NoticeSection, ...]
    is_public: bool = False


def reply_days(found: dict[str, Any]) -> int:
    """The working days the letter gives for a reply (letters stored before it was asked: five)."""
    return int(found.get("reply_days") or DEFAULT_REPLY_DAYS)


def reply_by(found: dict[str, Any]) -> date:
    """The day the reply is due: ``reply_days`` working days after the letter's date."""
    return add_workdays(found["dated"], reply_days(found))


def letter_from(found: dict[str, Any], today: date) -> Letter:
    """The letter for a stored 督办函 (``services.escalation.get_letter``)."""
    source = found["doc_number"] or found["document_title"]
    due = found["due_on"]
    late = f"，已逾期{(today - due).days}天" if due is not None and due < today else ""
    deadline = found["deadline_text"] or (due.isoformat() if due else "无")
    opening = (
        f"《{source}》明确由你单位承办的“{found['title']}”，完成时限为{deadline}{late}。"
        "经催办，仍未按要求办结。现予督办。"
    )
    asks = [
        "请你单位高度重视，逐项分析原因，明确整改措施、责任人和完成时限，抓紧办理。",
        f"请于{chinese_date(reply_by(found))}前（本函发出之日起{reply_days(found)}个工作日内）"
        f"将办理情况书面报送{found.get('issuer') or '督查室'}。",
    ]
    if found["message"]:
        asks.insert(0, found["message"])
    rows = (NoticeRow(found["title"], found["unit_name"], deadline, f"未办结{late}"),)
    return Letter(
        title=f"关于督促办理“{found['title'][:40]}”的函",
        as_of=found["dated"],
        addressee=f"{found['unit_name']}：",
        opening=opening,
        sections=(NoticeSection("办理要求", tuple(asks), rows),),
    )


def write_letter_docx(
    found: dict[str, Any], out: str | Path | BinaryIO, *, issuer: str, today: date
) -> NoticeFile:
    """Write the 督办函 to a path or stream."""
    letter = letter_from({**found, "issuer": issuer}, today)
    return write_notice_docx(letter, out, issuer=issuer, doc_number=found["letter_number"], mark=issuer)


__all__ = ["Letter", "chinese_date", "letter_from", "reply_by", "reply_days", "write_letter_docx"]

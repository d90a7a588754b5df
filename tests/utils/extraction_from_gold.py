"""Build an Extraction from the gold annotation, so ledger tests run on real data today.

The gold file has the shape of ``to_json.to_dict``; this reads it back into the model's frozen
dataclasses. Gold tasks carry only their assignment line, so a task's span is that line.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from taizhang.extract.extraction import Extraction
from taizhang.extract.model import Deadline, Document, Flag, Issue, Task
from taizhang.extract.spans import Span
from taizhang.extract.units import Unit, UnitDirectory

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold" / "zhongwei-gazette-2022-02.gold.json"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _deadline(data: dict[str, Any]) -> Deadline:
    return Deadline(
        kind=data["kind"],
        due=_date(data.get("due")),
        recurrence=data.get("recurrence"),
        working_days=data.get("working_days"),
        anchor=data.get("anchor"),
    )


def _flags(items: list[dict[str, Any]], doc_number: str | None) -> tuple[Flag, ...]:
    return tuple(Flag(f["kind"], f["line"], f["message"], f.get("doc_number") or doc_number) for f in items)


def _document(d: dict[str, Any]) -> Document:
    return Document(
        doc_number=d["doc_number"],
        title=d["title"],
        issuer=d.get("issuer"),
        type=d.get("type"),
        date=_date(d.get("date")),
        publication=d.get("publication"),
        addressees=tuple(d.get("addressees", ())),
        enclosed=tuple(d.get("enclosed", ())),
        attachments=tuple(d.get("attachments", ())),
        cited_doc_numbers=tuple(d.get("cited_doc_numbers", ())),
        span=Span(d["line_start"], d["line_end"]),
        date_line=d.get("date_line"),
        section=d.get("section"),
        flags=_flags(d.get("review", []), d["doc_number"]),
    )


def _task(t: dict[str, Any]) -> Task:
    start, end = t.get("line_start", t["line"]), t.get("line_end", t["line"])
    return Task(
        doc_number=t["doc_number"],
        source=t["source"],
        label=t.get("label"),
        title=t["title"],
        lead=tuple(t["lead"]),
        responsible=tuple(t["responsible"]),
        cooperating=tuple(t["cooperating"]),
        deadline_text=t.get("deadline_text"),
        deadline=_deadline(t["deadline"]),
        line=t["line"],
        span=Span(min(start, t["line"]), max(end, t["line"])),
        body=t.get("body", ""),
        flags=_flags(t.get("review", []), t["doc_number"]),
    )


def extraction_from_dict(data: dict[str, Any], source: str = "zhongwei-gazette-2022-02.txt") -> Extraction:
    """The Extraction a gold-shaped dict describes."""
    issue = data.get("issue")
    return Extraction(
        source=source,
        issue=Issue(
            title=issue.get("title"),
            year=issue.get("year"),
            number=issue.get("number"),
            cumulative_number=issue.get("cumulative_number"),
            published=_date(issue.get("published")),
        )
        if issue
        else None,
        documents=tuple(_document(d) for d in data["documents"]),
        tasks=tuple(_task(t) for t in data["tasks"]),
    )


def gold_extraction(path: Path = GOLD) -> Extraction:
    """The gold annotation of the bundled gazette as an Extraction."""
    return extraction_from_dict(json.loads(path.read_text(encoding="utf-8")))


def small_directory() -> UnitDirectory:
    """A hand-made directory: a few departments with aliases and the group 各县(区) of 中卫市."""
    counties = ("沙坡头区", "中宁县", "海原县")
    return UnitDirectory(
        units=[
            Unit("市卫生健康委员会", aliases=("市卫生健康委", "市卫健委")),
            Unit("市发展和改革委员会", aliases=("市发展改革委", "市发改委")),
            Unit("市人力资源社会保障局", aliases=("市人力资源和社会保障局", "市人社局")),
            Unit("市财政局"),
            Unit("市医疗保障局", aliases=("市医保局",)),
            *(Unit(name, kind="county") for name in counties),
            Unit("各县(区)", kind="group", aliases=("各县(区)人民政府", "各县(区)政府"), members=counties),
        ]
    )

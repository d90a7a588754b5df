"""Circulated notices (通报): a draft on the ledger's progress as of a day, then publication.

A draft is plain frozen data: the addressee line (主送机关), an opening paragraph and numbered
sections (一、总体情况 …), some with a table of tasks. Its ``body`` is plain text that the
``notices`` table stores and the public site shows; :func:`parse_body` reads that text back into
the same sections, so a stored notice can be written to Word again with its tables.

What a notice says comes from the services the dashboard and reminders use: tasks from
``queries.list_tasks``, warning lights from ``ledger.warnings.warning`` (Chinese working days),
missing periodic reports from ``reminders.build_digests``. It describes the ledger as it stands,
judged on ``as_of``: a task approved after that day still counts as 办结.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import cn2an
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound
from ..ledger import permissions as perm
from ..ledger.status import DONE, STATUSES
from ..ledger.warnings import RED, YELLOW, TaskFacts, warning
from ..storage.tables import notices, units
from ..storage.tables_cycle import escalations
from .audit import record_change
from .groups import group_members, stands_for
from .queries import TaskFilter, list_tasks
from .reminders import build_digests
from .standing import UnitStanding, unit_standing
from .units import resolve_unit
from .user_info import UserInfo

NUMERALS = "一二三四五六七八九十"
TITLE_CHARS = 80  # a notice names the task; the ledger has the whole text
TITLE_LIMIT = notices.c.title.type.length  # the notices table's title column
ALL_ADDRESSEES = "各县（区）人民政府，市政府各部门、各直属机构："  # 主送机关 of a city-wide notice


@dataclass(frozen=True)
class NoticeRow:
    """One task in a notice's table (序号 is its position): 任务, 责任单位, 完成时限, 状态."""

    title: str
    units: str  # 责任单位, joined with 、
    deadline: str  # 完成时限
    status: str  # 状态, with the warning reason (未开始，已逾期3天)
    task_id: int | None = field(default=None, compare=False)  # for links; a stored body does not keep it


@dataclass(frozen=True)
class NoticeSection:
    """A numbered part of a notice: heading without its numeral, paragraphs, then a table of tasks."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    rows: tuple[NoticeRow, ...] = ()


@dataclass(frozen=True)
class UnitCount:
    """A unit and how many tasks it has in one part of a notice."""

    unit: str
    count: int


@dataclass(frozen=True)
class MissingReport:
    """A periodic report (进展报送) a unit owes and has not sent."""

    unit: str
    doc_number: str | None
    title: str
    periods: tuple[str, ...]


@dataclass(frozen=True)
class NoticeDraft:
    """A 通报 ready to read, publish or write to Word; the figures it was written from come along."""

    title: str
    as_of: date
    addressee: str  # 主送机关, ending with ：
    opening: str
    sections: tuple[NoticeSection, ...]
    total: int = 0
    by_status: tuple[tuple[str, int], ...] = ()
    overdue: tuple[NoticeRow, ...] = ()  # red
    overdue_by_unit: tuple[UnitCount, ...] = ()
    due_soon: tuple[NoticeRow, ...] = ()  # yellow: due within ``warn_days`` working days
    missing_reports: tuple[MissingReport, ...] = ()
    completed_by_unit: tuple[UnitCount, ...] = ()  # 办结
    escalated_by_unit: tuple[tuple[str, int, int, int], ...] = ()  # unit, 催办, 督办函, 约谈 by ``as_of``
    document: str | None = None
    unit: str | None = None
    warn_days: int = 5
    is_public: bool = False

    @property
    def body(self) -> str:
        """The notice as plain text (what the ``notices`` table stores)."""
        return render_body(self.addressee, self.opening, self.sections)


@dataclass(frozen=True)
class Notice:
    """A published notice as stored; its sections are read back from the body."""

    id: int
    title: str
    body: str
    as_of: date
    is_public: bool
    created_at: datetime | None = None

    @property
    def addressee(self) -> str:
        """主送机关 line."""
        return parse_body(self.body)[0]

    @property
    def opening(self) -> str:
        """The paragraph before the first numbered section."""
        return parse_body(self.body)[1]

    @property
    def sections(self) -> tuple[NoticeSection, ...]:
        """The numbered sections with their tables."""
        return parse_body(self.body)[2]


# Plain text ------------------------------------------------------------------------------------

ROW = re.compile(
    r"""
    ^（(?P<number>\d+)）(?P<title>.+?)
    。责任单位：(?P<units>.*?)
    ；完成时限：(?P<deadline>.*?)    # a deadline may hold ；: 2022年4月底前完成；长期坚持
    ；状态：(?P<status>.*)。$
    """,
    re.VERBOSE,
)
HEADING = re.compile(rf"^[{NUMERALS}]+、(?P<heading>.+)$")


def chinese_numeral(n: int) -> str:
    """一 … 十, 十一 … 十九, 二十 …: the number of a notice's section."""
    return str(cn2an.an2cn(n))


def render_row(number: int, row: NoticeRow) -> str:
    """One table row as a line of text: （1）任务。责任单位：…；完成时限：…；状态：…。"""
    return f"（{number}）{row.title}。责任单位：{row.units}；完成时限：{row.deadline}；状态：{row.status}。"


def render_body(addressee: str, opening: str, sections: tuple[NoticeSection, ...]) -> str:
    """The text of a notice: addressee, opening, then 一、二、… sections with their rows."""
    lines = [addressee, opening]
    for n, section in enumerate(sections, start=1):
        lines.append(f"{chinese_numeral(n)}、{section.heading}")
        lines.extend(section.paragraphs)
        lines.extend(render_row(k, row) for k, row in enumerate(section.rows, start=1))
    return "\n".join(lines)


def parse_body(body: str) -> tuple[str, str, tuple[NoticeSection, ...]]:
    """Addressee, opening and sections of a body written by :func:`render_body`."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    addressee = lines.pop(0) if lines and lines[0].endswith(("：", ":")) else ""
    opening: list[str] = []
    sections: list[dict[str, Any]] = []
    for line in lines:
        heading, row = HEADING.match(line), ROW.match(line)
        if heading:
            sections.append({"heading": heading.group("heading"), "paragraphs": [], "rows": []})
        elif not sections:
            opening.append(line)
        elif row:
            sections[-1]["rows"].append(NoticeRow(row["title"], row["units"], row["deadline"], row["status"]))
        else:
            sections[-1]["paragraphs"].append(line)
    parsed = tuple(NoticeSection(s["heading"], tuple(s["paragraphs"]), tuple(s["rows"])) for s in sections)
    return addressee, "".join(opening), parsed


# Figures ---------------------------------------------------------------------------------------


def chinese_date(day: date) -> str:
    """2022年6月28日, as 公文 write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def _one_line(text: str | None) -> str:
    """Imported titles keep the gazette's line breaks; a table cell wants one line, cut to TITLE_CHARS."""
    flat = "".join(part.strip() for part in (text or "").splitlines()).rstrip("。；;，,")
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


def accountable_units(task: dict[str, Any]) -> list[str]:
    """Who a notice holds to account: lead units, else responsible, else cooperating ones."""
    return task["lead"] or task["responsible"] or task["cooperating"]


def _row(task: dict[str, Any], reason: str) -> NoticeRow:
    deadline = chinese_date(task["due_on"]) if task["due_on"] else _one_line(task["deadline_text"]) or "无"
    return NoticeRow(
        title=_one_line(task["title"]) or "（无标题）",
        units="、".join(accountable_units(task)) or "未明确",
        deadline=deadline,
        status=f"{task['status']}，{reason}",
        task_id=int(task["id"]),
    )


def _standing(conn: Connection, scope: set[int], as_of: date, unit: str | None) -> list[UnitStanding]:
    """The units' own parts of the tasks in ``scope`` (of ``unit`` and its members when asked)."""
    found = unit_standing(conn, as_of, scope)
    if unit is not None:
        names = set(
            conn.execute(sa.select(units.c.name).where(units.c.id.in_(_owing_units(conn, unit)))).scalars()
        )
        found = {name: s for name, s in found.items() if name in names}
    return list(found.values())


def _units_counted(standing: list[UnitStanding], field: str) -> tuple[UnitCount, ...]:
    counts = [(s.unit, int(getattr(s, field))) for s in standing if getattr(s, field)]
    return tuple(UnitCount(u, n) for u, n in sorted(counts, key=lambda item: (-item[1], item[0])))


def _deadline_light(task: dict[str, Any], as_of: date, warn_days: int) -> tuple[str, str]:
    """Colour and reason judged on the deadline alone; reporting cycles are the missing-report part."""
    return _judged(
        TaskFacts(status=task["status"], deadline_kind=task["deadline_kind"], due=task["due_on"]),
        as_of,
        warn_days,
    )


@lru_cache(maxsize=4096)
def _judged(facts: TaskFacts, as_of: date, warn_days: int) -> tuple[str, str]:
    # Counting working days is the costly part, and a ledger of 100,000 tasks has a few hundred
    # distinct (status, deadline) facts: judge each once.
    light = warning(facts, as_of, warn_days)
    return light.colour, light.reason


def _owing_units(conn: Connection, unit: str) -> set[int]:
    """The unit and, for a group (各县(区)), its members: reminders name concrete units only."""
    unit_id = resolve_unit(conn, unit)
    return set(stands_for(unit_id, group_members(conn, {unit_id})))


def _missing(
    conn: Connection, scope: set[int], as_of: date, warn_days: int, unit: str | None
) -> tuple[MissingReport, ...]:
    """Reports owed on tasks in ``scope``, by the unit asked about (or its members) or by anyone."""
    owing = _owing_units(conn, unit) if unit is not None else None
    found = []
    for digest in build_digests(conn, as_of=as_of, warn_days=warn_days):
        if owing is not None and digest.unit_id not in owing:
            continue
        found.extend(
            MissingReport(
                digest.unit_name, item["doc_number"], _one_line(item["title"]), tuple(item["periods"])
            )
            for item in digest.missing_reports
            if item["task_id"] in scope
        )
    return tuple(found)


def _unit_name(conn: Connection, unit: str) -> str:
    """The directory's name of a unit given by an alias (市卫健委 → 市卫生健康委员会)."""
    return str(
        conn.execute(sa.select(units.c.name).where(units.c.id == resolve_unit(conn, unit))).scalar_one()
    )


def _scope_tasks(conn: Connection, document: str | None, unit: str | None) -> list[dict[str, Any]]:
    return list_tasks(conn, TaskFilter(unit=unit, document=document, limit=None)).items


# Wording ---------------------------------------------------------------------------------------


def _title(document: str | None, unit: str | None, as_of: date) -> str:
    if document and unit:
        return f"关于{unit}落实{document}文件情况的通报"
    if document:
        return f"关于{document}文件落实情况的通报"
    if unit:
        return f"关于{unit}督办事项落实情况的通报"
    return f"关于截至{chinese_date(as_of)}督办事项落实情况的通报"


def _opening(document: str | None, unit: str | None, as_of: date) -> str:
    scope = f"{document}文件确定的" if document else "督办台账所列"
    whose = f"{unit}承担的" if unit else ""
    return (
        f"为推动各项工作任务落地见效，市政府办公室对照督办台账，对{whose}{scope}任务截至{chinese_date(as_of)}"
        "的推进情况进行了梳理。现将有关情况通报如下："
    )


def _counted(counts: tuple[UnitCount, ...]) -> str:
    return "、".join(f"{u.unit}{u.count}项" for u in counts)


def _source(doc_number: str | None) -> str:
    return f"{doc_number}，" if doc_number else ""


def _overview(draft: dict[str, Any]) -> NoticeSection:
    statuses = "、".join(f"{status}{n}项" for status, n in draft["by_status"])
    text = f"纳入本次通报的任务共{draft['total']}项" + (f"，其中{statuses}" if statuses else "") + "。"
    text += (
        f"逾期未完成{len(draft['overdue'])}项（红灯），{draft['warn_days']}个工作日内到期"
        f"{len(draft['due_soon'])}项（黄灯），进展未按期报送{len(draft['missing_reports'])}项。"
    )
    return NoticeSection("总体情况", (text,))


def _sections(draft: dict[str, Any], as_of: date) -> tuple[NoticeSection, ...]:
    sections = [_overview(draft)]
    if draft["overdue"]:
        late = draft["overdue_by_unit"]
        sections.append(
            NoticeSection(
                "逾期未完成事项（红灯）",
                (
                    f"截至{chinese_date(as_of)}，共有{len(draft['overdue'])}项任务逾期未完成，涉及{len(late)}个单位："
                    f"{_counted(late)}。具体如下：",
                ),
                draft["overdue"],
            )
        )
    if draft["due_soon"]:
        sections.append(
            NoticeSection(
                "即将到期事项（黄灯）",
                (
                    f"以下{len(draft['due_soon'])}项任务将在{draft['warn_days']}个工作日内到期，请责任单位抓紧推进，确保按期完成：",
                ),
                draft["due_soon"],
            )
        )
    if draft["missing_reports"]:
        by_unit: dict[str, list[MissingReport]] = {}
        for item in draft["missing_reports"]:
            by_unit.setdefault(item.unit, []).append(item)
        sections.append(
            NoticeSection(
                "进展未按期报送情况",
                tuple(
                    f"{unit}："
                    + "；".join(
                        f"{m.title}（{_source(m.doc_number)}未报送期次：{'、'.join(m.periods)}）"
                        for m in items
                    )
                    + "。"
                    for unit, items in by_unit.items()
                ),
            )
        )
    if draft["completed_by_unit"]:
        done = sum(n for status, n in draft["by_status"] if status == DONE)
        sections.append(
            NoticeSection(
                "已办结事项",
                (f"截至{chinese_date(as_of)}，已办结任务{done}项：{_counted(draft['completed_by_unit'])}。",),
            )
        )
    if draft.get("escalated_by_unit"):
        rows = draft["escalated_by_unit"]
        total = [sum(r[i] for r in rows) for i in (1, 2, 3)]
        each = "；".join(
            f"{unit}（{_steps_text(chased, letters, talks)}）" for unit, chased, letters, talks in rows
        )
        sections.append(
            NoticeSection(
                "督办情况",
                (f"截至{chinese_date(as_of)}，对{len(rows)}个单位{_steps_text(*total)}：{each}。",),
            )
        )
    sections.append(NoticeSection("下步要求", (_requests(draft),)))
    return tuple(sections)


def _steps_text(chases: int, letters: int, talks: int) -> str:
    parts = [(chases, f"催办{chases}次"), (letters, f"发督办函{letters}件"), (talks, f"约谈{talks}次")]
    return "、".join(text for n, text in parts if n)


def _escalated(conn: Connection, task_ids: set[int], as_of: date) -> tuple[tuple[str, int, int, int], ...]:
    """Per unit, the 催办, 督办函 and 约谈 on the notice's tasks up to ``as_of``, most escalated first."""
    if not task_ids:
        return ()
    query = (
        sa.select(units.c.name, escalations.c.step, sa.func.count())
        .join(units, units.c.id == escalations.c.unit_id)
        .where(escalations.c.task_id.in_(task_ids), escalations.c.dated <= as_of)
        .group_by(units.c.name, escalations.c.step)
    )
    by_unit: dict[str, list[int]] = {}
    for name, step, n in conn.execute(query):
        by_unit.setdefault(str(name), [0, 0, 0])[("催办", "督办函", "约谈").index(step)] += int(n)
    rows = [(name, c[0], c[1], c[2]) for name, c in by_unit.items()]
    return tuple(sorted(rows, key=lambda r: (-r[3], -r[2], -r[1], r[0])))


def _requests(draft: dict[str, Any]) -> str:
    """What the units are asked to do: only about what the notice found."""
    asks = [
        text
        for found, text in (
            (draft["overdue"], "对逾期事项逐项说明原因、明确完成时限、落实整改措施"),
            (draft["due_soon"], "对即将到期事项加快推进，确保按期完成"),
            (draft["missing_reports"], "按要求及时补报工作进展"),
        )
        if found
    ] or ["继续按照任务分工和时限要求抓好落实"]
    return f"请各责任单位对照本通报，{'；'.join(asks)}。市政府办公室将持续跟踪督办。"


def draft_progress_notice(
    conn: Connection,
    *,
    as_of: date,
    document: str | None = None,
    unit: str | None = None,
    title: str | None = None,
    warn_days: int = 5,
) -> NoticeDraft:
    """A 通报 on the progress of the ledger (or of one document, or one unit) as of ``as_of``.

    Raises:
        NotFound: the document does not exist.
        UnknownUnit: the unit does not exist.
        InvalidInput: a negative ``warn_days``.
    """
    if warn_days < 0:
        raise InvalidInput(f"预警天数不能为负数（{warn_days}）")
    tasks = _scope_tasks(conn, document, unit)
    counts = Counter(task["status"] for task in tasks)
    judged = [(task, *_deadline_light(task, as_of, warn_days)) for task in tasks]
    red = [(task, reason) for task, colour, reason in judged if colour == RED]
    standing = _standing(conn, {int(task["id"]) for task in tasks}, as_of, unit)
    yellow = [(task, reason) for task, colour, reason in judged if colour == YELLOW]
    figures: dict[str, Any] = {
        "total": len(tasks),
        "by_status": tuple((s, counts[s]) for s in STATUSES if counts[s]),
        "overdue": tuple(_row(task, reason) for task, reason in red),
        "overdue_by_unit": _units_counted(standing, "late"),
        "due_soon": tuple(_row(task, reason) for task, reason in yellow),
        "missing_reports": _missing(conn, {task["id"] for task in tasks}, as_of, warn_days, unit),
        # each unit is credited with its own parts closed (办结), never with its partners' work
        "completed_by_unit": _units_counted(standing, "done"),
        "escalated_by_unit": _escalated(conn, {task["id"] for task in tasks}, as_of),
        "warn_days": warn_days,
    }
    name = _unit_name(conn, unit) if unit else None
    return NoticeDraft(
        title=title or _title(document, name, as_of),
        as_of=as_of,
        addressee=f"{name}：" if name else ALL_ADDRESSEES,
        opening=_opening(document, name, as_of),
        sections=_sections(figures, as_of),
        document=document,
        unit=unit,
        **figures,
    )


# Storage ---------------------------------------------------------------------------------------


def _actor_name(actor: UserInfo | str) -> str:
    """The office publishes notices; the CLI (a plain name) runs as the office."""
    if isinstance(actor, str):
        return actor
    perm.require(actor.role == perm.OFFICE, f"{actor.name} 无权发布通报：仅督查室可以发布")
    return actor.name


def publish_notice(conn: Connection, actor: UserInfo | str, draft: NoticeDraft, *, is_public: bool) -> int:
    """Store ``draft`` in the notices table (audited); returns the notice's id.

    Raises:
        PermissionDenied: the actor is a user who is not office staff.
        InvalidInput: the draft has no title or no body.
    """
    name = _actor_name(actor)
    if not draft.title.strip() or not draft.sections:
        raise InvalidInput("通报需要标题和至少一节内容")
    if len(draft.title.strip()) > TITLE_LIMIT:
        raise InvalidInput(f"通报标题最多 {TITLE_LIMIT} 个字符，现有 {len(draft.title.strip())} 个")
    values = {
        "title": draft.title.strip(),
        "body": draft.body,
        "as_of": draft.as_of,
        "is_public": bool(is_public),
    }
    notice_id = int(conn.execute(notices.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn, actor=name, action="publish", entity="notice", entity_id=notice_id, before=None, after=values
    )
    return notice_id


def _notice(row: sa.Row) -> Notice:
    return Notice(
        id=int(row.id),
        title=row.title,
        body=row.body,
        as_of=row.as_of,
        is_public=bool(row.is_public),
        created_at=row.created_at,
    )


def list_notices(conn: Connection, *, public_only: bool = False) -> list[Notice]:
    """Stored notices, newest first; ``public_only`` keeps those published to the public site."""
    query = sa.select(notices).order_by(notices.c.as_of.desc(), notices.c.id.desc())
    if public_only:
        query = query.where(notices.c.is_public.is_(True))
    return [_notice(row) for row in conn.execute(query)]


def get_notice(conn: Connection, notice_id: int) -> Notice:
    """One stored notice.

    Raises:
        NotFound: no notice has that id.
    """
    row = conn.execute(sa.select(notices).where(notices.c.id == notice_id)).first()
    if row is None:
        raise NotFound(f"没有编号为 {notice_id} 的通报")
    return _notice(row)

"""Pydantic models of the JSON API, named by role: XPublic (read), XsPublic (data + count), XCreate."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AssignmentPublic(BaseModel):
    """One unit of a task in one role (lead 牵头, responsible 责任, cooperating 配合)."""

    model_config = ConfigDict(extra="ignore")

    unit_id: int
    name: str
    role: str
    printed: str


class TaskPublic(BaseModel):
    """A task of the ledger with its units, deadline and status."""

    model_config = ConfigDict(extra="ignore")

    id: int
    document_id: int
    doc_number: str | None = None
    document_title: str | None = None
    label: str | None = None
    title: str
    line: int
    line_start: int
    line_end: int
    deadline_kind: str
    deadline_text: str | None = None
    due_on: date | None = None
    recurrence: str | None = None
    status: str
    percent: int
    needs_review: bool
    is_public: bool
    units: list[AssignmentPublic] = []


class TasksPublic(BaseModel):
    """A page of tasks and the number matching the filter."""

    data: list[TaskPublic]
    count: int


class TimelineEntryPublic(BaseModel):
    """A report, office action or recorded change on a task (``kind``: report, action, change)."""

    model_config = ConfigDict(extra="ignore")

    kind: str
    id: int
    who: str | None = None
    when: datetime | None = None
    text: str | None = None
    report_kind: str | None = None  # progress / completion / extension
    action: str | None = None  # 催办, 办结, 退回 ...
    unit: str | None = None
    percent: int | None = None
    practice: str | None = None
    results: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    requested_due: date | None = None
    decision: str | None = None
    decision_reason: str | None = None
    attachments: list[dict[str, Any]] = []


class TaskDetailPublic(TaskPublic):
    """A task with its body and timeline."""

    body: str = ""
    review_notes: list[Any] = []
    timeline: list[TimelineEntryPublic] = []


class ReportCreate(BaseModel):
    """A progress report (进展报告) from a unit of the task."""

    practice: str = ""  # 主要做法
    results: str = ""  # 成效
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下步打算
    percent: int = Field(0, ge=0, le=100)
    period: str | None = None


class ReportPublic(BaseModel):
    """The id of a stored report or request."""

    id: int
    task_id: int
    kind: str


class CompletionRequestCreate(BaseModel):
    """A unit's request to close a task (申请办结)."""

    note: str = ""


class ExtensionCreate(BaseModel):
    """A unit's request for a later deadline (申请延期)."""

    requested_due: date
    reason: str


class ExtensionDecision(BaseModel):
    """The office's answer to an extension request."""

    approve: bool
    reason: str = ""


class ReasonCreate(BaseModel):
    """A reason (退回, 重开) or a message (催办)."""

    reason: str = ""


class ChaseCreate(BaseModel):
    """A chase (催办) message to the units of a task."""

    message: str


class CompleteCreate(BaseModel):
    """The office's approval of completion (办结)."""

    note: str = ""


class DocumentPublic(BaseModel):
    """A document (公文) with its elements and task counts."""

    model_config = ConfigDict(extra="ignore")

    id: int
    doc_number: str | None = None
    title: str
    issuer: str | None = None
    doc_type: str | None = None
    signed_on: date | None = None
    publication: str | None = None
    status: str
    is_public: bool
    line_start: int | None = None
    line_end: int | None = None
    task_count: int = 0
    tasks_to_review: int = 0


class DocumentsPublic(BaseModel):
    """Every document and how many there are."""

    data: list[DocumentPublic]
    count: int


class TaskBrief(BaseModel):
    """A task in a dashboard list."""

    id: int
    title: str
    status: str
    percent: int
    due_on: date | None = None
    deadline_text: str | None = None
    doc_number: str | None = None
    units: list[str] = []
    colour: str  # red / yellow / green / grey
    reason: str = ""  # 已逾期3天, 距截止还有2个工作日, 本期(2022-05)进展未报送


class TallyPublic(BaseModel):
    """Counts for one unit or document."""

    name: str | None
    total: int
    done: int
    red: int
    yellow: int


class ProgressPoint(BaseModel):
    """Reports received in one week and the mean percent they stated."""

    week: date
    reports: int
    mean_percent: float | None = None


class DashboardPublic(BaseModel):
    """Everything on the dashboard, as of a date."""

    as_of: date
    total: int
    by_status: dict[str, int]
    by_colour: dict[str, int]
    by_unit: list[TallyPublic]
    by_document: list[TallyPublic]
    due_soon: list[TaskBrief]
    overdue: list[TaskBrief]
    missing_reports: list[TaskBrief]
    progress: list[ProgressPoint]


class Message(BaseModel):
    """A one-line answer."""

    message: str


class Ping(BaseModel):
    """The constant answer of /api/ping."""

    ok: bool = True

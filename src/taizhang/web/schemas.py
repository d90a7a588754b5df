"""Pydantic models of the JSON API, named by role: XPublic (read), XsPublic (data + count), XCreate."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class ReadModel(BaseModel):
    """A model read from service dicts: keys it does not name are ignored."""

    model_config = ConfigDict(extra="ignore")


class AssignmentPublic(ReadModel):
    """One unit of a task in one role (lead 牵头, responsible 责任, cooperating 配合)."""

    unit_id: int
    name: str
    role: str
    printed: str


class TaskPublic(ReadModel):
    """A task of the ledger with its units, deadline and status."""

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
    """A page of tasks, the number matching the filter (exact up to 5,000, or 1,000 for a search) and the
    next page's cursor."""

    data: list[TaskPublic]
    count: int
    count_exact: bool = True  # false: more than ``count`` tasks match
    next: str | None = None  # pass as ``after`` for the following page; null on the last page


class TimelineEntryPublic(ReadModel):
    """A report, office action or recorded change on a task (``kind``: report, action, change)."""

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


class PartPublic(BaseModel):
    """One unit's part of a task: its state, 签收 and standing (late / done_late / done / open)."""

    unit: str
    role: str
    status: str
    percent: int
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    done_at: date | None = None
    assigned_on: date | None = None  # 交办
    ack_overdue: bool = False  # still unsigned past the 签收 deadline (yellow)
    standing: str


class AcknowledgementPublic(BaseModel):
    """A unit's 签收 of its part."""

    unit_id: int
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None


class TaskFilePublic(BaseModel):
    """A file of the task itself (立项附件): download it from ``/attachments/{id}``."""

    id: int
    filename: str
    size: int


class TaskDetailPublic(TaskPublic):
    """A task with its body, its units' parts and timeline."""

    body: str = ""
    review_notes: list[Any] = []
    parts: list[PartPublic] = []
    timeline: list[TimelineEntryPublic] = []
    attachments: list[TaskFilePublic] = []  # the task's own files (立项附件)


class ReportCreate(BaseModel):
    """A progress report (进展报告) from a unit of the task."""

    practice: str = ""  # 主要做法
    results: str = ""  # 成效
    problems: str = ""  # 存在问题
    next_steps: str = ""  # 下步打算
    percent: int = Field(0, ge=0, le=100)
    period: str | None = None
    # or the Idempotency-Key header: a retried POST with the same key returns the stored report
    idempotency_key: str | None = Field(None, min_length=1, max_length=64)


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
    unit: str | None = Field(default=None, description="单位名称：只对该单位的部分操作；不填则对整项任务")


class TaskCreate(BaseModel):
    """立项: a task the office creates, with its source, units by role (printed lists) and deadline."""

    source_kind: str  # 领导批示 / 会议议定事项 / 建议提案 / 督查发现 / 文件
    source_ref: str  # the document, meeting or instruction it comes from
    title: str
    body: str = ""
    lead: list[str] = []
    responsible: list[str] = []
    cooperating: list[str] = []
    deadline_text: str | None = None  # 2023年6月底前, 10个工作日内, 每月25日前, 长期坚持
    is_public: bool = False


class TaskUpdate(BaseModel):
    """Changes to a task; a field left out stays as it is, a unit list replaces that role."""

    title: str | None = None
    body: str | None = None
    lead: list[str] | None = None
    responsible: list[str] | None = None
    cooperating: list[str] | None = None
    deadline_text: str | None = None
    is_public: bool | None = None
    reason: str = Field(default="", description="修改理由（必填，记入变更日志）")


class TaskSplit(BaseModel):
    """Titles of the parts; the first stays on the task."""

    titles: list[str]
    reason: str = Field(default="", description="拆分理由（必填，记入变更日志）")


class Created(BaseModel):
    """The id of what was created."""

    id: int


class CreatedMany(BaseModel):
    """The ids of what a split or an import created or kept."""

    ids: list[int]


class EscalationCreate(BaseModel):
    """One escalation step on a unit's part: 催办, 督办函 or 约谈 (with whom and the outcome)."""

    unit: str
    step: str
    message: str = ""
    talk_with: str = ""
    outcome: str = ""
    reply_days: int | None = None  # 督办函: working days for the reply; default: the settings'


class ChaseLateCreate(BaseModel):
    """催办 of every late part, of one unit or one document, or all."""

    unit: str | None = None
    document: str | None = None
    message: str = ""


class Count(BaseModel):
    """How many were done."""

    count: int


class InstructionCreate(BaseModel):
    """A leader's 批示; the office names the leader, and may open a follow-up task (立项)."""

    text: str
    given_on: date | None = None
    leader: str | None = None
    follow_up: TaskCreate | None = None


class ChaseCreate(BaseModel):
    """A chase (催办) message to the units of a task."""

    message: str
    unit: str | None = Field(default=None, description="单位名称：只对该单位的部分操作；不填则对整项任务")


class CompleteCreate(BaseModel):
    """The office's approval of completion (办结)."""

    note: str = ""
    unit: str | None = Field(default=None, description="单位名称：只对该单位的部分操作；不填则对整项任务")


class DocumentPublic(ReadModel):
    """A document (公文) with its elements and task counts."""

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
    review_items: int = 0  # 待审核 notes of the document and its tasks, as `import` counts them


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
    by_unit: list[TallyPublic]  # each unit's own parts, the worst units first, at most 100
    units_count: int = 0
    by_document: list[TallyPublic]  # the worst documents first, at most 50
    documents_count: int = 0
    due_soon: list[TaskBrief]  # the first of each list; *_count says how many there are
    due_soon_count: int = 0
    overdue: list[TaskBrief]
    overdue_count: int = 0
    missing_reports: list[TaskBrief]
    missing_reports_count: int = 0
    progress: list[ProgressPoint]


class Message(BaseModel):
    """A one-line answer."""

    message: str


class Ping(BaseModel):
    """The constant answer of /api/ping."""

    ok: bool = True


# -- indicators, scorecards and the fiscal matrix --------------------------------------------------


class TargetPublic(ReadModel):
    """The target of an indicator for one period, as printed and as figures."""

    period: str
    text: str
    value: float | None = None
    parts: list[float] = []
    high: float | None = None
    unit: str | None = None
    line: int


class IndicatorPublic(ReadModel):
    """An indicator (指标): unit of measure, direction, targets per period, and how its values fare."""

    id: int
    doc_number: str | None = None
    document_id: int | None = None
    kind: str
    name: str
    unit: str | None = None  # %, 万m³, 天, 元
    direction: str | None = None  # ≥ ≤ = between
    subject: str | None = None  # the county the targets are set for, if any
    responsible: str | None = None
    annex: str | None = None
    label: str | None = None
    line: int
    targets: list[TargetPublic] = []
    reported: int = 0
    met_count: int = 0
    colour: str = "grey"  # green: all met, yellow: some, red: none, grey: nothing to judge
    actual: str | None = None  # the value of the unit asked for (``subject``), as reported
    details: dict[
        str, Any
    ] = {}  # a measure (措施): period, quantities (name, value, unit), responsible, cooperating


class IndicatorsPublic(BaseModel):
    """Indicators and how many there are."""

    data: list[IndicatorPublic]
    count: int


class IndicatorValuePublic(ReadModel):
    """An actual value reported for a subject and period, judged against that period's target."""

    id: int
    subject: str
    period: str
    text: str
    value: float | None = None
    parts: list[float] = []
    reporter: str
    reported_on: date
    target: str | None = None
    met: bool | None = None


class SeriesPointPublic(BaseModel):
    """Target against actual in one period."""

    period: str
    target: str | None = None
    target_parts: list[float] = []
    actual: str | None = None
    actual_parts: list[float] = []
    met: bool | None = None


class SeriesPublic(BaseModel):
    """The attainment series of one subject over the periods (what the chart draws)."""

    subject: str
    points: list[SeriesPointPublic]


class IndicatorDetailPublic(IndicatorPublic):
    """An indicator with every reported value and a series per subject."""

    values: list[IndicatorValuePublic] = []
    series: list[SeriesPublic] = []


def as_printed(value: Any) -> Any:
    """A number as a plain decimal (35.0 → "35", 1e20 → "100000000000000000000"), so its figures read back the same."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ValueCreate(BaseModel):
    """An actual value for a period; ``subject`` defaults to the user's unit or the indicator's county."""

    period: str = Field(min_length=1, max_length=10)
    value: Annotated[
        str, BeforeValidator(as_printed), Field(min_length=1, max_length=100)
    ]  # "35%", "44%、15%", 35
    subject: str | None = Field(None, max_length=100)


class ValueCreated(BaseModel):
    """The stored value and whether it meets its target."""

    id: int
    indicator_id: int
    subject: str
    period: str
    text: str
    met: bool | None = None


class ItemScorePublic(BaseModel):
    """One line of a scorecard: maximum (weight or best grade), what was reported, points earned and why."""

    key: str
    name: str
    maximum: float
    earned: float
    reported: str | None = None
    target: str | None = None
    met: bool | None = None
    explanation: str


class ScorecardPublic(BaseModel):
    """One subject's score in a scheme: raw points, maximum, factor (scale / maximum), standardised score."""

    scheme: str
    subject: str
    period: str
    rule: str
    raw: float
    maximum: float
    scale: float | None = None
    factor: float
    standardised: float
    missing: list[str] = []
    explanation: str
    items: list[ItemScorePublic] = []


class ScorecardsPublic(BaseModel):
    """Every scored subject's card in one scheme and period."""

    scheme: str
    name: str
    kind: str  # weighted / graded
    scale: float | None = None
    period: str
    data: list[ScorecardPublic]
    count: int


class GradeEntry(BaseModel):
    """The grade (好/中/差) given to one item of a graded scheme."""

    item_id: int
    grade: str


class GradesCreate(BaseModel):
    """The office's grades for one subject in one period."""

    subject: str = Field(min_length=1, max_length=100)
    period: str = Field(min_length=1, max_length=10)
    grades: list[GradeEntry] = Field(min_length=1)


class FiscalMatterPublic(BaseModel):
    """A matter of the fiscal responsibility division (事权/支出责任): its level and the sentence saying so."""

    doc_number: str | None = None
    document_id: int | None = None
    domain: str | None = None
    section: str | None = None
    matter: str
    items: list[str] = []
    level: str  # 市本级 / 沙坡头区 / shared
    level_text: str
    sentence: str
    line: int
    score: float


class FiscalAnswersPublic(BaseModel):
    """Answers to "who pays for X?", best first."""

    query: str
    data: list[FiscalMatterPublic]
    count: int


# -- notices (通报) ---------------------------------------------------------------------------------


class NoticePublic(BaseModel):
    """A published notice: its title, the day it was judged on, whether it is public, and its text."""

    model_config = ConfigDict(extra="ignore", from_attributes=True)

    id: int
    title: str
    as_of: date
    is_public: bool
    created_at: datetime | None = None
    body: str  # plain text: addressee, opening, 一、二、 sections, one line per task row


class NoticesPublic(BaseModel):
    """Stored notices, newest first, and how many there are."""

    data: list[NoticePublic]
    count: int


class NoticeCreate(BaseModel):
    """The office drafts a notice on the ledger as of a day (one document or unit optional) and stores it."""

    as_of: date | None = None  # default: today (Beijing)
    document: str | None = Field(default=None, max_length=100)  # 发文字号 or document id
    unit: str | None = Field(default=None, max_length=100)
    title: str | None = Field(default=None, max_length=300)  # the notices table's title column
    is_public: bool = False


class NotificationPublic(BaseModel):
    """A 通知 of the user's unit: a 交办, a leader's 批示 or a 催办 on one of its tasks."""

    action_id: int
    kind: str  # 交办 / 批示 / 催办
    message: str
    at: datetime | None = None
    who: str
    task_id: int
    title: str
    doc_number: str | None = None
    unit_id: int | None = None  # the unit it names; None: the whole task
    read: bool


class NotificationsPublic(BaseModel):
    """The user's notices, newest first, and how many are unread."""

    data: list[NotificationPublic]
    unread: int


class ReadAllPublic(BaseModel):
    """How many notices 全部标为已读 marked."""

    count: int


class IssuerUpdate(BaseModel):
    """The 发文机关 the office gives letters and notices."""

    issuer: str = Field(description="发文机关，如 某市人民政府督查室")


class IssuerPublic(BaseModel):
    """The 发文机关 in use; ``from_web``: the office set it, else it comes from the configuration."""

    issuer: str
    from_web: bool

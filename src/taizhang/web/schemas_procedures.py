"""Pydantic models of the procedures-and-people API: decisions, consultations, experts, people,
routed requests and the registry. Named by role as in ``schemas.py``: XPublic, XsPublic, XCreate.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DecisionUnitPublic(_Read):
    """A 承办单位 of a decision: directory name and the name as printed."""

    unit_id: int
    name: str
    printed: str


class DecisionStepPublic(_Read):
    """One procedure step (决策程序) with its state."""

    procedure: str
    article: str | None = None
    required: bool
    state: str
    done_on: date | None = None
    note: str = ""


class ConsultationRefPublic(_Read):
    """A consultation as listed under its decision."""

    id: int
    form: str
    status: str
    meeting_on: date | None = None
    is_public: bool = False


class DecisionPublic(_Read):
    """A decision item of a catalogue, its units, steps, stage and consultations."""

    id: int
    doc_number: str | None = None
    document_id: int
    task_id: int | None = None
    catalogue: str
    label: str | None = None
    title: str
    units: list[DecisionUnitPublic]
    deadline_text: str | None = None
    due_on: date | None = None
    line: int
    procedures_source: str
    flags: list[str]
    decided_on: date | None = None
    steps: list[DecisionStepPublic]
    stage: str
    consultations: list[ConsultationRefPublic]


class DecisionsPublic(BaseModel):
    """Decision items and their number."""

    data: list[DecisionPublic]
    count: int


class StepUpdate(BaseModel):
    """Move one procedure step."""

    procedure: str = Field(max_length=20)
    state: str = Field(max_length=10)
    done_on: date | None = None
    note: str = Field(default="", max_length=2000)


class FlagsUpdate(BaseModel):
    """The complexity flags of a decision: wide, contested, sensitive."""

    flags: list[str] = Field(default_factory=list, max_length=3)


class ConsultationCreate(BaseModel):
    """A written application for consultation (``requested_on`` defaults to today)."""

    topic: str = Field(min_length=1, max_length=500)
    form: str = Field(max_length=20)
    meeting_on: date
    requested_on: date | None = None
    opinion_due: date | None = None


class RulePublic(BaseModel):
    """A consultation rule: what it requires and the article it comes from."""

    rule: str
    citation: str
    statement: str


class ClockPublic(_Read):
    """A working-day clock: due day, working days left (negative when late), colour, reason."""

    label: str
    due: date | None = None
    remaining: int | None = None
    colour: str
    reason: str


class MemberPublic(_Read):
    """A panel member with opinion, adoption and feedback."""

    expert_id: int
    name: str
    field: str = ""
    title: str = ""
    affiliation: str = ""
    pool: str
    side: str | None = None
    role: str
    pledge_signed: bool
    opinion: str | None = None
    signed: bool
    submitted_on: date | None = None
    adoption: str | None = None
    adoption_reason: str | None = None
    feedback_on: date | None = None
    feedback_note: str | None = None


class ConsultationPublic(_Read):
    """A consultation with its panel, clocks, rule findings and the rules applied."""

    id: int
    decision_id: int
    topic: str
    form: str
    requested_on: date
    meeting_on: date
    opinion_due: date | None = None
    status: str
    findings: list[str]
    summary: str = ""
    reported_on: date | None = None
    archived_on: date | None = None
    archive_number: str | None = None
    is_public: bool
    members: list[MemberPublic]
    clocks: list[ClockPublic]
    panel_findings: list[str]
    missing: list[str]
    rules: list[RulePublic]


class ConsultationSummaryPublic(_Read):
    """A consultation in a list."""

    id: int
    decision_id: int
    decision_title: str
    doc_number: str | None = None
    topic: str
    form: str
    meeting_on: date
    status: str
    is_public: bool


class ConsultationsPublic(BaseModel):
    """Consultations and their number."""

    data: list[ConsultationSummaryPublic]
    count: int


class PanelChoiceCreate(BaseModel):
    """An expert chosen for the panel."""

    expert_id: int
    side: str | None = Field(default=None, max_length=10)
    role: str = Field(default="成员", max_length=10)


class PanelUpdate(BaseModel):
    """The whole panel."""

    members: list[PanelChoiceCreate] = Field(max_length=99)


class OpinionCreate(BaseModel):
    """An expert's written opinion, signed and with the pledge."""

    expert_id: int
    opinion: str = Field(min_length=1, max_length=20000)
    signed: bool = False
    pledge_signed: bool = False
    submitted_on: date | None = None


class AdoptionUpdate(BaseModel):
    """采纳 / 部分采纳 / 未采纳, with the reason when not adopted in full."""

    expert_id: int
    adoption: str = Field(max_length=10)
    reason: str = Field(default="", max_length=4000)


class FeedbackCreate(BaseModel):
    """The adoption fed back to the expert."""

    expert_id: int
    feedback_on: date | None = None
    note: str = Field(default="", max_length=2000)


class ConsultationReportCreate(BaseModel):
    """The report sent with the decision."""

    summary: str = Field(default="", max_length=20000)
    reported_on: date | None = None


class ArchiveCreate(BaseModel):
    """Filing the consultation (立卷归档)."""

    archived_on: date | None = None
    archive_number: str = Field(default="", max_length=50)


class PublishUpdate(BaseModel):
    """Publish on the public site, or withdraw."""

    public: bool = True


class ExpertPublic(_Read):
    """An expert of the pool."""

    id: int
    name: str
    field: str
    title: str
    affiliation: str
    pool: str
    conflicts: list[str]
    phone: str
    active: bool


class ExpertsPublic(BaseModel):
    """The pool and its size."""

    data: list[ExpertPublic]
    count: int


class ExpertCreate(BaseModel):
    """A new expert (or an update of the one with the same name and 工作单位)."""

    name: str = Field(min_length=1, max_length=50)
    field: str = Field(default="", max_length=100)
    title: str = Field(default="", max_length=50)
    affiliation: str = Field(default="", max_length=200)
    pool: str = Field(default="库内", max_length=10)
    conflicts: list[str] = Field(default_factory=list, max_length=50)
    phone: str = Field(default="", max_length=50)


class DutyPublic(_Read):
    """One area of a person's 分工."""

    kind: str
    verb: str
    area: str
    unit: str | None = None
    line: int | None = None


class AbsencePublic(_Read):
    """A recorded absence."""

    id: int
    starts_on: date
    ends_on: date
    reason: str


class PersonPublic(_Read):
    """A person with 分工, AB岗 partner and absences."""

    id: int
    name: str
    designation: str | None = None
    role: str
    line: int | None = None
    backup: str | None = None
    duties: list[DutyPublic]
    absences: list[AbsencePublic]
    away_today: bool


class PeoplePublic(BaseModel):
    """People, their number and the AB岗 pairs."""

    data: list[PersonPublic]
    count: int
    backup_pairs: list[tuple[str, str]]


class CoveragePublic(_Read):
    """Who covers a unit on a day, and why."""

    target: str
    on: date
    person: str | None = None
    owner: str | None = None
    kind: str | None = None
    area: str | None = None
    via: str
    reason: str


class AbsenceCreate(BaseModel):
    """A person away from ``starts_on`` to ``ends_on``."""

    name: str = Field(min_length=1, max_length=50)
    starts_on: date
    ends_on: date
    reason: str = Field(default="", max_length=200)


class CreatedPublic(BaseModel):
    """The id of what was created."""

    id: int


class RoutedRequestCreate(BaseModel):
    """An approval (审批) or notification (通知) about a unit or section."""

    kind: str = Field(max_length=10)
    target: str = Field(min_length=1, max_length=200)
    subject: str = Field(min_length=1, max_length=2000)
    day: date | None = None


class RoutedRequestPublic(_Read):
    """A routed request: for whom, received by whom, why."""

    id: int
    kind: str
    subject: str
    target: str
    person: str | None = None
    owner: str | None = None
    via: str
    reason: str
    requested_on: date
    status: str
    decided_on: date | None = None
    decision_note: str | None = None


class RequestDecision(BaseModel):
    """approve (同意), return (退回) or read (已阅)."""

    decision: str = Field(max_length=10)
    note: str = Field(default="", max_length=2000)


class LinkPublic(_Read):
    """A status link: which document repealed or revised which."""

    relation: str
    document_id: int | None = None
    doc_number: str | None = None
    title: str | None = None
    line: int | None = None
    reason: str = ""


class RegistryEntryPublic(_Read):
    """A normative document with its status and links both ways."""

    id: int
    doc_number: str | None = None
    title: str
    signed_on: date | None = None
    year: int | None = None
    status: str
    status_reason: str | None = None
    normative_reason: str | None = None
    has_text: bool
    is_public: bool
    open_tasks: int
    changed_by: list[LinkPublic]
    changes: list[LinkPublic]


class RegistryPublic(BaseModel):
    """The registry and its size."""

    data: list[RegistryEntryPublic]
    count: int


class StatusChange(BaseModel):
    """A status change recorded by the office, with the document behind it or a reason."""

    document: str = Field(min_length=1, max_length=100)
    status: str = Field(max_length=10)
    by: str | None = Field(default=None, max_length=100)
    reason: str = Field(default="", max_length=2000)

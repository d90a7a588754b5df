"""Pydantic models of the decisions and consultations API, named by role as in ``schemas.py``:
XPublic (read), XsPublic (data + count), XCreate. People and the registry are in ``schemas_people.py``.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from .schemas import ReadModel


class DecisionUnitPublic(ReadModel):
    """A 承办单位 of a decision: directory name and the name as printed."""

    unit_id: int
    name: str
    printed: str


class DecisionStepPublic(ReadModel):
    """One procedure step (决策程序) with its state."""

    procedure: str
    article: str | None = None
    required: bool
    state: str
    done_on: date | None = None
    note: str = ""


class ConsultationRefPublic(ReadModel):
    """A consultation as listed under its decision."""

    id: int
    form: str
    status: str
    meeting_on: date | None = None
    is_public: bool = False


class DecisionPublic(ReadModel):
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


class ClockPublic(ReadModel):
    """A working-day clock: due day, working days left (negative when late), colour, reason."""

    label: str
    due: date | None = None
    remaining: int | None = None
    colour: str
    reason: str


class MemberPublic(ReadModel):
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


class ConsultationPublic(ReadModel):
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


class ConsultationSummaryPublic(ReadModel):
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


class CreatedPublic(BaseModel):
    """The id of what was created."""

    id: int

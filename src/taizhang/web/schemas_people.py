"""Pydantic models of the people and registry API: the expert pool, people with 分工, who covers a
unit, routed requests, and the registry of normative documents.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from .schemas import ReadModel


class ExpertPublic(ReadModel):
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


class DutyPublic(ReadModel):
    """One area of a person's 分工."""

    kind: str
    verb: str
    area: str
    unit: str | None = None
    line: int | None = None


class AbsencePublic(ReadModel):
    """A recorded absence."""

    id: int
    starts_on: date
    ends_on: date
    reason: str


class PersonPublic(ReadModel):
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


class CoveragePublic(ReadModel):
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


class RoutedRequestCreate(BaseModel):
    """An approval (审批) or notification (通知) about a unit or section."""

    kind: str = Field(max_length=10)
    target: str = Field(min_length=1, max_length=200)
    subject: str = Field(min_length=1, max_length=2000)
    day: date | None = None


class RoutedRequestPublic(ReadModel):
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


class LinkPublic(ReadModel):
    """A status link: which document repealed or revised which."""

    relation: str
    document_id: int | None = None
    doc_number: str | None = None
    title: str | None = None
    line: int | None = None
    reason: str = ""


class RegistryEntryPublic(ReadModel):
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

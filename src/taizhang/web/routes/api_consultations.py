"""The consultation API (咨询论证): read one with its panel and clocks; the office sets the panel,
records opinions, adoption and feedback, sends the report, archives and publishes.

A step that breaks a rule answers 400 with the rule and its article in ``detail``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from ...services import consultation_views as views
from ...services import consultations as service
from ..deps import DbConn, MaybeUser, Today
from ..permits import ManageConsultations, ViewDecisions
from ..routing import CommitRoute
from ..schemas_procedures import (
    AdoptionUpdate,
    ArchiveCreate,
    ConsultationPublic,
    ConsultationReportCreate,
    ConsultationsPublic,
    FeedbackCreate,
    OpinionCreate,
    PanelUpdate,
    PublishUpdate,
)
from .pages_consultations import report_response

router = APIRouter(route_class=CommitRoute, prefix="/api/consultations", tags=["consultations"])


@router.get("", response_model=ConsultationsPublic)
def list_consultations(conn: DbConn, user: MaybeUser) -> dict[str, Any]:
    """Consultations, newest first; anonymous callers get the published ones only."""
    found = views.list_consultations(conn, user, public_only=user is None)
    return {"data": found, "count": len(found)}


@router.get("/{consultation_id}", response_model=ConsultationPublic)
def get_consultation(consultation_id: int, conn: DbConn, user: MaybeUser, today: Today) -> dict[str, Any]:
    """One consultation; anonymous callers may read a published one only."""
    if user is None:
        return views.public_consultation(conn, consultation_id, today)
    return views.get_consultation(conn, consultation_id, user, today)


@router.get("/{consultation_id}/report.docx")
def report_docx(consultation_id: int, conn: DbConn, user: ViewDecisions, today: Today) -> Response:
    """The 咨询论证报告 as a Word document in 公文 layout."""
    views.get_consultation(conn, consultation_id, user, today)  # a unit reads its own decisions only
    return report_response(views.report_draft(conn, consultation_id, today), consultation_id)


def _read(conn: DbConn, consultation_id: int, user: Any, today: Any) -> dict[str, Any]:
    return views.get_consultation(conn, consultation_id, user, today)


@router.post("/{consultation_id}/panel", response_model=ConsultationPublic)
def set_panel(
    consultation_id: int, body: PanelUpdate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, Any]:
    """Confirm the panel; refused (400) when it breaks a rule: size, odd number, both sides, avoidance."""
    choices = [service.PanelChoice(m.expert_id, m.side, m.role) for m in body.members]
    service.set_panel(conn, user.name, consultation_id, choices)
    return _read(conn, consultation_id, user, today)


@router.post("/{consultation_id}/opinions", response_model=ConsultationPublic, status_code=201)
def record_opinion(
    consultation_id: int, body: OpinionCreate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, Any]:
    """Record an expert's signed opinion with the integrity pledge."""
    service.record_opinion(
        conn,
        user.name,
        consultation_id,
        body.expert_id,
        opinion=body.opinion,
        signed=body.signed,
        pledge_signed=body.pledge_signed,
        submitted_on=body.submitted_on or today,
    )
    return _read(conn, consultation_id, user, today)


@router.post("/{consultation_id}/adoption", response_model=ConsultationPublic)
def record_adoption(
    consultation_id: int, body: AdoptionUpdate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, Any]:
    """Record 采纳, 部分采纳 or 未采纳 (the last two with the reason)."""
    service.record_adoption(
        conn, user.name, consultation_id, body.expert_id, adoption=body.adoption, reason=body.reason
    )
    return _read(conn, consultation_id, user, today)


@router.post("/{consultation_id}/feedback", response_model=ConsultationPublic, status_code=201)
def record_feedback(
    consultation_id: int, body: FeedbackCreate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, Any]:
    """Record that the adoption was fed back to the expert."""
    service.record_feedback(
        conn,
        user.name,
        consultation_id,
        body.expert_id,
        feedback_on=body.feedback_on or today,
        note=body.note,
    )
    return _read(conn, consultation_id, user, today)


@router.post("/{consultation_id}/report", response_model=ConsultationPublic)
def send_report(
    consultation_id: int,
    body: ConsultationReportCreate,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
) -> dict[str, Any]:
    """Send the report with the decision: every opinion adopted or explained and fed back first."""
    service.report_consultation(
        conn, user.name, consultation_id, summary=body.summary, reported_on=body.reported_on or today
    )
    return _read(conn, consultation_id, user, today)


@router.post("/{consultation_id}/archive", response_model=ConsultationPublic)
def archive(
    consultation_id: int, body: ArchiveCreate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, Any]:
    """File the consultation (立卷归档) after the report."""
    service.archive_consultation(
        conn,
        user.name,
        consultation_id,
        archived_on=body.archived_on or today,
        archive_number=body.archive_number,
    )
    return _read(conn, consultation_id, user, today)


@router.post("/{consultation_id}/publish", response_model=ConsultationPublic)
def publish(
    consultation_id: int, body: PublishUpdate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, Any]:
    """Publish a reported consultation on the public site, or withdraw it."""
    service.publish_consultation(conn, user.name, consultation_id, body.public)
    return _read(conn, consultation_id, user, today)

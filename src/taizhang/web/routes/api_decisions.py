"""The decision catalogue API: decision items with their procedure steps; the office moves steps,
marks complexity flags and records applications for expert consultation.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...services import consultations, decisions
from ..deps import DbConn, Today
from ..permits import ManageConsultations, ManageDecisions, ViewDecisions
from ..routing import CommitRoute
from ..schemas_procedures import (
    ConsultationCreate,
    CreatedPublic,
    DecisionPublic,
    DecisionsPublic,
    FlagsUpdate,
    StepUpdate,
)

router = APIRouter(route_class=CommitRoute, prefix="/api/decisions", tags=["decisions"])


@router.get("", response_model=DecisionsPublic)
def list_decisions(conn: DbConn, user: ViewDecisions) -> dict[str, Any]:
    """Decision items in catalogue order (a unit sees those it handles)."""
    found = decisions.list_decisions(conn, user)
    return {"data": found, "count": len(found)}


@router.get("/{decision_id}", response_model=DecisionPublic)
def get_decision(decision_id: int, conn: DbConn, user: ViewDecisions) -> dict[str, Any]:
    """One decision item with its steps and consultations."""
    return decisions.get_decision(conn, decision_id, user)


@router.post("/{decision_id}/steps", response_model=DecisionPublic)
def update_step(
    decision_id: int, body: StepUpdate, conn: DbConn, user: ManageDecisions, today: Today
) -> dict[str, Any]:
    """Move a procedure step: 未开始, 进行中, 已完成 (with its day) or 不适用 (with a reason)."""
    return decisions.update_step(
        conn,
        user.name,
        decision_id,
        body.procedure,
        state=body.state,
        done_on=body.done_on,
        note=body.note,
        today=today,
    )


@router.post("/{decision_id}/flags", response_model=DecisionPublic)
def set_flags(decision_id: int, body: FlagsUpdate, conn: DbConn, user: ManageDecisions) -> dict[str, Any]:
    """Mark the decision wide, contested or sensitive: its panel must then be larger."""
    return decisions.set_flags(conn, user.name, decision_id, body.flags)


@router.post("/{decision_id}/consultations", response_model=CreatedPublic, status_code=201)
def request_consultation(
    decision_id: int, body: ConsultationCreate, conn: DbConn, user: ManageConsultations, today: Today
) -> dict[str, int]:
    """Record a written application for expert consultation (refused when later than the rules allow)."""
    created = consultations.request_consultation(
        conn,
        user.name,
        decision_id,
        topic=body.topic,
        form=body.form,
        requested_on=body.requested_on or today,
        meeting_on=body.meeting_on,
        opinion_due=body.opinion_due,
    )
    return {"id": created}

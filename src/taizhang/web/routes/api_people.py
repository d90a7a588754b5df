"""The people API: people with 分工 and AB岗, who covers a unit on a day, absences, the expert pool,
and approvals and notifications routed to the person who covers a unit.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from ...services import experts, people, routing
from ..deps import DbConn, Today
from ..permits import DecideRequests, ManageExperts, ManagePeople, RouteRequests, ViewExperts, ViewPeople
from ..routing import CommitRoute
from ..schemas_people import (
    AbsenceCreate,
    CoveragePublic,
    ExpertCreate,
    ExpertsPublic,
    PeoplePublic,
    RequestDecision,
    RoutedRequestCreate,
    RoutedRequestPublic,
)
from ..schemas_procedures import CreatedPublic

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["people"])


@router.get("/people", response_model=PeoplePublic)
def list_people(conn: DbConn, user: ViewPeople, today: Today) -> dict[str, Any]:
    """People in notice order with 分工, AB岗 partner, absences; and the AB岗 pairs."""
    found = people.list_people(conn, today=today)
    return {"data": found, "count": len(found), "backup_pairs": people.backup_pairs(conn)}


@router.get("/who-covers", response_model=CoveragePublic)
def who_covers(
    unit: str, conn: DbConn, user: ViewPeople, today: Today, on: date | None = None
) -> dict[str, Any]:
    """Who handles a unit's (or an office section's) matters on a day, and why."""
    return people.coverage_dict(conn, unit, on or today)


@router.post("/people/absences", response_model=CreatedPublic, status_code=201)
def add_absence(body: AbsenceCreate, conn: DbConn, user: ManagePeople) -> dict[str, int]:
    """Record an absence: the person's approvals and notifications go to the AB岗 partner meanwhile."""
    return {"id": people.add_absence(conn, user.name, body.name, body.starts_on, body.ends_on, body.reason)}


@router.get("/requests", response_model=list[RoutedRequestPublic])
def list_requests(conn: DbConn, user: DecideRequests, status: str | None = None) -> list[dict[str, Any]]:
    """Routed approvals and notifications, newest first (the office and leaders)."""
    return routing.list_requests(conn, status=status)


@router.post("/requests", response_model=RoutedRequestPublic, status_code=201)
def route_request(
    body: RoutedRequestCreate, conn: DbConn, user: RouteRequests, today: Today
) -> dict[str, Any]:
    """Send an approval (审批) or notification (通知) about a unit to whoever covers it that day."""
    return routing.route_request(
        conn, user.name, kind=body.kind, target=body.target, subject=body.subject, day=body.day or today
    )


@router.post("/requests/{request_id}/decision", response_model=list[RoutedRequestPublic])
def decide_request(
    request_id: int, body: RequestDecision, conn: DbConn, user: DecideRequests, today: Today
) -> list[dict[str, Any]]:
    """Answer a request: approve, return, or read (notifications); returns the pending ones left."""
    routing.decide_request(conn, user.name, request_id, body.decision, body.note, today)
    return routing.list_requests(conn, status=routing.PENDING)


@router.get("/experts", response_model=ExpertsPublic)
def list_experts(conn: DbConn, user: ViewExperts) -> dict[str, Any]:
    """The expert pool (office and leaders: it holds personal data)."""
    found = experts.list_experts(conn)
    return {"data": found, "count": len(found)}


@router.post("/experts", response_model=CreatedPublic, status_code=201)
def add_expert(body: ExpertCreate, conn: DbConn, user: ManageExperts) -> dict[str, int]:
    """Add an expert (or update the one with the same name and 工作单位)."""
    return {
        "id": experts.add_expert(
            conn,
            user.name,
            name=body.name,
            field_=body.field,
            title=body.title,
            affiliation=body.affiliation,
            pool=body.pool,
            conflicts=body.conflicts,
            phone=body.phone,
        )
    }

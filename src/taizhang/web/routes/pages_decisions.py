"""Decision catalogue pages: the catalogue with where each decision stands, one decision with its
procedure steps, complexity flags and consultations; the office moves steps and applies for a
consultation. A refused form is shown again with the reason (400), nothing half-done.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInput, InvalidTransition
from ...extract.decisions import PROCEDURES
from ...ledger.consultation import FORMS
from ...ledger.consultation_rules import COMPLEXITY_FLAGS
from ...ledger.decision_steps import STATES
from ...services import consultations, decisions
from ..deps import DbConn, Today
from ..permits import ManageConsultations, ManageDecisions, ViewDecisions
from ..routing import CommitRoute, off_the_loop
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]


def form_day(text: str, today: date, what: str) -> date:
    """A YYYY-MM-DD typed in a form; empty means today.

    Raises:
        InvalidInput: not a date.
    """
    if not text.strip():
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}应为 YYYY-MM-DD 格式，而不是“{text}”") from None


def decision_page(
    request: Request,
    conn: DbConn,
    user: ViewDecisions,
    decision_id: int,
    *,
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The decision's page, with ``error`` shown above its forms when a form was refused."""
    item = decisions.get_decision(conn, decision_id, user)
    return render(
        request,
        "pages/decision.html",
        status_code=status_code,
        item=item,
        error=error,
        STATES=STATES,
        FORMS=FORMS,
        FLAGS=COMPLEXITY_FLAGS,
        rules=consultations.ruleset(conn),
    )


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(request: Request, conn: DbConn, user: ViewDecisions) -> HTMLResponse:
    """The catalogue: each decision with its 承办单位, timing, procedure steps and stage."""
    return render(
        request,
        "pages/decisions.html",
        items=decisions.list_decisions(conn, user),
        PROCEDURES=[p.name for p in PROCEDURES],
    )


@router.get("/decisions/{decision_id}", response_class=HTMLResponse)
def decision_detail(decision_id: int, request: Request, conn: DbConn, user: ViewDecisions) -> HTMLResponse:
    """One decision: steps, flags, consultations, and the office's forms."""
    return decision_page(request, conn, user, decision_id)


@router.post("/decisions/{decision_id}/steps", response_class=HTMLResponse)
def post_step(
    decision_id: int,
    request: Request,
    conn: DbConn,
    user: ManageDecisions,
    today: Today,
    procedure: TextField,
    state: TextField,
    done_on: TextField = "",
    note: TextField = "",
) -> Response:
    """Move one procedure step."""
    try:
        decisions.update_step(
            conn,
            user.name,
            decision_id,
            procedure,
            state=state,
            done_on=form_day(done_on, today, "完成日期"),
            note=note,
            today=today,
        )
    except (InvalidInput, InvalidTransition) as exc:
        return decision_page(request, conn, user, decision_id, error=str(exc), status_code=400)
    return RedirectResponse(f"/decisions/{decision_id}", status_code=303)


@router.post("/decisions/{decision_id}/flags")
async def post_flags(decision_id: int, request: Request, conn: DbConn, user: ManageDecisions) -> Response:
    """Mark the decision wide, contested or sensitive (checkboxes)."""
    flags = [str(f) for f in (await request.form()).getlist("flags")]
    try:
        await off_the_loop(conn, lambda: decisions.set_flags(conn, user.name, decision_id, flags))
    except InvalidInput as exc:
        return decision_page(request, conn, user, decision_id, error=str(exc), status_code=400)
    return RedirectResponse(f"/decisions/{decision_id}", status_code=303)


@router.post("/decisions/{decision_id}/consultations", response_class=HTMLResponse)
def post_consultation(
    decision_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    topic: TextField,
    form: TextField,
    meeting_on: TextField,
    requested_on: TextField = "",
    opinion_due: TextField = "",
) -> Response:
    """Record the written application; a late one is refused with the rule's article."""
    try:
        meeting = form_day(meeting_on, today, "论证日期")
        created = consultations.request_consultation(
            conn,
            user.name,
            decision_id,
            topic=topic,
            form=form,
            requested_on=form_day(requested_on, today, "申请日期"),
            meeting_on=meeting,
            opinion_due=form_day(opinion_due, meeting, "意见提交期限"),
        )
    except (InvalidInput, InvalidTransition) as exc:
        return decision_page(request, conn, user, decision_id, error=str(exc), status_code=400)
    return RedirectResponse(f"/consultations/{created}", status_code=303)

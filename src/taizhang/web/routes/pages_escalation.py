"""Escalation and 批示 on the web: the forms on the task page, and the page of counts per unit
with the batch 催办 of late parts."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...errors import InvalidInput
from ...ledger import permissions as perm
from ...services import escalation, intake, parts
from ..deps import CurrentUser, DbConn, OfficeUser, SettingsDep, Today
from ..routing import CommitRoute
from ..templating import render
from .api_escalation import ViewEscalations, own_escalation_rows

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]


@router.get("/escalations", response_class=HTMLResponse)
def escalations_page(
    request: Request, conn: DbConn, user: ViewEscalations, settings: SettingsDep, today: Today, done: str = ""
) -> HTMLResponse:
    """催办, 督办函 and 约谈 counted per unit (a unit user: its own); the parts still unsigned past
    their 签收 deadline; the office's batch 催办 of late parts."""
    rows = own_escalation_rows(user, escalation.by_unit(conn))
    days = settings.acknowledge_working_days
    unsigned = parts.unacknowledged(
        conn, today, days, unit_ids=None if perm.sees_all_units(user) else user.unit_ids
    )
    return render(request, "pages/escalations.html", rows=rows, done=done, unsigned=unsigned, ack_days=days)


@router.post("/escalations/chase-late")
def post_chase_late(
    conn: DbConn,
    user: OfficeUser,
    today: Today,
    unit: TextField = "",
    document: TextField = "",
    message: TextField = "",
) -> RedirectResponse:
    """催办 every late part of the unit or document given (all when both are empty)."""
    count = escalation.chase_late(
        conn, user, today, unit=unit or None, document=document or None, message=message
    )
    return RedirectResponse(f"/escalations?done={count}", status_code=303)


def _whole_number(text: str, what: str) -> int:
    """A form's number, refused in Chinese when it is not one."""
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(f"{what}应为整数，而不是“{text.strip()}”") from None


@router.post("/tasks/{task_id}/escalate")
def post_escalate(
    task_id: int,
    conn: DbConn,
    user: OfficeUser,
    settings: SettingsDep,
    today: Today,
    unit: TextField,
    step: TextField,
    message: TextField = "",
    talk_with: TextField = "",
    outcome: TextField = "",
    reply_days: TextField = "",
) -> RedirectResponse:
    """One step on a unit's part of the task (a 督办函 with its reply time in working days)."""
    talk = escalation.Talk(talk_with, outcome) if step == escalation.TALK else None
    days = (
        _whole_number(reply_days, "督办函答复时限")
        if reply_days.strip()
        else settings.letter_reply_working_days
    )
    escalation.escalate(
        conn, user, task_id, unit, step, message=message, today=today, talk=talk, reply_days=days
    )
    return RedirectResponse(f"/tasks/{task_id}?done=escalate", status_code=303)


@router.post("/tasks/{task_id}/instruct")
def post_instruct(
    task_id: int,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    text: TextField,
    given_on: TextField = "",
    leader: TextField = "",
    follow_up_title: TextField = "",
    follow_up_lead: TextField = "",
    follow_up_deadline: TextField = "",
) -> RedirectResponse:
    """A leader's 批示 (or one the office records), optionally opening a follow-up task."""
    day = date.fromisoformat(given_on) if given_on else today
    who = leader or user.name
    follow = None
    if follow_up_title.strip():
        follow = intake.TaskDraft(
            "领导批示",
            f"{who}批示（{day.isoformat()}）",
            follow_up_title,
            lead=(follow_up_lead,),
            deadline_text=follow_up_deadline or None,
        )
    escalation.add_instruction(
        conn, user, task_id, text=text, given_on=day, leader=leader or None, follow_up=follow, today=today
    )
    return RedirectResponse(f"/tasks/{task_id}?done=instruct", status_code=303)

"""Escalation and leaders' instructions over the API: steps on a unit's part, the batch 催办 of
late parts, the 督办函 as Word, counts per unit, 批示 on a task."""

from __future__ import annotations

from io import BytesIO
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response

from ...export.letters import write_letter_docx
from ...ledger import permissions as perm
from ...services import deployment, escalation, intake
from ...services.user_info import UserInfo
from ..deps import CurrentUser, DbConn, OfficeUser, SettingsDep, Today
from ..permits import allowed
from ..routing import CommitRoute
from ..schemas import ChaseLateCreate, Count, Created, EscalationCreate, InstructionCreate

router = APIRouter(route_class=CommitRoute, tags=["escalation"])
ViewEscalations = Annotated[UserInfo, allowed("view_escalations")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# declared before the task API's /api/tasks/{task_id}, which would read "chase-late" as an id
@router.post("/api/tasks/chase-late", response_model=Count)
def chase_late(body: ChaseLateCreate, conn: DbConn, user: OfficeUser, today: Today) -> Count:
    """催办 every late part (due before today and not closed) of a unit, of a document, or all."""
    return Count(
        count=escalation.chase_late(
            conn, user, today, unit=body.unit, document=body.document, message=body.message
        )
    )


@router.post("/api/tasks/{task_id}/escalations", response_model=Created, status_code=201)
def escalate(
    task_id: int, body: EscalationCreate, conn: DbConn, user: OfficeUser, settings: SettingsDep, today: Today
) -> Created:
    """One step on a unit's part: 催办, 督办函 (numbered, with its reply time) or 约谈; each needs the one before."""
    talk = escalation.Talk(body.talk_with, body.outcome) if body.step == escalation.TALK else None
    days = body.reply_days if body.reply_days is not None else settings.letter_reply_working_days
    return Created(
        id=escalation.escalate(
            conn,
            user,
            task_id,
            body.unit,
            body.step,
            message=body.message,
            today=today,
            talk=talk,
            reply_days=days,
        )
    )


@router.get("/api/tasks/{task_id}/escalations")
def task_escalations(task_id: int, conn: DbConn, user: CurrentUser) -> list[dict[str, Any]]:
    """Every escalation step on the task, oldest first."""
    return escalation.task_escalations(conn, task_id)


@router.get("/api/escalations")
def escalations_by_unit(conn: DbConn, user: ViewEscalations) -> list[dict[str, Any]]:
    """催办, 督办函 and 约谈 counted per unit, the most escalated first (a unit user: its own rows)."""
    return own_escalation_rows(user, escalation.by_unit(conn))


def own_escalation_rows(user: UserInfo, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """All rows for the office and leaders; for a unit user, those of its unit (and its groups)."""
    if perm.sees_all_units(user):
        return rows
    return [row for row in rows if row["unit_id"] in user.unit_ids]


@router.get("/api/letters/{escalation_id}.docx")
def letter(
    escalation_id: int, conn: DbConn, user: CurrentUser, settings: SettingsDep, today: Today
) -> Response:
    """The 督办函 as a Word document in 公文 layout: for the office, leaders and the unit it is addressed to."""
    found = escalation.read_letter(conn, user, escalation_id)
    out = BytesIO()
    write_letter_docx(found, out, issuer=deployment.issuer_of(conn, settings), today=today)
    name = f"letter-{escalation_id}.docx"
    return Response(
        out.getvalue(), media_type=DOCX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.post("/api/tasks/{task_id}/instructions", response_model=Created, status_code=201)
def instruct(task_id: int, body: InstructionCreate, conn: DbConn, user: CurrentUser, today: Today) -> Created:
    """A leader's 批示 on a task (the office records one naming the leader, and may open a follow-up task)."""
    follow = intake.TaskDraft(**body.follow_up.model_dump()) if body.follow_up else None
    return Created(
        id=escalation.add_instruction(
            conn,
            user,
            task_id,
            text=body.text,
            given_on=body.given_on or today,
            leader=body.leader,
            follow_up=follow,
            today=today,
        )
    )

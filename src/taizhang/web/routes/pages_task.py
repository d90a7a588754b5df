"""The task page and the forms on it: unit reports and requests, office decisions.

Each POST calls one workflow service and redirects back to the task (post/redirect/get), so a
reload never submits twice.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from ...errors import NotFound
from ...ledger import permissions
from ...services import escalation
from ...services.audit import history
from ...services.change_text import change_rows
from ..backend import attachments, dashboard, parts, queries, workflow
from ..deps import CurrentUser, DbConn, OfficeUser, SettingsDep, Today
from ..downloads import get_attachment, safe_media_type
from ..routing import CommitRoute
from ..schemas import ReportCreate
from ..templating import render
from ..uploads import read_report

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]


def _back(task_id: int, note: str = "") -> RedirectResponse:
    return RedirectResponse(f"/tasks/{task_id}{'?done=' + note if note else ''}", status_code=303)


def can_report(conn: Any, user: Any, task_id: int) -> bool:
    """True when the permission matrix lets ``user`` report on the task (a unit of it, or via a group)."""
    return permissions.can_report(user, workflow.task_unit_ids(conn, task_id))


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
def task_page(
    task_id: int,
    request: Request,
    conn: DbConn,
    user: CurrentUser,
    settings: SettingsDep,
    today: Today,
    done: str = "",
) -> HTMLResponse:
    """Details, units by role, deadline, warning light, timeline of reports and actions, change history."""
    task = queries.get_task(conn, task_id)
    light = dashboard.lights_for(conn, [task], today, settings.warning_working_days)[task_id]
    steps = escalation.task_escalations(conn, task_id)
    return render(
        request,
        "pages/task.html",
        task=task,
        light=light,
        timeline=workflow.timeline(conn, task_id),
        parts=parts.part_views(conn, task_id, today, settings.acknowledge_working_days),
        history=change_rows(history(conn, "task", task_id)),
        can_report=can_report(conn, user, task_id),
        done=done,
        report_key=secrets.token_urlsafe(16),  # a form sent twice is stored once
        escalations=steps,
        readable_letters=_readable_letters(user, steps),
        reply_days=settings.letter_reply_working_days,
        instructions=escalation.task_instructions(conn, task_id),
        task_files=attachments.task_files(conn, task_id),
    )


def _readable_letters(user: Any, steps: list[dict[str, Any]]) -> set[int]:
    """Ids of the task's 督办函 the user may download (the office, leaders, the unit addressed)."""
    return {
        int(s["id"])
        for s in steps
        if s["letter_number"] and permissions.can_read_letter(user, {s["unit_id"]})
    }


@router.post("/tasks/{task_id}/acknowledge")
def post_acknowledge(task_id: int, conn: DbConn, user: CurrentUser) -> RedirectResponse:
    """签收 of the user's own unit's part."""
    parts.acknowledge(conn, user, task_id)
    return _back(task_id, "acknowledge")


@router.post("/tasks/{task_id}/report")
def post_report(
    task_id: int,
    conn: DbConn,
    user: CurrentUser,
    settings: SettingsDep,
    today: Today,
    body: Annotated[tuple[ReportCreate, list[Any]], Depends(read_report)],
) -> RedirectResponse:
    """A progress report with attachments (multipart form)."""
    report, uploads = body
    workflow.submit_report(
        conn,
        user,
        task_id,
        **report.model_dump(),
        today=today,
        uploads=uploads,
        upload_dir=settings.upload_dir,
    )
    return _back(task_id, "report")


@router.post("/tasks/{task_id}/request-completion")
def post_request_completion(
    task_id: int, conn: DbConn, user: CurrentUser, today: Today, note: TextField = ""
) -> RedirectResponse:
    """申请办结."""
    workflow.request_completion(conn, user, task_id, note=note, today=today)
    return _back(task_id, "completion")


@router.post("/tasks/{task_id}/request-extension")
def post_request_extension(
    task_id: int,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    requested_due: Annotated[date, Form()],
    reason: TextField,
) -> RedirectResponse:
    """申请延期."""
    workflow.request_extension(conn, user, task_id, requested_due=requested_due, reason=reason, today=today)
    return _back(task_id, "extension")


@router.post("/tasks/{task_id}/chase")
def post_chase(
    task_id: int, conn: DbConn, user: OfficeUser, today: Today, message: TextField, unit: TextField = ""
) -> RedirectResponse:
    """催办 (the whole task, or one unit's part)."""
    workflow.chase(conn, user, task_id, message=message, today=today, unit=workflow.named_unit(conn, unit))
    return _back(task_id, "chase")


@router.post("/tasks/{task_id}/approve")
def post_approve(
    task_id: int, conn: DbConn, user: OfficeUser, today: Today, note: TextField = "", unit: TextField = ""
) -> RedirectResponse:
    """办结 (every part that asked, or one unit's part)."""
    workflow.approve_completion(
        conn, user, task_id, note=note, today=today, unit=workflow.named_unit(conn, unit)
    )
    return _back(task_id, "approve")


@router.post("/tasks/{task_id}/return")
def post_return(
    task_id: int, conn: DbConn, user: OfficeUser, today: Today, reason: TextField, unit: TextField = ""
) -> RedirectResponse:
    """退回 (every part that asked, or one unit's part)."""
    workflow.return_task(
        conn, user, task_id, reason=reason, today=today, unit=workflow.named_unit(conn, unit)
    )
    return _back(task_id, "return")


@router.post("/tasks/{task_id}/extension/{report_id}")
def post_decide_extension(
    task_id: int,
    report_id: int,
    conn: DbConn,
    user: OfficeUser,
    today: Today,
    decision: TextField,
    reason: TextField = "",
) -> RedirectResponse:
    """同意 / 不同意延期."""
    workflow.decide_extension(
        conn, user, report_id, approve=decision == "approve", reason=reason, today=today, task_id=task_id
    )
    return _back(task_id, "decision")


@router.post("/tasks/{task_id}/reopen")
def post_reopen(
    task_id: int, conn: DbConn, user: OfficeUser, today: Today, reason: TextField = "", unit: TextField = ""
) -> RedirectResponse:
    """重开 (every completed part, or one unit's part)."""
    workflow.reopen(conn, user, task_id, reason=reason, today=today, unit=workflow.named_unit(conn, unit))
    return _back(task_id, "reopen")


@router.get("/attachments/{attachment_id}")
def attachment(attachment_id: int, conn: DbConn, user: CurrentUser) -> FileResponse:
    """Download an attachment of a report or of a task (立项附件); any logged-in user reads the whole ledger."""
    found = get_attachment(conn, attachment_id)
    if not Path(found["stored_path"]).is_file():
        raise NotFound(f"附件 {attachment_id} 的文件已不存在")
    # always a download, typed by its extension: an uploaded page or SVG must not run on this site
    return FileResponse(
        found["stored_path"],
        filename=found["filename"],
        content_disposition_type="attachment",
        media_type=safe_media_type(found["filename"]),
    )

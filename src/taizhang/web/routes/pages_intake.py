"""立项 on the web: the new-task form, and editing and cancelling (撤销) a task from its page.

Declared before the task page, whose ``/tasks/{task_id}`` would read "new" as a task id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..backend import intake
from ..deps import DbConn, OfficeUser, SettingsDep, Today
from ..routing import CommitRoute
from ..templating import render
from ..uploads import new_task_files

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]


@router.get("/tasks/new", response_class=HTMLResponse)
def new_task_page(request: Request, user: OfficeUser) -> HTMLResponse:
    """The 立项 form: source, title and text, units by role, deadline, files."""
    return render(request, "pages/task_new.html", source_kinds=intake.SOURCE_KINDS)


@router.post("/tasks/new")
def create_task(
    conn: DbConn,
    user: OfficeUser,
    today: Today,
    settings: SettingsDep,
    files: Annotated[list[Any], Depends(new_task_files)],
    source_kind: TextField,
    source_ref: TextField,
    title: TextField,
    body: TextField = "",
    lead: TextField = "",
    responsible: TextField = "",
    cooperating: TextField = "",
    deadline_text: TextField = "",
    public: TextField = "",
) -> RedirectResponse:
    """Create the task with its files (立项附件) and show it."""
    draft = intake.TaskDraft(
        source_kind=source_kind,
        source_ref=source_ref,
        title=title,
        body=body,
        lead=(lead,),
        responsible=(responsible,),
        cooperating=(cooperating,),
        deadline_text=deadline_text or None,
        is_public=bool(public),
    )
    task_id = intake.create_task(
        conn,
        user,
        draft,
        today=today,
        uploads=files,
        upload_dir=settings.upload_dir,
        max_files=settings.max_attachments,
    )
    return RedirectResponse(f"/tasks/{task_id}?done=create", status_code=303)


@router.post("/tasks/{task_id}/edit")
def edit_task(
    task_id: int,
    conn: DbConn,
    user: OfficeUser,
    today: Today,
    title: TextField = "",
    body: TextField = "",
    lead: TextField = "",
    responsible: TextField = "",
    cooperating: TextField = "",
    deadline_text: TextField = "",
    reason: TextField = "",
) -> RedirectResponse:
    """Replace the title, text, units by role and deadline as the form shows them, with a reason."""
    intake.edit_task(
        conn,
        user,
        task_id,
        title=title or None,
        body=body,
        lead=(lead,),
        responsible=(responsible,),
        cooperating=(cooperating,),
        deadline_text=deadline_text,
        reason=reason,
        today=today,
    )
    return RedirectResponse(f"/tasks/{task_id}?done=edit", status_code=303)


@router.post("/tasks/{task_id}/cancel")
def cancel_task(
    task_id: int, conn: DbConn, user: OfficeUser, today: Today, reason: TextField = ""
) -> RedirectResponse:
    """撤销, with a reason."""
    intake.cancel_task(conn, user, task_id, reason=reason, today=today)
    return RedirectResponse(f"/tasks/{task_id}?done=cancel", status_code=303)

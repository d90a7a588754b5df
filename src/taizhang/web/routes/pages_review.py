"""The review queue (待审核): tasks the extractor flagged, corrected by the office before going live."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..backend import queries, review
from ..deps import DbConn, OfficeUser
from ..limits import form_date
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]
UNIT_SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_units(text: str) -> list[str]:
    """A reviewer's unit list ("市财政局、市医保局") as names."""
    return [name for name in UNIT_SEPARATORS.split(text) if name]


@router.get("/review", response_class=HTMLResponse)
def review_page(request: Request, conn: DbConn, user: OfficeUser) -> HTMLResponse:
    """Every flagged task with its reasons and the correction forms; the documents' own review items."""
    page = queries.list_tasks(conn, queries.TaskFilter(review=True, limit=None))
    # document-level items (目录 title differs, 附件 heading differs): the same ones `import` counted
    items = queries.review_items(conn)
    doc_items = [i for i in items if i["entity"] == "document"]
    return render(
        request,
        "pages/review.html",
        rows=page.items,
        total=page.total,
        doc_items=doc_items,
        item_count=len(items),
    )


# declared before /review/{task_id}, which would read "merge" as a task id
@router.post("/review/merge")
def merge(conn: DbConn, user: OfficeUser, task_ids: Annotated[list[int], Form()]) -> RedirectResponse:
    """Merge the ticked tasks into the first of them."""
    kept = review.merge_tasks(conn, user, task_ids)
    return RedirectResponse(f"/review#task-{kept}", status_code=303)


@router.post("/review/{task_id}")
def correct_task(
    task_id: int,
    conn: DbConn,
    user: OfficeUser,
    lead: TextField = "",
    responsible: TextField = "",
    cooperating: TextField = "",
    due_on: TextField = "",
    deadline_text: TextField = "",
    reviewed: TextField = "",
) -> RedirectResponse:
    """Replace the units by role and the deadline; optionally mark the task reviewed."""
    review.update_task(
        conn,
        user,
        task_id,
        lead=split_units(lead),
        responsible=split_units(responsible),
        cooperating=split_units(cooperating),
        due_on=form_date(due_on, "截止日期"),
        deadline_text=deadline_text or None,
        mark_reviewed=bool(reviewed),
    )
    return RedirectResponse(f"/review#task-{task_id}", status_code=303)


@router.post("/review/{task_id}/split")
def split(
    task_id: int, conn: DbConn, user: OfficeUser, titles: TextField, reason: TextField = ""
) -> RedirectResponse:
    """Split a task into one per line of ``titles``, with a reason."""
    review.split_task(conn, user, task_id, titles.splitlines(), reason=reason)
    return RedirectResponse(f"/review#task-{task_id}", status_code=303)


@router.post("/tasks/{task_id}/publish")
def publish(task_id: int, conn: DbConn, user: OfficeUser, public: TextField = "") -> RedirectResponse:
    """Show (or hide) the task's progress on the public site."""
    review.update_task(conn, user, task_id, is_public=bool(public))
    return RedirectResponse(f"/tasks/{task_id}", status_code=303)

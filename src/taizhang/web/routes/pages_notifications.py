"""通知 on the web: the user's notices with their read state; opening an unread one posts (with the
CSRF token) that it is read and shows its task; 全部标为已读 marks them all. A GET never changes the
read state: a link followed, prefetched or planted on another site marks nothing. The menu shows
the unread count (``deps.optional_user``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..backend import notice_reads
from ..deps import CurrentUser, DbConn
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(request: Request, conn: DbConn, user: CurrentUser, done: str = "") -> HTMLResponse:
    """The user's notices, newest first, unread ones marked."""
    found = notice_reads.notices_for_user(conn, user)
    return render(
        request,
        "pages/notifications.html",
        notices=found,
        done=done,
        unread=sum(1 for n in found if not n["read"]),
    )


@router.get("/notifications/{notice_id}")
def open_notification(notice_id: int, conn: DbConn, user: CurrentUser) -> RedirectResponse:
    """Show a notice's task; its read state stays as it is."""
    notice = notice_reads.notice_of(conn, user, notice_id)
    return RedirectResponse(f"/tasks/{notice['task_id']}", status_code=303)


@router.post("/notifications/{notice_id}/read")
def read_notification(notice_id: int, conn: DbConn, user: CurrentUser) -> RedirectResponse:
    """Open an unread notice: it is read from now on, and its task is shown."""
    notice = notice_reads.mark_read(conn, user, notice_id)
    return RedirectResponse(f"/tasks/{notice['task_id']}", status_code=303)


@router.post("/notifications/read-all")
def post_read_all(conn: DbConn, user: CurrentUser) -> RedirectResponse:
    """全部标为已读."""
    notice_reads.mark_all_read(conn, user)
    return RedirectResponse("/notifications?done=read-all", status_code=303)

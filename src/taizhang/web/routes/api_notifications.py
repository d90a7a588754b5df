"""通知 in the API: the signed-in user's own notices (交办, 批示, 催办) with their read state, and
marking them read. Nobody sees or marks another unit's notices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..backend import notice_reads
from ..deps import CurrentUser, DbConn
from ..routing import CommitRoute
from ..schemas import NotificationPublic, NotificationsPublic, ReadAllPublic

router = APIRouter(route_class=CommitRoute, prefix="/api/notifications", tags=["notifications"])


@router.get("", response_model=NotificationsPublic)
def list_notifications(conn: DbConn, user: CurrentUser, unread: bool = False) -> dict[str, Any]:
    """The user's notices, newest first (``unread`` keeps the unread ones), and how many are unread
    (counted up to 100). Users without a unit have none."""
    found = notice_reads.notices_for_user(conn, user)
    if unread:
        found = [n for n in found if not n["read"]]
    return {"data": found, "unread": notice_reads.unread_count(conn, user)}


@router.post("/read-all", response_model=ReadAllPublic)
def read_all(conn: DbConn, user: CurrentUser) -> dict[str, Any]:
    """全部标为已读: every notice the user has now is read; ``count`` is how many were unread."""
    return {"count": notice_reads.mark_all_read(conn, user)}


@router.post("/{notice_id}/read", response_model=NotificationPublic)
def read_one(notice_id: int, conn: DbConn, user: CurrentUser) -> dict[str, Any]:
    """Mark one notice read (404: no such notice; 403: not addressed to the user's unit)."""
    return notice_reads.mark_read(conn, user, notice_id)

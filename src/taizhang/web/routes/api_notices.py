"""The notice API (通报): list and read stored notices; the office drafts and publishes one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...errors import AuthenticationRequired
from ...services import notices as service
from ..deps import CurrentUser, DbConn, MaybeUser, OfficeUser, SettingsDep, Today
from ..routing import CommitRoute
from ..schemas import NoticeCreate, NoticePublic, NoticesPublic

router = APIRouter(route_class=CommitRoute, prefix="/api/notices", tags=["notices"])


@router.get("", response_model=NoticesPublic)
def list_notices(conn: DbConn, user: CurrentUser) -> dict[str, Any]:
    """Every stored notice, public or internal, newest first (any logged-in role)."""
    found = service.list_notices(conn)
    return {"data": found, "count": len(found)}


@router.get("/{notice_id}", response_model=NoticePublic)
def get_notice(notice_id: int, conn: DbConn, user: MaybeUser) -> service.Notice:
    """One notice; anonymous callers may read a public one only."""
    notice = service.get_notice(conn, notice_id)
    if user is None and not notice.is_public:
        raise AuthenticationRequired("请先登录")
    return notice


@router.post("", response_model=NoticePublic, status_code=201)
def create_notice(
    body: NoticeCreate, conn: DbConn, user: OfficeUser, settings: SettingsDep, today: Today
) -> service.Notice:
    """Draft a progress notice as of ``as_of`` (default today) and store it, internal or public (office only)."""
    draft = service.draft_progress_notice(
        conn,
        as_of=body.as_of or today,
        document=body.document or None,
        unit=body.unit or None,
        title=body.title or None,
        warn_days=settings.warning_working_days,
    )
    notice_id = service.publish_notice(conn, user, draft, is_public=body.is_public)
    return service.get_notice(conn, notice_id)

"""The registry API (规范性文件): public reading, filtered by status and year; the office records
a status change by hand.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...services import registry
from ..deps import DbConn, MaybeUser, Today
from ..permits import ManageRegistry
from ..routing import CommitRoute
from ..schemas_people import RegistryEntryPublic, RegistryPublic, StatusChange

router = APIRouter(route_class=CommitRoute, prefix="/api/registry", tags=["registry"])


@router.get("", response_model=RegistryPublic)
def list_registry(
    conn: DbConn, user: MaybeUser, status: str | None = None, year: int | None = None
) -> dict[str, Any]:
    """Every normative document with status and the documents that repealed or revised it (no login)."""
    found = registry.list_registry(conn, status=status or None, year=year)
    return {"data": found, "count": len(found)}


@router.post("/status", response_model=RegistryEntryPublic)
def change_status(body: StatusChange, conn: DbConn, user: ManageRegistry, today: Today) -> dict[str, Any]:
    """Record a status change (废止, 失效, 修订) by a document or with a reason; open tasks are flagged."""
    entry = registry.change_status(
        conn, user.name, body.document, body.status, by=body.by, reason=body.reason, today=today
    )
    return {**entry, **next(r for r in registry.list_registry(conn) if r["id"] == entry["id"])}

"""GET /api/documents: the documents (公文) of the ledger with task counts."""

from __future__ import annotations

from fastapi import APIRouter

from ..backend import queries
from ..deps import DbConn, MaybeUser
from ..routing import CommitRoute
from ..schemas import DocumentsPublic

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["documents"])


@router.get("/documents", response_model=DocumentsPublic)
def list_documents(conn: DbConn, user: MaybeUser) -> dict:
    """Every document in gazette order; anonymous callers get the published ones (此件公开发布)."""
    rows = queries.list_documents(conn, public_only=user is None)
    return {"data": rows, "count": len(rows)}

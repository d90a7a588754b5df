"""GET /api/documents: the documents (公文) of the ledger with task counts."""

from __future__ import annotations

from fastapi import APIRouter

from ..backend import queries
from ..deps import CurrentUser, DbConn
from ..schemas import DocumentsPublic

router = APIRouter(prefix="/api", tags=["documents"])


@router.get("/documents", response_model=DocumentsPublic)
def list_documents(conn: DbConn, user: CurrentUser) -> dict:
    """Every document in gazette order."""
    rows = queries.list_documents(conn)
    return {"data": rows, "count": len(rows)}

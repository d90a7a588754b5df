"""The public site (政务公开), no login: published documents and the progress of public tasks."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...errors import NotFound
from ...services.notices import list_notices
from ..backend import queries
from ..deps import MaybeUser, ReadConn
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, prefix="/public", tags=["public"])


@router.get("", response_class=HTMLResponse)
def public_index(request: Request, conn: ReadConn, user: MaybeUser) -> HTMLResponse:
    """Every published document (此件公开发布) with the number of its tasks and those done; public notices."""
    docs = queries.list_documents(conn, public_only=True)
    return render(
        request, "pages/public_index.html", documents=docs, notices=list_notices(conn, public_only=True)
    )


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def public_document(document_id: int, request: Request, conn: ReadConn, user: MaybeUser) -> HTMLResponse:
    """One published document and the progress of its tasks marked public."""
    doc = queries.get_document(conn, document_id)
    if not doc["is_public"]:
        raise NotFound("该文件未公开")
    rows = queries.list_tasks(conn, queries.TaskFilter(document=document_id, limit=None)).items
    return render(request, "pages/public_document.html", doc=doc, tasks=[r for r in rows if r["is_public"]])

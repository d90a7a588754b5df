"""Documents list and the reader: the original text with each extracted task highlighted."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..backend import queries
from ..deps import CurrentUser, DbConn
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])


def task_lines(rows: list[dict]) -> dict[int, list[dict]]:
    """Source line → the tasks whose span covers it (the reader highlights and links those lines)."""
    covering: dict[int, list[dict]] = {}
    for task in rows:
        for n in range(task["line_start"], task["line_end"] + 1):
            covering.setdefault(n, []).append(task)
    return covering


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, conn: DbConn, user: CurrentUser) -> HTMLResponse:
    """Every document with its number, title, status and task counts."""
    return render(request, "pages/documents.html", documents=queries.list_documents(conn))


@router.get("/documents/{document_id}", response_class=HTMLResponse)
def document_reader(document_id: int, request: Request, conn: DbConn, user: CurrentUser) -> HTMLResponse:
    """The document's original lines (anchors #L123), extracted tasks highlighted and linked."""
    doc = queries.get_document(conn, document_id)
    return render(
        request,
        "pages/document.html",
        doc=doc,
        lines=doc["source_lines"],
        tasks=doc["tasks"],
        covering=task_lines(doc["tasks"]),
    )

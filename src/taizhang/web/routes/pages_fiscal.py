"""The fiscal matrix page (事权与支出责任): "who pays for X?" answered with the level and the sentence."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...services import indicator_views as views
from ..deps import CurrentUser, DbConn
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])


@router.get("/fiscal", response_class=HTMLResponse)
def fiscal_page(request: Request, conn: DbConn, user: CurrentUser, q: str = "") -> HTMLResponse:
    """A search box; each answer links to the document reader at the line that says so; the whole matrix below."""
    answers = views.fiscal_answers(conn, q) if q.strip() else []
    return render(
        request, "pages/fiscal.html", q=q.strip(), answers=answers, matters=views.fiscal_matrix(conn)
    )

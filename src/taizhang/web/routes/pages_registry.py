"""The registry of normative documents (规范性文件): for the office with the form to record a
status change, and on the public site, filtered by status and year.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInput, NotFound
from ...extract.normative import STATUSES
from ...services import registry
from ..deps import CurrentUser, DbConn, MaybeUser, Today
from ..permits import ManageRegistry
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]


def _filters(status: str, year: str) -> tuple[str | None, int | None]:
    return (status if status in STATUSES else None), (int(year) if year.strip().isdigit() else None)


def registry_page(
    request: Request,
    conn: DbConn,
    template: str,
    *,
    status: str = "",
    year: str = "",
    error: str = "",
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    """The registry page (office or public template), filtered."""
    wanted, in_year = _filters(status, year)
    entries = registry.list_registry(conn, status=wanted, year=in_year)
    years = sorted({e["year"] for e in registry.list_registry(conn) if e["year"]}, reverse=True)
    return render(
        request,
        template,
        status_code=status_code,
        entries=entries,
        status=wanted or "",
        year=in_year,
        years=years,
        STATUSES=STATUSES,
        error=error,
        **extra,
    )


@router.get("/registry", response_class=HTMLResponse)
def registry_office(
    request: Request, conn: DbConn, user: CurrentUser, status: str = "", year: str = ""
) -> HTMLResponse:
    """The registry with links both ways and open tasks; the office records status changes here."""
    return registry_page(request, conn, "pages/registry.html", status=status, year=year)


@router.post("/registry/status", response_class=HTMLResponse)
def post_status(
    request: Request,
    conn: DbConn,
    user: ManageRegistry,
    today: Today,
    document: TextField,
    status: TextField,
    by: TextField = "",
    reason: TextField = "",
) -> Response:
    """Record a status change (废止, 失效, 修订); the document's open tasks are flagged for review."""
    try:
        registry.change_status(
            conn, user.name, document.strip(), status, by=by.strip() or None, reason=reason, today=today
        )
    except (InvalidInput, NotFound) as exc:
        return registry_page(request, conn, "pages/registry.html", error=str(exc), status_code=400)
    return RedirectResponse("/registry", status_code=303)


@router.get("/public/registry", response_class=HTMLResponse, tags=["public"])
def registry_public(
    request: Request, conn: DbConn, user: MaybeUser, status: str = "", year: str = ""
) -> HTMLResponse:
    """The public registry: every normative document, its status and what repealed or revised it."""
    return registry_page(request, conn, "pages/public_registry.html", status=status, year=year)

"""The dashboard page (领导看板): every logged-in role sees it; leaders see only this and reads."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ..backend import dashboard
from ..charts import progress_chart
from ..deps import CurrentUser, ReadConn, SettingsDep, Today
from ..limits import bounded_as_of
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])


@router.get("/", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    conn: ReadConn,
    user: CurrentUser,
    settings: SettingsDep,
    today: Today,
    as_of: date | None = None,
) -> HTMLResponse:
    """Counts by status and colour, by unit and document, due soon, overdue, progress chart."""
    data = dashboard.dashboard(conn, bounded_as_of(settings, as_of or today), settings.warning_working_days)
    return render(request, "pages/dashboard.html", d=data, chart=progress_chart(data["progress"]))

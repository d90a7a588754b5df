"""GET /api/dashboard: the dashboard's figures as JSON (every logged-in role)."""

from __future__ import annotations

from datetime import date

import orjson
from fastapi import APIRouter
from fastapi.responses import Response

from ..backend import dashboard
from ..deps import CurrentUser, ReadConn, SettingsDep, Today
from ..limits import bounded_as_of
from ..routing import CommitRoute
from ..schemas import DashboardPublic

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["dashboard"])


@router.get("/dashboard", response_model=DashboardPublic)
def get_dashboard(
    conn: ReadConn, user: CurrentUser, settings: SettingsDep, today: Today, as_of: date | None = None
) -> Response:
    """Counts by status, colour, unit and document; due soon; overdue; progress per week."""
    data = dashboard.dashboard(conn, bounded_as_of(settings, as_of or today), settings.warning_working_days)
    # straight to JSON: the dict is built in DashboardPublic's shape (a test holds them equal), and
    # validating it again cost a tenth of the request
    return Response(orjson.dumps(data), media_type="application/json")

"""考评 of units on their own work: the ranking page with its chart, the workbook, the API."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...ledger import permissions as perm
from ...services import evaluation
from ...services.user_info import UserInfo
from ..charts import ranking_chart
from ..deps import DbConn, Today
from ..permits import allowed
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["evaluation"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ViewEvaluation = Annotated[UserInfo, allowed("view_evaluation")]


def _result(conn: Any, user: UserInfo, period: str | None, as_of: date | None, today: date) -> dict[str, Any]:
    """The ranking; a unit user keeps only its own unit's row (with its place among all units)."""
    result = evaluation.evaluate(conn, period or str((as_of or today).year), as_of or today)
    if not perm.sees_all_units(user):
        result["units"] = [row for row in result["units"] if row["unit"] == user.unit_name]
    return result


@router.get("/api/evaluation")
def api_evaluation(
    conn: DbConn, user: ViewEvaluation, today: Today, period: str | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """Units ranked on their own work for ``period`` (2022, 2022-06, 2022-Q2, 2022-H1), judged on ``as_of``."""
    return _result(conn, user, period, as_of, today)


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation_page(
    request: Request,
    conn: DbConn,
    user: ViewEvaluation,
    today: Today,
    period: str | None = None,
    as_of: date | None = None,
) -> HTMLResponse:
    """The ranking with its chart and a link to the workbook."""
    result = _result(conn, user, period, as_of, today)
    return render(
        request,
        "pages/evaluation.html",
        result=result,
        chart=ranking_chart(result["units"]),
        columns=evaluation.COLUMNS,
    )


@router.get("/evaluation.xlsx")
def evaluation_xlsx(
    conn: DbConn, user: ViewEvaluation, today: Today, period: str | None = None, as_of: date | None = None
) -> Response:
    """The ranking as a workbook."""
    result = _result(conn, user, period, as_of, today)
    out = BytesIO()
    evaluation.write_xlsx(result, out)
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="evaluation.xlsx"'},
    )

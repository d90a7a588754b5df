"""考评 of units on their own work: the ranking page with its chart, the workbook, the API."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...services import evaluation
from ..charts import ranking_chart
from ..deps import CurrentUser, DbConn, Today
from ..templating import render

router = APIRouter(tags=["evaluation"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _result(conn: Any, period: str | None, as_of: date | None, today: date) -> dict[str, Any]:
    return evaluation.evaluate(conn, period or str((as_of or today).year), as_of or today)


@router.get("/api/evaluation")
def api_evaluation(
    conn: DbConn, user: CurrentUser, today: Today, period: str | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """Units ranked on their own work for ``period`` (2022, 2022-06, 2022-Q2, 2022-H1), judged on ``as_of``."""
    return _result(conn, period, as_of, today)


@router.get("/evaluation", response_class=HTMLResponse)
def evaluation_page(
    request: Request,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    period: str | None = None,
    as_of: date | None = None,
) -> HTMLResponse:
    """The ranking with its chart and a link to the workbook."""
    result = _result(conn, period, as_of, today)
    return render(
        request,
        "pages/evaluation.html",
        result=result,
        chart=ranking_chart(result["units"]),
        columns=evaluation.COLUMNS,
    )


@router.get("/evaluation.xlsx")
def evaluation_xlsx(
    conn: DbConn, user: CurrentUser, today: Today, period: str | None = None, as_of: date | None = None
) -> Response:
    """The ranking as a workbook."""
    result = _result(conn, period, as_of, today)
    out = BytesIO()
    evaluation.write_xlsx(result, out)
    return Response(
        out.getvalue(),
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="evaluation.xlsx"'},
    )

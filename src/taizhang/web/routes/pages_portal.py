"""The unit portal: "my tasks" of the logged-in unit, in every role and through its groups."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from ...errors import PermissionDenied
from ...ledger.standing import own_status
from ...services import evaluation
from ..backend import dashboard, notice_reads, notifications, queries, standing
from ..deps import CurrentUser, DbConn, SettingsDep, Today
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])


@router.get("/my", response_class=HTMLResponse)
def my_tasks(
    request: Request, conn: DbConn, user: CurrentUser, settings: SettingsDep, today: Today
) -> HTMLResponse:
    """The unit's tasks with its role in each (牵头/责任/配合, or via a group such as 各县(区))."""
    if user.role != "unit" or not user.unit_name:
        raise PermissionDenied("“我的任务”仅对单位账户开放")
    page = queries.list_tasks(conn, queries.TaskFilter(unit=user.unit_name, sort="due", limit=None))
    rows, total = page.items, page.total
    for row in rows:
        mine = [u for u in row["units"] if u["unit_id"] in user.unit_ids]
        row["my_roles"] = sorted({u["role"] for u in mine})
        row["via_group"] = [u["name"] for u in mine if u["unit_id"] != user.unit_id]
    # each unit's light is its own part's: a county whose part is 办结 is not red for its neighbours
    own = standing.own_part_statuses(conn, {user.unit_id} if user.unit_id else set(), [r["id"] for r in rows])
    judged = [{**r, "status": own_status(own.get(r["id"]), r["status"])} for r in rows]
    lights = dashboard.lights_for(conn, judged, today, settings.warning_working_days)
    notices = notice_reads.notices_for_user(
        conn, user, limit=notifications.RECENT
    )  # 交办, 批示, 催办 for the unit
    ranking = evaluation.evaluate(conn, str(today.year), today)  # 考评 of the year, on the unit's own parts
    score = next((row for row in ranking["units"] if row["unit"] == user.unit_name), None)
    return render(
        request,
        "pages/my.html",
        rows=rows,
        total=total,
        lights=lights,
        notices=notices,
        score=score,
        period=ranking["period"],
    )

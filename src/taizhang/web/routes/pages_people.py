"""People pages: the directory of leaders with 分工 and AB岗, absences, who covers a unit, routed
approvals and notifications, a unit's page (who 分管 it), and the expert pool.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInput, InvalidTransition, NotFound
from ...ledger import permissions as perm
from ...ledger.consultation import POOL_IN, POOL_OUT
from ...services import decisions, experts, people, routing
from ...services.units import list_units
from ..deps import DbConn, Today
from ..permits import DecideRequests, ManageExperts, ManagePeople, RouteRequests, ViewExperts, ViewPeople
from ..routing import CommitRoute, off_the_loop
from ..templating import render
from .pages_decisions import form_day

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]
Refused = (InvalidInput, InvalidTransition, NotFound)


def people_page(
    request: Request,
    conn: DbConn,
    user: Any,
    today: Today,
    *,
    target: str = "",
    on: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The people page, with the answer to a who-covers question when one was asked."""
    answer = None
    if target.strip():
        try:
            answer = people.coverage_dict(conn, target.strip(), form_day(on, today, "日期"))
        except Refused as exc:
            error, status_code = str(exc), 400
    return render(
        request,
        "pages/people.html",
        status_code=status_code,
        people=people.list_people(conn, today=today),
        pairs=people.backup_pairs(conn),
        answer=answer,
        requests=routing.list_requests(conn) if perm.can(user, "decide_request") else [],
        target=target,
        on=on or today.isoformat(),
        error=error,
        today=today,
        KINDS=routing.KINDS,
    )


@router.get("/people", response_class=HTMLResponse)
def people_directory(
    request: Request, conn: DbConn, user: ViewPeople, today: Today, target: str = "", on: str = ""
) -> HTMLResponse:
    """People with 分工, AB岗 and absences; ``?target=市生态环境局&on=2022-05-10`` answers who covers it."""
    return people_page(request, conn, user, today, target=target, on=on)


@router.post("/people/absences", response_class=HTMLResponse)
def post_absence(
    request: Request,
    conn: DbConn,
    user: ManagePeople,
    today: Today,
    name: TextField,
    starts_on: TextField,
    ends_on: TextField,
    reason: TextField = "",
) -> Response:
    """Record an absence (不在岗): the person's requests go to the AB岗 partner meanwhile."""
    try:
        people.add_absence(
            conn,
            user.name,
            name,
            form_day(starts_on, today, "开始日期"),
            form_day(ends_on, today, "结束日期"),
            reason,
        )
    except Refused as exc:
        return people_page(request, conn, user, today, error=str(exc), status_code=400)
    return RedirectResponse("/people#absences", status_code=303)


@router.post("/people/absences/{absence_id}/delete")
def delete_absence(absence_id: int, conn: DbConn, user: ManagePeople) -> RedirectResponse:
    """Remove an absence entered by mistake."""
    people.remove_absence(conn, user.name, absence_id)
    return RedirectResponse("/people#absences", status_code=303)


@router.post("/requests", response_class=HTMLResponse)
def post_request(
    request: Request,
    conn: DbConn,
    user: RouteRequests,
    today: Today,
    kind: TextField,
    target: TextField,
    subject: TextField,
    day: TextField = "",
) -> Response:
    """Send an approval or notification to whoever covers the unit that day."""
    try:
        routing.route_request(
            conn,
            user.name,
            kind=kind,
            target=target.strip(),
            subject=subject,
            day=form_day(day, today, "日期"),
        )
    except Refused as exc:
        return people_page(request, conn, user, today, error=str(exc), status_code=400)
    return RedirectResponse("/people#requests", status_code=303)


@router.post("/requests/{request_id}/decision", response_class=HTMLResponse)
def post_decision(
    request_id: int,
    request: Request,
    conn: DbConn,
    user: DecideRequests,
    today: Today,
    decision: TextField,
    note: TextField = "",
) -> Response:
    """Answer a routed request (同意, 退回, 已阅)."""
    try:
        routing.decide_request(conn, user.name, request_id, decision, note, today)
    except (InvalidInput, InvalidTransition) as exc:
        return people_page(request, conn, user, today, error=str(exc), status_code=400)
    return RedirectResponse("/people#requests", status_code=303)


@router.get("/units/{unit_id}", response_class=HTMLResponse)
def unit_page(unit_id: int, request: Request, conn: DbConn, user: ViewPeople, today: Today) -> HTMLResponse:
    """A unit: aliases, the leaders whose 分工 names it, who covers it today, the decisions it handles."""
    unit = next((u for u in list_units(conn) if u["id"] == unit_id), None)
    if unit is None:
        raise NotFound(f"没有编号为 {unit_id} 的单位")
    try:
        cover = people.coverage_dict(conn, unit["name"], today)
    except NotFound:  # no one's 分工 names the unit and no one heads the office
        cover = None
    return render(
        request,
        "pages/unit.html",
        unit=unit,
        leaders=people.leaders_of_unit(conn, unit_id),
        cover=cover,
        items=decisions.list_decisions(conn, user, unit_id=unit_id),
        today=today,
    )


def experts_page(
    request: Request, conn: DbConn, *, error: str = "", done: str = "", status_code: int = 200
) -> HTMLResponse:
    """The expert pool page."""
    return render(
        request,
        "pages/experts.html",
        status_code=status_code,
        experts=experts.list_experts(conn),
        error=error,
        done=done,
        POOLS=(POOL_IN, POOL_OUT),
    )


@router.get("/experts", response_class=HTMLResponse)
def experts_directory(request: Request, conn: DbConn, user: ViewExperts, done: str = "") -> HTMLResponse:
    """The expert pool, and for the office the forms to add and import experts."""
    return experts_page(request, conn, done=done)


@router.post("/experts", response_class=HTMLResponse)
def post_expert(
    request: Request,
    conn: DbConn,
    user: ManageExperts,
    name: TextField,
    field: TextField = "",
    title: TextField = "",
    affiliation: TextField = "",
    pool: TextField = POOL_IN,
    conflicts: TextField = "",
    phone: TextField = "",
) -> Response:
    """Add an expert by hand."""
    try:
        experts.add_expert(
            conn,
            user.name,
            name=name,
            field_=field,
            title=title,
            affiliation=affiliation,
            pool=pool,
            conflicts=[c.strip() for c in conflicts.replace("，", "、").split("、") if c.strip()],
            phone=phone,
        )
    except InvalidInput as exc:
        return experts_page(request, conn, error=str(exc), status_code=400)
    return RedirectResponse("/experts?done=add", status_code=303)


@router.post("/experts/import", response_class=HTMLResponse)
async def post_import(request: Request, conn: DbConn, user: ManageExperts) -> Response:
    """Import the pool from an uploaded workbook; skipped rows are listed with their reason."""
    upload = (await request.form()).get("workbook")
    if upload is None or isinstance(upload, str):
        return experts_page(request, conn, error="请选择要导入的专家名单 (.xlsx)", status_code=400)
    try:
        data = await upload.read()
        report = await off_the_loop(
            conn, lambda: experts.import_experts(conn, user.name, data, label=upload.filename or "专家名单")
        )
    except InvalidInput as exc:
        return experts_page(request, conn, error=str(exc), status_code=400)
    done = f"已导入：新增 {report.created} 人，更新 {report.updated} 人" + (
        "；跳过 " + "；".join(report.skipped) if report.skipped else ""
    )
    return experts_page(request, conn, done=done)

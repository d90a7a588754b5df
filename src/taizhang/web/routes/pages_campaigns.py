"""Campaign pages: the list, one campaign (groups, milestones, check items, progress with a chart,
objects, findings and their 整改销号, draws), the forms that work it, the exports, and the public view.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import BytesIO
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.engine import Connection

from ...errors import InvalidInput, NotFound
from ...export.campaigns import write_campaign_notice, write_campaign_xlsx
from ...ledger.campaigns import SEVERITIES
from ...ledger.permissions import can as perm_can
from ...ledger.permissions import sees_all_units
from ...services import (
    campaign_checklist,
    campaign_clocks,
    campaign_draws,
    campaign_inspectors,
    campaign_work,
    campaigns,
    deployment,
)
from ..charts_campaigns import county_chart
from ..deps import DbConn, MaybeUser, SettingsDep, Today
from ..permits import allowed
from ..routing import CommitRoute, off_the_loop
from ..templating import render
from .pages_consultations import DOCX_TYPE

router = APIRouter(route_class=CommitRoute, tags=["pages"])
ViewCampaigns = Annotated[campaign_work.UserInfo, allowed("view_campaigns")]
ManageCampaigns = Annotated[campaign_work.UserInfo, allowed("manage_campaigns")]
ManageFindings = Annotated[campaign_work.UserInfo, allowed("manage_findings")]
TextField = Annotated[str, Form()]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(request: Request, conn: DbConn, user: ViewCampaigns) -> HTMLResponse:
    """Every campaign with its groups and progress."""
    return render(request, "pages/campaigns.html", campaigns=campaigns.list_campaigns(conn))


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(
    campaign_id: int,
    request: Request,
    conn: DbConn,
    user: ViewCampaigns,
    today: Today,
    error: str = "",
    draw: int | None = None,
) -> HTMLResponse:
    """One campaign: groups, milestones, check items, progress chart, objects, findings, draws."""
    found = campaigns.visible_to(campaigns.get_campaign(conn, campaign_id), user)
    row = campaigns.get_campaign_row(conn, campaign_id)
    inspector = {o["id"]: campaign_work.may_inspect(user, row, o["county_unit_id"]) for o in found["objects"]}
    return render(
        request,
        "pages/campaign.html",
        c=found,
        chart=county_chart(found["progress"]["by_county"]),
        inspector=inspector,
        SEVERITIES=SEVERITIES,
        error=error,
        lists=campaigns.three_lists(conn, campaign_id) if sees_all_units(user) else None,
        shown_draw=draw,
        clocks=campaign_clocks.object_clocks(conn, campaign_id, today),
        clock_warnings=[
            w
            for w in campaign_clocks.clock_warnings(conn, today, campaign_id=campaign_id)
            if w["object_id"] in {o["id"] for o in found["objects"]}
        ],
        inspectors=campaign_inspectors.list_inspectors(conn, campaign_id)
        if perm_can(user, "manage_campaigns")
        else [],
        events=campaign_clocks.event_names(found["clocks"]),
    )


def _back(campaign_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/campaigns/{campaign_id}{anchor}", status_code=303)


async def _import_workbook(
    importer: Callable[..., Any],
    conn: Connection,
    user: campaign_work.UserInfo,
    campaign_id: int,
    file: UploadFile,
    anchor: str,
) -> Response:
    """Run one workbook import of a campaign; a skipped row refuses it with the first reasons."""
    data = await file.read()
    report = await off_the_loop(
        conn, lambda: importer(conn, user, campaign_id, data, label=file.filename or "工作簿")
    )
    if report.skipped:
        raise InvalidInput("；".join(report.skipped[:5]))
    return _back(campaign_id, anchor)


@router.post("/campaigns/{campaign_id}/objects/import")
async def post_objects_import(
    campaign_id: int, conn: DbConn, user: ManageCampaigns, file: Annotated[UploadFile, File()]
) -> Response:
    """Import objects from a workbook."""
    return await _import_workbook(campaign_work.import_objects, conn, user, campaign_id, file, "#objects")


@router.post("/campaigns/{campaign_id}/objects")
def post_object(
    campaign_id: int,
    conn: DbConn,
    user: ManageCampaigns,
    name: TextField,
    county: TextField = "",
    kind: TextField = "",
    owner: TextField = "",
    credit_code: TextField = "",
) -> Response:
    """Add an object by hand."""
    campaign_work.add_object(
        conn,
        user,
        campaign_id,
        name=name,
        county=county,
        kind=kind,
        owner=owner,
        credit_code=credit_code or None,
    )
    return _back(campaign_id, "#objects")


@router.post("/campaigns/{campaign_id}/inspectors/import")
async def post_inspectors_import(
    campaign_id: int, conn: DbConn, user: ManageCampaigns, file: Annotated[UploadFile, File()]
) -> Response:
    """Import the inspector pool (执法检查人员库) from a workbook: 姓名, 所在单位, 县(区)."""
    return await _import_workbook(
        campaign_inspectors.import_inspectors, conn, user, campaign_id, file, "#draws"
    )


@router.post("/campaigns/{campaign_id}/inspectors")
def post_inspector(
    campaign_id: int,
    conn: DbConn,
    user: ManageCampaigns,
    name: TextField,
    unit: TextField = "",
    county: TextField = "",
) -> Response:
    """Add one inspector to the pool by hand."""
    campaign_inspectors.add_inspector(conn, user, campaign_id, name=name, unit=unit, county=county)
    return _back(campaign_id, "#draws")


@router.post("/campaign-objects/{object_id}/events")
def post_event(
    object_id: int, conn: DbConn, user: ViewCampaigns, event: TextField, day: Annotated[date, Form()]
) -> Response:
    """Record an event of an object (收住老年人, 备案, 现场检查) that starts or stops a clock."""
    campaign_clocks.record_event(conn, user, object_id, event, day)
    campaign_id = campaign_work.object_row(conn, object_id).campaign_id
    return _back(int(campaign_id), "#objects")


async def _evidence(files: list[UploadFile] | None) -> tuple[campaign_work.Evidence, ...]:
    """The uploaded photos or files that carry a name."""
    return tuple(
        [
            campaign_work.Evidence(f.filename or "", await f.read(), f.content_type)
            for f in files or []
            if f.filename
        ]
    )


@router.post("/campaigns/{campaign_id}/findings")
async def post_finding(
    campaign_id: int,
    conn: DbConn,
    user: ManageFindings,
    today: Today,
    settings: SettingsDep,
    object_id: Annotated[int, Form()],
    problem: TextField,
    check_item_id: TextField = "",
    category: TextField = "",
    severity: TextField = "一般",
    measures: TextField = "",
    due_on: TextField = "",
    evidence: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Record a finding on one of the campaign's objects, with photos or files of what was found."""
    try:
        due = date.fromisoformat(due_on.strip()) if due_on.strip() else None
    except ValueError:
        raise InvalidInput(f"整改时限“{due_on}”不是有效日期（如2022-06-30）") from None
    files = await _evidence(evidence)
    await off_the_loop(
        conn,
        lambda: campaign_work.record_finding(
            conn,
            user,
            object_id,
            problem=problem,
            today=today,
            check_item_id=int(check_item_id) if check_item_id.strip() else None,
            category=category,
            severity=severity,
            measures=measures,
            due_on=due,
            campaign_id=campaign_id,
            evidence=files,
            upload_dir=settings.upload_dir,
        ),
    )
    return _back(campaign_id, "#findings")


@router.post("/campaigns/{campaign_id}/check-items")
def post_check_item(
    campaign_id: int,
    conn: DbConn,
    user: ManageCampaigns,
    title: TextField,
    label: TextField = "",
    parent: TextField = "",
    item_id: TextField = "",
) -> Response:
    """Add a check item, or correct one (``item_id``)."""
    campaign_checklist.save_check_item(
        conn,
        user,
        campaign_id,
        title=title,
        label=label,
        parent=parent,
        item_id=int(item_id) if item_id.strip() else None,
    )
    return _back(campaign_id, "#groups")


@router.post("/findings/{finding_id}/supervision")
def post_supervision(finding_id: int, conn: DbConn, user: ManageCampaigns, on: TextField = "1") -> Response:
    """挂牌督办 a finding, or lift it."""
    campaign_draws.set_supervised(conn, user, finding_id, on == "1")
    return _back(int(campaign_work.finding_row(conn, finding_id).campaign_id), "#findings")


@router.post("/findings/{finding_id}/credit-records")
def post_credit_record(
    finding_id: int,
    conn: DbConn,
    user: ManageCampaigns,
    today: Today,
    kind: TextField,
    basis: TextField,
    public: TextField = "",
) -> Response:
    """A credit record (失信/守信) of the finding's object, public when the rule says 向社会公开."""
    campaign_draws.add_credit_record(
        conn, user, finding_id, kind=kind, basis=basis, today=today, public=public == "1"
    )
    return _back(int(campaign_work.finding_row(conn, finding_id).campaign_id), "#findings")


@router.post("/findings/{finding_id}/{action}")
async def post_finding_action(
    finding_id: int,
    action: str,
    conn: DbConn,
    user: ViewCampaigns,
    today: Today,
    settings: SettingsDep,
    note: TextField = "",
    evidence: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """rectify / request_close (with photos or files) / verify / return."""
    if action not in ("rectify", "request_close", "verify", "return"):
        raise NotFound(f"没有“{action}”这个操作")
    files = await _evidence(evidence)

    def act() -> int:
        row = campaign_work.finding_row(conn, finding_id)
        campaign_work.act_on_finding(
            conn,
            user,
            finding_id,
            action,
            today=today,
            note=note,
            evidence=files,
            upload_dir=settings.upload_dir,
        )
        return int(row.campaign_id)

    return _back(await off_the_loop(conn, act), "#findings")


@router.post("/campaigns/{campaign_id}/draw")
def post_draw(
    campaign_id: int,
    conn: DbConn,
    user: ManageCampaigns,
    objects: Annotated[int, Form()],
    inspectors: Annotated[int, Form()],
    seed: TextField,
    period: TextField = "",
) -> Response:
    """Make and record a draw (双随机)."""
    result = campaign_draws.make_draw(
        conn, user, campaign_id, n_objects=objects, n_inspectors=inspectors, seed=seed, period=period
    )
    return RedirectResponse(f"/campaigns/{campaign_id}?draw={result['id']}#draws", status_code=303)


def _download(data: bytes, media_type: str, name: str) -> Response:
    disposition = (
        f"attachment; filename=\"campaign.{name.rsplit('.', 1)[-1]}\"; filename*=UTF-8''{quote(name)}"
    )
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/campaigns/{campaign_id}/export.xlsx")
def export_xlsx(campaign_id: int, conn: DbConn, user: ViewCampaigns) -> Response:
    """The 问题整改情况表 and 排查表."""
    found = campaigns.visible_to(campaigns.get_campaign(conn, campaign_id), user)
    buffer = BytesIO()
    write_campaign_xlsx(found, buffer)
    return _download(buffer.getvalue(), XLSX_TYPE, f"{found['title']}问题整改情况表.xlsx")


@router.get("/campaigns/{campaign_id}/notice.docx")
def export_notice(
    campaign_id: int, conn: DbConn, user: ManageCampaigns, settings: SettingsDep, today: Today
) -> Response:
    """The campaign's 通报 in 公文 layout."""
    found = campaigns.get_campaign(conn, campaign_id)
    buffer = BytesIO()
    write_campaign_notice(found, buffer, as_of=today, issuer=deployment.issuer_of(conn, settings))
    return _download(buffer.getvalue(), DOCX_TYPE, f"{found['title']}通报.docx")


@router.get("/public/campaigns", response_class=HTMLResponse, tags=["public"])
def public_campaigns(request: Request, conn: DbConn, user: MaybeUser) -> HTMLResponse:
    """Campaigns of public documents: progress and the published draws with their outcome."""
    shown = campaigns.list_campaigns(conn, public_only=True)
    for c in shown:
        c["draws"] = campaign_draws.public_draws(conn, c["id"])
        c["credit"] = campaign_draws.public_credit_records(conn, c["id"])
    return render(request, "pages/public_campaigns.html", campaigns=shown)

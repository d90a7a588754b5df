"""The campaigns API: campaigns with groups, milestones, check items and progress; one campaign with
its objects, findings and draws; a finding recorded; a draw (双随机) made and recorded.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from ...ledger.campaigns import Avoidance
from ...services import campaign_draws, campaign_work, campaigns
from ..deps import DbConn, Today
from ..permits import allowed
from ..routing import CommitRoute

router = APIRouter(route_class=CommitRoute, prefix="/api/campaigns", tags=["campaigns"])
ViewCampaigns = Annotated[campaign_work.UserInfo, allowed("view_campaigns")]
ManageCampaigns = Annotated[campaign_work.UserInfo, allowed("manage_campaigns")]
ManageFindings = Annotated[campaign_work.UserInfo, allowed("manage_findings")]


class CampaignPublic(BaseModel):
    """A campaign: kind, scope, groups (组长, counties), milestones, check items, progress."""

    id: int
    title: str
    kind: str
    doc_number: str | None
    object_kinds: list[str]
    counties: list[str]
    declared_groups: int | None
    group_lead_unit: str | None
    forms: list[str]
    is_public: bool
    milestones: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    check_items: list[dict[str, Any]]
    progress: dict[str, Any]


class CampaignDetail(CampaignPublic):
    """A campaign with its objects, findings and draws."""

    objects: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    draws: list[dict[str, Any]]


class CampaignsPublic(BaseModel):
    """Campaigns and their number."""

    data: list[CampaignPublic]
    count: int


class FindingCreate(BaseModel):
    """A problem found on an object."""

    object_id: int
    problem: str = Field(min_length=1)
    check_item_id: int | None = None
    category: str = ""
    severity: str = "一般"
    measures: str = ""
    unit: str | None = None
    due_on: date | None = None


class FindingCreated(BaseModel):
    """The new finding's id."""

    id: int


class DrawCreate(BaseModel):
    """How many objects and inspectors to draw, with the seed that makes the draw reproducible."""

    objects: int = Field(ge=1)
    inspectors: int = Field(ge=1)
    seed: str = Field(min_length=1, max_length=100)
    period: str = ""
    avoid_county: bool = True  # 回避: an inspector never draws an object of their own county
    avoid_unit: bool = True  # … nor of their own unit


class DrawPublic(BaseModel):
    """A recorded draw: its id, seed, period and pairs."""

    id: int
    seed: str
    period: str
    result: list[dict[str, Any]]


@router.get("", response_model=CampaignsPublic)
def list_campaigns(conn: DbConn, user: ViewCampaigns) -> dict[str, Any]:
    """Every campaign with groups, milestones and progress."""
    found = campaigns.list_campaigns(conn)
    return {"data": found, "count": len(found)}


@router.get("/{campaign_id}", response_model=CampaignDetail)
def get_campaign(campaign_id: int, conn: DbConn, user: ViewCampaigns) -> dict[str, Any]:
    """One campaign with objects, findings and draws, as far as the caller may read them."""
    return campaigns.visible_to(campaigns.get_campaign(conn, campaign_id), user)


@router.post("/{campaign_id}/findings", response_model=FindingCreated, status_code=201)
def record_finding(
    campaign_id: int, body: FindingCreate, conn: DbConn, user: ManageFindings, today: Today
) -> dict[str, Any]:
    """Record a finding (the object must belong to the campaign)."""
    campaigns.get_campaign_row(conn, campaign_id)
    fields = body.model_dump(exclude={"object_id"})
    finding_id = campaign_work.record_finding(
        conn, user, body.object_id, today=today, campaign_id=campaign_id, **fields
    )
    return {"id": finding_id}


@router.post("/{campaign_id}/draw", response_model=DrawPublic, status_code=201)
def make_draw(campaign_id: int, body: DrawCreate, conn: DbConn, user: ManageCampaigns) -> dict[str, Any]:
    """Draw objects and inspectors (双随机) avoiding each inspector's county; recorded with the seed."""
    return campaign_draws.make_draw(
        conn,
        user,
        campaign_id,
        n_objects=body.objects,
        n_inspectors=body.inspectors,
        seed=body.seed,
        period=body.period,
        avoid=Avoidance(county=body.avoid_county, unit=body.avoid_unit),
    )

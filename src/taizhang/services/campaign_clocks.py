"""Working-day clocks on the objects of a campaign: the office or the object's county records an
event (收住老年人, 备案, 现场检查) with its day; each clock of the campaign then has a due day counted
in working days from its starting event, and a warning when it is late or falls due soon.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound
from ..ledger import permissions as perm
from ..ledger.campaigns import ClockRule, clock_dues
from ..storage.tables import documents
from ..storage.tables_campaigns import campaign_objects, campaigns
from ..workdays import workdays_between
from .audit import record_change
from .campaign_work import group_covers
from .user_info import UserInfo

SOON_WORKING_DAYS = 3  # a clock due within this many working days is shown yellow


def _rules(clocks: list[dict[str, Any]]) -> list[ClockRule]:
    return [ClockRule(c["name"], c["after"], int(c["days"])) for c in clocks]


def event_names(clocks: list[dict[str, Any]]) -> list[str]:
    """The events a campaign's clocks start from or end with, in order (收住老年人, 备案, 现场检查)."""
    names: list[str] = []
    for c in clocks:
        for name in (c["after"], c["name"]):
            if name not in names:
                names.append(name)
    return names


def record_event(conn: Connection, actor: UserInfo, object_id: int, event: str, day: date) -> None:
    """Record that ``event`` happened to an object on ``day`` (the office, or a user of its county)."""
    row = conn.execute(sa.select(campaign_objects).where(campaign_objects.c.id == object_id)).first()
    if row is None:
        raise NotFound(f"没有编号为{object_id}的检查对象")
    own_county = row.county_unit_id is not None and row.county_unit_id in actor.unit_ids
    if actor.role == perm.GROUP:
        own_county = group_covers(actor, int(row.campaign_id), row.county_unit_id)
    perm.require(
        perm.can(actor, "manage_campaigns") or (perm.can(actor, "manage_findings") and own_county),
        f"{actor.name}无权登记“{row.name}”的事项",
    )
    clocks = (
        conn.execute(sa.select(campaigns.c.clocks).where(campaigns.c.id == row.campaign_id)).scalar() or []
    )
    if event not in event_names(clocks):
        raise InvalidInput(f"“{event}”不是本项工作计时的事项（{'、'.join(event_names(clocks)) or '无'}）")
    events = {**(row.events or {}), event: day.isoformat()}
    conn.execute(campaign_objects.update().where(campaign_objects.c.id == object_id).values(events=events))
    record_change(
        conn,
        actor=actor.name,
        action="event",
        entity="campaign_object",
        entity_id=object_id,
        before={"events": row.events},
        after={"events": events},
    )


def object_clocks(conn: Connection, campaign_id: int, today: date) -> dict[int, list[dict[str, Any]]]:
    """Per object id: each running clock with its due day, the day it was met, and a colour
    (green in time, yellow due within 3 working days, red late)."""
    clocks = conn.execute(sa.select(campaigns.c.clocks).where(campaigns.c.id == campaign_id)).scalar() or []
    rules = _rules(clocks)
    out: dict[int, list[dict[str, Any]]] = {}
    objects = conn.execute(
        sa.select(campaign_objects.c.id, campaign_objects.c.events).where(
            campaign_objects.c.campaign_id == campaign_id
        )
    )
    for object_id, events in objects:
        days = {k: date.fromisoformat(v) for k, v in (events or {}).items()}
        shown = []
        for due in clock_dues(rules, days, today):
            soon = not due.done_on and workdays_between(today, due.due) <= SOON_WORKING_DAYS
            colour = "red" if due.late else ("green" if due.done_on else ("yellow" if soon else "green"))
            shown.append(
                {
                    "name": due.name,
                    "after": due.after,
                    "due": due.due,
                    "done_on": due.done_on,
                    "late": due.late,
                    "colour": colour,
                }
            )
        out[int(object_id)] = shown
    return out


def clock_warnings(
    conn: Connection, today: date, *, campaign_id: int | None = None, soon_days: int = SOON_WORKING_DAYS
) -> list[dict[str, Any]]:
    """Every running clock that is late or falls due within ``soon_days`` working days and is not
    met, as a warning to the object's 属地 county unit, like a task's deadline: campaign, object,
    the action due (备案, 现场检查), its due day and the working days late or left."""
    query = (
        sa.select(
            campaign_objects.c.id,
            campaign_objects.c.name,
            campaign_objects.c.county_unit_id,
            campaign_objects.c.events,
            campaigns.c.id.label("campaign_id"),
            campaigns.c.title,
            campaigns.c.clocks,
            documents.c.doc_number,
        )
        .select_from(
            campaign_objects.join(campaigns, campaigns.c.id == campaign_objects.c.campaign_id).outerjoin(
                documents, documents.c.id == campaigns.c.document_id
            )
        )
        .order_by(campaign_objects.c.id)
    )
    if campaign_id is not None:
        query = query.where(campaigns.c.id == campaign_id)
    out: list[dict[str, Any]] = []
    for row in conn.execute(query):
        if not row.clocks or not row.events:
            continue
        days = {k: date.fromisoformat(v) for k, v in row.events.items()}
        for due in clock_dues(_rules(row.clocks), days, today):
            if due.done_on:
                continue
            left = workdays_between(today, due.due)
            if not due.late and left > soon_days:
                continue
            late = workdays_between(due.due, today) if due.late else 0
            out.append(
                {
                    "unit_id": row.county_unit_id,
                    "campaign_id": row.campaign_id,
                    "campaign": row.title,
                    "doc_number": row.doc_number,
                    "object_id": row.id,
                    "object": row.name,
                    "title": f"{row.name}{due.name}（{due.after}后）",
                    "clock": due.name,
                    "due_on": due.due,
                    "late": due.late,
                    "reason": f"已逾期{late}个工作日" if due.late else f"还剩{left}个工作日",
                }
            )
    return out

"""双随机 draws, 挂牌督办 and credit records (信用监管) of a campaign; each write is checked against the
permission matrix and recorded in the change log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput
from ..ledger import permissions as perm
from ..ledger.campaigns import Avoidance, Candidate, draw
from ..storage.tables_campaigns import (
    campaign_draws,
    campaign_findings,
    campaign_groups,
    campaign_objects,
    credit_records,
)
from .audit import record_change
from .campaign_inspectors import list_inspectors
from .campaign_work import finding_row
from .campaigns import get_campaign_row
from .user_info import UserInfo


def set_supervised(conn: Connection, actor: UserInfo, finding_id: int, supervised: bool = True) -> None:
    """挂牌督办 (or lift it) by the office."""
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以挂牌督办")
    row = finding_row(conn, finding_id)
    conn.execute(
        campaign_findings.update().where(campaign_findings.c.id == finding_id).values(supervised=supervised)
    )
    record_change(
        conn,
        actor=actor.name,
        action="supervise",
        entity="campaign_finding",
        entity_id=finding_id,
        before={"supervised": row.supervised},
        after={"supervised": supervised},
    )


def add_credit_record(
    conn: Connection,
    actor: UserInfo,
    finding_id: int,
    *,
    kind: str,
    basis: str,
    today: date,
    public: bool = False,
) -> int:
    """A credit record (失信/守信) of the finding's object, with its legal basis; public when the rule says so."""
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以记录信用")
    if kind not in ("失信", "守信"):
        raise InvalidInput(f"信用记录应为失信或守信，而不是“{kind}”")
    row = finding_row(conn, finding_id)
    values = {
        "object_id": row.object_id,
        "finding_id": finding_id,
        "kind": kind,
        "basis": basis.strip(),
        "recorded_on": today,
        "is_public": public,
    }
    record_id = int(conn.execute(credit_records.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn,
        actor=actor.name,
        action="add",
        entity="credit_record",
        entity_id=record_id,
        before=None,
        after=values,
    )
    return record_id


def inspector_pool(conn: Connection, campaign_id: int) -> list[Candidate]:
    """The campaign's inspector pool (执法检查人员库), each with their county and unit; while the pool
    is empty, the named members of its groups, each with every county their groups cover."""
    pool = list_inspectors(conn, campaign_id)
    if pool:
        return [
            Candidate(
                int(i["id"]),
                i["name"],
                (i["county"],) if i["county"] else (),
                (i["unit"],) if i["unit"] else (),
            )
            for i in pool
        ]
    counties: dict[str, list[str]] = {}
    groups = conn.execute(
        sa.select(campaign_groups)
        .where(campaign_groups.c.campaign_id == campaign_id)
        .order_by(campaign_groups.c.number)
    ).all()
    for group in groups:
        for member in group.members:
            if member.get("name"):
                covered = counties.setdefault(member["name"], [])
                covered.extend(c for c in group.counties if c not in covered)
    return [Candidate(n, name, tuple(covered)) for n, (name, covered) in enumerate(counties.items(), start=1)]


def object_pool(conn: Connection, campaign_id: int) -> list[Candidate]:
    """The campaign's objects, each with its county and its units (owner, 行业 department)."""
    rows = conn.execute(sa.select(campaign_objects).where(campaign_objects.c.campaign_id == campaign_id))
    return [
        Candidate(
            r.id,
            r.name,
            (r.county,) if r.county else (),
            tuple(u for u in (r.owner, r.industry_unit) if u),
        )
        for r in rows
    ]


def make_draw(
    conn: Connection,
    actor: UserInfo,
    campaign_id: int,
    *,
    n_objects: int,
    n_inspectors: int,
    seed: str,
    period: str = "",
    public: bool = True,
    avoid: Avoidance = Avoidance(),
) -> dict[str, Any]:
    """Draw objects and inspectors (双随机) and record the draw with its seed and inputs: both pools,
    the counts and the avoidance rule, so the same inputs give the same draw again."""
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以抽取")
    get_campaign_row(conn, campaign_id)
    objects = object_pool(conn, campaign_id)
    inspectors = inspector_pool(conn, campaign_id)
    pairs = draw(objects, inspectors, n_objects=n_objects, n_inspectors=n_inspectors, seed=seed, avoid=avoid)
    by_object = {o.id: o for o in objects}
    by_inspector = {i.id: i for i in inspectors}
    result = [
        {
            "object_id": p.object_id,
            "object": p.object_name,
            "county": "、".join(by_object[p.object_id].counties),
            "inspector": p.inspector_name,
            "inspector_unit": "、".join(by_inspector[p.inspector_id].units),
            "inspector_counties": list(by_inspector[p.inspector_id].counties),
        }
        for p in pairs
    ]
    inputs = {
        "objects": sorted(o.id for o in objects),
        "inspectors": [
            {"name": i.name, "unit": "、".join(i.units), "counties": list(i.counties)} for i in inspectors
        ],
        "inspector_pool": "执法检查人员库" if list_inspectors(conn, campaign_id) else "督查组成员",
        "n_objects": n_objects,
        "n_inspectors": n_inspectors,
        "avoid_same_county": avoid.county,
        "avoid_same_unit": avoid.unit,
    }
    draw_id = int(
        conn.execute(
            campaign_draws.insert().values(
                campaign_id=campaign_id,
                seed=seed,
                period=period,
                inputs=inputs,
                result=result,
                actor=actor.name,
                is_public=public,
            )
        ).inserted_primary_key[0]
    )
    record_change(
        conn,
        actor=actor.name,
        action="draw",
        entity="campaign_draw",
        entity_id=draw_id,
        before=None,
        after={"seed": seed, "period": period, "inputs": inputs, "result": result},
    )
    return {"id": draw_id, "seed": seed, "period": period, "result": result}


def public_draws(conn: Connection, campaign_id: int) -> list[dict[str, Any]]:
    """The published draws of a campaign, each pairing with its outcome (问题数, 已销号数) — 一公开."""
    states: dict[int, list[str]] = {}
    for object_id, state in conn.execute(
        sa.select(campaign_findings.c.object_id, campaign_findings.c.state).where(
            campaign_findings.c.campaign_id == campaign_id
        )
    ):
        states.setdefault(int(object_id), []).append(state)
    rows = conn.execute(
        sa.select(campaign_draws)
        .where(campaign_draws.c.campaign_id == campaign_id, campaign_draws.c.is_public.is_(True))
        .order_by(campaign_draws.c.id)
    )
    out = []
    for row in rows:
        result = [
            {
                **r,
                "findings": len(states.get(r["object_id"], [])),
                "closed": states.get(r["object_id"], []).count("已销号"),
            }
            for r in row.result
        ]
        out.append(
            {"id": row.id, "seed": row.seed, "period": row.period, "drawn_at": row.drawn_at, "result": result}
        )
    return out


def public_credit_records(conn: Connection, campaign_id: int) -> list[dict[str, Any]]:
    """Credit records the rule says are disclosed (向社会公开): object, 统一社会信用代码, kind, basis, dates."""
    o, c = campaign_objects, credit_records
    rows = conn.execute(
        sa.select(o.c.name, o.c.credit_code, c.c.kind, c.c.basis, c.c.recorded_on, c.c.repaired_on)
        .join(o, o.c.id == c.c.object_id)
        .where(o.c.campaign_id == campaign_id, c.c.is_public.is_(True))
        .order_by(c.c.id)
    )
    return [dict(r._mapping) for r in rows]

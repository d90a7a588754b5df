"""Campaigns in the ledger: stored at import from what ``extract.campaigns`` reads, then listed with
their groups, milestones, check items and progress (per campaign, per county, per group), and the
三个清单 (问题清单, 整改清单, 责任清单) as views of the findings.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..extract.campaigns import Campaign, object_kinds_named
from ..extract.extraction import Extraction, Readings
from ..extract.spans import SourceText
from ..extract.supervision import SupervisionRules
from ..ledger import permissions as perm
from ..ledger.campaigns import progress
from ..storage.tables import documents, units
from ..storage.tables_campaigns import (
    campaign_check_items,
    campaign_draws,
    campaign_findings,
    campaign_groups,
    campaign_milestones,
    campaign_objects,
    campaigns,
)
from .audit import record_change
from .campaign_scope import CountiesOnce


def _key(campaign: Campaign) -> str:
    return f"{campaign.doc_number or ''}|{campaign.title}"[:300]


def _plan_text(source: SourceText, found: Campaign) -> str:
    return "\n".join(source.lines[found.line_start - 1 : found.line_end])


def store_campaigns(
    conn: Connection,
    source: SourceText,
    extraction: Extraction,
    readings: Readings,
    doc_ids: dict[str | None, int],
    *,
    actor: str,
) -> int:
    """Store the campaigns read from ``source`` (inside the import's transaction); returns how many are new."""
    created = 0
    public = {
        d.doc_number: d.publication is not None and "公开" in d.publication for d in extraction.documents
    }
    counties = CountiesOnce(conn)
    for found in readings.campaigns:
        if conn.execute(sa.select(campaigns.c.id).where(campaigns.c.key == _key(found))).first():
            continue
        campaign_id = int(
            conn.execute(
                campaigns.insert().values(
                    key=_key(found),
                    document_id=doc_ids.get(found.doc_number),
                    title=found.title,
                    kind=found.kind,
                    object_kinds=list(found.object_kinds),
                    counties=list(found.counties) or counties.named(_plan_text(source, found)),
                    declared_groups=found.declared_groups,
                    group_lead_unit=found.group_lead_unit,
                    forms=list(found.forms),
                    line_start=found.line_start,
                    line_end=found.line_end,
                    is_public=public.get(found.doc_number, False),
                    review_notes=[
                        {"kind": f.kind, "line": f.line, "message": f.message} for f in found.flags
                    ],
                )
            ).inserted_primary_key[0]
        )
        _store_parts(conn, campaign_id, found)
        record_change(
            conn,
            actor=actor,
            action="import",
            entity="campaign",
            entity_id=campaign_id,
            before=None,
            after={
                "title": found.title,
                "kind": found.kind,
                "groups": len(found.groups),
                "check_items": len(found.check_items),
            },
        )
        created += 1
    created += _store_supervision(
        conn, source, extraction, readings.supervision, doc_ids, public, counties, actor=actor
    )
    return created


def _clock_rows(rules: SupervisionRules) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "after": c.after or c.event,
            "days": c.days,
            "event": c.event,
            "action": c.action,
            "line": c.line,
        }
        for c in rules.clocks
    ]


def _store_supervision(
    conn: Connection,
    source: SourceText,
    extraction: Extraction,
    found_rules: tuple[SupervisionRules, ...],
    doc_ids: dict[str | None, int],
    public: dict[str | None, bool],
    counties: CountiesOnce,
    *,
    actor: str,
) -> int:
    """Put each document's clocks on its campaigns. A document that requires the 三个清单 or chains
    its clocks (现场检查 after 备案) but runs no campaign becomes a 日常监管 campaign over its objects."""
    created = 0
    for rules in found_rules:
        doc_id = doc_ids.get(rules.doc_number)
        clocks = _clock_rows(rules)
        if doc_id is None:
            continue
        existing = (
            conn.execute(sa.select(campaigns.c.id).where(campaigns.c.document_id == doc_id)).scalars().all()
        )
        if existing:
            if clocks:
                conn.execute(campaigns.update().where(campaigns.c.id.in_(existing)).values(clocks=clocks))
            continue
        if not (rules.lists or any(c.after for c in rules.clocks)):
            continue
        document = next(d for d in extraction.documents if d.doc_number == rules.doc_number)
        text = "\n".join(source.lines[document.span.start - 1 : document.span.end])
        key = f"{rules.doc_number or ''}|{document.title}"[:300]
        if conn.execute(sa.select(campaigns.c.id).where(campaigns.c.key == key)).first():
            continue
        campaign_id = int(
            conn.execute(
                campaigns.insert().values(
                    key=key,
                    document_id=doc_id,
                    title=document.title,
                    kind="日常监管",
                    object_kinds=object_kinds_named(document.title, text),
                    counties=counties.named(text),
                    forms=[],
                    clocks=clocks,
                    line_start=document.span.start,
                    line_end=document.span.end,
                    is_public=public.get(rules.doc_number, False),
                    review_notes=[
                        {
                            "kind": "campaign_checklist",
                            "line": document.span.start,
                            "message": "日常监管：检查项与检查对象请补录",
                        }
                    ],
                )
            ).inserted_primary_key[0]
        )
        record_change(
            conn,
            actor=actor,
            action="import",
            entity="campaign",
            entity_id=campaign_id,
            before=None,
            after={"title": document.title, "kind": "日常监管", "clocks": clocks},
        )
        created += 1
    return created


def _store_parts(conn: Connection, campaign_id: int, found: Campaign) -> None:
    """The campaign's milestones, groups and check items: one statement for each kind of row."""
    milestones = [
        {"campaign_id": campaign_id, "when_text": m.when, "due_on": m.due, "what": m.what, "line": m.line}
        for m in found.milestones
    ]
    groups = [
        {
            "campaign_id": campaign_id,
            "number": g.number,
            "name": g.name,
            "counties": list(g.counties),
            "leader": g.leader,
            "members": [{"role": m.role, "name": m.name, "post": m.post, "line": m.line} for m in g.members],
            "line": g.line,
        }
        for g in found.groups
    ]
    check_items = [
        {
            "campaign_id": campaign_id,
            "position": position,
            "label": c.label,
            "title": c.title,
            "parent": c.parent,
            "detail": c.detail,
            "line": c.line,
        }
        for position, c in enumerate(found.check_items)
    ]
    for table, rows in (
        (campaign_milestones, milestones),
        (campaign_groups, groups),
        (campaign_check_items, check_items),
    ):
        if rows:
            conn.execute(table.insert(), rows)


def get_campaign_row(conn: Connection, campaign_id: int) -> sa.Row[Any]:
    """The campaign row, or NotFound with a Chinese message."""
    row = conn.execute(sa.select(campaigns).where(campaigns.c.id == campaign_id)).first()
    if row is None:
        raise NotFound(f"没有编号为{campaign_id}的专项行动")
    return row


def _rows(
    conn: Connection, table: sa.Table, campaign_id: int, order: sa.ColumnElement[Any]
) -> list[dict[str, Any]]:
    query = sa.select(table).where(table.c.campaign_id == campaign_id).order_by(order)
    return [dict(r._mapping) for r in conn.execute(query)]


def _progress_dict(objects: list[dict[str, Any]], findings: list[dict[str, Any]]) -> dict[str, Any]:
    ids = {o["id"] for o in objects}
    p = progress(
        [(o["id"], o["inspected_on"] is not None) for o in objects],
        [(f["object_id"], f["state"]) for f in findings if f["object_id"] in ids],
    )
    return {
        "objects": p.objects,
        "inspected": p.inspected,
        "findings": p.findings,
        "rectified": p.rectified,
        "closed": p.closed,
        "close_rate": round(p.close_rate, 4),
    }


def campaign_progress(conn: Connection, campaign_id: int) -> dict[str, Any]:
    """Progress of the whole campaign, per county (属地) and per group (the counties it covers)."""
    objects = _rows(conn, campaign_objects, campaign_id, campaign_objects.c.id)
    findings = _rows(conn, campaign_findings, campaign_id, campaign_findings.c.id)
    groups = _rows(conn, campaign_groups, campaign_id, campaign_groups.c.number)
    counties = list(dict.fromkeys(o["county"] for o in objects))
    return {
        "total": _progress_dict(objects, findings),
        "by_county": [
            {"county": c, **_progress_dict([o for o in objects if o["county"] == c], findings)}
            for c in counties
        ],
        "by_group": [
            {
                "group": g["name"],
                "counties": g["counties"],
                **_progress_dict([o for o in objects if o["county"] in g["counties"]], findings),
            }
            for g in groups
        ],
    }


def campaign_summary(conn: Connection, row: sa.Row[Any]) -> dict[str, Any]:
    """One campaign as a plain dict: document, groups, milestones, check items, progress."""
    doc = (
        conn.execute(
            sa.select(documents.c.doc_number, documents.c.title).where(documents.c.id == row.document_id)
        ).first()
        if row.document_id
        else None
    )
    return {
        "id": row.id,
        "title": row.title,
        "kind": row.kind,
        "doc_number": doc.doc_number if doc else None,
        "object_kinds": row.object_kinds,
        "counties": row.counties,
        "declared_groups": row.declared_groups,
        "group_lead_unit": row.group_lead_unit,
        "forms": row.forms,
        "clocks": row.clocks,
        "is_public": row.is_public,
        "review_notes": row.review_notes,
        "milestones": [
            {
                "when": m["when_text"],
                "due": m["due_on"].isoformat() if m["due_on"] else None,
                "what": m["what"],
                "line": m["line"],
            }
            for m in _rows(conn, campaign_milestones, row.id, campaign_milestones.c.id)
        ],
        "groups": [
            {
                "id": g["id"],
                "number": g["number"],
                "name": g["name"],
                "counties": g["counties"],
                "leader": g["leader"],
                "members": g["members"],
            }
            for g in _rows(conn, campaign_groups, row.id, campaign_groups.c.number)
        ],
        "check_items": [
            {"id": c["id"], "label": c["label"], "title": c["title"], "parent": c["parent"]}
            for c in _rows(conn, campaign_check_items, row.id, campaign_check_items.c.position)
        ],
        "progress": campaign_progress(conn, row.id),
    }


def list_campaigns(conn: Connection, *, public_only: bool = False) -> list[dict[str, Any]]:
    """Every campaign in import order (only those of public documents for the public)."""
    query = sa.select(campaigns).order_by(campaigns.c.id)
    if public_only:
        query = query.where(campaigns.c.is_public.is_(True))
    return [campaign_summary(conn, row) for row in conn.execute(query).all()]


def visible_to(found: dict[str, Any], user: Any) -> dict[str, Any]:
    """What ``user`` may read of a campaign from ``get_campaign``: the office and leaders all of it; a
    督查组 account the objects (and their findings) of the counties its group covers; a unit user the
    findings of its unit and of its county's objects, or all when it leads the groups."""
    if user.role == perm.GROUP:
        own = user.group_campaign_id == found["id"]
        found["objects"] = [
            o for o in found["objects"] if own and o["county_unit_id"] in user.group_county_ids
        ]
        shown = {o["id"] for o in found["objects"]}
        found["findings"] = [f for f in found["findings"] if f["object_id"] in shown]
        return found
    if user.role != perm.UNIT or user.unit_name == found["group_lead_unit"]:
        return found
    county_objects = {o["id"] for o in found["objects"] if o["county_unit_id"] in user.unit_ids}
    found["findings"] = [
        f for f in found["findings"] if f["unit_id"] in user.unit_ids or f["object_id"] in county_objects
    ]
    return found


def get_campaign(conn: Connection, campaign_id: int) -> dict[str, Any]:
    """One campaign with its objects, findings and draws."""
    out = campaign_summary(conn, get_campaign_row(conn, campaign_id))
    out["objects"] = _rows(conn, campaign_objects, campaign_id, campaign_objects.c.id)
    out["findings"] = finding_rows(conn, campaign_id)
    out["draws"] = _rows(conn, campaign_draws, campaign_id, campaign_draws.c.id)
    return out


def finding_rows(
    conn: Connection, campaign_id: int, *, unit_ids: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """Findings with their object, county, check item and responsible unit (only ``unit_ids``' when given)."""
    f, o, c = campaign_findings, campaign_objects, campaign_check_items
    query = (
        sa.select(
            f,
            o.c.name.label("object_name"),
            o.c.county,
            o.c.industry_unit,
            o.c.owner,
            c.c.label.label("check_label"),
            c.c.title.label("check_title"),
            units.c.name.label("unit_name"),
        )
        .join(o, o.c.id == f.c.object_id)
        .outerjoin(c, c.c.id == f.c.check_item_id)
        .outerjoin(units, units.c.id == f.c.unit_id)
        .where(f.c.campaign_id == campaign_id)
        .order_by(f.c.id)
    )
    if unit_ids is not None:
        query = query.where(f.c.unit_id.in_(unit_ids))
    return [dict(r._mapping) for r in conn.execute(query)]


LISTS = {
    "问题清单": (
        "county",
        "object_name",
        "check_title",
        "problem",
        "category",
        "severity",
        "supervised",
        "found_on",
    ),
    "整改清单": ("object_name", "problem", "measures", "due_on", "state", "closed_on"),
    "责任清单": ("object_name", "problem", "unit_name", "county", "industry_unit", "owner"),
}


def three_lists(conn: Connection, campaign_id: int) -> dict[str, list[dict[str, Any]]]:
    """隐患/问题、整改、责任 三个清单: three views of the same findings."""
    rows = finding_rows(conn, campaign_id)
    return {name: [{"id": r["id"], **{k: r[k] for k in keys}} for r in rows] for name, keys in LISTS.items()}

"""A campaign's checklist is editable: the office adds check items or corrects those read from the
document's 整治任务 headings; each change is in the change log.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound
from ..ledger import permissions as perm
from ..storage.tables_campaigns import campaign_check_items
from .audit import record_change
from .campaigns import get_campaign_row
from .user_info import UserInfo


def save_check_item(
    conn: Connection,
    actor: UserInfo,
    campaign_id: int,
    *,
    title: str,
    label: str = "",
    parent: str | None = None,
    detail: str = "",
    item_id: int | None = None,
) -> int:
    """Add a check item to the campaign's checklist, or edit one (``item_id``); the office only."""
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以修改检查项")
    get_campaign_row(conn, campaign_id)
    if not title.strip():
        raise InvalidInput("检查项名称不能为空")
    values = {
        "title": title.strip(),
        "label": (label.strip() or "补")[:30],
        "parent": (parent or "").strip() or None,
        "detail": detail.strip(),
    }
    items = campaign_check_items
    if item_id is None:
        position = (
            conn.execute(
                sa.select(sa.func.count()).select_from(items).where(items.c.campaign_id == campaign_id)
            ).scalar()
            or 0
        )
        item_id = int(
            conn.execute(
                items.insert().values(campaign_id=campaign_id, position=position, line=None, **values)
            ).inserted_primary_key[0]
        )
        record_change(
            conn,
            actor=actor.name,
            action="add",
            entity="campaign_check_item",
            entity_id=item_id,
            before=None,
            after=values,
        )
        return item_id
    before = conn.execute(
        sa.select(items).where(items.c.id == item_id, items.c.campaign_id == campaign_id)
    ).first()
    if before is None:
        raise NotFound(f"这个专项行动没有编号为{item_id}的检查项")
    conn.execute(items.update().where(items.c.id == item_id).values(**values))
    record_change(
        conn,
        actor=actor.name,
        action="edit",
        entity="campaign_check_item",
        entity_id=item_id,
        before={k: getattr(before, k) for k in values},
        after=values,
    )
    return item_id

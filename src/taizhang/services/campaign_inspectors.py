"""The inspector pool of a campaign (执法检查人员库) that 双随机 draws from: each inspector with the
unit and county they belong to, imported from a workbook or added by hand by the office. Every
write checks the permission matrix and is recorded in the change log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput
from ..ledger import permissions as perm
from ..storage.tables_campaigns import campaign_inspectors
from .audit import record_change
from .campaign_work import ObjectImport, import_sheet
from .campaigns import get_campaign_row
from .user_info import UserInfo
from .workbooks import workbook_rows

# column → words its header contains (姓名 / 检查人员, 所在单位 / 工作单位, 县(区))
INSPECTOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "检查人员", "执法人员", "人员"),
    "unit": ("单位", "部门"),
    "county": ("县", "区", "属地"),
}


def add_inspector(
    conn: Connection, actor: UserInfo, campaign_id: int, *, name: str, unit: str = "", county: str = ""
) -> tuple[int, bool]:
    """Add one inspector to the pool; returns (id, created). One already there (name and unit) is kept."""
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以维护检查人员库")
    get_campaign_row(conn, campaign_id)
    name, unit, county = name.strip()[:50], unit.strip()[:200], county.strip()[:100]
    if not name:
        raise InvalidInput("检查人员姓名不能为空")
    found = conn.execute(
        sa.select(campaign_inspectors.c.id).where(
            campaign_inspectors.c.campaign_id == campaign_id,
            campaign_inspectors.c.name == name,
            campaign_inspectors.c.unit == unit,
        )
    ).scalar()
    if found is not None:
        return int(found), False
    values = {"campaign_id": campaign_id, "name": name, "unit": unit, "county": county}
    inspector_id = int(conn.execute(campaign_inspectors.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn,
        actor=actor.name,
        action="add",
        entity="campaign_inspector",
        entity_id=inspector_id,
        before=None,
        after=values,
    )
    return inspector_id, True


def import_inspectors(
    conn: Connection,
    actor: UserInfo,
    campaign_id: int,
    source: str | Path | bytes,
    *,
    label: str = "检查人员表",
) -> ObjectImport:
    """Import inspectors from the first sheet of a workbook (姓名, 所在单位, 县(区)).

    Raises InvalidInput when the file is no workbook or its first rows have no 姓名 column; rows
    without a name are skipped with their row number.
    """
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以导入检查人员")
    get_campaign_row(conn, campaign_id)
    return import_sheet(
        workbook_rows(source, label),
        INSPECTOR_COLUMNS,
        label,
        "姓名",
        lambda **cell: add_inspector(conn, actor, campaign_id, **cell),
    )


def list_inspectors(conn: Connection, campaign_id: int) -> list[dict[str, Any]]:
    """The campaign's inspector pool in the order it was filled."""
    rows = conn.execute(
        sa.select(
            campaign_inspectors.c.id,
            campaign_inspectors.c.name,
            campaign_inspectors.c.unit,
            campaign_inspectors.c.county,
        )
        .where(campaign_inspectors.c.campaign_id == campaign_id)
        .order_by(campaign_inspectors.c.id)
    )
    return [dict(r._mapping) for r in rows]

"""Tables of inspection campaigns (SQLAlchemy Core), on the ledger's metadata. Created by migration 0006.

A campaign (专项行动, 大检查大整治, 排查整治) belongs to its document and has milestones, inspection
groups, check items, objects under inspection, findings rectified and closed (整改销号) with
their evidence, random draws (双随机) and credit records.
"""

from __future__ import annotations

import sqlalchemy as sa

from .tables import documents, metadata, units


def _now() -> sa.ColumnElement:
    return sa.func.current_timestamp()


campaigns = sa.Table(
    "campaigns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),  # 发文字号 + title
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # 大检查大整治 / 排查整治 / 专项行动
    sa.Column("object_kinds", sa.JSON, nullable=False, default=list),
    sa.Column("counties", sa.JSON, nullable=False, default=list),
    sa.Column("declared_groups", sa.Integer),
    sa.Column("group_lead_unit", sa.String(200)),
    sa.Column("forms", sa.JSON, nullable=False, default=list),
    sa.Column("line_start", sa.Integer),
    sa.Column("line_end", sa.Integer),
    sa.Column("review_notes", sa.JSON, nullable=False, default=list),
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    # working-day clocks on object events: [{name, after, days, event, action, line}] (备案, 现场检查)
    sa.Column("clocks", sa.JSON, nullable=False, default=list, server_default="[]"),
)

campaign_milestones = sa.Table(
    "campaign_milestones",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("when_text", sa.String(50), nullable=False),
    sa.Column("due_on", sa.Date),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("line", sa.Integer),
)

# 督查组/督导组: members as [{role, name, post, line}], counties as printed.
campaign_groups = sa.Table(
    "campaign_groups",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("counties", sa.JSON, nullable=False, default=list),
    sa.Column("leader", sa.String(50)),
    sa.Column("members", sa.JSON, nullable=False, default=list),
    sa.Column("line", sa.Integer),
)

campaign_check_items = sa.Table(
    "campaign_check_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("label", sa.String(30), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("parent", sa.Text),
    sa.Column("detail", sa.Text, nullable=False, default=""),
    sa.Column("line", sa.Integer),
)

# 执法检查人员库: the inspectors a 双随机 draw picks from, with the unit and county they belong to
# (an inspector never draws an object of their own unit or county when the rule says so).
campaign_inspectors = sa.Table(
    "campaign_inspectors",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("unit", sa.String(200), nullable=False, default=""),
    sa.Column("county", sa.String(100), nullable=False, default=""),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    sa.UniqueConstraint("campaign_id", "name", "unit", name="uq_campaign_inspectors_campaign_name_unit"),
)

# 检查对象: a mine, a water work, a reservoir, a project, a care home. ``county_unit_id`` is the
# 属地 county, ``industry_unit`` the 行业 department as given.
campaign_objects = sa.Table(
    "campaign_objects",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("county", sa.String(100), nullable=False, default=""),
    sa.Column("county_unit_id", sa.ForeignKey(units.c.id), nullable=True, index=True),
    sa.Column("kind", sa.String(100), nullable=False, default=""),
    sa.Column("owner", sa.String(200), nullable=False, default=""),
    sa.Column("credit_code", sa.String(18)),  # 统一社会信用代码
    sa.Column("industry_unit", sa.String(200), nullable=False, default=""),
    sa.Column("events", sa.JSON, nullable=False, default=dict),
    sa.Column(
        "inspected_on", sa.Date
    ),  # the day a group checked it (with or without findings)  # {事件: ISO date}: 收住老年人, 备案 …
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    sa.UniqueConstraint("campaign_id", "name", "county", name="uq_campaign_objects_campaign_name_county"),
)

# 问题 → 整改 → 销号. ``evidence``: [{filename, sha256, size, note, by, at, state}].
campaign_findings = sa.Table(
    "campaign_findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column(
        "object_id", sa.ForeignKey(campaign_objects.c.id, ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("check_item_id", sa.ForeignKey(campaign_check_items.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("group_id", sa.ForeignKey(campaign_groups.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("problem", sa.Text, nullable=False),
    sa.Column("category", sa.String(50), nullable=False, default=""),
    sa.Column("severity", sa.String(20), nullable=False, default="一般"),  # 一般 / 较大 / 重大
    sa.Column("measures", sa.Text, nullable=False, default=""),  # 整改措施
    sa.Column("unit_id", sa.ForeignKey(units.c.id), nullable=True, index=True),  # 责任单位
    sa.Column("due_on", sa.Date),  # 整改时限
    sa.Column("state", sa.String(10), nullable=False, default="待整改"),
    sa.Column("supervised", sa.Boolean, nullable=False, default=False),  # 挂牌督办
    sa.Column("evidence", sa.JSON, nullable=False, default=list),
    sa.Column("recorded_by", sa.String(100), nullable=False, default=""),
    sa.Column("found_on", sa.Date, nullable=False),
    sa.Column("closed_on", sa.Date),
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),
)

# 双随机: the seed and inputs that reproduce the draw, and its result.
campaign_draws = sa.Table(
    "campaign_draws",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("campaign_id", sa.ForeignKey(campaigns.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("seed", sa.String(100), nullable=False),
    sa.Column("period", sa.String(20), nullable=False, default=""),
    sa.Column("inputs", sa.JSON, nullable=False, default=dict),
    sa.Column("result", sa.JSON, nullable=False, default=list),
    sa.Column("actor", sa.String(100), nullable=False, default=""),
    sa.Column("is_public", sa.Boolean, nullable=False, default=True),
    sa.Column("drawn_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
)

# 信用记录: 失信 / 守信, with legal basis; repaired (信用修复) when the finding is closed.
credit_records = sa.Table(
    "credit_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "object_id", sa.ForeignKey(campaign_objects.c.id, ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("finding_id", sa.ForeignKey(campaign_findings.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("kind", sa.String(10), nullable=False),  # 失信 / 守信
    sa.Column("basis", sa.Text, nullable=False, default=""),
    sa.Column("recorded_on", sa.Date, nullable=False),
    sa.Column("repaired_on", sa.Date),
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),
)

"""Indicator, scorecard and fiscal-matrix tables (SQLAlchemy Core), on the ledger's metadata.

Created by migration 0003 like every other table.
"""

from __future__ import annotations

import sqlalchemy as sa

from .tables import documents
from .tables import metadata as ledger_metadata

metadata = ledger_metadata


def _now() -> sa.ColumnElement:
    return sa.func.current_timestamp()


# 指标: from a text target (per county) or an indicator table; a plan's measure rows (措施) are
# indicators of kind ``measure`` whose figures (quantities, period, departments) are in ``details``.
indicators = sa.Table(
    "indicators",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(300), nullable=False, unique=True),
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("doc_number", sa.String(100)),
    sa.Column("kind", sa.String(20), nullable=False, default="indicator"),  # indicator / measure
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("unit", sa.String(20)),  # %, 万m³, 万亩, 万元, 天, 元
    sa.Column("direction", sa.String(20)),  # ≥ ≤ = between decreasing increasing
    sa.Column("subject", sa.String(100)),  # the county or unit the targets are set for
    sa.Column("responsible", sa.String(200)),
    sa.Column("source", sa.String(10), nullable=False, default="table"),  # text / table
    sa.Column("label", sa.String(20)),  # 序号
    sa.Column("annex", sa.String(20)),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("details", sa.JSON, nullable=False, default=dict),
)

indicator_targets = sa.Table(
    "indicator_targets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("indicator_id", sa.ForeignKey(indicators.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("period", sa.String(10), nullable=False),  # 2022
    sa.Column("text", sa.Text, nullable=False),  # as printed: "45%、16%"
    sa.Column("value", sa.Float),
    sa.Column("parts", sa.JSON, nullable=False, default=list),  # [45, 16] for a multi-part target
    sa.Column("high", sa.Float),
    sa.Column("unit", sa.String(20)),
    sa.Column("line", sa.Integer, nullable=False),
    sa.UniqueConstraint("indicator_id", "period", name="uq_indicator_targets_indicator_period"),
)

# Actual values reported by a unit (or collected by the office) per subject and period.
indicator_values = sa.Table(
    "indicator_values",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("indicator_id", sa.ForeignKey(indicators.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("subject", sa.String(100), nullable=False),  # 沙坡头区, 中宁县, 市卫生健康委 ...
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("value", sa.Float),
    sa.Column("parts", sa.JSON, nullable=False, default=list),
    sa.Column("text", sa.String(100), nullable=False),
    sa.Column("reporter", sa.String(100), nullable=False),
    sa.Column("reported_on", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    sa.UniqueConstraint(
        "indicator_id", "subject", "period", name="uq_indicator_values_indicator_subject_period"
    ),
)

# 考评方案: weighted (权重) or graded (好/中/差), standardised to ``scale`` points.
schemes = sa.Table(
    "schemes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),  # 卫政办发〔2022〕28号 附件3
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("annex", sa.String(20)),
    sa.Column("kind", sa.String(20), nullable=False),  # weighted / graded
    sa.Column("scale", sa.Float),
    sa.Column("maximum", sa.Float, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("note", sa.Text),
)

scheme_items = sa.Table(
    "scheme_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("scheme_id", sa.ForeignKey(schemes.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("label", sa.String(20)),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("weight", sa.Float),
    sa.Column("grades", sa.JSON, nullable=False, default=list),  # [["好", 15], ["中", 10], ["差", 5]]
    sa.Column("indicator_id", sa.ForeignKey(indicators.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("data_source", sa.String(200)),  # 数据来源
    sa.Column("line", sa.Integer, nullable=False),
)

# The grade given to a subject for a qualitative item in a period (好/中/差).
scheme_grades = sa.Table(
    "scheme_grades",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("item_id", sa.ForeignKey(scheme_items.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("subject", sa.String(100), nullable=False),
    sa.Column("period", sa.String(10), nullable=False),
    sa.Column("grade", sa.String(10), nullable=False),
    sa.Column("reporter", sa.String(100), nullable=False),
    sa.Column("reported_on", sa.Date, nullable=False),
    sa.UniqueConstraint("item_id", "subject", "period", name="uq_scheme_grades_item_subject_period"),
)

# 事权/支出责任: matters assigned to 市本级, a district, or both (shared).
fiscal_matters = sa.Table(
    "fiscal_matters",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("doc_number", sa.String(100)),
    sa.Column("domain", sa.String(100)),
    sa.Column("section", sa.Text),
    sa.Column("matter", sa.Text, nullable=False),
    sa.Column("items", sa.JSON, nullable=False, default=list),
    sa.Column("level", sa.String(50), nullable=False),
    sa.Column("level_text", sa.String(100), nullable=False),
    sa.Column("sentence", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
)


_PRESENT = "taizhang_indicator_tables_present"

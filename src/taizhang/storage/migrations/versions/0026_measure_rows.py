"""A plan's measure rows (措施) are indicators of kind ``measure`` with their figures as a list of
quantities (name, value, unit), where they were kind ``water_measure`` with named figure fields
(saving, intake_cut, investment): stored rows are rewritten to the general form, keys too.

Revision ID: 0026_measure_rows
Revises: 0025_owing_by_due
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0026_measure_rows"
down_revision = "0025_owing_by_due"
branch_labels = None
depends_on = None

OLD, NEW = "water_measure", "measure"
# the figure fields of the old rows, with the name and unit the measure tables print them under
FIELDS = (
    ("saving", "节耗水量", "万m³"),
    ("intake_cut", "折减取水量", "万m³"),
    ("investment", "投资估算", "万元"),
)

_indicators = sa.table(
    "indicators",
    sa.column("id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("kind", sa.String),
    sa.column("unit", sa.String),
    sa.column("details", sa.JSON),
)


def _general(details: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in details.items() if k not in {f for f, _, _ in FIELDS}}
    quantities = [
        {"name": name, "value": details[field], "unit": unit}
        for field, name, unit in FIELDS
        if details.get(field) is not None
    ]
    return {**rest, "quantities": quantities}


def _named(details: dict[str, Any]) -> dict[str, Any]:
    rest = {k: v for k, v in details.items() if k != "quantities"}
    values = {q["name"]: q["value"] for q in details.get("quantities", [])}
    return {**rest, **{field: values.get(name) for field, name, _ in FIELDS}}


def _rewrite(old_kind: str, new_kind: str, old_key: str, new_key: str, change: Any, unit: Any) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_indicators.c.id, _indicators.c.key, _indicators.c.details).where(
            _indicators.c.kind == old_kind
        )
    ).all()
    for row in rows:
        details = change(dict(row.details or {}))
        conn.execute(
            _indicators.update()
            .where(_indicators.c.id == row.id)
            .values(
                kind=new_kind,
                key=row.key.replace(old_key, new_key),
                details=details,
                unit=unit(details),
            )
        )


def upgrade() -> None:
    _rewrite(
        OLD,
        NEW,
        "|water|",
        "|measure|",
        _general,
        lambda d: d["quantities"][0]["unit"] if d["quantities"] else None,
    )


def downgrade() -> None:
    _rewrite(NEW, OLD, "|measure|", "|water|", _named, lambda d: "万m³")

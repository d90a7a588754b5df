"""The expert pool (专家库): experts entered by hand or imported from a workbook.

A workbook's first sheet has a header row naming its columns in the words offices use (姓名,
专业领域, 职称, 工作单位, 所属库, 回避单位, 联系电话); column order does not matter. A row whose
name and 工作单位 match an expert already stored updates that expert. Bad rows are reported with
their row number and skipped; a file that is not a workbook, or has no 姓名 column, is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound
from ..ledger.consultation import POOL_IN, POOL_OUT
from ..storage.tables_procedures import experts
from .audit import record_change
from .units import DirectoryIndex
from .workbooks import header_columns, row_cells, workbook_rows

# column → the header words that name it (the first header cell containing one of them wins)
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "专家姓名"),
    "field": ("专业领域", "专业", "领域", "学科"),
    "title": ("职称", "职务"),
    "affiliation": ("工作单位", "单位", "所在单位"),
    "pool": ("所属库", "专家库", "库内", "类别", "来源"),
    "conflicts": ("回避单位", "回避", "利害关系"),
    "phone": ("联系电话", "电话", "手机"),
}
POOLS = (POOL_IN, POOL_OUT)
_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass
class ImportReport:
    """What an import did: rows created and updated, and each skipped row with the reason."""

    created: int = 0
    updated: int = 0
    skipped: list[str] = field(default_factory=list)


def _pool(text: str | None) -> str:
    """库内 unless the cell says otherwise (库外, 外聘, 特聘, 邀约)."""
    value = (text or "").strip()
    if not value:
        return POOL_IN
    if any(word in value for word in ("库外", "外聘", "特聘", "邀", "否")):
        return POOL_OUT
    return POOL_IN


def _values(
    name: str,
    field_: str = "",
    title: str = "",
    affiliation: str = "",
    pool: str = POOL_IN,
    conflicts: list[str] | None = None,
    phone: str = "",
) -> dict[str, Any]:
    if not name.strip():
        raise InvalidInput("专家姓名不能为空")
    if pool not in POOLS:
        raise InvalidInput(f"所属库应为库内或库外，而不是“{pool}”")
    return {
        "name": name.strip()[:50],
        "field": field_.strip()[:100],
        "title": title.strip()[:50],
        "affiliation": affiliation.strip()[:200],
        "pool": pool,
        "conflicts": [c for c in (conflicts or []) if c],
        "phone": phone.strip()[:50],
    }


def _save(conn: Connection, index: DirectoryIndex, values: dict[str, Any], actor: str) -> tuple[int, bool]:
    """Insert or update by (name, affiliation); returns (id, created)."""
    values = {**values, "unit_id": index.find(values["affiliation"]) if values["affiliation"] else None}
    row = conn.execute(
        sa.select(experts).where(
            experts.c.name == values["name"], experts.c.affiliation == values["affiliation"]
        )
    ).first()
    if row is None:
        expert_id = int(conn.execute(experts.insert().values(**values)).inserted_primary_key[0])
        record_change(conn, actor=actor, action="create", entity="expert", entity_id=expert_id, after=values)
        return expert_id, True
    changed = {k: v for k, v in values.items() if getattr(row, k) != v}
    if changed:
        conn.execute(experts.update().where(experts.c.id == row.id).values(**changed))
        record_change(
            conn,
            actor=actor,
            action="update",
            entity="expert",
            entity_id=row.id,
            before={k: getattr(row, k) for k in changed},
            after=changed,
        )
    return int(row.id), False


def add_expert(
    conn: Connection,
    actor: str,
    *,
    name: str,
    field_: str = "",
    title: str = "",
    affiliation: str = "",
    pool: str = POOL_IN,
    conflicts: list[str] | None = None,
    phone: str = "",
) -> int:
    """Add an expert to the pool (or update the one of the same name and 工作单位); returns the id.

    Raises:
        InvalidInput: no name, or a pool other than 库内/库外.
    """
    values = _values(name, field_, title, affiliation, pool, conflicts, phone)
    return _save(conn, DirectoryIndex.load(conn), values, actor)[0]


def import_experts(
    conn: Connection, actor: str, source: str | Path | bytes, *, label: str = "专家名单"
) -> ImportReport:
    """Import the expert pool from a workbook; bad rows are skipped with the reason.

    Raises:
        InvalidInput: the file is not a workbook, or its first rows have no 姓名 column.
    """
    rows = workbook_rows(source, label)
    columns: dict[str, int] = {}
    header_row = 0
    for header_row, cells in enumerate(rows, start=1):
        columns = header_columns(cells, COLUMNS)
        if "name" in columns or header_row >= 5:
            break
    if "name" not in columns:
        raise InvalidInput(f"{label}：前5行中没有“姓名”列")
    index = DirectoryIndex.load(conn)
    report = ImportReport()
    for number, cells in enumerate(rows, start=header_row + 1):
        cell = row_cells(cells, columns)
        if not any(cell.values()):
            continue
        try:
            values = _values(
                cell.get("name", ""),
                cell.get("field", ""),
                cell.get("title", ""),
                cell.get("affiliation", ""),
                _pool(cell.get("pool")),
                _SPLIT.split(cell.get("conflicts", "")),
                cell.get("phone", ""),
            )
        except InvalidInput as exc:
            report.skipped.append(f"第{number}行：{exc}")
            continue
        _, created = _save(conn, index, values, actor)
        report.created += created
        report.updated += not created
    return report


def list_experts(conn: Connection, *, active_only: bool = False) -> list[dict[str, Any]]:
    """The pool, pool experts first, then by name."""
    query = sa.select(experts)
    if active_only:
        query = query.where(experts.c.active.is_(True))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return sorted(
        rows, key=lambda r: (r["pool"] != POOL_IN, r["name"], r["id"])
    )  # the same order on both databases


def get_expert(conn: Connection, expert_id: int) -> dict[str, Any]:
    """One expert.

    Raises:
        NotFound: no such expert.
    """
    row = conn.execute(sa.select(experts).where(experts.c.id == expert_id)).first()
    if row is None:
        raise NotFound(f"专家库中没有编号为 {expert_id} 的专家")
    return dict(row._mapping)

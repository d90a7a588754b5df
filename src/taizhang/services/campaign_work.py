"""Working a campaign: objects (imported from a workbook or added by hand), findings and their
rectification (整改销号) with evidence. 挂牌督办, credit records and draws are in ``campaign_draws``.

Every write checks the permission matrix and is recorded in the change log.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound
from ..ledger import permissions as perm
from ..ledger.campaigns import FOUND, SEVERITIES, needs_supervision, next_finding_state
from ..storage.tables_campaigns import (
    campaign_check_items,
    campaign_findings,
    campaign_objects,
    credit_records,
)
from .audit import record_change
from .campaigns import get_campaign_row
from .units import DirectoryIndex
from .user_info import UserInfo
from .workbooks import header_columns, row_cells, workbook_rows

# column → words its header contains, in the order the columns claim a header cell: 项目类型 is the
# kind and 企业名称 the name, not the owner
OBJECT_COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("信用代码", "社会信用"),
    "industry_unit": ("行业", "主管部门", "监管部门"),
    "county": ("县", "区", "属地"),
    "kind": ("类型", "类别", "种类"),
    "name": ("名称", "对象", "矿山", "工程", "项目", "机构"),
    "owner": ("业主", "企业", "单位", "法人", "权利人"),
}
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@dataclass
class ObjectImport:
    """What an objects import did: rows created, rows already there, rows skipped with the reason."""

    created: int = 0
    existing: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    """A file proving rectification (a photo, a report)."""

    filename: str
    data: bytes
    content_type: str | None = None


def add_object(
    conn: Connection,
    actor: UserInfo,
    campaign_id: int,
    *,
    name: str,
    county: str = "",
    kind: str = "",
    owner: str = "",
    credit_code: str | None = None,
    industry_unit: str = "",
    index: DirectoryIndex | None = None,
) -> tuple[int, bool]:
    """Add one object under inspection; returns (id, created). An object already there is kept."""
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以录入检查对象")
    get_campaign_row(conn, campaign_id)
    name, county = name.strip(), county.strip()
    if not name:
        raise InvalidInput("检查对象名称不能为空")
    code = (credit_code or "").strip().upper() or None
    if code and not _CREDIT_CODE.match(code):
        raise InvalidInput(f"统一社会信用代码“{code}”应为18位数字或大写字母")
    found = conn.execute(
        sa.select(campaign_objects.c.id).where(
            campaign_objects.c.campaign_id == campaign_id,
            campaign_objects.c.name == name[:200],
            campaign_objects.c.county == county[:100],
        )
    ).scalar()
    if found is not None:
        return int(found), False
    index = index or DirectoryIndex.load(conn)
    values = {
        "campaign_id": campaign_id,
        "name": name[:200],
        "county": county[:100],
        "county_unit_id": index.find(county) if county else None,
        "kind": kind.strip()[:100],
        "owner": owner.strip()[:200],
        "credit_code": code,
        "industry_unit": industry_unit.strip()[:200],
        "events": {},
    }
    object_id = int(conn.execute(campaign_objects.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn,
        actor=actor.name,
        action="add",
        entity="campaign_object",
        entity_id=object_id,
        before=None,
        after={k: v for k, v in values.items() if k != "events"},
    )
    return object_id, True


HEADER_ROWS = 5  # a title row or two (中卫市矿山名单) may stand above the header


def import_sheet(
    rows: Any,
    words: Mapping[str, Sequence[str]],
    label: str,
    name_word: str,
    add: Callable[..., tuple[Any, bool]],
) -> ObjectImport:
    """Read a sheet's header within its first rows, then hand each non-empty row to ``add``.

    ``words``: each field's header words (see :func:`~.workbooks.header_columns`); ``add`` takes the
    fields and returns (row, created).
    A row ``add`` refuses is skipped with its number and reason; a sheet without the name column
    (``name_word``: 名称, 姓名) is refused.
    """
    columns: dict[str, int] = {}
    header_row = 0
    for header_row, cells in enumerate(rows, start=1):
        columns = header_columns(cells, words)
        if ("name" in columns and len(columns) >= 2) or header_row >= HEADER_ROWS:
            break  # a title row above the header names one column at most
    if "name" not in columns:
        raise InvalidInput(f"{label}：前{HEADER_ROWS}行中没有“{name_word}”列")
    report = ObjectImport()
    for number, cells in enumerate(rows, start=header_row + 1):
        cell = row_cells(cells, columns)
        if not any(cell.values()):
            continue
        try:
            _, created = add(**cell)
        except InvalidInput as exc:
            report.skipped.append(f"{label}第{number}行：{exc}")
            continue
        report.created += created
        report.existing += not created
    return report


def import_objects(
    conn: Connection,
    actor: UserInfo,
    campaign_id: int,
    source: str | Path | bytes,
    *,
    label: str = "检查对象表",
) -> ObjectImport:
    """Import objects from the first sheet of a workbook (名称, 县(区), 类型, 业主, 统一社会信用代码, 行业主管部门).

    Raises InvalidInput when the file is no workbook or its first 5 rows have no 名称 column; bad
    rows are skipped with their row number and reason.
    """
    perm.require(perm.can(actor, "manage_campaigns"), "只有督查室可以导入检查对象")
    get_campaign_row(conn, campaign_id)
    index = DirectoryIndex.load(conn)
    return import_sheet(
        workbook_rows(source, label),
        OBJECT_COLUMNS,
        label,
        "名称",
        lambda **cell: add_object(conn, actor, campaign_id, index=index, **cell),
    )


def object_row(conn: Connection, object_id: int) -> sa.Row[Any]:
    row = conn.execute(sa.select(campaign_objects).where(campaign_objects.c.id == object_id)).first()
    if row is None:
        raise NotFound(f"没有编号为{object_id}的检查对象")
    return row


def finding_row(conn: Connection, finding_id: int) -> sa.Row[Any]:
    row = conn.execute(sa.select(campaign_findings).where(campaign_findings.c.id == finding_id)).first()
    if row is None:
        raise NotFound(f"没有编号为{finding_id}的问题")
    return row


def group_covers(actor: UserInfo, campaign_id: int, county_unit_id: int | None) -> bool:
    """True when ``actor`` is a 督查组 account of this campaign whose group covers the county."""
    return (
        actor.role == perm.GROUP
        and actor.group_campaign_id == campaign_id
        and county_unit_id is not None
        and county_unit_id in actor.group_county_ids
    )


def may_inspect(actor: UserInfo, campaign: sa.Row[Any], county_unit_id: int | None) -> bool:
    """The office; a 督查组 account on the counties its group covers; a unit user of the unit that
    leads the groups or of the object's county."""
    if not perm.can(actor, "manage_findings"):
        return False
    if actor.role == perm.OFFICE:
        return True
    if actor.role == perm.GROUP:
        return group_covers(actor, int(campaign.id), county_unit_id)
    return actor.unit_name == campaign.group_lead_unit or (
        county_unit_id is not None and county_unit_id in actor.unit_ids
    )


def record_finding(
    conn: Connection,
    actor: UserInfo,
    object_id: int,
    *,
    problem: str,
    today: date,
    check_item_id: int | None = None,
    category: str = "",
    severity: str = "一般",
    measures: str = "",
    unit: str | None = None,
    due_on: date | None = None,
    campaign_id: int | None = None,
    evidence: tuple[Evidence, ...] = (),
    upload_dir: Path | None = None,
) -> int:
    """Record a problem found on an object, with photos or files of what was found; a 重大 one is put
    under 挂牌督办. ``campaign_id``, when given, must be the object's. Returns the finding id."""
    obj = object_row(conn, object_id)
    if campaign_id is not None and obj.campaign_id != campaign_id:
        raise InvalidInput(f"检查对象{object_id}不属于专项行动{campaign_id}")
    campaign = get_campaign_row(conn, obj.campaign_id)
    perm.require(may_inspect(actor, campaign, obj.county_unit_id), f"{actor.name}无权记录“{obj.name}”的问题")
    if not problem.strip():
        raise InvalidInput("问题描述不能为空")
    if severity not in SEVERITIES:
        raise InvalidInput(f"严重程度应为{'、'.join(SEVERITIES)}之一，而不是“{severity}”")
    if (
        check_item_id is not None
        and conn.execute(
            sa.select(campaign_check_items.c.id).where(
                campaign_check_items.c.id == check_item_id,
                campaign_check_items.c.campaign_id == obj.campaign_id,
            )
        ).first()
        is None
    ):
        raise InvalidInput(f"检查项{check_item_id}不属于这个专项行动")
    unit_id = DirectoryIndex.load(conn).find(unit) if unit else obj.county_unit_id
    if unit and unit_id is None:
        raise InvalidInput(f"单位目录中没有“{unit}”")
    values = {
        "campaign_id": obj.campaign_id,
        "object_id": object_id,
        "check_item_id": check_item_id,
        "problem": problem.strip(),
        "category": category.strip(),
        "severity": severity,
        "measures": measures.strip(),
        "unit_id": unit_id,
        "due_on": due_on,
        "state": FOUND,
        "supervised": needs_supervision(severity),
        "evidence": [
            _store_evidence(e, upload_dir or Path("uploads"), actor.name, today, FOUND) for e in evidence
        ],
        "recorded_by": actor.name,
        "found_on": today,
        "is_public": False,
    }
    finding_id = int(conn.execute(campaign_findings.insert().values(**values)).inserted_primary_key[0])
    conn.execute(
        campaign_objects.update()
        .where(campaign_objects.c.id == object_id, campaign_objects.c.inspected_on.is_(None))
        .values(inspected_on=today)
    )
    record_change(
        conn,
        actor=actor.name,
        action="record",
        entity="campaign_finding",
        entity_id=finding_id,
        before=None,
        after=values,
    )
    return finding_id


def _store_evidence(item: Evidence, upload_dir: Path, actor: str, today: date, state: str) -> dict[str, Any]:
    name = Path((item.filename or "").replace("\\", "/")).name.strip()
    if not name:
        raise InvalidInput("证明材料需要文件名")
    if len(item.data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(f"{name}超过{MAX_EVIDENCE_BYTES // (1024 * 1024)}MB")
    digest = hashlib.sha256(item.data).hexdigest()
    upload_dir.mkdir(parents=True, exist_ok=True)
    path = upload_dir / digest
    if not path.exists():
        partial = path.with_name(f".{digest}.{secrets.token_hex(4)}.part")
        partial.write_bytes(item.data)
        partial.replace(path)
    return {
        "filename": name[:300],
        "sha256": digest,
        "size": len(item.data),
        "content_type": item.content_type,
        "by": actor,
        "at": today.isoformat(),
        "state": state,
    }


def act_on_finding(
    conn: Connection,
    actor: UserInfo,
    finding_id: int,
    action: str,
    *,
    today: date,
    note: str = "",
    evidence: tuple[Evidence, ...] = (),
    upload_dir: Path | None = None,
) -> str:
    """Move a finding: rectify / request_close (its responsible unit), verify / return (office or group).

    Asking to close needs evidence (a file, or earlier files). Closing repairs the object's credit
    records of this finding (信用修复). Returns the new state.
    """
    row = finding_row(conn, finding_id)
    obj = object_row(conn, row.object_id)
    campaign = get_campaign_row(conn, row.campaign_id)
    if action in ("rectify", "request_close"):
        allowed = (
            perm.can(actor, "manage_rectification")
            and row.unit_id is not None
            and row.unit_id in actor.unit_ids
        )
        perm.require(allowed, f"{actor.name}不是问题{finding_id}的责任单位")
    else:
        perm.require(
            may_inspect(actor, campaign, obj.county_unit_id), f"{actor.name}无权验收问题{finding_id}"
        )
    state = next_finding_state(row.state, action)
    files = [_store_evidence(e, upload_dir or Path("uploads"), actor.name, today, state) for e in evidence]
    if action == "request_close" and not (files or row.evidence):
        raise InvalidInput("申请销号须附整改证明材料（照片或文件）")
    changes: dict[str, Any] = {"state": state, "evidence": [*row.evidence, *files]}
    if note.strip():
        changes["evidence"].append(
            {"note": note.strip(), "by": actor.name, "at": today.isoformat(), "state": state}
        )
    if state == "已销号":
        changes["closed_on"] = today
        conn.execute(
            credit_records.update()
            .where(credit_records.c.finding_id == finding_id, credit_records.c.repaired_on.is_(None))
            .values(repaired_on=today)
        )
    conn.execute(campaign_findings.update().where(campaign_findings.c.id == finding_id).values(**changes))
    record_change(
        conn,
        actor=actor.name,
        action=action,
        entity="campaign_finding",
        entity_id=finding_id,
        before={"state": row.state},
        after={"state": state, "files": files, "note": note.strip()},
    )
    return state

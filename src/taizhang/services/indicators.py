"""Indicators, reported values, scorecards and the fiscal matrix in the ledger database.

Every function runs on the caller's connection (one unit of work) and records each change with
:func:`record_change`. The import calls :func:`store_quantitative`; the CLI and the web call the
rest. Reads return plain dicts or :class:`~taizhang.ledger.scoring.Scorecard` objects.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound, PermissionDenied
from ..extract.fiscal import FiscalMatter
from ..extract.fiscal import who as match_matters
from ..extract.indicators import Indicator
from ..extract.measures import Measure
from ..extract.quantities import Quantities
from ..extract.records import as_dict
from ..extract.schemes import Scheme
from ..ledger.permissions import OFFICE, UNIT
from ..ledger.scoring import GradedItem, Scorecard, WeightedItem, part_met, score_graded, score_weighted
from ..storage.tables_indicators import (
    fiscal_matters,
    indicator_targets,
    indicator_values,
    indicators,
    scheme_grades,
    scheme_items,
    schemes,
)
from .audit import record_change
from .database import insert_returning_ids
from .user_info import UserInfo

ACTOR = "import"
# Records taken from a gazette are logged as "import" so the log tells them from the issue's own
# "create" entries (documents, tasks) and from later edits by users.
STORE_ACTION = "import"
FIGURE = re.compile(r"-?\d+(?:\.\d+)?")


def parts_of(text: str) -> list[float]:
    """The figures of a value or target as printed: "45%、16%" → [45, 16]."""
    return [float(f) for f in FIGURE.findall(str(text))]


# -- storing what the extractor found ---------------------------------------------------------


def _stored_keys(conn: Connection, table: sa.Table, keys: list[str]) -> set[str]:
    """Which of ``keys`` the table holds already: one query, not one per key."""
    return set(conn.execute(sa.select(table.c.key).where(table.c.key.in_(keys))).scalars()) if keys else set()


MEASURE = "measure"  # indicators.kind of a measure row (措施)


def measure_key(measure: Measure) -> str:
    """A measure row has no name of its own: its document, annex and line find it again."""
    return f"{measure.doc_number}|{measure.annex}|{MEASURE}|{measure.line}"


def store_quantitative(
    conn: Connection, quantities: Quantities, document_ids: dict[str, int], *, actor: str = ACTOR
) -> dict[str, int]:
    """Store indicators (with targets and measure rows), schemes and fiscal matters; idempotent by key."""
    counts = {"indicators": 0, "targets": 0, "schemes": 0, "fiscal_matters": 0}
    merged: dict[str, Indicator | Measure] = {}
    for indicator in quantities.indicators:
        earlier = merged.get(indicator.key)
        if isinstance(earlier, Indicator):  # the same indicator stated for more periods in another clause
            merged[indicator.key] = replace(earlier, targets=earlier.targets + indicator.targets)
        else:
            merged[indicator.key] = indicator
    for measure in quantities.measures:
        merged.setdefault(measure_key(measure), measure)
    stored = _stored_keys(conn, indicators, list(merged))
    new = [(key, record) for key, record in merged.items() if key not in stored]
    counts["targets"] = _insert_indicators(conn, new, document_ids, actor)
    counts["indicators"] = len(new)
    stored = _stored_keys(conn, schemes, [s.key for s in quantities.schemes])
    for scheme in quantities.schemes:
        if scheme.key not in stored:
            stored.add(scheme.key)
            _insert_scheme(conn, scheme, document_ids, actor)
            counts["schemes"] += 1
    fiscal_keys = [f"{m.doc_number}|{m.line}|{m.level}" for m in quantities.fiscal]
    stored = _stored_keys(conn, fiscal_matters, fiscal_keys)
    rows = []
    for matter, key in zip(quantities.fiscal, fiscal_keys, strict=True):
        if key not in stored:
            stored.add(key)
            rows.append(
                {
                    **as_dict(matter),
                    "key": key,
                    "document_id": document_ids.get(matter.doc_number or ""),
                    "items": list(matter.items),
                }
            )
    for new_id, row in zip(insert_returning_ids(conn, fiscal_matters, rows), rows, strict=True):
        record_change(
            conn, actor=actor, action=STORE_ACTION, entity="fiscal_matter", entity_id=new_id, after=row
        )
    counts["fiscal_matters"] = len(rows)
    return counts


def _indicator_row(key: str, record: Indicator | Measure, document_ids: dict[str, int]) -> dict[str, Any]:
    row = {
        "key": key,
        "document_id": document_ids.get(record.doc_number or ""),
        "doc_number": record.doc_number,
        "subject": record.subject,
        "annex": record.annex,
        "line": record.line,
    }
    if isinstance(record, Measure):  # 措施: its figures are details, its departments one text
        details = {
            "quantities": [as_dict(q) for q in record.quantities],
            "responsible": record.responsible,
            "cooperating": record.cooperating,
            "period": record.period,
        }
        return {
            **row,
            "kind": MEASURE,
            "name": record.name,
            "unit": record.quantities[0].unit if record.quantities else None,
            "direction": None,
            "responsible": "、".join(record.responsible),
            "source": "table",
            "label": None,
            "details": details,
        }
    return {
        **row,
        "kind": "indicator",
        "name": record.name,
        "unit": record.unit,
        "direction": record.direction,
        "responsible": record.responsible,
        "source": record.source,
        "label": record.label,
        "details": {},
    }


def _insert_indicators(
    conn: Connection,
    new: list[tuple[str, Indicator | Measure]],
    document_ids: dict[str, int],
    actor: str,
) -> int:
    """Insert indicators with their targets (one statement for each kind of row); returns the targets stored."""
    rows = [_indicator_row(key, record, document_ids) for key, record in new]
    target_rows: list[dict[str, Any]] = []
    for new_id, (_, record), row in zip(insert_returning_ids(conn, indicators, rows), new, rows, strict=True):
        # a later clause wins for its period
        targets = {t.period: t for t in record.targets} if isinstance(record, Indicator) else {}
        target_rows.extend(
            {
                "indicator_id": new_id,
                "period": target.period,
                "text": target.text,
                "value": target.value,
                "parts": parts_of(target.text) if target.value is None else [target.value],
                "high": target.high,
                "unit": target.unit,
                "line": target.line or record.line,
            }
            for target in targets.values()
        )
        record_change(
            conn,
            actor=actor,
            action=STORE_ACTION,
            entity="indicator",
            entity_id=new_id,
            after={**row, "targets": [as_dict(t) for t in targets.values()]},
        )
    if target_rows:
        conn.execute(indicator_targets.insert(), target_rows)
    return len(target_rows)


def _insert_scheme(conn: Connection, scheme: Scheme, document_ids: dict[str, int], actor: str) -> None:
    row = {
        "key": scheme.key,
        "name": scheme.name,
        "annex": scheme.annex,
        "kind": scheme.kind,
        "scale": scheme.scale,
        "maximum": scheme.maximum,
        "line": scheme.line,
        "note": scheme.note,
        "document_id": document_ids.get(scheme.doc_number or ""),
    }
    scheme_id = conn.execute(schemes.insert(), row).inserted_primary_key[0]
    keys = [item.indicator_key for item in scheme.items]
    linked = dict(
        conn.execute(sa.select(indicators.c.key, indicators.c.id).where(indicators.c.key.in_(keys))).all()
    )
    rows = [
        {
            "scheme_id": scheme_id,
            "position": position,
            "label": item.label,
            "name": item.name,
            "weight": item.weight,
            "grades": [list(g) for g in item.grades],
            "indicator_id": linked.get(item.indicator_key),
            "data_source": item.source,
            "line": item.line,
        }
        for position, item in enumerate(scheme.items, start=1)
    ]
    if rows:
        conn.execute(scheme_items.insert(), rows)
    record_change(
        conn,
        actor=actor,
        action=STORE_ACTION,
        entity="scheme",
        entity_id=scheme_id,
        after={**row, "items": len(scheme.items)},
    )


# -- reported values and grades ---------------------------------------------------------------


def check_may_report(user: UserInfo | None, subject: str) -> None:
    """The office reports for anyone; a unit user only for its own unit; leaders and visitors never.

    Raises:
        PermissionDenied: the user may not report a value for ``subject``.
    """
    if user is None:
        return  # the CLI and imports run as the office
    if user.role == OFFICE or (user.role == UNIT and user.unit_name == subject):
        return
    raise PermissionDenied(f"{user.name} 无权报送{subject}的数值")


def report_value(
    conn: Connection,
    *,
    indicator_id: int,
    subject: str,
    period: str,
    value: str | float,
    reporter: str,
    reported_on: date,
    actor: str | None = None,
    user: UserInfo | None = None,
) -> int:
    """Record (or correct) the actual value of an indicator for a subject and period; returns its row id.

    Raises:
        PermissionDenied: ``user`` may not report for ``subject`` (see :func:`check_may_report`).
    """
    check_may_report(user, subject.strip())
    if conn.execute(sa.select(indicators.c.id).where(indicators.c.id == indicator_id)).scalar() is None:
        raise NotFound(f"指标 {indicator_id} 不存在")
    text = str(value).strip()
    parts = parts_of(text)
    if not parts or not subject.strip() or not str(period).strip():
        raise InvalidInput(f"指标 {indicator_id}：报送值需要数值、对象和期间（收到 {text!r}）")
    row = {
        "indicator_id": indicator_id,
        "subject": subject.strip(),
        "period": str(period).strip(),
        "text": text,
        "value": parts[0] if len(parts) == 1 else None,
        "parts": parts,
        "reporter": reporter,
        "reported_on": reported_on,
    }
    where = sa.and_(
        indicator_values.c.indicator_id == indicator_id,
        indicator_values.c.subject == row["subject"],
        indicator_values.c.period == row["period"],
    )
    before = conn.execute(sa.select(indicator_values).where(where)).mappings().first()
    if before is None:
        value_id = conn.execute(indicator_values.insert().values(**row)).inserted_primary_key[0]
        action, old = "report_value", None
    else:
        value_id = before["id"]
        conn.execute(indicator_values.update().where(indicator_values.c.id == value_id).values(**row))
        action, old = "correct_value", {k: before[k] for k in row}
    record_change(
        conn,
        actor=actor or reporter,
        action=action,
        entity="indicator_value",
        entity_id=value_id,
        before=old,
        after=row,
    )
    return int(value_id)


def grade_item(
    conn: Connection,
    *,
    item_id: int,
    subject: str,
    period: str,
    grade: str,
    reporter: str,
    reported_on: date,
    actor: str | None = None,
    user: UserInfo | None = None,
) -> int:
    """Record the grade (好/中/差) given to a subject for a qualitative item in a period (the office grades).

    Raises:
        PermissionDenied: ``user`` is not an office user.
    """
    if user is not None and user.role != OFFICE:
        raise PermissionDenied(f"{user.name} 无权评定考核等次：仅督查室可以评定")
    item = conn.execute(sa.select(scheme_items).where(scheme_items.c.id == item_id)).mappings().first()
    if item is None:
        raise NotFound(f"考核项目 {item_id} 不存在")
    if grade not in [g for g, _ in item["grades"]]:
        raise InvalidInput(f"等次 {grade!r} 不在 {'、'.join(g for g, _ in item['grades'])} 之中")
    row = {
        "item_id": item_id,
        "subject": subject,
        "period": str(period),
        "grade": grade,
        "reporter": reporter,
        "reported_on": reported_on,
    }
    where = sa.and_(
        scheme_grades.c.item_id == item_id,
        scheme_grades.c.subject == subject,
        scheme_grades.c.period == str(period),
    )
    existing = conn.execute(sa.select(scheme_grades.c.id, scheme_grades.c.grade).where(where)).first()
    if existing is None:
        grade_id = conn.execute(scheme_grades.insert().values(**row)).inserted_primary_key[0]
    else:
        grade_id = existing.id
        conn.execute(scheme_grades.update().where(scheme_grades.c.id == grade_id).values(**row))
    record_change(
        conn,
        actor=actor or reporter,
        action="grade_item",
        entity="scheme_grade",
        entity_id=grade_id,
        before={"grade": existing.grade} if existing else None,
        after=row,
    )
    return int(grade_id)


HEADERS = {
    "indicator": ("指标", "指标名称", "indicator"),
    "subject": ("对象", "单位", "县(区)", "subject"),
    "period": ("期间", "年度", "年份", "period"),
    "value": ("数值", "实际值", "完成值", "value"),
    "reporter": ("报送人", "填报人", "reporter"),
    "date": ("报送日期", "填报日期", "date"),
    "grade": ("等次", "评价等次", "grade"),
}


def import_values_xlsx(
    conn: Connection, path: str | Path, *, actor: str = "office", today: date | None = None
) -> int:
    """Import a workbook of values (指标, 对象, 期间, 数值 or 等次[, 报送人, 报送日期]); all rows or none.

    A row with a 等次 grades the qualitative scheme item named in 指标; other rows report a value.
    Returns the number of rows imported.
    """
    from openpyxl import load_workbook  # only this import path needs the Excel library

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).active
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InvalidInput(f"{path}：不是可读取的 .xlsx 工作簿（{exc.__class__.__name__}）") from exc
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        raise InvalidInput(f"{path}：工作簿是空的")
    columns = _columns(path, rows[0])
    count = 0
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        row = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
        subject = str(row.get("subject") or "").strip()
        reported_on = _as_date(row.get("date")) or today or date.today()
        reporter, period = str(row.get("reporter") or actor), _period(row.get("period"))
        if row.get("grade") not in (None, ""):  # a qualitative item graded 好/中/差
            item_id = _resolve_item(conn, path, number, row.get("indicator"))
            grade_item(
                conn,
                item_id=item_id,
                subject=subject,
                period=period,
                grade=str(row["grade"]).strip(),
                reporter=reporter,
                reported_on=reported_on,
                actor=actor,
            )
        elif row.get("value") in (None, ""):
            raise InvalidInput(f"{path}：第 {number} 行：没有数值")
        else:
            indicator_id = _resolve_indicator(conn, path, number, row.get("indicator"), subject)
            report_value(
                conn,
                indicator_id=indicator_id,
                subject=subject,
                period=period,
                value=row["value"],
                reporter=reporter,
                reported_on=reported_on,
                actor=actor,
            )
        count += 1
    return count


def _columns(path: str | Path, header: tuple) -> dict[str, int]:
    names = [str(c or "").strip() for c in header]
    found = {key: names.index(n) for key, options in HEADERS.items() for n in options if n in names}
    missing = [HEADERS[k][0] for k in ("indicator", "subject", "period") if k not in found]
    if "value" not in found and "grade" not in found:
        missing.append("数值/等次")
    if missing:
        raise InvalidInput(f"{path}：缺少列 {'、'.join(missing)}（表头：{names}）")
    return found


def _period(value: Any) -> str:
    text = str(value or "").strip().removesuffix("年")
    return text[:-2] if text.endswith(".0") else text


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _resolve_item(conn: Connection, path: str | Path, number: int, ref: Any) -> int:
    """A graded scheme item by its wording (a trailing 。 and a shortened wording are accepted)."""
    text = str(ref or "").strip().rstrip("。")
    rows = (
        conn.execute(sa.select(scheme_items.c.id, scheme_items.c.name, scheme_items.c.grades)).all()
        if text
        else []
    )
    rows = [r for r in rows if r.grades]  # graded items only
    found = [r.id for r in rows if r.name.rstrip("。") == text] or [
        r.id for r in rows if r.name.startswith(text)
    ]
    if len(found) != 1:
        raise InvalidInput(
            f"{path}：第 {number} 行：{'考核项目不唯一' if found else '未知的考核项目'}“{text}”"
        )
    return found[0]


def _resolve_indicator(conn: Connection, path: str | Path, number: int, ref: Any, subject: str) -> int:
    """An indicator by id, key or exact name (preferring one set for the row's subject)."""
    text = str(ref or "").strip()
    if not text:
        raise InvalidInput(f"{path}：第 {number} 行：没有指标")
    if (
        text.isdigit()
        and conn.execute(sa.select(indicators.c.id).where(indicators.c.id == int(text))).scalar()
    ):
        return int(text)
    rows = conn.execute(
        sa.select(indicators.c.id, indicators.c.subject).where(
            sa.or_(indicators.c.key == text, indicators.c.name == text)
        )
    ).all()
    for_subject = [r.id for r in rows if r.subject == subject] or [r.id for r in rows if r.subject is None]
    if len(for_subject) == 1:
        return for_subject[0]
    problem = "未知的指标" if not rows else "指标不唯一"
    raise InvalidInput(f"{path}：第 {number} 行：{problem}“{text}”")


# -- reading: indicators, attainment, scorecards, who pays -----------------------------------


def list_indicators(conn: Connection, *, kind: str | None = "indicator") -> list[dict[str, Any]]:
    """Indicators with their targets per period, in source order."""
    query = sa.select(indicators).order_by(indicators.c.doc_number, indicators.c.line, indicators.c.id)
    if kind:
        query = query.where(indicators.c.kind == kind)
    found = [dict(r) for r in conn.execute(query).mappings()]
    targets = conn.execute(sa.select(indicator_targets).order_by(indicator_targets.c.period)).mappings().all()
    for item in found:
        item["targets"] = [dict(t) for t in targets if t["indicator_id"] == item["id"]]
    return found


def attainment(
    conn: Connection, *, period: str | None = None, subject: str | None = None
) -> list[dict[str, Any]]:
    """Each reported value against the target of its period: met or not, per indicator and subject."""
    query = (
        sa.select(
            indicators.c.id,
            indicators.c.name,
            indicators.c.direction,
            indicators.c.unit,
            indicator_values.c.subject,
            indicator_values.c.period,
            indicator_values.c.text.label("actual"),
            indicator_values.c.parts,
            indicator_targets.c.text.label("target"),
            indicator_targets.c.parts.label("target_parts"),
            indicator_targets.c.high,
        )
        .join(indicator_values, indicator_values.c.indicator_id == indicators.c.id)
        .outerjoin(
            indicator_targets,
            sa.and_(
                indicator_targets.c.indicator_id == indicators.c.id,
                indicator_targets.c.period == indicator_values.c.period,
            ),
        )
        .order_by(indicator_values.c.subject, indicators.c.line, indicator_values.c.period)
    )
    if period:
        query = query.where(indicator_values.c.period == str(period))
    if subject:
        query = query.where(indicator_values.c.subject == subject)
    found = []
    for row in conn.execute(query).mappings():
        item = dict(row)
        targets, actual = row["target_parts"] or [], row["parts"] or []
        item["met"] = (
            all(
                part_met(row["direction"] or "≥", t, a, row["high"])
                for t, a in zip(targets, actual, strict=True)
            )
            if targets and len(targets) == len(actual)
            else None
        )
        found.append(item)
    return found


def target_series(conn: Connection, indicator_id: int, subject: str) -> list[dict[str, Any]]:
    """Target against actual for each period of an indicator and subject, in period order (for a chart)."""
    targets = {
        r.period: r
        for r in conn.execute(
            sa.select(indicator_targets).where(indicator_targets.c.indicator_id == indicator_id)
        )
    }
    actuals = {
        r.period: r
        for r in conn.execute(
            sa.select(indicator_values).where(
                indicator_values.c.indicator_id == indicator_id, indicator_values.c.subject == subject
            )
        )
    }
    return [
        {
            "period": period,
            "target": targets[period].value if period in targets else None,
            "target_text": targets[period].text if period in targets else None,
            "actual": actuals[period].value if period in actuals else None,
            "actual_text": actuals[period].text if period in actuals else None,
        }
        for period in sorted(set(targets) | set(actuals))
    ]


def find_scheme(conn: Connection, ref: str) -> dict[str, Any]:
    """A scheme by its key, or by a word of it ("附件3", "28号 附件3")."""
    rows = [dict(r) for r in conn.execute(sa.select(schemes).order_by(schemes.c.id)).mappings()]
    words = ref.split()
    matches = [r for r in rows if r["key"] == ref] or [
        r for r in rows if all(w in r["key"] or w in r["name"] for w in words)
    ]
    if len(matches) != 1:
        known = ", ".join(r["key"] for r in rows) or "none stored"
        raise NotFound(f"考核方案 {ref!r} {'不唯一' if matches else '不存在'}；已有方案：{known}")
    return matches[0]


def scorecards(
    conn: Connection, ref: str, period: str, *, rule: str = "threshold", subjects: list[str] | None = None
) -> list[Scorecard]:
    """Each subject's scorecard in a scheme for a period (subjects: those with values or grades, or given)."""
    scheme = find_scheme(conn, ref)
    items = (
        conn.execute(
            sa.select(scheme_items)
            .where(scheme_items.c.scheme_id == scheme["id"])
            .order_by(scheme_items.c.position)
        )
        .mappings()
        .all()
    )
    if scheme["kind"] == "graded":
        return _graded_cards(conn, scheme, items, str(period), subjects)
    return _weighted_cards(conn, scheme, items, str(period), rule, subjects)


def _weighted_cards(conn, scheme, items, period, rule, subjects) -> list[Scorecard]:  # type: ignore[no-untyped-def]
    targets = {
        r.indicator_id: r
        for r in conn.execute(sa.select(indicator_targets).where(indicator_targets.c.period == period))
    }
    directions = dict(conn.execute(sa.select(indicators.c.id, indicators.c.direction)).all())
    weighted = [
        WeightedItem(
            str(i["id"]),
            i["name"],
            i["weight"] or 0,
            directions.get(i["indicator_id"]) or "≥",
            tuple(targets[i["indicator_id"]].parts) if i["indicator_id"] in targets else (),
            targets[i["indicator_id"]].high if i["indicator_id"] in targets else None,
        )
        for i in items
    ]
    linked = {i["indicator_id"]: str(i["id"]) for i in items if i["indicator_id"]}
    values: dict[str, dict[str, list[float]]] = {}
    rows = conn.execute(
        sa.select(indicator_values).where(
            indicator_values.c.period == period, indicator_values.c.indicator_id.in_(list(linked))
        )
    )
    for row in rows:
        values.setdefault(row.subject, {})[linked[row.indicator_id]] = row.parts
    return [
        score_weighted(scheme["key"], s, period, weighted, values.get(s, {}), scheme["scale"], rule)
        for s in subjects or sorted(values)
    ]


def _graded_cards(conn, scheme, items, period, subjects) -> list[Scorecard]:  # type: ignore[no-untyped-def]
    graded = [
        GradedItem(str(i["id"]), i["name"], tuple((g, float(p)) for g, p in i["grades"])) for i in items
    ]
    given: dict[str, dict[str, str]] = {}
    rows = conn.execute(
        sa.select(scheme_grades).where(
            scheme_grades.c.period == period, scheme_grades.c.item_id.in_([i["id"] for i in items])
        )
    )
    for row in rows:
        given.setdefault(row.subject, {})[str(row.item_id)] = row.grade
    return [
        score_graded(scheme["key"], s, period, graded, given.get(s, {}), scheme["scale"])
        for s in subjects or sorted(given)
    ]


def who(conn: Connection, text: str) -> list[dict[str, Any]]:
    """Which level pays for ``text`` (事权/支出责任), best matches first, with the sentence that says so."""
    rows = conn.execute(sa.select(fiscal_matters).order_by(fiscal_matters.c.line)).mappings().all()
    matters = [
        FiscalMatter(
            r["doc_number"],
            r["domain"],
            r["section"],
            r["matter"],
            tuple(r["items"]),
            r["level"],
            r["level_text"],
            r["sentence"],
            r["line"],
        )
        for r in rows
    ]
    return [
        {**m.__dict__, "items": list(m.items), "score": score} for m, score in match_matters(matters, text)
    ]

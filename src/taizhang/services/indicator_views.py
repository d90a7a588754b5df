"""Read models of indicators for the web: one indicator with its values, attainment per unit, schemes, who pays.

``services.indicators`` stores and scores; this module only reads, shaping its results for pages and
the JSON API (plain dicts, never rows). Nothing here writes to the ledger.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, NotFound, UnknownUnit
from ..ledger.permissions import UNIT
from ..ledger.scoring import RULES, Scorecard, part_met
from ..storage.tables import documents, units
from ..storage.tables_indicators import (
    fiscal_matters,
    indicator_targets,
    indicator_values,
    indicators,
    scheme_grades,
    scheme_items,
    schemes,
)
from . import indicators as service
from .units import resolve_unit
from .user_info import UserInfo

# attainment colour of a set of values: every one met, some, none, or nothing to judge
GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"


def is_met(
    direction: str | None,
    target_parts: list[float] | None,
    actual_parts: list[float] | None,
    high: float | None = None,
) -> bool | None:
    """Whether every figure reported meets its target part; None when there is no comparable target."""
    targets, actual = target_parts or [], actual_parts or []
    if not targets or len(targets) != len(actual):
        return None
    return all(part_met(direction or "≥", t, a, high) for t, a in zip(targets, actual, strict=True))


def colour_of(verdicts: list[bool | None]) -> str:
    """Green when every judged value met its target, red when none did, yellow in between, grey when none judged."""
    judged = [v for v in verdicts if v is not None]
    if not judged:
        return GREY
    if all(judged):
        return GREEN
    return RED if not any(judged) else YELLOW


def canonical_subject(conn: Connection, name: str) -> str:
    """A unit's directory name for an alias ("市卫生健康委员会" → "市卫生健康委"); other names as typed.

    Subjects outside the directory (a hospital, say) are kept, so scores are never lost to a missing alias.
    """
    name = name.strip()
    try:
        unit_id = resolve_unit(conn, name)
    except UnknownUnit:
        return name
    return conn.execute(sa.select(units.c.name).where(units.c.id == unit_id)).scalar_one()


def value_subject(conn: Connection, user: UserInfo, indicator: dict[str, Any], given: str | None) -> str:
    """Whose value a user reports: as given (by its directory name), else the indicator's county, else the user's unit.

    Raises:
        InvalidInput: no subject can be told (an office user on an indicator set for no one).
    """
    subject = (given or "").strip() or indicator["subject"] or (user.unit_name if user.role == UNIT else None)
    if not subject:
        raise InvalidInput("请填写报送对象 (单位或县区)")
    return canonical_subject(conn, subject)


def check_rule(rule: str) -> str:
    """The scoring rule of a weighted scheme, or InvalidInput naming the rules there are."""
    if rule not in RULES:
        raise InvalidInput(f"计分规则 {rule!r} 不存在，可用：{'、'.join(RULES)}")
    return rule


def get_indicator(conn: Connection, indicator_id: int) -> dict[str, Any]:
    """One indicator with its targets per period.

    Raises:
        NotFound: no indicator has this id.
    """
    row = conn.execute(sa.select(indicators).where(indicators.c.id == indicator_id)).mappings().first()
    if row is None:
        raise NotFound(f"指标 {indicator_id} 不存在")
    item = dict(row)
    item["targets"] = [
        dict(t)
        for t in conn.execute(
            sa.select(indicator_targets)
            .where(indicator_targets.c.indicator_id == indicator_id)
            .order_by(indicator_targets.c.period)
        ).mappings()
    ]
    return item


def values_of(conn: Connection, indicator: dict[str, Any]) -> list[dict[str, Any]]:
    """Every value reported for ``indicator`` (by subject, then period), each judged against its period's target."""
    targets = {t["period"]: t for t in indicator["targets"]}
    rows = conn.execute(
        sa.select(indicator_values)
        .where(indicator_values.c.indicator_id == indicator["id"])
        .order_by(indicator_values.c.subject, indicator_values.c.period)
    ).mappings()
    found = []
    for row in rows:
        target = targets.get(row["period"])
        found.append(
            {
                **dict(row),
                "target": target["text"] if target else None,
                "met": is_met(
                    indicator["direction"],
                    target["parts"] if target else None,
                    row["parts"],
                    target["high"] if target else None,
                ),
            }
        )
    return found


def series_by_subject(indicator: dict[str, Any], values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Target against actual over the periods, one series per subject that reported (or the indicator's own)."""
    subjects = list(
        dict.fromkeys(
            [*([indicator["subject"]] if indicator["subject"] else []), *(v["subject"] for v in values)]
        )
    )
    targets = {t["period"]: t for t in indicator["targets"]}
    series = []
    for subject in subjects:
        actual = {v["period"]: v for v in values if v["subject"] == subject}
        points = [
            {
                "period": period,
                "target": targets[period]["text"] if period in targets else None,
                "target_parts": list(targets[period]["parts"]) if period in targets else [],
                "actual": actual[period]["text"] if period in actual else None,
                "actual_parts": list(actual[period]["parts"]) if period in actual else [],
                "met": actual[period]["met"] if period in actual else None,
            }
            for period in sorted(set(targets) | set(actual))
        ]
        series.append({"subject": subject, "points": points})
    return series


def indicator_detail(conn: Connection, indicator_id: int) -> dict[str, Any]:
    """One indicator with targets, every reported value and a target-vs-actual series per subject."""
    indicator = get_indicator(conn, indicator_id)
    values = values_of(conn, indicator)
    return {
        **indicator,
        "values": values,
        "series": series_by_subject(indicator, values),
        "colour": colour_of([v["met"] for v in values]),
    }


def indicator_overview(
    conn: Connection, *, period: str | None = None, kind: str | None = "indicator", subject: str | None = None
) -> list[dict[str, Any]]:
    """Every indicator with the values of ``period`` (all periods when None) and their attainment colour.

    With ``subject`` only that unit's values count, and each row carries its value as ``actual``.
    """
    verdicts: dict[int, list[dict[str, Any]]] = {}
    for row in service.attainment(conn, period=period, subject=subject):
        verdicts.setdefault(row["id"], []).append(row)
    found = []
    for item in service.list_indicators(conn, kind=kind):
        rows = verdicts.get(item["id"], [])
        found.append(
            {
                **item,
                "reported": len(rows),
                "met_count": sum(1 for r in rows if r["met"]),
                "colour": colour_of([r["met"] for r in rows]),
                "actual": "；".join(r["actual"] for r in rows) if subject else None,
            }
        )
    return found


def attainment_by_subject(conn: Connection, *, period: str | None = None) -> list[dict[str, Any]]:
    """Per unit (subject): values reported, met, not met, not comparable, and the share met of those judged."""
    tally: dict[str, dict[str, Any]] = {}
    for row in service.attainment(conn, period=period):
        entry = tally.setdefault(
            row["subject"], {"subject": row["subject"], "reported": 0, "met": 0, "not_met": 0, "unjudged": 0}
        )
        entry["reported"] += 1
        entry["met" if row["met"] else "unjudged" if row["met"] is None else "not_met"] += 1
    for entry in tally.values():
        judged = entry["met"] + entry["not_met"]
        entry["rate"] = entry["met"] / judged if judged else None
        entry["colour"] = colour_of([True] * entry["met"] + [False] * entry["not_met"])
    return sorted(tally.values(), key=lambda e: e["subject"])


def periods(conn: Connection) -> list[str]:
    """Every period that has a target or a reported value, in order."""
    found = {p for (p,) in conn.execute(sa.select(indicator_targets.c.period).distinct())}
    found |= {p for (p,) in conn.execute(sa.select(indicator_values.c.period).distinct())}
    return sorted(found)


def unit_names(conn: Connection) -> list[str]:
    """Names of the directory's units that can report (counties and departments, not groups)."""
    rows = conn.execute(sa.select(units.c.name).where(units.c.kind != "group").order_by(units.c.name))
    return [name for (name,) in rows]


# -- schemes and scorecards ----------------------------------------------------------------------


def list_schemes(conn: Connection) -> list[dict[str, Any]]:
    """Every evaluation scheme (考评方案) with its items in order."""
    found = [dict(r) for r in conn.execute(sa.select(schemes).order_by(schemes.c.id)).mappings()]
    items = (
        conn.execute(sa.select(scheme_items).order_by(scheme_items.c.scheme_id, scheme_items.c.position))
        .mappings()
        .all()
    )
    for scheme in found:
        scheme["items"] = [dict(i) for i in items if i["scheme_id"] == scheme["id"]]
    return found


def scheme_by_ref(conn: Connection, ref: str) -> dict[str, Any]:
    """A scheme by id, key or a word of it ("附件3").

    Raises:
        NotFound: no scheme, or more than one, matches ``ref``.
    """
    if ref.isdigit():
        row = conn.execute(sa.select(schemes).where(schemes.c.id == int(ref))).mappings().first()
        if row is None:
            raise NotFound(f"考评方案 {ref} 不存在")
        return dict(row)
    return service.find_scheme(conn, ref)


def scored_subjects(conn: Connection, period: str) -> list[str]:
    """Every subject with a value of a scheme indicator or a grade in ``period``: each is scored in every scheme."""
    linked = sa.select(scheme_items.c.indicator_id).where(scheme_items.c.indicator_id.is_not(None))
    with_values = conn.execute(
        sa.select(indicator_values.c.subject)
        .distinct()
        .where(indicator_values.c.period == period, indicator_values.c.indicator_id.in_(linked))
    )
    graded = conn.execute(
        sa.select(scheme_grades.c.subject).distinct().where(scheme_grades.c.period == period)
    )
    return sorted({s for (s,) in with_values} | {s for (s,) in graded})


def all_scorecards(conn: Connection, period: str, *, rule: str = "threshold") -> list[dict[str, Any]]:
    """Each scheme with every scored subject's card, and each subject's total over the schemes."""
    subjects = scored_subjects(conn, period)
    found = []
    for scheme in list_schemes(conn):
        cards = (
            service.scorecards(conn, scheme["key"], period, rule=rule, subjects=subjects) if subjects else []
        )
        found.append({**scheme, "cards": cards})
    return found


def totals(scored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per subject, the sum of its standardised scores over the schemes, and the sum of their scales."""
    by_subject: dict[str, dict[str, Any]] = {}
    scale = sum(s["scale"] or s["maximum"] for s in scored)
    for scheme in scored:
        for card in scheme["cards"]:
            entry = by_subject.setdefault(
                card.subject, {"subject": card.subject, "total": 0.0, "scale": scale}
            )
            entry["total"] += card.standardised
    return sorted(by_subject.values(), key=lambda e: (-e["total"], e["subject"]))


def card_dict(card: Scorecard) -> dict[str, Any]:
    """A scorecard as plain data, with its arithmetic in one line."""
    return {
        "scheme": card.scheme,
        "subject": card.subject,
        "period": card.period,
        "rule": card.rule,
        "raw": card.raw,
        "maximum": card.maximum,
        "scale": card.scale,
        "factor": card.factor,
        "standardised": card.standardised,
        "missing": list(card.missing),
        "explanation": card.explain(),
        "items": [item.__dict__ for item in card.items],
    }


def item_in_scheme(conn: Connection, scheme_id: int, item_id: int) -> None:
    """Check that ``item_id`` is an item of the scheme.

    Raises:
        NotFound: it is not.
    """
    found = conn.execute(
        sa.select(scheme_items.c.id).where(
            scheme_items.c.id == item_id, scheme_items.c.scheme_id == scheme_id
        )
    ).scalar()
    if found is None:
        raise NotFound(f"考评项目 {item_id} 不属于考评方案 {scheme_id}")


# -- fiscal matrix ---------------------------------------------------------------------------------


def fiscal_answers(conn: Connection, query: str) -> list[dict[str, Any]]:
    """Who pays for ``query``: each matching matter with its level, sentence, line and the document's id."""
    ids = dict(
        conn.execute(
            sa.select(documents.c.doc_number, documents.c.id).where(documents.c.doc_number.is_not(None))
        ).all()
    )
    return [{**answer, "document_id": ids.get(answer["doc_number"])} for answer in service.who(conn, query)]


def fiscal_matrix(conn: Connection) -> list[dict[str, Any]]:
    """Every matter of the fiscal responsibility division in source order, with its level and line."""
    rows = conn.execute(
        sa.select(fiscal_matters).order_by(
            fiscal_matters.c.document_id, fiscal_matters.c.line, fiscal_matters.c.id
        )
    ).mappings()
    return [dict(r) for r in rows]

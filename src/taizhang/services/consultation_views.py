"""Reading consultations: one with its panel, clocks and rule findings; lists; a proposed panel;
and the 咨询论证报告 as a notice-like draft the Word writer lays out in 公文 form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..ledger import permissions as perm
from ..ledger.consultation import Finding, application_clock, draw_panel, opinion_clock
from ..ledger.consultation_rules import COMPLEXITY_FLAGS, Rule
from ..storage.tables import documents
from ..storage.tables_procedures import consultations, decision_items, experts
from .consultations import (
    PanelChoice,
    as_member,
    check_choices,
    consultation_row,
    decision_flags,
    department,
    members,
    missing_before_report,
    ruleset,
)
from .decisions import get_decision
from .notices import NoticeSection, chinese_date, chinese_numeral
from .routing import list_requests
from .user_info import UserInfo

SHOWN_RULES = (
    "panel_odd",
    "panel_min",
    "panel_min_flagged",
    "sides_represented",
    "neutrality",
    "pool_first",
    "application_window",
    "pledge",
    "signed_opinion",
    "adoption_reason",
    "feedback",
    "archive",
)


def _clocks(
    row: Any, panel: list[dict[str, Any]], rules: dict[str, Rule], today: date
) -> list[dict[str, Any]]:
    clocks = [
        application_clock(row.requested_on, row.meeting_on, today, rules),
        opinion_clock(row.opinion_due, [m["submitted_on"] for m in panel], today),
    ]
    return [asdict(c) for c in clocks]


def _check_current(conn: Connection, row: Any, panel: list[dict[str, Any]]) -> list[Finding]:
    if not panel:
        return []
    return check_choices(conn, row, [PanelChoice(m["expert_id"], m["side"], m["role"]) for m in panel])


def get_consultation(
    conn: Connection, consultation_id: int, user: UserInfo | None, today: date
) -> dict[str, Any]:
    """One consultation: decision, panel with opinions, clocks, rule findings, rules, routed requests.

    Raises:
        NotFound: no such consultation.
        PermissionDenied: a unit user asks for another unit's decision.
    """
    row = consultation_row(conn, consultation_id)
    decision = get_decision(conn, row.decision_id, user)
    panel = members(conn, consultation_id)
    rules = ruleset(conn)
    findings = _check_current(conn, row, panel)
    return {
        **dict(row._mapping),
        "decision": decision,
        "members": panel,
        "rules": [
            {"rule": r, "citation": rules[r].citation, "statement": rules[r].statement} for r in SHOWN_RULES
        ],
        "clocks": _clocks(row, panel, rules, today),
        "panel_findings": [str(f) for f in findings],
        "missing": missing_before_report(conn, consultation_id) if panel else [],
        "requests": list_requests(conn, consultation_id=consultation_id),
        "flags": [COMPLEXITY_FLAGS[f] for f in decision["flags"] if f in COMPLEXITY_FLAGS],
    }


def public_consultation(conn: Connection, consultation_id: int, today: date) -> dict[str, Any]:
    """A published consultation for the public site; an unpublished one is 404.

    Raises:
        NotFound: no such consultation, or it is not public.
    """
    row = consultation_row(conn, consultation_id)
    if not row.is_public:
        raise NotFound("该咨询论证未公开")
    return get_consultation(conn, consultation_id, None, today)


def list_consultations(
    conn: Connection, user: UserInfo | None = None, *, public_only: bool = False
) -> list[dict[str, Any]]:
    """Consultations, newest first, with their decision's title; a unit user sees its own decisions'."""
    query = (
        sa.select(
            consultations,
            decision_items.c.title.label("decision_title"),
            documents.c.doc_number.label("doc_number"),
        )
        .join(decision_items, decision_items.c.id == consultations.c.decision_id)
        .join(documents, documents.c.id == decision_items.c.document_id)
        .order_by(consultations.c.id.desc())
    )
    if public_only:
        query = query.where(consultations.c.is_public.is_(True))
    found = []
    for row in conn.execute(query):
        if (
            user is not None
            and user.role == perm.UNIT
            and not (user.unit_ids & department(conn, row.decision_id).unit_ids)
        ):
            continue
        found.append(dict(row._mapping))
    return found


def propose_panel(
    conn: Connection, consultation_id: int, *, size: int | None = None, seed: int | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """A panel drawn at random from the active pool, and warnings when the pool cannot satisfy the rules."""
    row = consultation_row(conn, consultation_id)
    pool = [dict(r._mapping) for r in conn.execute(sa.select(experts).where(experts.c.active.is_(True)))]
    drawn, warnings = draw_panel(
        [as_member(e, None) for e in pool],
        size=size,
        flags=decision_flags(conn, row.decision_id),
        department=department(conn, row.decision_id),
        rules=ruleset(conn),
        seed=seed,
    )
    by_id = {e["id"]: e for e in pool}
    return [by_id[m.expert_id] for m in drawn], [str(w) for w in warnings]


# The report (咨询论证报告) ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationReport:
    """The report as the Word writer wants a notice: title, date, addressee, opening, sections."""

    title: str
    as_of: date
    addressee: str
    opening: str
    sections: tuple[NoticeSection, ...]
    issuer: str
    is_public: bool = False
    opinions: tuple[dict[str, Any], ...] = field(default=(), compare=False)


def _member_line(n: int, m: dict[str, Any]) -> str:
    who = "，".join(x for x in (m["title"], m["affiliation"], m["field"]) if x)
    side = f"，立场：{m['side']}" if m["side"] else ""
    return f"（{chinese_numeral(n)}）{m['name']}（{who}；{m['pool']}专家，{m['role']}{side}）。"


def _opinion_line(n: int, m: dict[str, Any]) -> str:
    signed = "已署名" if m["signed"] else "未署名"
    pledge = "已签订诚信承诺书" if m["pledge_signed"] else "未签订诚信承诺书"
    text = f"（{chinese_numeral(n)}）{m['name']}：{m['opinion'] or '未提交意见'}（{signed}，{pledge}"
    text += f"，{chinese_date(m['submitted_on'])}提交）。" if m["submitted_on"] else "）。"
    text += f"采纳情况：{m['adoption'] or '未记录'}。"
    if m["adoption_reason"]:
        text += f"理由：{m['adoption_reason']}。"
    if m["feedback_on"]:
        text += (
            f"已于{chinese_date(m['feedback_on'])}反馈专家"
            + (f"（{m['feedback_note']}）" if m["feedback_note"] else "")
            + "。"
        )
    return text


def _rule_lines(item: dict[str, Any]) -> list[str]:
    """How the consultation kept the rules: panel size, late opinions, adoption and feedback, warnings."""
    rules = {r["rule"]: r for r in item["rules"]}
    panel, due = item["members"], item["opinion_due"]
    size_rule = rules["panel_min_flagged" if item["flags"] else "panel_min"]
    lines = [
        f"专家组{len(panel)}人，依据{size_rule['citation']}“{size_rule['statement']}”及"
        f"{rules['panel_odd']['citation']}“{rules['panel_odd']['statement']}”选定。"
    ]
    late = [m for m in panel if m["submitted_on"] and due and m["submitted_on"] > due]
    lines += [
        f"{m['name']}的意见于{chinese_date(m['submitted_on'])}提交，晚于意见期限{chinese_date(due)}。"
        for m in late
    ]
    explained = [m for m in panel if m["adoption"] and m["adoption"] != "采纳"]
    if panel and all(m["feedback_on"] for m in panel):
        lines.append(
            f"{len(explained)}条意见未予采纳或部分采纳，均已说明理由；采纳情况已全部反馈专家"
            f"（{rules['adoption_reason']['citation']}、{rules['feedback']['citation']}）。"
        )
    lines += [f"提示：{f}" for f in (*item["panel_findings"], *item["findings"])]
    return lines


def report_draft(conn: Connection, consultation_id: int, today: date) -> ConsultationReport:
    """The 咨询论证报告: panel, each opinion with its adoption and reason, summary, rules kept."""
    item = get_consultation(conn, consultation_id, None, today)
    decision, panel = item["decision"], item["members"]
    issuer = decision["units"][0]["name"] if decision["units"] else "决策承办单位"
    addressee = conn.execute(
        sa.select(documents.c.issuer).where(documents.c.id == decision["document_id"])
    ).scalar()
    inside = sum(1 for m in panel if m["pool"] == "库内")
    opening = (
        f"{issuer}于{chinese_date(item['requested_on'])}书面申请对“{item['topic']}”进行咨询论证，"
        f"采用{item['form']}方式，于{chinese_date(item['meeting_on'])}组织{len(panel)}名专家"
        f"（库内{inside}名、库外{len(panel) - inside}名）开展论证。现将有关情况报告如下："
    )
    sections = (
        NoticeSection("专家组组成", tuple(_member_line(n, m) for n, m in enumerate(panel, start=1))),
        NoticeSection("专家意见及采纳情况", tuple(_opinion_line(n, m) for n, m in enumerate(panel, start=1))),
        NoticeSection("综合意见", (item["summary"] or "（尚未填写）",)),
        NoticeSection("执行咨询论证规则情况", tuple(_rule_lines(item))),
    )
    return ConsultationReport(
        title=f"关于{decision['title']}的专家咨询论证报告",
        as_of=item["reported_on"] or today,
        addressee=f"{addressee or '决策机关'}：",
        opening=opening,
        sections=sections,
        issuer=issuer,
        is_public=bool(item["is_public"]),
        opinions=tuple(panel),
    )

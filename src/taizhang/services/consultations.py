"""Expert consultation (咨询论证) on a decision item: the request, the panel, opinions, adoption,
feedback to each expert, the report and the archive.

The rules come from the rules document imported last and still in force (``ruleset``); each
refusal is a :class:`RuleViolation` naming the rule's article. Status moves 已申请 → 专家已确定 →
意见征集 → 已报送 → 已归档. Reading a consultation (clocks, the report) is in
``consultation_views.py``. Every write is in the change log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, InvalidTransition, NotFound, RuleViolation
from ..ledger.consultation import (
    FORMS,
    SIDES,
    Department,
    Finding,
    Member,
    blocking,
    check_application,
    check_panel,
)
from ..ledger.consultation_rules import Rule, build_ruleset
from ..ledger.decision_steps import DONE, IN_PROGRESS
from ..storage.tables import documents, units
from ..storage.tables_procedures import (
    consultation_members,
    consultation_rules,
    consultations,
    decision_items,
    decision_steps,
    decision_units,
    experts,
)
from .audit import record_change
from .database import insert_returning_ids
from .routing import route_request

REQUESTED, PANEL_SET, COLLECTING, REPORTED, ARCHIVED = "已申请", "专家已确定", "意见征集", "已报送", "已归档"
ADOPTIONS = ("采纳", "部分采纳", "未采纳")
EXPERT_STEP = "专家论证"


@dataclass(frozen=True)
class PanelChoice:
    """One expert chosen for a panel, with position on the question and role (组长 / 成员)."""

    expert_id: int
    side: str | None = None
    role: str = "成员"


def ruleset(conn: Connection) -> dict[str, Rule]:
    """The rules of the latest rules document in force, over the defaults."""
    latest = conn.execute(
        sa.select(consultation_rules.c.document_id)
        .join(documents, documents.c.id == consultation_rules.c.document_id)
        .where(documents.c.status == "有效")
        .order_by(documents.c.signed_on.desc(), documents.c.id.desc())
        .limit(1)
    ).scalar()
    if latest is None:
        return build_ruleset([])
    rows = conn.execute(sa.select(consultation_rules).where(consultation_rules.c.document_id == latest))
    return build_ruleset(dict(r._mapping) for r in rows)


def store_rules(
    conn: Connection, clauses: Sequence[Any], doc_ids: dict[str | None, int], *, actor: str
) -> int:
    """Store the rules a rules document states (``extract.consultation_rules.RuleClause``).

    A rule its document holds already is not stored again; the rest go in with one statement.
    """
    wanted = sorted({doc_ids[c.doc_number] for c in clauses if doc_ids.get(c.doc_number) is not None})
    held: set[tuple[int, str]] = set()
    for start in range(0, len(wanted), 500):
        query = sa.select(consultation_rules.c.document_id, consultation_rules.c.rule)
        chosen = consultation_rules.c.document_id.in_(wanted[start : start + 500])
        held.update((row.document_id, row.rule) for row in conn.execute(query.where(chosen)))
    rows = []
    for clause in clauses:
        doc_id = doc_ids.get(clause.doc_number)
        if doc_id is None or (doc_id, clause.rule) in held:
            continue
        held.add((doc_id, clause.rule))
        rows.append(
            {
                "document_id": doc_id,
                "doc_number": clause.doc_number,
                "rule": clause.rule,
                "article": clause.article,
                "params": dict(clause.params),
                "text": clause.text,
                "line": clause.line,
            }
        )
    for rule_id, row in zip(insert_returning_ids(conn, consultation_rules, rows), rows, strict=True):
        record_change(
            conn, actor=actor, action="create", entity="consultation_rule", entity_id=rule_id, after=row
        )
    return len(rows)


def _violation(findings: Sequence[Finding]) -> RuleViolation:
    return RuleViolation("；".join(str(f) for f in findings), tuple(findings))


def consultation_row(conn: Connection, consultation_id: int) -> sa.Row:
    """The consultation's row.

    Raises:
        NotFound: no such consultation.
    """
    row = conn.execute(sa.select(consultations).where(consultations.c.id == consultation_id)).first()
    if row is None:
        raise NotFound(f"没有编号为 {consultation_id} 的咨询论证")
    return row


def _require_status(row: sa.Row, allowed: tuple[str, ...], what: str) -> None:
    if row.status not in allowed:
        raise InvalidTransition(f"咨询论证当前为“{row.status}”，不能{what}")


def _set(conn: Connection, actor: str, row: sa.Row, action: str, **values: Any) -> None:
    conn.execute(consultations.update().where(consultations.c.id == row.id).values(**values))
    record_change(
        conn,
        actor=actor,
        action=action,
        entity="consultation",
        entity_id=row.id,
        before={k: getattr(row, k) for k in values},
        after=values,
    )


def department(conn: Connection, decision_id: int) -> Department:
    """The 决策承办单位 of a decision: unit ids and names (directory and printed)."""
    rows = conn.execute(
        sa.select(units.c.id, units.c.name, decision_units.c.printed)
        .join(units, units.c.id == decision_units.c.unit_id)
        .where(decision_units.c.decision_id == decision_id)
    ).all()
    names = tuple(dict.fromkeys(n for r in rows for n in (r.name, r.printed)))
    return Department(frozenset(r.id for r in rows), names)


def decision_flags(conn: Connection, decision_id: int) -> tuple[str, ...]:
    """The complexity flags of a decision item (wide, contested, sensitive).

    Raises:
        NotFound: no such decision.
    """
    flags = conn.execute(sa.select(decision_items.c.flags).where(decision_items.c.id == decision_id)).first()
    if flags is None:
        raise NotFound(f"没有编号为 {decision_id} 的决策事项")
    return tuple(flags[0] or ())


def _expert_step(conn: Connection, actor: str, decision_id: int, state: str, day: date | None) -> None:
    step = conn.execute(
        sa.select(decision_steps).where(
            decision_steps.c.decision_id == decision_id, decision_steps.c.procedure == EXPERT_STEP
        )
    ).first()
    if step is None or step.state == state or (state == IN_PROGRESS and step.state == DONE):
        return
    after = {"state": state, "done_on": day}
    conn.execute(decision_steps.update().where(decision_steps.c.id == step.id).values(**after))
    record_change(
        conn,
        actor=actor,
        action="update",
        entity="decision_step",
        entity_id=decision_id,
        before={"procedure": EXPERT_STEP, "state": step.state},
        after={"procedure": EXPERT_STEP, **after},
    )


def request_consultation(
    conn: Connection,
    actor: str,
    decision_id: int,
    *,
    topic: str,
    form: str,
    requested_on: date,
    meeting_on: date,
    opinion_due: date | None = None,
) -> int:
    """Record a written application for consultation on a decision item; returns its id.

    Raises:
        NotFound: no such decision.
        InvalidInput: an unknown form or an empty topic.
        RuleViolation: the application is later than the rules allow (提前3—10个工作日).
    """
    decision_flags(conn, decision_id)
    if form not in FORMS:
        raise InvalidInput(f"论证方式应为{'、'.join(FORMS)}之一，而不是“{form}”")
    if not topic.strip():
        raise InvalidInput("请填写咨询论证事项")
    findings = check_application(requested_on, meeting_on, ruleset(conn))
    if blocking(findings):
        raise _violation(blocking(findings))
    values = {
        "decision_id": decision_id,
        "topic": topic.strip(),
        "form": form,
        "requested_on": requested_on,
        "meeting_on": meeting_on,
        "opinion_due": opinion_due or meeting_on,
        "status": REQUESTED,
        "findings": [str(f) for f in findings],
    }
    consultation_id = int(conn.execute(consultations.insert().values(**values)).inserted_primary_key[0])
    record_change(
        conn, actor=actor, action="create", entity="consultation", entity_id=consultation_id, after=values
    )
    _expert_step(conn, actor, decision_id, IN_PROGRESS, None)
    return consultation_id


def members(conn: Connection, consultation_id: int) -> list[dict[str, Any]]:
    """The panel with each expert's details, opinion, adoption and feedback, in the order chosen."""
    query = (
        sa.select(
            consultation_members,
            experts.c.name,
            experts.c.field,
            experts.c.title,
            experts.c.affiliation,
            experts.c.pool,
            experts.c.unit_id,
            experts.c.conflicts,
        )
        .join(experts, experts.c.id == consultation_members.c.expert_id)
        .where(consultation_members.c.consultation_id == consultation_id)
        .order_by(consultation_members.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def as_member(expert: dict[str, Any], side: str | None) -> Member:
    """An expert row as the panel rules see it."""
    return Member(
        expert["id"],
        expert["name"],
        expert["pool"],
        expert["unit_id"],
        expert["affiliation"],
        tuple(expert["conflicts"] or ()),
        side,
    )


def check_choices(conn: Connection, row: sa.Row, choices: Sequence[PanelChoice]) -> list[Finding]:
    """Every rule the chosen panel would break, for this consultation's decision."""
    found = {
        r.id: dict(r._mapping)
        for r in conn.execute(sa.select(experts).where(experts.c.id.in_([c.expert_id for c in choices])))
    }
    missing = [c.expert_id for c in choices if c.expert_id not in found]
    if missing:
        raise NotFound(f"专家库中没有编号为 {missing[0]} 的专家")
    panel = [as_member(found[c.expert_id], c.side) for c in choices]
    return check_panel(
        panel,
        flags=decision_flags(conn, row.decision_id),
        department=department(conn, row.decision_id),
        rules=ruleset(conn),
    )


def set_panel(
    conn: Connection, actor: str, consultation_id: int, choices: Sequence[PanelChoice]
) -> list[Finding]:
    """Confirm the panel when it keeps every rule; returns the warnings that remain.

    Raises:
        RuleViolation: the panel breaks a rule (size, odd number, both sides, avoidance).
        InvalidTransition: opinions are being collected already.
        InvalidInput: an expert chosen twice or an unknown side.
    """
    row = consultation_row(conn, consultation_id)
    _require_status(row, (REQUESTED, PANEL_SET), "更改专家组")
    if len({c.expert_id for c in choices}) != len(choices):
        raise InvalidInput("同一专家不能重复选入专家组")
    if any(c.side not in (None, *SIDES) for c in choices):
        raise InvalidInput(f"专家立场应为{'、'.join(SIDES)}之一")
    findings = check_choices(conn, row, choices)
    if blocking(findings):
        raise _violation(blocking(findings))
    conn.execute(
        consultation_members.delete().where(consultation_members.c.consultation_id == consultation_id)
    )
    for choice in choices:
        conn.execute(
            consultation_members.insert().values(
                consultation_id=consultation_id,
                expert_id=choice.expert_id,
                side=choice.side,
                role=choice.role,
            )
        )
    warnings = [str(f) for f in findings]
    _set(conn, actor, row, "panel", status=PANEL_SET, findings=warnings)
    record_change(
        conn,
        actor=actor,
        action="panel",
        entity="consultation_panel",
        entity_id=consultation_id,
        after=[{"expert_id": c.expert_id, "side": c.side, "role": c.role} for c in choices],
    )
    return findings


def _member_row(conn: Connection, consultation_id: int, expert_id: int) -> sa.Row:
    row = conn.execute(
        sa.select(consultation_members).where(
            consultation_members.c.consultation_id == consultation_id,
            consultation_members.c.expert_id == expert_id,
        )
    ).first()
    if row is None:
        raise NotFound(f"编号为 {expert_id} 的专家不在该咨询论证的专家组中")
    return row


def _set_member(conn: Connection, actor: str, member: sa.Row, action: str, **values: Any) -> None:
    conn.execute(consultation_members.update().where(consultation_members.c.id == member.id).values(**values))
    record_change(
        conn,
        actor=actor,
        action=action,
        entity="consultation_member",
        entity_id=member.id,
        before={k: getattr(member, k) for k in values},
        after=values,
    )


def record_opinion(
    conn: Connection,
    actor: str,
    consultation_id: int,
    expert_id: int,
    *,
    opinion: str,
    signed: bool,
    pledge_signed: bool,
    submitted_on: date,
) -> None:
    """Record an expert's written opinion: signed (署名) and with the integrity pledge (诚信承诺书).

    Raises:
        RuleViolation: the opinion is not signed or the pledge not ticked.
        InvalidTransition: the panel is not confirmed, or the report has gone.
    """
    row = consultation_row(conn, consultation_id)
    _require_status(row, (PANEL_SET, COLLECTING), "录入专家意见")
    if not opinion.strip():
        raise InvalidInput("请填写专家意见")
    rules = ruleset(conn)
    missing = [
        rules[name] for name, given in (("pledge", pledge_signed), ("signed_opinion", signed)) if not given
    ]
    if missing:
        raise _violation(
            [
                Finding(
                    r.rule,
                    r.citation,
                    "专家意见缺少" + ("诚信承诺书" if r.rule == "pledge" else "署名"),
                    r.statement,
                )
                for r in missing
            ]
        )
    member = _member_row(conn, consultation_id, expert_id)
    _set_member(
        conn,
        actor,
        member,
        "opinion",
        opinion=opinion.strip(),
        signed=True,
        pledge_signed=True,
        submitted_on=submitted_on,
    )
    if row.status != COLLECTING:
        _set(conn, actor, row, "collect", status=COLLECTING)


def record_adoption(
    conn: Connection, actor: str, consultation_id: int, expert_id: int, *, adoption: str, reason: str = ""
) -> None:
    """Record whether an opinion is adopted; not adopting (in full) needs the reason.

    Raises:
        RuleViolation: 未采纳 or 部分采纳 without a reason.
        InvalidTransition: the expert has given no opinion yet.
    """
    row = consultation_row(conn, consultation_id)
    _require_status(row, (COLLECTING,), "记录采纳情况")
    if adoption not in ADOPTIONS:
        raise InvalidInput(f"采纳情况应为{'、'.join(ADOPTIONS)}之一")
    member = _member_row(conn, consultation_id, expert_id)
    if member.submitted_on is None:
        raise InvalidTransition("该专家尚未提交意见")
    if adoption != "采纳" and not reason.strip():
        rule = ruleset(conn)["adoption_reason"]
        raise _violation([Finding(rule.rule, rule.citation, f"意见{adoption}但未说明理由", rule.statement)])
    _set_member(conn, actor, member, "adopt", adoption=adoption, adoption_reason=reason.strip() or None)


def record_feedback(
    conn: Connection, actor: str, consultation_id: int, expert_id: int, *, feedback_on: date, note: str = ""
) -> None:
    """Record that the adoption (and its reason) was fed back to the expert (反馈).

    Raises:
        InvalidTransition: the adoption of the expert's opinion is not recorded yet.
    """
    row = consultation_row(conn, consultation_id)
    _require_status(row, (COLLECTING,), "记录反馈")
    member = _member_row(conn, consultation_id, expert_id)
    if member.adoption is None:
        raise InvalidTransition("请先记录该意见的采纳情况，再反馈给专家")
    _set_member(conn, actor, member, "feedback", feedback_on=feedback_on, feedback_note=note.strip() or None)


def missing_before_report(conn: Connection, consultation_id: int) -> list[str]:
    """What still stops the report: opinions, adoptions or feedback not recorded, by expert."""
    missing = []
    for m in members(conn, consultation_id):
        if m["submitted_on"] is None:
            missing.append(f"{m['name']}未提交意见")
        elif m["adoption"] is None:
            missing.append(f"{m['name']}的意见未记录采纳情况")
        elif m["feedback_on"] is None:
            missing.append(f"{m['name']}未收到采纳情况反馈")
    return missing


def report_consultation(
    conn: Connection, actor: str, consultation_id: int, *, summary: str, reported_on: date
) -> None:
    """Send the report with the decision (报送): every opinion in, adopted or explained, and fed back.

    Raises:
        RuleViolation: an opinion lacks its adoption or its feedback (the rule and article named).
        InvalidTransition: opinions are not being collected.
    """
    row = consultation_row(conn, consultation_id)
    _require_status(row, (COLLECTING,), "报送论证报告")
    missing = missing_before_report(conn, consultation_id)
    if missing:
        rule = ruleset(conn)["feedback"]
        raise _violation([Finding(rule.rule, rule.citation, "；".join(missing), rule.statement)])
    _set(conn, actor, row, "report", status=REPORTED, summary=summary.strip(), reported_on=reported_on)
    _expert_step(conn, actor, row.decision_id, DONE, reported_on)
    lead = department(conn, row.decision_id).names
    if lead:  # the report goes up with the decision: to the leader who covers the 承办单位 that day
        route_request(
            conn,
            actor,
            kind="审批",
            target=lead[0],
            subject=f"{row.topic}咨询论证报告及意见采纳情况",
            day=reported_on,
            consultation_id=consultation_id,
        )


def archive_consultation(
    conn: Connection, actor: str, consultation_id: int, *, archived_on: date, archive_number: str = ""
) -> None:
    """File the consultation (立卷归档) once it is reported.

    Raises:
        InvalidTransition: the report has not been sent.
    """
    row = consultation_row(conn, consultation_id)
    _require_status(row, (REPORTED,), "归档")
    _set(
        conn,
        actor,
        row,
        "archive",
        status=ARCHIVED,
        archived_on=archived_on,
        archive_number=archive_number.strip() or None,
    )


def publish_consultation(conn: Connection, actor: str, consultation_id: int, public: bool) -> None:
    """Publish a reported consultation on the public site (or withdraw it).

    Raises:
        InvalidTransition: the report has not been sent yet.
    """
    row = consultation_row(conn, consultation_id)
    if public:
        _require_status(row, (REPORTED, ARCHIVED), "公开")
    _set(conn, actor, row, "publish", is_public=public)

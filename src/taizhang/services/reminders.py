"""Reminder digests (提醒): one message per unit of what is overdue, due soon, missing or chased,
and of the parts handed to it (交办) and the leaders' 批示 on its tasks.

Overdue and due soon are told per part, by the one definition of late (``ledger.standing``) and
the lights of ``ledger.warnings``: a unit is told of its own part only, so a county whose part is
办结 is not chased for its neighbours, and a cooperating unit (no part) is not told it is late.
Units are the concrete ones: a task given to 各县(区) reminds each county. A part waiting for the
office (待审核) is not the unit's to act on and is left out. A chase (催办), a 交办 and a 批示 go into the
unit's next digest that is actually sent, and only once; a 催办 of one unit's part only to that unit.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import cn2an
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput
from ..ledger import cycles
from ..ledger.standing import LATE, part_standing
from ..ledger.status import CANCELLED, DONE, PENDING_REVIEW
from ..ledger.warnings import YELLOW, TaskFacts, warning
from ..settings import Settings
from ..storage.tables import (
    actions,
    assignments,
    change_log,
    documents,
    parts,
    reporting_cycles,
    reports,
    tasks,
    units,
)
from ..workdays import add_workdays
from .accounts import unit_emails
from .audit import record_change
from .campaign_clocks import clock_warnings
from .groups import group_members, stands_for
from .notifications import CHASE, HANDOVER, INSTRUCTION, KINDS, as_notice, concerns, notice_query
from .notify import DeliveryError, dingtalk_payload, post_json, send_email, wecom_payload

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digest:
    """What one unit is told in one reminder."""

    unit_id: int
    unit_name: str
    recipients: list[str] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)
    due_soon: list[dict[str, Any]] = field(default_factory=list)
    missing_reports: list[dict[str, Any]] = field(default_factory=list)
    chases: list[dict[str, Any]] = field(default_factory=list)
    assigned: list[dict[str, Any]] = field(default_factory=list)  # 交办: parts handed to the unit
    instructions: list[dict[str, Any]] = field(default_factory=list)  # 领导批示 on the unit's tasks
    as_of: date | None = None
    clocks: list[dict[str, Any]] = field(
        default_factory=list
    )  # campaign clocks late or due soon (备案, 现场检查)

    def is_empty(self) -> bool:
        """True when there is nothing to tell the unit."""
        return not (
            self.overdue
            or self.due_soon
            or self.missing_reports
            or self.chases
            or self.assigned
            or self.instructions
            or self.clocks
        )


# Who gets told ------------------------------------------------------------------------------

_OPEN = tasks.c.status.not_in([DONE, PENDING_REVIEW, CANCELLED])


def _concrete_units(conn: Connection) -> dict[int, dict[int, str]]:
    """task id → {concrete unit id: role}; groups are replaced by their members."""
    members = group_members(conn)
    result: dict[int, dict[int, str]] = {}
    # joined, not an IN list: a province's ledger has more open tasks than SQLite allows parameters
    rows = conn.execute(
        sa.select(assignments.c.task_id, assignments.c.unit_id, assignments.c.role)
        .select_from(assignments.join(tasks, tasks.c.id == assignments.c.task_id))
        .where(_OPEN)
        .order_by(assignments.c.task_id, assignments.c.position)
    )
    for task_id, unit_id, role in rows:
        for unit in stands_for(int(unit_id), members):
            result.setdefault(int(task_id), {}).setdefault(unit, role)
    return result


def _owing_units(roles: dict[int, str]) -> list[int]:
    """Units that owe periodic reports: lead and responsible, or everyone when neither is named."""
    owing = [u for u, role in roles.items() if role in ("lead", "responsible")]
    return owing or list(roles)


# What they are told -------------------------------------------------------------------------


def _open_tasks(conn: Connection) -> list[sa.Row]:
    query = (
        sa.select(
            tasks.c.id,
            tasks.c.title,
            tasks.c.status,
            tasks.c.deadline_kind,
            tasks.c.deadline_text,
            tasks.c.due_on,
            tasks.c.recurrence,
            tasks.c.document_id,
            documents.c.doc_number,
        )
        .select_from(tasks.join(documents, documents.c.id == tasks.c.document_id))
        .where(_OPEN)
        .order_by(tasks.c.due_on, tasks.c.id)
    )
    return conn.execute(query).all()


def _cycles(conn: Connection) -> tuple[dict[int, sa.Row], dict[int, sa.Row]]:
    """Reporting duties by task id and by document id (a task's own rule wins)."""
    by_task: dict[int, sa.Row] = {}
    by_document: dict[int, sa.Row] = {}
    for row in conn.execute(sa.select(reporting_cycles).order_by(reporting_cycles.c.id)):
        if not cycles.is_rule(row.rule):
            continue
        if row.task_id is not None:
            by_task.setdefault(int(row.task_id), row)
        elif row.document_id is not None:
            by_document.setdefault(int(row.document_id), row)
    return by_task, by_document


def _rule(duty: sa.Row | None, task: sa.Row) -> str | None:
    """The task's reporting rule: its reporting_cycles row, else a cycle in its own deadline."""
    if duty is not None:
        return str(duty.rule)
    return task.recurrence if cycles.is_rule(task.recurrence) else None


def _reported(conn: Connection, rules: dict[int, str]) -> dict[tuple[int, int], set[str]]:
    """(task id, unit id) → period labels reported; an unlabelled report counts for the period then open."""
    found: dict[tuple[int, int], set[str]] = {}
    if not rules:
        return found
    rows = conn.execute(
        sa.select(reports.c.task_id, reports.c.unit_id, reports.c.period, reports.c.submitted_on)
        .select_from(reports.join(tasks, tasks.c.id == reports.c.task_id))
        .where(_OPEN, reports.c.kind == "progress")
    )
    for task_id, unit_id, period, submitted_on in rows:
        rule = rules.get(int(task_id))
        if rule is None:
            continue
        label = period or cycles.current_period(rule, submitted_on).label
        found.setdefault((int(task_id), int(unit_id)), set()).add(label)
    return found


def _item(task: sa.Row, **extra: Any) -> dict[str, Any]:
    return {
        "task_id": int(task.id),
        "doc_number": task.doc_number,
        "title": task.title,
        "deadline_text": task.deadline_text,
        "due_on": task.due_on,
        "status": task.status,
        **extra,
    }


def _delivered(conn: Connection) -> set[tuple[int, int]]:
    """(unit id, action id) of every 催办, 交办 and 批示 already sent in a unit's digest."""
    sent: set[tuple[int, int]] = set()
    rows = conn.execute(
        sa.select(change_log.c.entity_id, change_log.c.after).where(change_log.c.action == "remind")
    )
    for unit_id, after in rows:
        if isinstance(after, dict):
            ids = [*after.get("chase_ids", []), *after.get("notice_ids", [])]
            sent.update((int(unit_id), int(i)) for i in ids)
    return sent


def _notices(conn: Connection) -> dict[int, list[dict[str, Any]]]:
    """task id → the 催办, 交办 and 批示 on open tasks, oldest first (sent or not: see ``_delivered``)."""
    query = notice_query(list(KINDS)).where(_OPEN).order_by(actions.c.id)
    found: dict[int, list[dict[str, Any]]] = {}
    for row in conn.execute(query):
        found.setdefault(int(row.task_id), []).append(as_notice(row))
    return found


_BUCKETS = {CHASE: "chases", HANDOVER: "assigned", INSTRUCTION: "instructions"}


@dataclass
class _Draft:
    overdue: list[dict[str, Any]] = field(default_factory=list)
    due_soon: list[dict[str, Any]] = field(default_factory=list)
    missing_reports: list[dict[str, Any]] = field(default_factory=list)
    chases: list[dict[str, Any]] = field(default_factory=list)
    assigned: list[dict[str, Any]] = field(default_factory=list)
    instructions: list[dict[str, Any]] = field(default_factory=list)
    clocks: list[dict[str, Any]] = field(default_factory=list)


def _part_lights(conn: Connection, as_of: date, warn_days: int) -> list[tuple[int, str, dict[str, Any]]]:
    """(unit id, overdue / due_soon, item) of each unit's own open part on ``as_of``."""
    horizon = add_workdays(as_of, warn_days)
    query = (
        sa.select(
            tasks.c.id,
            tasks.c.title,
            parts.c.status,
            tasks.c.status.label("task_status"),
            tasks.c.deadline_kind,
            tasks.c.deadline_text,
            tasks.c.due_on,
            documents.c.doc_number,
            parts.c.unit_id,
            parts.c.role,
            parts.c.done_at,
        )
        .select_from(
            parts.join(tasks, tasks.c.id == parts.c.task_id).join(
                documents, documents.c.id == tasks.c.document_id
            )
        )
        .where(
            tasks.c.status.not_in([DONE, CANCELLED]),
            parts.c.status.not_in([DONE, PENDING_REVIEW]),
            tasks.c.due_on.is_not(None),
            tasks.c.due_on <= horizon,
        )  # no need to count days to a distant date
        .order_by(tasks.c.due_on, tasks.c.id, parts.c.id)
    )
    found: list[tuple[int, str, dict[str, Any]]] = []
    for row in conn.execute(query):
        light = warning(TaskFacts(row.status, row.deadline_kind, row.due_on), as_of, warn_days)
        extra = {"role": row.role, "reason": light.reason}
        if (
            part_standing(row.status, row.task_status, row.deadline_kind, row.due_on, row.done_at, as_of)
            == LATE
        ):
            found.append((int(row.unit_id), "overdue", _item(row, overdue_days=light.overdue_days, **extra)))
        elif light.colour == YELLOW:
            found.append(
                (int(row.unit_id), "due_soon", _item(row, workdays_left=light.workdays_left, **extra))
            )
    return found


def build_digests(conn: Connection, *, as_of: date, warn_days: int) -> list[Digest]:
    """One digest per unit with something to say on ``as_of`` (units with nothing are skipped)."""
    open_tasks = _open_tasks(conn)
    unit_roles = _concrete_units(conn)
    by_task, by_document = _cycles(conn)
    duty = {int(t.id): by_task.get(int(t.id)) or by_document.get(int(t.document_id)) for t in open_tasks}
    rules = {int(t.id): _rule(duty[int(t.id)], t) for t in open_tasks}
    rules = {i: r for i, r in rules.items() if r}
    reported = _reported(conn, rules)
    notices = _notices(conn)
    sent = _delivered(conn)
    drafts: dict[int, _Draft] = {}
    for unit_id, bucket, item in _part_lights(conn, as_of, warn_days):
        getattr(drafts.setdefault(unit_id, _Draft()), bucket).append(item)
    for clock in clock_warnings(conn, as_of, soon_days=warn_days):
        if clock["unit_id"] is not None:  # the object's 属地 county answers for its clocks
            drafts.setdefault(int(clock["unit_id"]), _Draft()).clocks.append(clock)
    for task in open_tasks:
        roles = unit_roles.get(int(task.id), {})
        for unit_id in roles:
            for notice in notices.get(int(task.id), []):
                if (
                    concerns(notice["unit_id"], notice["kind"], {unit_id})
                    and (unit_id, notice["action_id"]) not in sent
                ):
                    bucket = getattr(drafts.setdefault(unit_id, _Draft()), _BUCKETS[notice["kind"]])
                    bucket.append(_item(task, **notice))
        rule = rules.get(int(task.id))
        if rule:
            start = duty[int(task.id)].starts_on if duty[int(task.id)] is not None else None
            for unit_id in _owing_units(roles):
                facts = TaskFacts(task.status, task.deadline_kind, None, rule, start)
                light = warning(facts, as_of, warn_days, reported.get((int(task.id), unit_id), set()))
                if light.missing_periods:
                    drafts.setdefault(unit_id, _Draft()).missing_reports.append(
                        _item(task, periods=list(light.missing_periods), rule=rule, reason=light.reason)
                    )
    return _digests(conn, drafts, as_of)


def _digests(conn: Connection, drafts: dict[int, _Draft], as_of: date) -> list[Digest]:
    names = dict(conn.execute(sa.select(units.c.id, units.c.name)).all())
    out = []
    for unit_id in sorted(drafts, key=lambda u: names.get(u, "")):
        draft = drafts[unit_id]
        digest = Digest(
            unit_id=unit_id,
            unit_name=names.get(unit_id, str(unit_id)),
            recipients=unit_emails(conn, unit_id),
            as_of=as_of,
            **asdict(draft),
        )
        if not digest.is_empty():
            out.append(digest)
    return out


def record_sent(conn: Connection, digests: list[Digest], *, actor: str = "system") -> None:
    """Log each sent digest in the change log; its chases will not be sent again."""
    for d in digests:
        record_change(
            conn,
            actor=actor,
            action="remind",
            entity="unit",
            entity_id=d.unit_id,
            before=None,
            after={
                "as_of": d.as_of,
                "overdue": len(d.overdue),
                "due_soon": len(d.due_soon),
                "missing_reports": len(d.missing_reports),
                "chase_ids": [c["action_id"] for c in d.chases],
                "notice_ids": [n["action_id"] for n in (*d.assigned, *d.instructions)],
                "clocks": len(d.clocks),
            },
        )


# Rendering ------------------------------------------------------------------------------------


def _day(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value or "")


TITLE_CHARS = 80  # a reminder names the task; the task page has the whole text


def _title(text: str) -> str:
    """One line (imported titles keep the gazette's line breaks), cut to TITLE_CHARS."""
    flat = "".join(part.strip() for part in (text or "").splitlines())
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


def _line(item: dict[str, Any], tail: str) -> str:
    doc = f"{item['doc_number']} " if item.get("doc_number") else ""
    return f"{doc}{_title(item['title'])}（{tail}）"


def _sections(d: Digest) -> list[tuple[str, list[str]]]:
    """(heading, lines) for each non-empty part of the digest."""
    parts = [
        ("已逾期", "项", [_line(i, f"截止{_day(i['due_on'])}，{i['reason']}") for i in d.overdue]),
        ("即将到期", "项", [_line(i, f"截止{_day(i['due_on'])}，{i['reason']}") for i in d.due_soon]),
        ("进展未报送", "项", [_line(i, f"未报送期次：{'、'.join(i['periods'])}") for i in d.missing_reports]),
        ("督查室催办", "条", [_line(i, f"{i['who']}催办：{i['message']}") for i in d.chases]),
        (
            "新交办任务",
            "项",
            [
                _line(
                    i,
                    f"{i['who']}交办：{i['message']}，完成时限：{i['deadline_text'] or _day(i['due_on']) or '无'}",
                )
                for i in d.assigned
            ],
        ),
        ("领导批示", "条", [_line(i, f"批示：{i['message']}") for i in d.instructions]),
        ("检查对象计时", "项", [_line(i, f"应于{_day(i['due_on'])}前完成，{i['reason']}") for i in d.clocks]),
    ]
    return [(f"{title}（{len(lines)}{measure}）", lines) for title, measure, lines in parts if lines]


def _counts(d: Digest) -> str:
    parts = [
        ("逾期", d.overdue, "项"),
        ("即将到期", d.due_soon, "项"),
        ("未报送", d.missing_reports, "项"),
        ("催办", d.chases, "条"),
        ("新交办", d.assigned, "项"),
        ("批示", d.instructions, "条"),
        ("计时", d.clocks, "项"),
    ]
    return "，".join(f"{name}{len(items)}{measure}" for name, items, measure in parts if items)


def render_digest(d: Digest) -> tuple[str, str]:
    """The subject and the plain text of a digest, in Chinese."""
    as_of = f"截至{_day(d.as_of)}" if d.as_of else "目前"
    subject = f"【台账提醒】{_title(d.unit_name)}：{_counts(d)}"  # one line: it becomes a mail header
    lines = [f"{d.unit_name}：", "", f"{as_of}，贵单位有以下督办事项需要关注："]
    for n, (heading, items) in enumerate(_sections(d), start=1):
        lines += ["", f"{cn2an.an2cn(n)}、{heading}"]
        lines += [f"{k}. {text}" for k, text in enumerate(items, start=1)]
    lines += ["", "请登录台账系统及时报送进展或说明情况。"]
    return subject, "\n".join(lines)


def render_markdown(d: Digest) -> tuple[str, str]:
    """The title and a markdown body for the DingTalk and WeCom robots."""
    subject, _ = render_digest(d)
    as_of = f"截至{_day(d.as_of)}" if d.as_of else "目前"
    lines = [f"### {subject}", f"{as_of}，{d.unit_name}有以下督办事项需要关注："]
    for n, (heading, items) in enumerate(_sections(d), start=1):
        lines += [f"#### {cn2an.an2cn(n)}、{heading}"] + [f"- {text}" for text in items]
    return subject, "\n\n".join(lines)


def plain_payload(d: Digest) -> dict[str, Any]:
    """The digest as plain JSON for a generic webhook: the data plus the rendered text."""
    subject, text = render_digest(d)
    return {
        "unit": d.unit_name,
        "unit_id": d.unit_id,
        "as_of": _day(d.as_of),
        "subject": subject,
        "text": text,
        "recipients": d.recipients,
        "overdue": d.overdue,
        "due_soon": d.due_soon,
        "missing_reports": d.missing_reports,
        "chases": d.chases,
        "assigned": d.assigned,
        "instructions": d.instructions,
        "clocks": d.clocks,
    }


# Sending --------------------------------------------------------------------------------------


def _channels(settings: Settings) -> list[tuple[str, str]]:
    named = [
        ("webhook", settings.webhook_url),
        ("dingtalk", settings.dingtalk_webhook_url),
        ("wecom", settings.wecom_webhook_url),
    ]
    return [(name, url) for name, url in named if url]


def deliverable(d: Digest, settings: Settings) -> bool:
    """True when sending ``d`` with ``settings`` reaches someone (an e-mail address or a webhook)."""
    return bool(settings.smtp_host and d.recipients) or bool(_channels(settings))


# 发送渠道 as users read them
CHANNEL_NAMES = {"webhook": "Webhook", "dingtalk": "钉钉机器人", "wecom": "企业微信机器人"}


def _deliver(d: Digest, settings: Settings) -> list[str]:
    done: list[str] = []
    subject, text = render_digest(d)
    if settings.smtp_host and d.recipients:
        send_email(settings, d.recipients, subject, text)
        done.append(f"已发邮件给{d.unit_name}（{'、'.join(d.recipients)}）：{subject}")
    title, markdown = render_markdown(d)
    payloads = {
        "webhook": plain_payload(d),
        "dingtalk": dingtalk_payload(title, markdown),
        "wecom": wecom_payload(markdown),
    }
    for name, url in _channels(settings):
        post_json(url, payloads[name], channel=CHANNEL_NAMES[name])
        done.append(f"已通过{CHANNEL_NAMES[name]}发送{d.unit_name}的提醒：{subject}")
    return done


def send_digests(digests: list[Digest], settings: Settings, *, dry_run: bool) -> list[str]:
    """Send each digest by e-mail (to the unit's users) and the configured webhooks.

    Returns one line per delivery; ``dry_run`` returns the rendered messages and sends nothing.
    Raises DeliveryError listing every failed delivery after trying all of them (its
    ``delivered`` holds the digests that went out), and InvalidInput when nothing is configured.
    """
    if dry_run:
        return [_preview(d) for d in digests]
    if digests and not settings.smtp_host and not _channels(settings):
        raise InvalidInput("未配置发送方式：请设置 TAIZHANG_SMTP_HOST 或一个 webhook 地址，或使用 --dry-run")
    lines: list[str] = []
    failures: list[str] = []
    delivered: list[Digest] = []
    for d in digests:
        try:
            done = _deliver(d, settings)
        except DeliveryError as exc:
            log.warning("reminder for %s not delivered: %s", d.unit_name, exc)
            failures.append(f"{d.unit_name}：{exc}")
            continue
        if done:
            delivered.append(d)
        lines += done or [f"跳过{d.unit_name}：没有邮箱，也没有 webhook"]
    if failures:
        raise DeliveryError("未送达：" + "；".join(failures), lines=lines, delivered=delivered)
    return lines


def _preview(d: Digest) -> str:
    subject, text = render_digest(d)
    to = ", ".join(d.recipients) or "(no e-mail address)"
    return f"To: {to}\nSubject: {subject}\n\n{text}\n"

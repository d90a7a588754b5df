"""Task status rules: which action moves a task from which status to which.

Statuses (状态): 未开始 (not started), 推进中 (in progress), 待审核 (completion asked, waiting for
the office), 已完成 (办结, approved), 长期坚持 (ongoing work that never closes), 已撤销 (cancelled
by the office with a reason: no action applies to it any more).
"""

from __future__ import annotations

from ..errors import InvalidTransition

NOT_STARTED = "未开始"
IN_PROGRESS = "推进中"
PENDING_REVIEW = "待审核"
DONE = "已完成"
ONGOING = "长期坚持"
CANCELLED = "已撤销"

STATUSES = (NOT_STARTED, IN_PROGRESS, PENDING_REVIEW, DONE, ONGOING, CANCELLED)
CLOSED = frozenset({DONE, CANCELLED})  # nothing left to chase or count as late

ACTIONS = ("report", "request_completion", "approve", "return", "reopen", "extend", "cancel")

# "立行立改,长期坚持" has no end: the task starts and stays 长期坚持.
ONGOING_KINDS = frozenset({"ongoing"})
# "2022年4月底前完成并长期坚持": once the dated part is approved the task carries on as 长期坚持.
DATED_THEN_ONGOING_KINDS = frozenset({"date+ongoing"})

_VERBS = {
    "report": "报送进展",
    "request_completion": "申请办结",
    "approve": "办结",
    "return": "退回",
    "reopen": "重开",
    "extend": "延期",
    "cancel": "撤销",
}

_WHY_NOT = {
    "report": "请先重开再报送",
    "request_completion": "只有未开始或推进中的任务可以申请办结",
    "approve": "尚未申请办结",
    "return": "尚未申请办结",
    "reopen": "只有已完成的任务可以重开",
    "extend": "已完成的任务没有可延的期限",
    "cancel": "只有尚未办结的任务可以撤销",
}


def initial_status(deadline_kind: str | None) -> str:
    """The status a newly imported task starts in: 长期坚持 for ongoing work, else 未开始."""
    return ONGOING if deadline_kind in ONGOING_KINDS else NOT_STARTED


def _after_report(current: str) -> str | None:
    if current in (NOT_STARTED, IN_PROGRESS):
        return IN_PROGRESS
    if current in (PENDING_REVIEW, ONGOING):
        return current  # a report does not withdraw a completion request, nor end ongoing work
    return None


def _after_approve(current: str, deadline_kind: str | None) -> str | None:
    if current != PENDING_REVIEW:
        return None
    return ONGOING if deadline_kind in DATED_THEN_ONGOING_KINDS else DONE


def next_status(current: str, action: str, deadline_kind: str | None = None) -> str:
    """The status after ``action`` on a task that is ``current``.

    Raises InvalidTransition when the rules forbid it, naming the action and the status.
    """
    if current not in STATUSES:
        raise InvalidTransition(f"未知的状态 {current!r}")
    if action not in ACTIONS:
        raise InvalidTransition(f"未知的操作 {action!r}")
    result: str | None
    if current == CANCELLED:
        result = None
    elif action == "cancel":
        result = None if current == DONE else CANCELLED
    elif action == "report":
        result = _after_report(current)
    elif action == "request_completion":
        result = PENDING_REVIEW if current in (NOT_STARTED, IN_PROGRESS) else None
    elif action == "approve":
        result = _after_approve(current, deadline_kind)
    elif action == "return":
        result = IN_PROGRESS if current == PENDING_REVIEW else None
    elif action == "reopen":
        result = IN_PROGRESS if current == DONE else None
    else:  # extend: the deadline moves, the status does not
        result = None if current == DONE else current
    if result is None:
        why = f"任务已撤销，不能再{_VERBS[action]}" if current == CANCELLED else _WHY_NOT[action]
        raise InvalidTransition(f"任务状态为{current}，不能{_VERBS[action]}：{why}")
    return result


def is_open(status: str) -> bool:
    """True for tasks that still have work or a deadline to watch (not 已完成, not 已撤销)."""
    return status not in CLOSED

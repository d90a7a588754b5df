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

_VERBS = {"report": "报送进展", "request_completion": "申请办结", "approve": "办结", "return": "退回",
          "reopen": "重开", "extend": "延期", "cancel": "撤销"}

_WHY_NOT = {
    "report": "reopen it before reporting",
    "request_completion": "completion can be requested only for a task that is 未开始 or 推进中",
    "approve": "no completion was requested",
    "return": "no completion was requested",
    "reopen": "only a completed (已完成) task can be reopened",
    "extend": "a completed task has no deadline to extend",
    "cancel": "only a task that is not closed can be cancelled",
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
        raise InvalidTransition(f"unknown status {current!r}")
    if action not in ACTIONS:
        raise InvalidTransition(f"unknown action {action!r}")
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
        verb = action.replace("_", " ")
        why = f"任务已撤销，不能再{_VERBS[action]}" if current == CANCELLED else _WHY_NOT[action]
        raise InvalidTransition(f"cannot {verb} a task that is {current}: {why}")
    return result


def is_open(status: str) -> bool:
    """True for tasks that still have work or a deadline to watch (not 已完成, not 已撤销)."""
    return status not in CLOSED

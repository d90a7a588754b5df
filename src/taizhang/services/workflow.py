"""The task workflow: progress reports, completion and extension requests, office decisions,
chasing (催办), review corrections, split and merge, and the task timeline.

Every function runs inside the caller's unit of work, checks permissions with
``ledger.permissions``, moves status with ``ledger.status`` and records each change with
``services.audit.record_change`` (actor = the user's name).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from .accounts import UserInfo


@dataclass(frozen=True)
class Upload:
    """A file attached to a progress report (证明材料)."""

    filename: str
    content_type: str | None
    data: bytes


def task_unit_ids(conn: Connection, task_id: int) -> frozenset[int]:
    """Assigned unit ids plus the members of assigned groups (中宁县 acts on a 各县(区) task)."""
    raise NotImplementedError


def submit_report(
    conn: Connection, actor: UserInfo, task_id: int, *, practice: str, results: str, problems: str,
    next_steps: str, percent: int, today: date, period: str | None = None,
    uploads: Sequence[Upload] = (), upload_dir: Path,
) -> int:
    """Store a progress report (主要做法, 成效, 存在问题, 下步打算) with its files; returns its id."""
    raise NotImplementedError


def request_completion(conn: Connection, actor: UserInfo, task_id: int, *, note: str, today: date) -> int:
    """A unit asks the office to close the task (申请办结); returns the request's report id."""
    raise NotImplementedError


def request_extension(
    conn: Connection, actor: UserInfo, task_id: int, *, requested_due: date, reason: str, today: date
) -> int:
    """A unit asks for a later deadline (申请延期); returns the request's report id."""
    raise NotImplementedError


def approve_completion(conn: Connection, actor: UserInfo, task_id: int, *, note: str = "", today: date) -> None:
    """The office approves a completion request (办结)."""
    raise NotImplementedError


def return_task(conn: Connection, actor: UserInfo, task_id: int, *, reason: str, today: date) -> None:
    """The office returns a completion request with a reason (退回)."""
    raise NotImplementedError


def decide_extension(
    conn: Connection, actor: UserInfo, report_id: int, *, approve: bool, reason: str, today: date
) -> None:
    """The office grants (due date moves) or refuses an extension request."""
    raise NotImplementedError


def reopen(conn: Connection, actor: UserInfo, task_id: int, *, reason: str, today: date) -> None:
    """The office reopens a completed task (重开)."""
    raise NotImplementedError


def chase(conn: Connection, actor: UserInfo, task_id: int, *, message: str, today: date) -> int:
    """The office chases the task's units (催办); the message also goes into their next digest."""
    raise NotImplementedError


def update_task(
    conn: Connection, actor: UserInfo, task_id: int, *, title: str | None = None,
    lead: Sequence[str] | None = None, responsible: Sequence[str] | None = None,
    cooperating: Sequence[str] | None = None, deadline_text: str | None = None,
    due_on: date | None = None, deadline_kind: str | None = None, is_public: bool | None = None,
    mark_reviewed: bool = False,
) -> None:
    """Office review corrections; None leaves a field as it is, a unit list replaces that role."""
    raise NotImplementedError


def split_task(conn: Connection, actor: UserInfo, task_id: int, titles: Sequence[str]) -> list[int]:
    """Split one task into several (the first title stays on the original); returns their ids."""
    raise NotImplementedError


def merge_tasks(conn: Connection, actor: UserInfo, task_ids: Sequence[int]) -> int:
    """Merge tasks into the first one (reports, actions and units move to it); returns its id."""
    raise NotImplementedError


def timeline(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """Reports (with attachments), actions and change-log entries of a task, oldest first."""
    raise NotImplementedError

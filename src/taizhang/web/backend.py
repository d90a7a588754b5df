"""The one place the web app gets its services from.

Routes import services from here, so the web depends on one list of modules. ``review`` is the
workflow service: corrections, splits and merges are workflow actions of the office.
"""

from __future__ import annotations

from ..services import (
    accounts,
    attachments,
    dashboard,
    deployment,
    intake,
    notice_reads,
    notifications,
    parts,
    queries,
    standing,
    task_json,
    user_info,
    workflow,
)

review = workflow

__all__ = [
    "accounts",
    "attachments",
    "dashboard",
    "deployment",
    "intake",
    "notice_reads",
    "notifications",
    "parts",
    "queries",
    "review",
    "standing",
    "task_json",
    "user_info",
    "workflow",
]

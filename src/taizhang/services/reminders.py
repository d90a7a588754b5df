"""Reminder digests (提醒): one message per unit of what is overdue, due soon, missing or chased."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.engine import Connection

from ..settings import Settings


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


def build_digests(conn: Connection, *, as_of: date, warn_days: int) -> list[Digest]:
    """One digest per unit with something to say on ``as_of`` (units with nothing are skipped)."""
    raise NotImplementedError


def render_digest(digest: Digest, *, as_of: date | None = None) -> tuple[str, str]:
    """The subject and the text of a digest, in Chinese."""
    raise NotImplementedError


def send_digests(digests: list[Digest], settings: Settings, *, dry_run: bool) -> list[str]:
    """Send each digest by e-mail and the configured webhooks; returns one line per delivery."""
    raise NotImplementedError

"""A user as the services see one (用户): what every service that acts for someone takes.

It sits below accounts, units and parts so that any of them can name the acting user without
importing the account code that loads one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UserInfo:
    """A user as the rest of the system sees it (never the row, never the hashes)."""

    id: int
    name: str
    role: str  # office|unit|leader
    unit_id: int | None
    unit_name: str | None
    unit_ids: frozenset[int]  # the user's unit plus every group containing it (各县(区) for 中宁县)
    email: str | None = None
    active: bool = True
    session_version: int = 0  # sessions signed with another version have ended
    # a 督查组 account: its campaign group, that group's campaign and the county units it covers
    group_id: int | None = None
    group_campaign_id: int | None = None
    group_county_ids: frozenset[int] = frozenset()

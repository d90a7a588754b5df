"""Read state of a user's 通知 (notices): which of the 交办, 批示 and 催办 that concern the user's
units the user has opened.

A notice is a timeline action (``notifications``); what a user has read is kept per user: a mark
(``read_through``, an action id: every notice up to it is read, set by 全部标为已读) and single
reads above it (``notice_reads``). A notice belongs to the users of the units it concerns; nobody
else can see it in their list or mark it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..ledger import permissions as perm
from ..storage.tables import actions, notice_marks, notice_reads
from .audit import record_change
from .notifications import KINDS, as_notice, concerns, notice_query, notices_for_units, task_units
from .user_info import UserInfo

UNREAD_SHOWN = 99  # the menu says 99+ beyond this: counting further costs a scan for nothing
LISTED = 50  # notices on the 通知 page and in GET /api/notifications


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def read_through(conn: Connection, user_id: int) -> int:
    """The id up to which every notice is read (0 before the first 全部标为已读)."""
    mark = conn.execute(
        sa.select(notice_marks.c.read_through).where(notice_marks.c.user_id == user_id)
    ).scalar()
    return int(mark or 0)


def _read_ids(conn: Connection, user_id: int, above: int) -> set[int]:
    query = sa.select(notice_reads.c.action_id).where(
        notice_reads.c.user_id == user_id, notice_reads.c.action_id > above
    )
    return {int(a) for a in conn.execute(query).scalars()}


def notices_for_user(conn: Connection, user: UserInfo, *, limit: int = LISTED) -> list[dict[str, Any]]:
    """The user's notices, newest first, each with ``read`` (False until opened or marked)."""
    found = notices_for_units(conn, user.unit_ids, limit=limit)
    mark = read_through(conn, user.id)
    read = _read_ids(conn, user.id, mark)
    return [{**n, "read": n["action_id"] <= mark or n["action_id"] in read} for n in found]


def unread_count(conn: Connection, user: UserInfo, *, most: int = UNREAD_SHOWN + 1) -> int:
    """How many of the user's notices are unread, counted up to ``most``."""
    if not user.unit_ids:
        return 0
    mark = read_through(conn, user.id)
    read = _read_ids(conn, user.id, mark)
    newer = notices_for_units(conn, user.unit_ids, limit=most + len(read), above=mark)
    return min(most, sum(1 for notice in newer if notice["action_id"] not in read))


def notice_of(conn: Connection, user: UserInfo, action_id: int) -> dict[str, Any]:
    """The notice ``action_id`` if it is one of the user's (NotFound: no such notice; PermissionDenied:
    it concerns other units)."""
    row = conn.execute(notice_query(list(KINDS)).where(actions.c.id == action_id)).first()
    if row is None:
        raise NotFound(f"没有编号为 {action_id} 的通知")
    addressed = {int(row.unit_id)} if row.unit_id is not None else task_units(conn, int(row.task_id))
    mine = perm.can_read_notice(user, addressed) and concerns(row.unit_id, row.kind, user.unit_ids)
    perm.require(mine, f"{user.name} 不能处理通知 {action_id}：它不是发给本单位的")
    return as_notice(row)


def mark_read(conn: Connection, user: UserInfo, action_id: int) -> dict[str, Any]:
    """The user opens notice ``action_id``: it is read from now on (once; again is a no-op). Returns it."""
    notice = notice_of(conn, user, action_id)
    if action_id > read_through(conn, user.id) and action_id not in _read_ids(conn, user.id, action_id - 1):
        conn.execute(notice_reads.insert().values(user_id=user.id, action_id=action_id, read_at=_now()))
        record_change(
            conn,
            actor=user.name,
            action="read",
            entity="notice",
            entity_id=action_id,
            after={"user_id": user.id, "action_id": action_id},
        )
    return {**notice, "read": True}


def mark_all_read(conn: Connection, user: UserInfo) -> int:
    """全部标为已读: every notice the user has now is read; returns how many were unread (counted up
    to ``UNREAD_SHOWN`` + 1)."""
    perm.require(perm.can_read_notice(user, user.unit_ids), f"{user.name} 没有通知：只有单位账户会收到通知")
    unread = unread_count(conn, user)
    newest = conn.execute(sa.select(sa.func.max(actions.c.id))).scalar()
    before = read_through(conn, user.id)
    if newest is None or int(newest) <= before:
        return 0
    values = {"read_through": int(newest), "marked_at": _now()}
    if (
        conn.execute(
            sa.update(notice_marks).where(notice_marks.c.user_id == user.id).values(**values)
        ).rowcount
        == 0
    ):
        conn.execute(notice_marks.insert().values(user_id=user.id, **values))
    conn.execute(
        notice_reads.delete().where(notice_reads.c.user_id == user.id, notice_reads.c.action_id <= newest)
    )
    record_change(
        conn,
        actor=user.name,
        action="read_all",
        entity="notice_mark",
        entity_id=user.id,
        before={"read_through": before},
        after={"read_through": int(newest), "unread": unread},
    )
    return unread

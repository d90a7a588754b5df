"""Read state of 通知: a unit user's notices start unread, opening one marks it read, 全部标为已读
marks them all; nobody marks another unit's notice."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.errors import NotFound, PermissionDenied
from taizhang.services import notice_reads, workflow
from taizhang.services.audit import history
from taizhang.services.database import unit_of_work

from .conftest import meeting_task

TODAY = date(2022, 7, 15)


def _mine(ledger, who: str) -> list[dict]:
    with ledger.engine.connect() as conn:
        return notice_reads.notices_for_user(conn, ledger.users[who])


def _unread(ledger, who: str) -> int:
    with ledger.engine.connect() as conn:
        return notice_reads.unread_count(conn, ledger.users[who])


def test_opening_a_notice_marks_it_read_once_and_logs_it(sqlite_ledger):
    task_id = meeting_task(sqlite_ledger, TODAY)
    with unit_of_work(sqlite_ledger.engine) as conn:
        workflow.chase(conn, sqlite_ledger.users["office"], task_id, message="请抓紧", today=TODAY)
    health = _mine(sqlite_ledger, "health")
    assert [(n["kind"], n["read"]) for n in health] == [("催办", False), ("交办", False)]
    assert _unread(sqlite_ledger, "health") == 2
    handed = health[1]["action_id"]
    for _ in range(2):  # opening it again changes nothing
        with unit_of_work(sqlite_ledger.engine) as conn:
            assert notice_reads.mark_read(conn, sqlite_ledger.users["health"], handed)["read"] is True
    assert [(n["kind"], n["read"]) for n in _mine(sqlite_ledger, "health")] == [
        ("催办", False),
        ("交办", True),
    ]
    assert _unread(sqlite_ledger, "health") == 1
    assert (
        _unread(sqlite_ledger, "zhongning") == 2
    )  # its own 交办 and the 催办: another user's reads are not its
    with sqlite_ledger.engine.connect() as conn:
        assert [h["actor"] for h in history(conn, "notice", handed)] == ["wjw"]


def test_mark_all_read_covers_what_is_there_and_not_what_comes_later(sqlite_ledger):
    task_id = meeting_task(sqlite_ledger, TODAY)
    with unit_of_work(sqlite_ledger.engine) as conn:
        assert notice_reads.mark_all_read(conn, sqlite_ledger.users["zhongning"]) == 1
    assert _unread(sqlite_ledger, "zhongning") == 0 and all(
        n["read"] for n in _mine(sqlite_ledger, "zhongning")
    )
    with unit_of_work(sqlite_ledger.engine) as conn:
        workflow.chase(conn, sqlite_ledger.users["office"], task_id, message="请抓紧", today=TODAY)
    assert [(n["kind"], n["read"]) for n in _mine(sqlite_ledger, "zhongning")] == [
        ("催办", False),
        ("交办", True),
    ]
    with unit_of_work(sqlite_ledger.engine) as conn:
        assert notice_reads.mark_all_read(conn, sqlite_ledger.users["zhongning"]) == 1
        assert notice_reads.mark_all_read(conn, sqlite_ledger.users["zhongning"]) == 0


def test_nobody_marks_a_notice_of_another_unit(sqlite_ledger):
    meeting_task(sqlite_ledger, TODAY)
    handed = next(n["action_id"] for n in _mine(sqlite_ledger, "health") if n["kind"] == "交办")
    for who in ("insurance", "zhongning", "office", "leader"):
        with pytest.raises(PermissionDenied), unit_of_work(sqlite_ledger.engine) as conn:
            notice_reads.mark_read(conn, sqlite_ledger.users[who], handed)
    with pytest.raises(NotFound), unit_of_work(sqlite_ledger.engine) as conn:
        notice_reads.mark_read(conn, sqlite_ledger.users["health"], 99999)
    for who in ("office", "leader"):
        with pytest.raises(PermissionDenied), unit_of_work(sqlite_ledger.engine) as conn:
            notice_reads.mark_all_read(conn, sqlite_ledger.users[who])
        assert _mine(sqlite_ledger, who) == [] and _unread(sqlite_ledger, who) == 0
    assert _unread(sqlite_ledger, "health") == 1

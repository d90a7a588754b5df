"""The office's administration: roles, one's own password, adding and merging units."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidInput, PermissionDenied
from taizhang.services import accounts, admin, escalation
from taizhang.services.audit import history
from taizhang.services.database import unit_of_work
from taizhang.services.units import resolve_unit
from taizhang.storage.tables import assignments, users

from .conftest import PASSWORD


def test_merging_a_unit_moves_its_tasks_users_and_escalations(sqlite_ledger):
    office = sqlite_ledger.users["office"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        admin.add_unit(conn, office, "市医疗保障局")
        escalation.escalate(
            conn,
            office,
            sqlite_ledger.tasks["insurance"],
            "市医保局",
            "催办",
            message="请抓紧",
            today=date(2022, 7, 1),
        )
        moved = admin.merge_units(conn, office, "市医疗保障局", "市医保局")
    assert (
        moved["assignments.unit_id"] == 3
        and moved["users.unit_id"] == 1
        and moved["escalations.unit_id"] == 1
    )
    with sqlite_ledger.engine.connect() as conn:
        kept = resolve_unit(conn, "市医疗保障局")
        assert resolve_unit(conn, "市医保局") == kept  # the old name is an alias now
        ids = {
            r[0] for r in conn.execute(sa.select(assignments.c.task_id).where(assignments.c.unit_id == kept))
        }
        assert ids == {sqlite_ledger.tasks[k] for k in ("health", "ongoing", "insurance")}
        assert conn.execute(sa.select(users.c.unit_id).where(users.c.name == "ybj")).scalar() == kept
        assert [h["action"] for h in history(conn, "unit", kept)][-1] == "merge"


def test_a_unit_merged_into_one_holding_the_same_role_keeps_one_row(sqlite_ledger):
    office = sqlite_ledger.users["office"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        # health task: 市卫生健康委 lead, 市医保局 cooperating; ongoing: 医保局 lead, 卫健委 cooperating
        admin.merge_units(conn, office, "市卫生健康委", "市医保局")
        rows = conn.execute(
            sa.select(assignments.c.task_id, assignments.c.role).where(
                assignments.c.task_id == sqlite_ledger.tasks["health"]
            )
        ).all()
    assert sorted(r.role for r in rows) == ["cooperating", "lead"]


def test_refusals(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        with pytest.raises(InvalidInput, match="已在名录中"):
            admin.add_unit(conn, sqlite_ledger.users["office"], "市卫生健康委员会")
        with pytest.raises(InvalidInput, match="同一单位"):
            admin.merge_units(conn, sqlite_ledger.users["office"], "市卫生健康委", "市卫生健康委员会")
        with pytest.raises(PermissionDenied):
            admin.merge_units(conn, sqlite_ledger.users["health"], "市卫生健康委", "市医保局")
        with pytest.raises(PermissionDenied):
            admin.set_role(conn, sqlite_ledger.users["leader"], "wjw", "office", None)
        with pytest.raises(InvalidInput, match="所属单位"):
            admin.set_role(conn, sqlite_ledger.users["office"], "ld", "unit", None)


def test_roles_and_ones_own_password(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        admin.set_role(conn, sqlite_ledger.users["office"], "ld", "unit", "市医保局")
        assert accounts.get_user_by_name(conn, "ld").unit_name == "市医保局"
        me = sqlite_ledger.users["health"]
        with pytest.raises(InvalidInput, match="当前密码不正确"):
            admin.change_own_password(conn, me, "wrong password", "new password 1", "new password 1")
        with pytest.raises(InvalidInput, match="不一致"):
            admin.change_own_password(conn, me, PASSWORD, "new password 1", "new password 2")
        admin.change_own_password(conn, me, PASSWORD, "new password 1", "new password 1")
    user = accounts.authenticate(
        sqlite_ledger.engine, "wjw", "new password 1", client="test", now=datetime.now(UTC)
    )
    assert user.name == "wjw"

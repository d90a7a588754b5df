"""A group stands for the same units wherever it is used: parts, reminders, scoring, notices,
campaign scope, a county user's tasks and the ledger's unit filter all expand 各县(区) alike,
and a group inside a group (全市各单位 ⊃ 各县(区)) by the members of both."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from taizhang.services import campaign_scope, evaluation, notices, reminders
from taizhang.services import parts as parts_service
from taizhang.services import units as units_service
from taizhang.services.accounts import get_user
from taizhang.services.database import unit_of_work
from taizhang.services.groups import group_members, groups_containing
from taizhang.storage.tables import assignments, units

from .conftest import _task, _unit


def _names(conn, ids) -> set[str]:
    rows = conn.execute(sa.select(units.c.name).where(units.c.id.in_(list(ids))))
    return set(rows.scalars())


def _nested(ledger) -> int:
    """全市各单位 holds 各县(区) and 市医保局; a task goes to it; returns the task's id."""
    with unit_of_work(ledger.engine) as conn:
        _unit(conn, "全市各单位", "group")
        for member in ("各县(区)", "市医保局"):
            units_service.add_member(conn, "全市各单位", member, actor="office")
        outer = units_service.resolve_unit(conn, "全市各单位")
        task_id = _task(conn, 1, "t-all", "开展安全生产大检查", "date", date(2022, 5, 20), "未开始")
        conn.execute(
            assignments.insert().values(
                task_id=task_id, unit_id=outer, role="responsible", printed="全市各单位"
            )
        )
        parts_service.sync_parts(conn, task_id, actor="office")
    return task_id


EVERY_UNIT = {"沙坡头区", "中宁县", "海原县", "市医保局"}
COUNTIES = {"沙坡头区", "中宁县", "海原县"}


def test_a_group_expands_to_the_same_units_in_every_path(sqlite_ledger):
    ledger = sqlite_ledger
    with ledger.engine.connect() as conn:
        group = ledger.units["各县(区)"]
        task = ledger.tasks["counties"]
        assert _names(conn, group_members(conn, {group})[group]) == COUNTIES
        assert _names(conn, parts_service.wanted_parts(conn, task)) == COUNTIES
        assert _names(conn, reminders._concrete_units(conn)[task]) == COUNTIES
        assert _names(conn, evaluation._answering_units(conn)[task]) == COUNTIES
        assert _names(conn, notices._owing_units(conn, "各县（区）")) == COUNTIES
        assert set(campaign_scope.counties_named(conn, "各县(区)要按月报送进展")) == COUNTIES


def test_a_group_inside_a_group_expands_to_the_members_of_both_in_every_path(sqlite_ledger):
    ledger = sqlite_ledger
    task = _nested(ledger)
    with ledger.engine.connect() as conn:
        outer = units_service.resolve_unit(conn, "全市各单位")
        assert _names(conn, group_members(conn)[outer]) == EVERY_UNIT
        assert _names(conn, group_members(conn, {outer})[outer]) == EVERY_UNIT
        assert _names(conn, parts_service.wanted_parts(conn, task)) == EVERY_UNIT
        assert _names(conn, reminders._concrete_units(conn)[task]) == EVERY_UNIT
        assert _names(conn, evaluation._answering_units(conn)[task]) == EVERY_UNIT
        assert _names(conn, notices._owing_units(conn, "全市各单位")) == EVERY_UNIT
        assert set(campaign_scope.counties_named(conn, "全市各单位开展自查")) == COUNTIES


def test_a_county_belongs_to_every_group_that_holds_it_however_deep(sqlite_ledger):
    ledger = sqlite_ledger
    task = _nested(ledger)
    with ledger.engine.connect() as conn:
        county = ledger.units["中宁县"]
        holding = {"各县(区)", "全市各单位"}
        assert _names(conn, groups_containing(conn, {county})) == holding
        assert _names(conn, units_service.units_matching(conn, "中宁县")) == holding | {"中宁县"}
        user = get_user(conn, ledger.users["zhongning"].id)
        assert _names(conn, user.unit_ids) == holding | {"中宁县"}
    # the county user is given the nested group's task as its own part
    with ledger.engine.connect() as conn:
        assert parts_service.unit_part(conn, task, county) is not None


def test_a_member_added_to_an_inner_group_gains_a_part_of_the_outer_groups_task(sqlite_ledger):
    ledger = sqlite_ledger
    task = _nested(ledger)
    with unit_of_work(ledger.engine) as conn:
        _unit(conn, "工业园区管委会")
        units_service.add_member(conn, "各县(区)", "工业园区管委会", actor="office")
        park = units_service.resolve_unit(conn, "工业园区管委会")
    with ledger.engine.connect() as conn:
        assert parts_service.unit_part(conn, task, park) is not None
        assert parts_service.unit_part(conn, ledger.tasks["counties"], park) is not None


def test_groups_that_hold_each_other_end(sqlite_ledger):
    ledger = sqlite_ledger
    with unit_of_work(ledger.engine) as conn:
        _unit(conn, "全市各单位", "group")
        units_service.add_member(conn, "全市各单位", "各县(区)", actor="office")
        units_service.add_member(conn, "各县(区)", "全市各单位", actor="office")
    with ledger.engine.connect() as conn:
        group = ledger.units["各县(区)"]
        assert _names(conn, group_members(conn, {group})[group]) == COUNTIES
        user = get_user(conn, ledger.users["zhongning"].id)
        assert user.unit_name == "中宁县"
        assert user.unit_ids == groups_containing(conn, {ledger.units["中宁县"]}) | {ledger.units["中宁县"]}
        assert _names(conn, user.unit_ids) == {"中宁县", "各县(区)", "全市各单位"}

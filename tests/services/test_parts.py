"""Parts of shared tasks on a real database: each unit moves its own part, the task follows its parts."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidTransition, NotFound
from taizhang.services import notices, queries, standing
from taizhang.services import parts as parts_service
from taizhang.services import units as units_service
from taizhang.services import workflow as wf
from taizhang.services.accounts import add_user, get_user
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import actions, parts, reports, tasks, units

from .conftest import task_row

TODAY = date(2022, 5, 6)


def _parts(ledger, task: str) -> dict[str, tuple[str, int]]:
    with ledger.engine.connect() as conn:
        rows = conn.execute(
            sa.select(units.c.name, parts.c.status, parts.c.percent)
            .join(units, units.c.id == parts.c.unit_id)
            .where(parts.c.task_id == ledger.tasks[task])
        ).all()
    return {name: (status, percent) for name, status, percent in rows}


def _report(ledger, who, task: str, percent: int = 50) -> None:
    with unit_of_work(ledger.engine) as conn:
        wf.submit_report(
            conn,
            who,
            ledger.tasks[task],
            practice="召开推进会",
            results="",
            problems="",
            next_steps="",
            percent=percent,
            today=TODAY,
            upload_dir=ledger.engine_dir,
        )


@pytest.fixture
def shared(ledger, tmp_path):
    """The ledger with parts built, a user for 海原县, and the counties task led by 市卫生健康委 too."""
    ledger.engine_dir = tmp_path / "uploads"
    with unit_of_work(ledger.engine) as conn:
        parts_service.sync_all(conn)
        ledger.users["haiyuan"] = get_user(
            conn, add_user(conn, "hy", "correct horse battery", "unit", "海原县")
        )
    return ledger


def test_a_group_assignment_gives_one_part_per_member(shared):
    assert _parts(shared, "counties") == {
        "沙坡头区": ("未开始", 0),
        "中宁县": ("未开始", 0),
        "海原县": ("未开始", 0),
    }
    # cooperating units have no part; 长期坚持 work starts ongoing
    assert _parts(shared, "health") == {"市卫生健康委": ("未开始", 0)}
    assert _parts(shared, "ongoing") == {"市医保局": ("长期坚持", 0)}


def test_one_county_approved_leaves_the_task_open_for_the_others(shared):
    zn = shared.users["zhongning"]
    _report(shared, zn, "counties", 100)
    with unit_of_work(shared.engine) as conn:
        wf.request_completion(conn, zn, shared.tasks["counties"], note="已完成", today=TODAY)
    assert task_row(shared.engine, shared.tasks["counties"]).status == "推进中"  # one of three asked
    with unit_of_work(shared.engine) as conn:
        wf.approve_completion(
            conn,
            shared.users["office"],
            shared.tasks["counties"],
            note="同意",
            today=TODAY,
            unit=shared.units["中宁县"],
        )
    assert _parts(shared, "counties") == {
        "沙坡头区": ("未开始", 0),
        "中宁县": ("已完成", 100),
        "海原县": ("未开始", 0),
    }
    row = task_row(shared.engine, shared.tasks["counties"])
    assert (row.status, row.percent) == ("推进中", 33)
    with shared.engine.connect() as conn:
        decision = conn.execute(sa.select(reports.c.decision).where(reports.c.kind == "completion")).scalar()
        action_unit = conn.execute(sa.select(actions.c.unit_id).where(actions.c.kind == "办结")).scalar()
    assert decision == "approved" and action_unit == shared.units["中宁县"]


def test_the_task_is_done_when_every_part_is(shared):
    office = shared.users["office"]
    for who in ("zhongning", "haiyuan"):
        with unit_of_work(shared.engine) as conn:
            wf.request_completion(conn, shared.users[who], shared.tasks["counties"], note="完成", today=TODAY)
    with unit_of_work(shared.engine) as conn:  # without unit=: every part that asked
        wf.approve_completion(conn, office, shared.tasks["counties"], today=TODAY)
    assert task_row(shared.engine, shared.tasks["counties"]).status == "推进中"  # 沙坡头区 is still open
    with unit_of_work(shared.engine) as conn:
        add_user(conn, "spt", "correct horse battery", "unit", "沙坡头区")
        spt = get_user(conn, conn.execute(sa.text("select id from users where name = 'spt'")).scalar())
        wf.request_completion(conn, spt, shared.tasks["counties"], note="完成", today=TODAY)
    assert task_row(shared.engine, shared.tasks["counties"]).status == "待审核"
    with unit_of_work(shared.engine) as conn:
        wf.approve_completion(conn, office, shared.tasks["counties"], today=TODAY)
    assert (
        task_row(shared.engine, shared.tasks["counties"]).status,
        task_row(shared.engine, shared.tasks["counties"]).percent,
    ) == ("已完成", 100)
    with unit_of_work(shared.engine) as conn:  # reopening one county reopens the task
        wf.reopen(
            conn, office, shared.tasks["counties"], reason="复查", today=TODAY, unit=shared.units["海原县"]
        )
    assert _parts(shared, "counties")["海原县"][0] == "推进中"
    assert task_row(shared.engine, shared.tasks["counties"]).status == "推进中"


def test_with_a_lead_the_task_follows_the_lead(shared):
    office = shared.users["office"]
    with unit_of_work(shared.engine) as conn:
        wf.update_task(conn, office, shared.tasks["counties"], lead=["市卫生健康委"])
    assert set(_parts(shared, "counties")) == {"市卫生健康委", "沙坡头区", "中宁县", "海原县"}
    with unit_of_work(shared.engine) as conn:
        wf.request_completion(
            conn, shared.users["zhongning"], shared.tasks["counties"], note="完成", today=TODAY
        )
        wf.approve_completion(
            conn, office, shared.tasks["counties"], today=TODAY, unit=shared.units["中宁县"]
        )
    assert task_row(shared.engine, shared.tasks["counties"]).status == "未开始"  # the lead has not reported
    _report(shared, shared.users["health"], "counties", 80)
    assert task_row(shared.engine, shared.tasks["counties"]).percent == 80
    with unit_of_work(shared.engine) as conn:
        wf.request_completion(
            conn, shared.users["health"], shared.tasks["counties"], note="汇总完成", today=TODAY
        )
        wf.approve_completion(conn, office, shared.tasks["counties"], today=TODAY)
    assert task_row(shared.engine, shared.tasks["counties"]).status == "已完成"
    assert _parts(shared, "counties")["海原县"] == ("未开始", 0)  # never credited with the lead's work


def test_decisions_on_one_unit_need_that_units_part_in_that_state(shared):
    office, t = shared.users["office"], shared.tasks["counties"]
    with unit_of_work(shared.engine) as conn:
        wf.request_completion(conn, shared.users["zhongning"], t, note="完成", today=TODAY)
    with pytest.raises(InvalidTransition), unit_of_work(shared.engine) as conn:
        wf.approve_completion(conn, office, t, today=TODAY, unit=shared.units["海原县"])  # 海原县 did not ask
    with pytest.raises(NotFound), unit_of_work(shared.engine) as conn:
        wf.chase(conn, office, t, message="请报送", today=TODAY, unit=shared.units["市医保局"])
    with unit_of_work(shared.engine) as conn:
        wf.return_task(conn, office, t, reason="材料不全", today=TODAY, unit=shared.units["中宁县"])
        chase_id = wf.chase(conn, office, t, message="请报送", today=TODAY, unit=shared.units["海原县"])
    assert _parts(shared, "counties")["中宁县"][0] == "推进中"
    with shared.engine.connect() as conn:
        assert (
            conn.execute(sa.select(actions.c.unit_id).where(actions.c.id == chase_id)).scalar()
            == shared.units["海原县"]
        )


def test_a_cooperating_unit_cannot_ask_to_close_the_leads_work(shared):
    with pytest.raises(InvalidTransition), unit_of_work(shared.engine) as conn:
        wf.request_completion(conn, shared.users["health"], shared.tasks["ongoing"], note="完成", today=TODAY)


def test_a_new_member_of_a_group_gets_its_part(shared):
    with unit_of_work(shared.engine) as conn:
        conn.execute(units.insert().values(name="红寺堡区", kind="county", verified=True))
        units_service.add_member(conn, "各县(区)", "红寺堡区", actor="dcs")
    assert _parts(shared, "counties")["红寺堡区"] == ("未开始", 0)


def test_parts_follow_a_task_without_them_lazily(ledger, tmp_path):
    """A ledger written before parts existed: the first action on a task builds its parts."""
    ledger.engine_dir = tmp_path / "uploads"
    _report(ledger, ledger.users["zhongning"], "counties", 60)
    assert _parts(ledger, "counties")["中宁县"] == ("推进中", 60)
    with ledger.engine.connect() as conn:
        assert (
            conn.execute(sa.select(tasks.c.percent).where(tasks.c.id == ledger.tasks["counties"])).scalar()
            == 20
        )


def test_the_notice_credits_only_the_county_whose_part_was_approved(shared):
    """中宁县 asks for 办结 of a 各县(区) task and the office approves: the 通报 credits 中宁县 only,
    and the two other counties are late on their own parts once the day has passed."""
    t = shared.tasks["counties"]
    with unit_of_work(shared.engine) as conn:
        wf.request_completion(conn, shared.users["zhongning"], t, note="完成", today=TODAY)
        wf.approve_completion(conn, shared.users["office"], t, today=TODAY, unit=shared.units["中宁县"])
    after_due = date(2022, 5, 20)
    with shared.engine.connect() as conn:
        draft = notices.draft_progress_notice(conn, as_of=after_due)
        late_ids = {
            r["id"] for r in queries.list_tasks(conn, queries.TaskFilter(overdue_as_of=after_due)).items
        }
        mine = standing.unit_standing(conn, after_due)
    assert [(c.unit, c.count) for c in draft.completed_by_unit] == [("中宁县", 1)]
    assert {c.unit for c in draft.overdue_by_unit} >= {"沙坡头区", "海原县"}
    assert "中宁县" not in {c.unit for c in draft.overdue_by_unit}
    assert t in late_ids and mine["中宁县"].late == 0 and mine["海原县"].late == 1

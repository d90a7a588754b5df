"""What a unit is told: 交办 of a part to it, leaders' 批示 on its tasks, 催办 of its part, in the
unit portal's 通知 and in its next digest, once."""

from __future__ import annotations

from datetime import date

from taizhang.services import escalation, notifications, reminders, workflow
from taizhang.services.database import unit_of_work
from taizhang.services.queries import get_task

from .conftest import meeting_task

TODAY = date(2022, 7, 15)


def _digests(ledger, as_of=TODAY):
    with ledger.engine.connect() as conn:
        return {d.unit_name: d for d in reminders.build_digests(conn, as_of=as_of, warn_days=0)}


def _notices(ledger, *units: str):
    with ledger.engine.connect() as conn:
        return notifications.notices_for_units(conn, {ledger.units[u] for u in units})


def test_a_new_task_is_handed_to_each_unit_of_it_and_told_once(sqlite_ledger):
    task_id = meeting_task(sqlite_ledger, TODAY)
    with sqlite_ledger.engine.connect() as conn:
        handed = [(a["kind"], a["message"]) for a in get_task(conn, task_id)["actions"]]
    assert handed == [
        ("交办", "中宁县（责任单位）"),
        ("交办", "市卫生健康委（牵头单位）"),
        ("交办", "沙坡头区（责任单位）"),
        ("交办", "海原县（责任单位）"),
    ]
    digests = _digests(sqlite_ledger)
    health, county = digests["市卫生健康委"], digests["中宁县"]
    assert [(i["title"], i["message"]) for i in health.assigned] == [
        ("建立医联体运行评估机制", "市卫生健康委（牵头单位）")
    ]
    assert [i["message"] for i in county.assigned] == [
        "中宁县（责任单位）"
    ]  # its own part, not its neighbours'
    subject, text = reminders.render_digest(health)
    assert "新交办1项" in subject
    assert (
        "新交办任务（1项）" in text and "dcs交办：市卫生健康委（牵头单位），完成时限：2022年12月底前" in text
    )
    with unit_of_work(sqlite_ledger.engine) as conn:
        reminders.record_sent(conn, [health])
    again = _digests(sqlite_ledger)
    assert "市卫生健康委" not in again or again["市卫生健康委"].assigned == []
    assert [i["message"] for i in again["中宁县"].assigned] == [
        "中宁县（责任单位）"
    ]  # not sent yet: still owed
    assert [n["kind"] for n in _notices(sqlite_ledger, "市卫生健康委")] == ["交办"]  # the portal keeps it
    assert _notices(sqlite_ledger, "市医保局") == []


def test_reassigning_tells_only_the_units_given_a_part_now(sqlite_ledger):
    task_id = sqlite_ledger.tasks["insurance"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        workflow.update_task(
            conn, sqlite_ledger.users["office"], task_id, lead=["市医保局"], responsible=["市卫生健康委"]
        )
    with sqlite_ledger.engine.connect() as conn:
        handed = [(a["kind"], a["message"]) for a in get_task(conn, task_id)["actions"]]
    assert handed == [("交办", "市卫生健康委（责任单位）")]
    assert [n["title"] for n in _notices(sqlite_ledger, "市卫生健康委")] == ["推进医保支付改革"]
    assert [n["kind"] for n in _notices(sqlite_ledger, "市医保局")] == []  # it had its part already


def test_a_批示_is_told_to_every_unit_of_the_task(sqlite_ledger):
    counties = sqlite_ledger.tasks["counties"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        escalation.add_instruction(
            conn,
            sqlite_ledger.users["leader"],
            counties,
            text="请各县区月底前全部建成",
            given_on=TODAY,
            today=TODAY,
        )
    digests = _digests(sqlite_ledger)
    for county in ("沙坡头区", "中宁县", "海原县"):
        assert [i["message"] for i in digests[county].instructions] == [
            "ld（2022-07-15）：请各县区月底前全部建成"
        ]
    assert "市卫生健康委" not in digests or digests["市卫生健康委"].instructions == []
    subject, text = reminders.render_digest(digests["中宁县"])
    assert (
        "批示1条" in subject
        and "领导批示（1条）" in text
        and "批示：ld（2022-07-15）：请各县区月底前全部建成" in text
    )
    assert [n["kind"] for n in _notices(sqlite_ledger, "中宁县")] == ["批示"]
    assert _notices(sqlite_ledger, "市卫生健康委") == []


def test_a_催办_of_one_countys_part_goes_to_that_county_only(sqlite_ledger):
    counties = sqlite_ledger.tasks["counties"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        escalation.escalate(
            conn, sqlite_ledger.users["office"], counties, "中宁县", "催办", message="请报送进展", today=TODAY
        )
    digests = _digests(sqlite_ledger)
    assert [c["message"] for c in digests["中宁县"].chases] == ["中宁县：请报送进展"]
    assert digests["海原县"].chases == [] and digests["沙坡头区"].chases == []
    assert [n["kind"] for n in _notices(sqlite_ledger, "中宁县")] == ["催办"]
    assert _notices(sqlite_ledger, "海原县") == []


def test_a_unit_joining_a_group_is_handed_its_part_and_must_sign_for_it(sqlite_ledger):
    """各县(区) gains 红寺堡区 after the task was handed over: the new county's part is announced as
    交办 like the first ones, and it is on the 签收 list once its days have passed."""
    from taizhang.services import parts
    from taizhang.services import units as units_service
    from taizhang.storage.tables import units

    task_id = sqlite_ledger.tasks["counties"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        before = [a["message"] for a in get_task(conn, task_id)["actions"] if a["kind"] == "交办"]
        new_id = conn.execute(
            units.insert().values(name="红寺堡区", kind="county", verified=True)
        ).inserted_primary_key[0]
        units_service.add_member(conn, "各县(区)", "红寺堡区", actor="dcs")
    with sqlite_ledger.engine.connect() as conn:
        handed = [a["message"] for a in get_task(conn, task_id)["actions"] if a["kind"] == "交办"]
        assert handed == [*before, "红寺堡区（责任单位）"]  # only the newcomer is told
        notices = notifications.notices_for_units(conn, {new_id, sqlite_ledger.units["各县(区)"]})
        assert [(n["kind"], n["task_id"], n["message"]) for n in notices] == [
            ("交办", task_id, "红寺堡区（责任单位）")
        ]
        assert [n["message"] for n in _notices(sqlite_ledger, "中宁县") if n["kind"] == "交办"] == []
        late = date.today().replace(year=date.today().year + 1)
        unsigned = parts.unacknowledged(conn, late, 5, unit_ids={new_id})
        assert [(u["task_id"], u["unit"]) for u in unsigned] == [(task_id, "红寺堡区")]
    with unit_of_work(sqlite_ledger.engine) as conn:  # a second sync of the same membership tells no one
        assert units_service.add_member(conn, "各县(区)", "红寺堡区", actor="dcs")["created"] is False
    with sqlite_ledger.engine.connect() as conn:
        assert [a["kind"] for a in get_task(conn, task_id)["actions"]].count("交办") == len(before) + 1

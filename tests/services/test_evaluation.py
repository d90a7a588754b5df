"""考评 from the ledger: a unit's score changes with its work (办结 on time, reports, escalation)."""

from __future__ import annotations

from datetime import date

from taizhang.services import escalation, evaluation, workflow
from taizhang.services.database import unit_of_work


def _row(result, unit):
    return next(r for r in result["units"] if r["unit"] == unit)


def test_scores_follow_the_units_work(sqlite_ledger, tmp_path):
    office, health = sqlite_ledger.users["office"], sqlite_ledger.users["health"]
    as_of = date(2022, 7, 15)
    with sqlite_ledger.engine.connect() as conn:
        before = evaluation.evaluate(conn, "2022", as_of)
    # health (市卫生健康委) leads a task due 2022-06-30, not closed: late 15 days
    start = _row(before, "市卫生健康委")
    assert (start["tasks_due"], start["done_on_time"], start["days_late"]) == (1, 0, 15)
    # 各县(区) task (due 05-10) counts for each county
    assert _row(before, "中宁县")["tasks_due"] == 1
    with unit_of_work(sqlite_ledger.engine) as conn:
        escalation.escalate(
            conn,
            office,
            sqlite_ledger.tasks["health"],
            "市卫生健康委",
            "催办",
            message="请抓紧",
            today=date(2022, 7, 1),
        )
    with sqlite_ledger.engine.connect() as conn:
        chased = _row(evaluation.evaluate(conn, "2022", as_of), "市卫生健康委")
    assert chased["催办"] == 1 and chased["score"] < start["score"]
    with unit_of_work(sqlite_ledger.engine) as conn:
        closed_on = date(2022, 7, 10)  # the part is closed 10 days late, judged on 15 July
        workflow.request_completion(conn, health, sqlite_ledger.tasks["health"], note="完成", today=closed_on)
        workflow.approve_completion(conn, office, sqlite_ledger.tasks["health"], note="同意", today=closed_on)
    with sqlite_ledger.engine.connect() as conn:
        result = evaluation.evaluate(conn, "2022", as_of)
    closed = _row(result, "市卫生健康委")
    assert (closed["tasks_due"], closed["days_late"]) == (1, 10) and closed["score"] > chased["score"]
    assert [r["rank"] for r in result["units"]] == sorted(r["rank"] for r in result["units"])
    out = tmp_path / "ranking.xlsx"
    evaluation.write_xlsx(result, out)
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet["A2"].value == "名次" and sheet.max_row == 2 + len(result["units"])


def test_a_period_without_anything_due_is_empty(sqlite_ledger):
    with sqlite_ledger.engine.connect() as conn:
        assert evaluation.evaluate(conn, "2021-Q1", date(2022, 7, 15))["units"] == []


def test_each_county_is_scored_on_its_own_part(sqlite_ledger):
    office, zhongning = sqlite_ledger.users["office"], sqlite_ledger.users["zhongning"]
    counties = sqlite_ledger.tasks["counties"]  # 各县(区), due 2022-05-10
    with unit_of_work(sqlite_ledger.engine) as conn:
        workflow.request_completion(conn, zhongning, counties, note="已建成", today=date(2022, 5, 9))
        workflow.approve_completion(conn, office, counties, note="同意", today=date(2022, 5, 9))
    with sqlite_ledger.engine.connect() as conn:
        result = evaluation.evaluate(conn, "2022", date(2022, 5, 20))
    facts = {
        u: (_row(result, u)["done_on_time"], _row(result, u)["days_late"])
        for u in ("中宁县", "海原县", "沙坡头区")
    }
    assert facts == {"中宁县": (1, 0), "海原县": (0, 10), "沙坡头区": (0, 10)}


def test_a_part_closed_before_parts_kept_their_day_takes_its_tasks_办结(sqlite_ledger):
    from datetime import UTC, datetime

    from taizhang.storage.tables import actions, parts

    office, health = sqlite_ledger.users["office"], sqlite_ledger.users["health"]
    task_id = sqlite_ledger.tasks["health"]  # due 2022-06-30
    with unit_of_work(sqlite_ledger.engine) as conn:
        workflow.request_completion(conn, health, task_id, note="完成", today=date(2022, 6, 20))
        workflow.approve_completion(conn, office, task_id, note="同意", today=date(2022, 6, 20))
        # as an upgraded ledger holds it: the part is 办结 without its day, the 办结 action has it
        conn.execute(parts.update().where(parts.c.task_id == task_id).values(done_at=None))
        conn.execute(
            actions.update()
            .where(actions.c.task_id == task_id, actions.c.kind == "办结")
            .values(at=datetime(2022, 6, 20, 9, 0, tzinfo=UTC))
        )
    with sqlite_ledger.engine.connect() as conn:
        row = _row(evaluation.evaluate(conn, "2022", date(2022, 7, 15)), "市卫生健康委")
    assert (row["done_on_time"], row["days_late"]) == (1, 0)

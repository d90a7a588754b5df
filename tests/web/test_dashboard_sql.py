"""The dashboard's aggregate SQL agrees with the ledger's rule judged task by task in Python."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taizhang.services.dashboard import DUE_SOON_WORKING_DAYS, dashboard, lights_for
from taizhang.services.database import unit_of_work
from taizhang.services.standing import refresh_late_on
from taizhang.storage.tables import tasks
from taizhang.workdays import add_workdays

CANCELLED = "已撤销"


def _judged_in_python(conn, today: date, warn_days: int) -> tuple[Counter, int, int, set[int]]:
    rows = [
        dict(r._mapping)
        for r in conn.execute(
            sa.select(tasks.c.id, tasks.c.status, tasks.c.deadline_kind, tasks.c.due_on, tasks.c.recurrence)
        )
    ]
    lights = lights_for(conn, rows, today, warn_days)
    colours = Counter(lights[r["id"]].colour for r in rows)
    until = add_workdays(today, DUE_SOON_WORKING_DAYS)
    open_rows = [r for r in rows if r["status"] not in ("已完成", CANCELLED)]
    soon = sum(1 for r in open_rows if r["due_on"] and today <= r["due_on"] <= until)
    missing = {r["id"] for r in open_rows if lights[r["id"]].missing_periods}
    return colours, soon, len(missing), missing


def _spread_deadlines(conn, seed: int, recurring_every: int) -> None:
    """Move the gazette's tasks over a year of due days, statuses and monthly cycles."""
    ids = list(conn.execute(sa.select(tasks.c.id).order_by(tasks.c.id)).scalars())
    statuses = ("未开始", "推进中", "待审核", "已完成", "长期坚持", CANCELLED)
    for n, task_id in enumerate(ids):
        k = (n * 7919 + seed) % 400
        values = {
            "due_on": date(2022, 1, 1) + timedelta(days=k),
            "deadline_kind": "date",
            "status": statuses[(n + seed) % len(statuses)],
            "recurrence": None,
        }
        if n % recurring_every == 0:
            values.update(deadline_kind="ongoing", due_on=None, recurrence="monthly:25")
        conn.execute(tasks.update().where(tasks.c.id == task_id).values(**values))
    refresh_late_on(conn)  # written around the workflow: store each task's late day as the workflow would


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    today=st.dates(date(2022, 1, 1), date(2023, 3, 1)),
    warn_days=st.integers(0, 12),
    seed=st.integers(0, 1000),
    recurring_every=st.integers(2, 9),
)
def test_counts_by_light_and_the_lists_match_the_rule_task_by_task(
    app, today, warn_days, seed, recurring_every
):
    with unit_of_work(app.state.engine) as conn:
        _spread_deadlines(conn, seed, recurring_every)
        data = dashboard(conn, today, warn_days, list_limit=10_000)
        colours, soon, missing_count, missing = _judged_in_python(conn, today, warn_days)
        conn.rollback()
    assert data["by_colour"] == {c: colours.get(c, 0) for c in ("red", "yellow", "green", "grey")}
    assert data["overdue_count"] == colours.get("red", 0) == len(data["overdue"])
    assert data["due_soon_count"] == soon == len(data["due_soon"])
    assert data["missing_reports_count"] == missing_count
    assert {t["id"] for t in data["missing_reports"]} == missing
    assert sum(u["total"] for u in data["by_document"]) <= data["total"]


def test_the_first_tasks_owing_a_report_are_the_dated_ones_by_due_day_then_the_rest_by_id(app):
    today = date(2022, 8, 10)
    with unit_of_work(app.state.engine) as conn:
        _spread_deadlines(conn, seed=3, recurring_every=2)
        recurring = list(conn.execute(sa.select(tasks.c.id).where(tasks.c.recurrence.is_not(None))).scalars())
        for n, task_id in enumerate(recurring[::2]):  # half of them keep a due day as well
            due = date(2022, 12, 31) - timedelta(days=(n * 37) % 90)
            conn.execute(tasks.update().where(tasks.c.id == task_id).values(due_on=due, deadline_kind="date"))
        refresh_late_on(conn)
        everything = dashboard(conn, today, list_limit=10_000)["missing_reports"]
        first = dashboard(conn, today, list_limit=5)["missing_reports"]
        conn.rollback()
    dated = [t for t in everything if t["due_on"] is not None]
    undated = [t for t in everything if t["due_on"] is None]
    assert dated and undated
    expected = sorted(dated, key=lambda t: (t["due_on"], t["id"])) + sorted(undated, key=lambda t: t["id"])
    assert [t["id"] for t in everything] == [t["id"] for t in expected]
    assert [t["id"] for t in first] == [t["id"] for t in expected[:5]]


def test_tasks_owing_a_report_are_found_under_every_cycle_of_the_ledger(app):
    today = date(2022, 8, 10)
    cycles = ("monthly:25", "quarterly:+10", "weekly:5", "days:30")  # the last is no reporting cycle
    with unit_of_work(app.state.engine) as conn:
        _spread_deadlines(conn, seed=5, recurring_every=2)
        recurring = list(conn.execute(sa.select(tasks.c.id).where(tasks.c.recurrence.is_not(None))).scalars())
        for n, task_id in enumerate(recurring):
            conn.execute(
                tasks.update().where(tasks.c.id == task_id).values(recurrence=cycles[n % len(cycles)])
            )
        refresh_late_on(conn)
        data = dashboard(conn, today, list_limit=10_000)
        _colours, _soon, missing_count, missing = _judged_in_python(conn, today, 5)
        owing = dict(
            conn.execute(sa.select(tasks.c.id, tasks.c.recurrence).where(tasks.c.id.in_(missing))).all()
        )
        conn.rollback()
    assert set(owing.values()) == set(cycles[:3])
    assert data["missing_reports_count"] == missing_count
    assert {t["id"] for t in data["missing_reports"]} == missing


def test_the_lists_carry_a_first_page_and_the_json_stays_small(client, ledger):
    headers = {"Authorization": f"Bearer {ledger.tokens['leader']}"}
    response = client.get("/api/dashboard", headers=headers)
    body = response.json()
    assert len(body["overdue"]) <= 20 and body["overdue_count"] >= len(body["overdue"])
    assert len(response.content) <= 50_000
    # written straight to JSON: exactly what the documented model gives for it
    from taizhang.web.schemas import DashboardPublic

    assert body == DashboardPublic.model_validate(body).model_dump(mode="json")
    for as_of in ("2022-01-04", "2022-05-06", "2023-03-01"):
        other = client.get(f"/api/dashboard?as_of={as_of}", headers=headers).json()
        assert other == DashboardPublic.model_validate(other).model_dump(mode="json")


def test_the_dashboard_and_the_public_site_read_the_replica_when_one_is_set(ledger, tmp_path):
    import shutil

    from taizhang.settings import load_settings
    from taizhang.web.app import create_app

    from .conftest import SECRET

    replica = tmp_path / "replica.db"
    shutil.copy(ledger.url.removeprefix("sqlite:///"), replica)
    app = create_app(
        load_settings(
            database_url=ledger.url,
            read_database_url=f"sqlite:///{replica}",
            upload_dir=tmp_path / "uploads",
            secret_key=SECRET,
        ),
        as_of=date(2022, 6, 30),
    )
    with unit_of_work(app.state.engine) as conn:  # the primary moves on; the replica has not caught up
        conn.execute(tasks.update().values(status="已完成"))
    from fastapi.testclient import TestClient

    client = TestClient(app)
    headers = {"Authorization": f"Bearer {ledger.tokens['leader']}"}
    body = client.get("/api/dashboard", headers=headers).json()
    assert body["by_status"].get("已完成", 0) < body["total"]
    with app.state.read_engine.connect() as conn:
        done = conn.execute(sa.select(sa.func.count()).where(tasks.c.status == "已完成")).scalar_one()
    assert body["by_status"].get("已完成", 0) == done
    assert client.get("/public").status_code == 200
    app.state.engine.dispose()
    app.state.read_engine.dispose()

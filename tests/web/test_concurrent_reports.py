"""Concurrent report POSTs on different tasks all succeed: on PostgreSQL a report locked its task row
and then waited for the change log's lock while another report, holding the log, waited for a task
row of the first (deadlock detected: 4 of 16 POSTs from 8 threads answered 500)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa
from starlette.testclient import TestClient

from taizhang.services import accounts
from taizhang.services.database import open_database
from taizhang.services.import_issue import import_file
from taizhang.settings import load_settings
from taizhang.storage.tables import assignments, reports, units
from taizhang.web.app import create_app

from .conftest import AS_OF, SECRET
from .ledger_factory import GAZETTE


def test_concurrent_reports_on_different_tasks_all_succeed(db_url, tmp_path):
    engine = open_database(db_url)
    import_file(engine, GAZETTE, city="中卫市")  # as imported: every unit's part of each task
    with engine.begin() as conn:
        unit_id, unit_name = conn.execute(
            sa.select(units.c.id, units.c.name)
            .join(assignments, assignments.c.unit_id == units.c.id)
            .where(units.c.kind != "group")
            .group_by(units.c.id, units.c.name)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).one()
        own = sorted(
            set(
                conn.execute(
                    sa.select(assignments.c.task_id).where(assignments.c.unit_id == unit_id)
                ).scalars()
            )
        )
        accounts.add_user(conn, "concurrent-unit", "concurrent-password-1", "unit", unit_name)
        token = accounts.issue_token(conn, "concurrent-unit")
    engine.dispose()
    settings = load_settings(database_url=db_url, upload_dir=tmp_path / "up", secret_key=SECRET)
    app = create_app(settings, as_of=AS_OF)
    headers = {"Authorization": f"Bearer {token}"}
    posts = 24

    def post(n: int) -> int:
        response = client.post(
            f"/api/tasks/{own[n % len(own)]}/reports",
            headers={**headers, "Idempotency-Key": f"concurrent-{n}"},
            json={"practice": f"并发报送 {n}", "percent": n},
        )
        return response.status_code

    try:
        with (
            TestClient(app, raise_server_exceptions=False) as client,
            ThreadPoolExecutor(max_workers=8) as pool,
        ):
            statuses = list(pool.map(post, range(posts)))
        with app.state.engine.connect() as conn:
            stored = conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar()
    finally:
        app.state.engine.dispose()
    assert statuses == [201] * posts
    assert stored >= posts

"""taizhang worker --burst and taizhang jobs, without Redis: a queued import is run and listed."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.jobs import create_job
from tests.conftest import STATE_COUNCIL

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_queue_settings(monkeypatch):
    for name in (
        "REDIS_URL",
        "SMTP_HOST",
        "WEBHOOK_URL",
        "DINGTALK_WEBHOOK_URL",
        "WECOM_WEBHOOK_URL",
        "DATABASE_URL",
    ):
        monkeypatch.delenv(f"TAIZHANG_{name}", raising=False)


def test_a_burst_worker_runs_a_queued_import_and_jobs_lists_it(sqlite_url, tmp_path):
    upload = tmp_path / "upload.txt"
    shutil.copy(STATE_COUNCIL, upload)
    engine = open_database(sqlite_url)
    with unit_of_work(engine) as conn:
        job_id = create_job(conn, "import", "导入 upload.txt", {"path": str(upload), "name": "upload.txt"})
    engine.dispose()
    result = runner.invoke(app, ["worker", "--burst", "--db", sqlite_url])
    assert result.exit_code == 0, result.output
    listed = runner.invoke(app, ["jobs", "--kind", "import", "--json", "--db", sqlite_url])
    assert listed.exit_code == 0, listed.output
    (job,) = json.loads(listed.output)
    assert job["id"] == job_id and job["status"] == "done" and job["result"]["tasks"] > 0
    assert not upload.exists()  # the issue keeps the text; the upload is removed
    table = runner.invoke(app, ["jobs", "--db", sqlite_url])
    assert "import" in table.output and "done" in table.output

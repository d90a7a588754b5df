"""The daily reminder run: the same digests as ``taizhang remind``, one per unit a day however many run it."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sqlalchemy as sa

from taizhang.services.daily_reminders import next_run, seconds_until_next_run, send_daily_reminders
from taizhang.services.queue import run_worker
from taizhang.settings import load_settings
from taizhang.storage.tables_jobs import jobs, reminder_claims


@pytest.fixture
def webhook():
    """A local HTTP server that records the JSON bodies posted to it."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server API)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(json.loads(body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


DAY = date(2022, 6, 30)


def test_daily_run_posts_one_digest_per_unit_with_overdue_work(app, webhook):
    url, received = webhook
    settings = load_settings(database_url="sqlite://", webhook_url=url)
    outcome = send_daily_reminders(app.state.engine, settings, DAY)
    assert outcome.sent == len(received) > 0
    units = [body.get("unit") or body.get("unit_name") for body in received]
    assert len(units) == len(set(units))  # one digest per unit
    assert "市卫生健康委" in json.dumps(received, ensure_ascii=False)


def test_a_second_run_the_same_day_sends_nothing_and_the_next_day_sends_again(app, webhook):
    url, received = webhook
    settings = load_settings(database_url="sqlite://", webhook_url=url)
    first = send_daily_reminders(app.state.engine, settings, DAY, claimer="worker-a")
    second = send_daily_reminders(app.state.engine, settings, DAY, claimer="worker-b")
    assert first.sent > 0 and second.sent == 0 and second.already_sent == first.sent
    assert len(received) == first.sent
    assert send_daily_reminders(app.state.engine, settings, date(2022, 7, 1)).sent > 0


def test_runs_at_the_same_time_tell_each_unit_once(app, webhook):
    url, received = webhook
    settings = load_settings(database_url="sqlite://", webhook_url=url)
    outcomes = []
    runs = [
        threading.Thread(
            target=lambda n=n: outcomes.append(
                send_daily_reminders(app.state.engine, settings, DAY, claimer=f"worker-{n}")
            )
        )
        for n in range(4)
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    units = [body["unit"] for body in received]
    assert len(units) == len(set(units)) == sum(o.sent for o in outcomes) > 0
    assert all(o.sent + o.already_sent == o.digests for o in outcomes)


def test_a_failed_delivery_gives_its_claim_back(app, webhook):
    url, received = webhook
    broken = load_settings(database_url="sqlite://", webhook_url="http://127.0.0.1:9/nothing-listens")
    failed = send_daily_reminders(app.state.engine, broken, DAY)
    assert failed.failed == failed.digests > 0 and failed.sent == 0
    with app.state.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reminder_claims)).scalar_one() == 0
    retry = send_daily_reminders(
        app.state.engine, load_settings(database_url="sqlite://", webhook_url=url), DAY
    )
    assert retry.sent == failed.digests == len(received)


def test_daily_run_without_a_channel_sends_nothing(app):
    outcome = send_daily_reminders(app.state.engine, load_settings(database_url="sqlite://"), DAY)
    assert outcome.sent == 0 and not outcome.configured


def test_a_burst_worker_after_half_past_eight_sends_the_days_reminders_as_a_job(app, ledger, webhook):
    url, received = webhook
    settings = load_settings(database_url=ledger.url, webhook_url=url)
    at_nine = datetime(2022, 6, 30, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
    run_worker(settings, burst=True, now=lambda: at_nine)
    run_worker(settings, burst=True, now=lambda: at_nine)  # a second worker, or a restart: nothing more
    with app.state.engine.connect() as conn:
        rows = conn.execute(sa.select(jobs.c.kind, jobs.c.status, jobs.c.result).order_by(jobs.c.id)).all()
    assert [(kind, status) for kind, status, _ in rows] == [("reminders", "done")] * 2
    assert rows[0].result["sent"] == len(received) > 0 and rows[1].result["sent"] == 0


def test_a_burst_worker_before_half_past_eight_sends_nothing(app, ledger, webhook):
    url, received = webhook
    settings = load_settings(database_url=ledger.url, webhook_url=url)
    run_worker(settings, burst=True, now=lambda: datetime(2022, 6, 30, 0, 0, tzinfo=UTC))
    assert received == []


def test_next_run_is_half_past_eight_beijing_time():
    # 00:00 UTC is 08:00 in Beijing: the run is 30 minutes away; at 01:00 UTC it is tomorrow's
    assert seconds_until_next_run(datetime(2022, 6, 30, 0, 0, tzinfo=UTC)) == 30 * 60
    assert seconds_until_next_run(datetime(2022, 6, 30, 1, 0, tzinfo=UTC)) == 23.5 * 3600
    assert next_run(datetime(2022, 6, 30, 1, 0, tzinfo=UTC)).date() == date(2022, 7, 1)

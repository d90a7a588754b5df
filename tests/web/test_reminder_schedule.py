"""The server's daily reminder run: it posts the same digests as ``taizhang remind`` to the webhook."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from taizhang.settings import load_settings
from taizhang.web.reminder_schedule import seconds_until_next_run, send_reminders_once


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


def test_daily_run_posts_one_digest_per_unit_with_overdue_work(app, webhook):
    url, received = webhook
    settings = load_settings(database_url="sqlite://", webhook_url=url)
    sent = send_reminders_once(app.state.engine, settings, date(2022, 6, 30))
    assert sent == len(received) > 0
    units = [body.get("unit") or body.get("unit_name") for body in received]
    assert len(units) == len(set(units))  # one digest per unit
    assert "市卫生健康委" in json.dumps(received, ensure_ascii=False)


def test_daily_run_without_a_channel_sends_nothing(app):
    assert send_reminders_once(app.state.engine, load_settings(database_url="sqlite://"), date(2022, 6, 30)) == 0


def test_next_run_is_half_past_eight_beijing_time():
    # 00:00 UTC is 08:00 in Beijing: the run is 30 minutes away; at 01:00 UTC it is tomorrow's
    assert seconds_until_next_run(datetime(2022, 6, 30, 0, 0, tzinfo=UTC)) == 30 * 60
    assert seconds_until_next_run(datetime(2022, 6, 30, 1, 0, tzinfo=UTC)) == 23.5 * 3600

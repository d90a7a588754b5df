"""The server's daily reminder run (issue #3: "the server runs it daily").

Once a day, at :data:`RUN_AT` Beijing time, the same digests as ``taizhang remind`` are built and
sent, and what went out is recorded; a failed delivery is logged and retried the next day, never
allowed to stop the server. Without any delivery channel configured nothing is sent.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy.engine import Engine

from ..errors import TaizhangError
from ..services.database import unit_of_work
from ..services.notify import DeliveryError
from ..services.reminders import build_digests, deliverable, record_sent, send_digests
from ..settings import Settings
from .templating import BEIJING

log = logging.getLogger(__name__)

RUN_AT = time(8, 30)  # before the working day's first meeting
ACTOR = "server"


def send_reminders_once(engine: Engine, settings: Settings, today: date) -> int:
    """Build and send today's digests; returns how many went out (0 when no channel is configured)."""
    if not settings.smtp_host and not (settings.webhook_url or settings.dingtalk_webhook_url
                                       or settings.wecom_webhook_url):
        log.info("daily reminders skipped: no SMTP host and no webhook configured")
        return 0
    with unit_of_work(engine) as conn:
        digests = build_digests(conn, as_of=today, warn_days=settings.warning_working_days)
    try:
        send_digests(digests, settings, dry_run=False)
        delivered = [d for d in digests if deliverable(d, settings)]
    except DeliveryError as exc:
        log.warning("daily reminders partly failed: %s", exc)
        delivered = exc.delivered
    with unit_of_work(engine) as conn:
        record_sent(conn, delivered, actor=ACTOR)
    log.info("daily reminders for %s: %d of %d digests sent", today, len(delivered), len(digests))
    return len(delivered)


def seconds_until_next_run(now: datetime, zone: tzinfo = BEIJING) -> float:
    """Seconds from ``now`` (aware) to the next :data:`RUN_AT` in ``zone`` (the ledger's time zone)."""
    local = now.astimezone(zone)
    run = datetime.combine(local.date(), RUN_AT, tzinfo=zone)
    if run <= local:
        run += timedelta(days=1)
    return (run - local).total_seconds()


class DailyReminders:
    """A daemon thread that sends the reminders every day until :meth:`stop`."""

    def __init__(self, engine: Engine, settings: Settings, as_of: date | None = None) -> None:
        self._engine, self._settings, self._as_of = engine, settings, as_of
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="daily-reminders", daemon=True)

    def start(self) -> None:
        """Begin waiting for the first run."""
        self._thread.start()

    def stop(self) -> None:
        """Wake the thread and let it end."""
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(seconds_until_next_run(datetime.now(UTC), self._settings.zone)):
            try:
                today = self._as_of or datetime.now(self._settings.zone).date()
                send_reminders_once(self._engine, self._settings, today)
            except TaizhangError as exc:  # e.g. a broken SMTP setting: log it, try again tomorrow
                log.error("daily reminders failed: %s", exc)

"""The daily reminder run: each unit gets at most one digest a day, however many workers run it.

The same digests as ``taizhang remind`` are built, and both send through :func:`deliver_once`:
before a unit's digest is sent, a row (unit, day) is inserted into ``reminder_claims``. The
primary key lets one process win: a second worker (or a ``taizhang remind`` by hand) running the
same day finds the claim and skips the unit. A delivery that fails gives its
claim back, so a later run that day (or the next worker) tries again. Without any delivery channel
configured nothing is built, claimed or sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from ..settings import Settings
from ..storage.tables_jobs import reminder_claims
from .database import unit_of_work
from .notify import DeliveryError
from .reminders import Digest, build_digests, deliverable, record_sent, send_digests

log = logging.getLogger(__name__)

BEIJING = timezone(timedelta(hours=8), "北京时间")  # the default calendar (settings.zone)
RUN_AT = time(8, 30)  # in the ledger's time zone, before the working day's first meeting
ACTOR = "server"


@dataclass(frozen=True)
class DailyOutcome:
    """What one run did: digests built, sent by this run, already sent that day, failed."""

    day: str
    digests: int = 0
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    configured: bool = True


def has_channel(settings: Settings) -> bool:
    """True when an SMTP host or a webhook is configured."""
    return bool(
        settings.smtp_host
        or settings.webhook_url
        or settings.dingtalk_webhook_url
        or settings.wecom_webhook_url
    )


def claim(engine: Engine, unit_id: int, day: date, claimer: str) -> bool:
    """Take the unit's digest of ``day`` for this process; False when another one has it."""
    try:
        with unit_of_work(engine) as conn:
            conn.execute(reminder_claims.insert().values(unit_id=unit_id, day=day, claimed_by=claimer[:100]))
    except sa.exc.IntegrityError:
        return False
    return True


def release(engine: Engine, unit_id: int, day: date) -> None:
    """Give a claim back (its delivery failed)."""
    with unit_of_work(engine) as conn:
        conn.execute(
            reminder_claims.delete().where(reminder_claims.c.unit_id == unit_id, reminder_claims.c.day == day)
        )


@dataclass
class Delivery:
    """What one pass over the digests did: lines to show, counts, and the failed deliveries' messages."""

    lines: list[str] = field(default_factory=list)
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _send_one(engine: Engine, settings: Settings, digest: Digest, actor: str, out: Delivery) -> bool:
    try:
        out.lines += send_digests([digest], settings, dry_run=False)
    except DeliveryError as exc:
        log.warning("daily reminder for %s not delivered: %s", digest.unit_name, exc)
        out.lines += exc.lines
        if exc.delivered:  # one channel went through: the unit was told
            with unit_of_work(engine) as conn:
                record_sent(conn, exc.delivered, actor=actor)
            return True
        out.errors.append(str(exc))
        return False
    with unit_of_work(engine) as conn:
        record_sent(conn, [digest], actor=actor)
    return True


def deliver_once(
    engine: Engine,
    settings: Settings,
    digests: list[Digest],
    day: date,
    *,
    claimer: str,
    actor: str = ACTOR,
    progress: Callable[[str, int, int], None] | None = None,
) -> Delivery:
    """Send each digest whose unit this process claims for ``day``; a unit claimed already is skipped.

    The worker's morning run and ``taizhang remind`` both send through here, so a unit is told at
    most once a day whichever of them runs first. A failed delivery gives its claim back.
    """
    out = Delivery()
    for n, digest in enumerate(digests):
        if progress:
            progress("send", n, len(digests))
        if not claim(engine, digest.unit_id, day, claimer):
            out.already_sent += 1
            out.lines.append(f"跳过{digest.unit_name}：{day.isoformat()} 已提醒过")
            continue
        if _send_one(engine, settings, digest, actor, out):
            out.sent += 1
        else:
            release(engine, digest.unit_id, day)
            out.failed += 1
    return out


def send_daily_reminders(
    engine: Engine,
    settings: Settings,
    day: date,
    *,
    claimer: str = "worker",
    progress: Callable[[str, int, int], None] | None = None,
) -> DailyOutcome:
    """Build ``day``'s digests and send each unit's unless another process already did."""
    if not has_channel(settings):
        log.info("daily reminders skipped: no SMTP host and no webhook configured")
        return DailyOutcome(day.isoformat(), configured=False)
    if progress:
        progress("build", 0, 1)
    with unit_of_work(engine) as conn:
        digests = [
            d
            for d in build_digests(conn, as_of=day, warn_days=settings.warning_working_days)
            if deliverable(d, settings)
        ]
    done = deliver_once(engine, settings, digests, day, claimer=claimer, progress=progress)
    log.info(
        "daily reminders for %s: %d sent, %d already sent, %d failed of %d digests",
        day,
        done.sent,
        done.already_sent,
        done.failed,
        len(digests),
    )
    return DailyOutcome(
        day.isoformat(),
        digests=len(digests),
        sent=done.sent,
        already_sent=done.already_sent,
        failed=done.failed,
    )


def today(now: datetime, zone: tzinfo = BEIJING) -> date:
    """The day in the ledger's time zone at ``now`` (aware)."""
    return now.astimezone(zone).date()


def next_run(now: datetime, zone: tzinfo = BEIJING) -> datetime:
    """The next :data:`RUN_AT` in ``zone`` after ``now`` (aware)."""
    local = now.astimezone(zone)
    run = datetime.combine(local.date(), RUN_AT, tzinfo=zone)
    if run <= local:
        run += timedelta(days=1)
    return run


def seconds_until_next_run(now: datetime, zone: tzinfo = BEIJING) -> float:
    """Seconds from ``now`` (aware) to the next :data:`RUN_AT` in ``zone``."""
    return (next_run(now, zone) - now).total_seconds()


def due_today(now: datetime, zone: tzinfo = BEIJING) -> bool:
    """True when today's :data:`RUN_AT` has passed in ``zone``."""
    return now.astimezone(zone).time() >= RUN_AT

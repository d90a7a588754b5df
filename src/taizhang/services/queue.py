"""The job queue: RQ on Redis when ``redis_url`` is set; without it a job runs where it is made.

The web process only creates the job row and enqueues its id; ``taizhang worker`` takes it from
Redis and runs it with ``jobs.run_job``. The worker also schedules the daily reminders (RQ's
scheduler, one job id per day so several workers schedule it once) and sends them; the claims
of ``daily_reminders`` keep it to one digest per unit a day even if two runs meet.
Without Redis (a SQLite install on one machine) a job runs inline, and ``taizhang worker`` is a
process that wakes each morning for the reminders.
"""

from __future__ import annotations

import logging
import os
import socket
import time as wall
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from ..settings import Settings, load_settings
from .daily_reminders import due_today, next_run, seconds_until_next_run, today
from .database import open_database, unit_of_work
from .jobs import JobInfo, create_job, queued_job_ids, run_job

log = logging.getLogger(__name__)

JOB_TIMEOUT = 4 * 3600  # a province's gazette archive imports in well under this
RESULT_TTL = 7 * 24 * 3600  # Redis keeps RQ's own record a week; the jobs table keeps ours

# The settings of the worker process: jobs read them there (the database URL never travels in Redis).
_worker_settings: dict[str, Settings] = {}


def _redis(settings: Settings) -> Any:
    from redis import Redis

    return Redis.from_url(str(settings.redis_url), socket_connect_timeout=5)


def _queue(settings: Settings, connection: Any | None = None) -> Any:
    from rq import Queue

    return Queue(settings.queue_name, connection=connection or _redis(settings))


def enqueue(engine: Engine, settings: Settings, job_id: int) -> str:
    """Hand a queued job to the workers (returns ``"queue"``) or, without Redis, run it now (``"inline"``).

    Redis configured but unreachable: the job runs inline too, and the problem is logged.
    """
    if settings.redis_url:
        from redis.exceptions import RedisError

        try:
            _queue(settings).enqueue_call(
                perform,
                args=(job_id,),
                timeout=JOB_TIMEOUT,
                result_ttl=RESULT_TTL,
                failure_ttl=RESULT_TTL,
                job_id=f"taizhang-job-{job_id}",
                description=f"taizhang job {job_id}",
            )
            return "queue"
        except RedisError as exc:
            log.error("Redis at %s not reachable (%s): job %s runs inline", settings.redis_url, exc, job_id)
    run_job(engine, settings, job_id)
    return "inline"


def _settings() -> Settings:
    return _worker_settings.get("current") or load_settings()


def perform(job_id: int) -> None:
    """RQ's entry point in the worker: run one job of the jobs table."""
    settings = _settings()
    engine = open_database(settings.database_url, migrate=False)
    try:
        run_job(engine, settings, job_id)
    finally:
        engine.dispose()


def _claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_reminders_now(engine: Engine, settings: Settings, now: datetime | None = None) -> JobInfo:
    """Today's reminders as a job of their own, run in this process."""
    day = today(now or datetime.now(UTC), settings.zone)
    with unit_of_work(engine) as conn:
        job_id = create_job(
            conn, "reminders", f"{day.isoformat()} 每日提醒", {"day": day.isoformat(), "claimer": _claimer()}
        )
    return run_job(engine, settings, job_id)


def perform_daily_reminders() -> None:
    """RQ's entry point for the morning run: send today's reminders, then schedule tomorrow's."""
    settings = _settings()
    engine = open_database(settings.database_url, migrate=False)
    try:
        run_reminders_now(engine, settings)
    finally:
        engine.dispose()
        schedule_reminders(_queue(settings), datetime.now(UTC), settings)


def schedule_reminders(queue: Any, now: datetime, settings: Settings) -> datetime:
    """Put the next morning run on the queue's schedule; one RQ job id per day, so once per day."""
    at = next_run(now, settings.zone)
    queue.enqueue_at(
        at.astimezone(UTC),
        perform_daily_reminders,
        job_id=f"taizhang-reminders-{at.date()}",
        result_ttl=RESULT_TTL,
        failure_ttl=RESULT_TTL,
        timeout=JOB_TIMEOUT,
    )
    return at


def _burst_without_queue(engine: Engine, settings: Settings, now: datetime) -> int:
    with engine.connect() as conn:
        waiting = queued_job_ids(conn)
    for job_id in waiting:
        run_job(engine, settings, job_id)
    if due_today(now, settings.zone):
        run_reminders_now(engine, settings, now)
    return len(waiting)


def run_worker(
    settings: Settings,
    *,
    burst: bool = False,
    now: Callable[[], datetime] | None = None,
    echo: Callable[[str], None] = log.info,
) -> None:
    """Run jobs until interrupted (``burst``: run what is due now and return).

    First, once 08:30 (the ledger's time zone) has passed, today's reminders are sent (to units not told yet).
    With Redis: an RQ worker on ``settings.queue_name`` (with its scheduler, which starts each
    morning's reminders). Without Redis: jobs left queued are run, then each morning's reminders.
    """
    clock = now or (lambda: datetime.now(UTC))
    _worker_settings["current"] = settings
    engine = open_database(settings.database_url, migrate=settings.auto_upgrade)
    try:
        if not settings.redis_url:
            echo("未设置 TAIZHANG_REDIS_URL：不使用队列运行（上传的导入在网站进程内执行）")
            _burst_without_queue(engine, settings, clock())
            while not burst:
                wall.sleep(seconds_until_next_run(clock(), settings.zone))
                run_reminders_now(engine, settings, clock())
            return
        from rq import Worker

        connection = _redis(settings)
        queue = _queue(settings, connection)
        if due_today(clock(), settings.zone):  # catch up: a unit already told today is not told again
            run_reminders_now(engine, settings, clock())
        if not burst:
            at = schedule_reminders(queue, clock(), settings)
            echo(f"每日提醒已排定于 {at.isoformat()}")
        echo(f"后台任务进程：队列 {settings.queue_name!r}，地址 {settings.redis_url}")
        Worker([queue], connection=connection).work(
            burst=burst, with_scheduler=not burst, logging_level="WARNING"
        )
    finally:
        _worker_settings.pop("current", None)
        engine.dispose()

"""Background work: ``taizhang worker`` runs jobs and the daily reminders, ``taizhang jobs`` lists them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..services.database import unit_of_work
from ..settings import load_settings
from .options import DbOption, JsonOption, ledger_engine, print_json


def worker_command(
    burst: Annotated[bool, typer.Option("--burst", help="执行当前到期的任务后退出。")] = False,
    redis: Annotated[
        str | None, typer.Option("--redis", help="Redis 地址（默认 TAIZHANG_REDIS_URL；不设则不用队列）。")
    ] = None,
    db: DbOption = None,
) -> None:
    """运行后台任务：Redis 队列中上传的导入，以及每日提醒（08:30）。

    可在任意多台机器上运行任意多个进程：每个后台任务只被执行一次，每个单位每天只收到一份提醒汇总。
    没有 Redis 时不用队列（上传由网页进程直接导入），只发送每天早上的提醒。--burst 执行当前到期的
    任务（队列中的任务；北京时间 08:30 以后还有当天的提醒）后退出，适合定时任务（`cron`）。

    示例：taizhang worker --redis redis://127.0.0.1:6379/0 --db postgresql://taizhang@db/taizhang
    """
    from ..services.queue import run_worker

    settings = load_settings(database_url=db, redis_url=redis)
    run_worker(settings, burst=burst, echo=typer.echo)


def jobs_command(
    limit: Annotated[int, typer.Option("--limit", help="显示最近的多少个后台任务。")] = 20,
    kind: Annotated[
        str | None, typer.Option("--kind", help="只列该类后台任务：`import`（导入）、`reminders`（提醒）。")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """列出最近的后台任务：状态、进度、结果或错误。

    示例：taizhang jobs --kind import --limit 5
    """
    from ..services.jobs import list_jobs

    with unit_of_work(ledger_engine(db)) as conn:
        found = list_jobs(conn, kind=kind, limit=limit)
    if as_json:
        print_json([job.to_dict() for job in found])
        return
    table = Table("id", "kind", "title", "status", "progress", "created", "finished / error")
    for job in found:
        step = f"{job.stage or ''} {job.done}/{job.total}" if job.status == "running" else f"{job.percent}%"
        end = job.error or (job.finished_at.isoformat(timespec="seconds") if job.finished_at else "")
        created = job.created_at.isoformat(timespec="seconds") if job.created_at else ""
        table.add_row(str(job.id), job.kind, job.title, job.status, step, created, end)
    Console(soft_wrap=True).print(table)


def register(app: typer.Typer) -> None:
    """Add ``worker`` and ``jobs`` to the app."""
    app.command("worker")(worker_command)
    app.command("jobs")(jobs_command)

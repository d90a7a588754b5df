"""Background jobs: a row per job in the ledger database, run by whichever process takes it.

A job is created queued, handed to the queue (``services.queue``: Redis when configured, else run
at once in the process that made it), and run by :func:`run_job`, which marks it running, lets
it report progress (stage, done, total) and stores its result or a failure message. The pages and
``taizhang jobs`` read the rows, so progress is visible whatever process does the work.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..errors import InvalidInput, NotFound, TaizhangError
from ..settings import Settings
from ..storage.tables_jobs import jobs
from .database import unit_of_work

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUS_LABELS = {QUEUED: "排队中", RUNNING: "进行中", DONE: "已完成", FAILED: "失败"}
KIND_LABELS = {"import": "导入公报", "reminders": "每日提醒", "export": "导出台账"}
STAGE_LABELS = {
    "read": "读取文件",
    "extract": "识别文件和任务",
    "store documents": "保存文件",
    "store tasks": "保存任务",
    "documents": "保存文件",
    "tasks": "保存任务",
    "build": "整理提醒",
    "send": "发送提醒",
    "select": "选取任务",
    "write": "写入表格",
}
PROGRESS_EVERY = 0.5  # seconds between two progress writes of one job


@dataclass(frozen=True)
class JobInfo:
    """One job as the pages, the API and ``taizhang jobs`` show it."""

    id: int
    kind: str
    title: str
    status: str
    stage: str | None
    done: int
    total: int
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    created_by: int | None = None

    @property
    def percent(self) -> int:
        """How far the current stage is, 0–100 (100 once the job is done)."""
        if self.status == DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        """True once the job is done or failed: the page stops refreshing."""
        return self.status in (DONE, FAILED)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS.get(self.stage or "", self.stage or "")

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON-ready data (the API's shape)."""
        data = asdict(self)
        data.update(
            percent=self.percent,
            status_label=self.status_label,
            kind_label=self.kind_label,
            stage_label=self.stage_label,
        )
        for key in ("created_at", "started_at", "finished_at"):
            value = data[key]
            data[key] = value.isoformat() if isinstance(value, datetime) else value
        return data


def _now() -> datetime:
    return datetime.now(UTC)


def _info(row: sa.Row) -> JobInfo:
    return JobInfo(
        id=int(row.id),
        kind=row.kind,
        title=row.title,
        status=row.status,
        stage=row.stage,
        done=int(row.done or 0),
        total=int(row.total or 0),
        result=row.result,
        error=row.error,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        created_by=row.created_by,
    )


def create_job(
    conn: Connection, kind: str, title: str, params: dict[str, Any], *, user_id: int | None = None
) -> int:
    """A queued job; returns its id."""
    if kind not in KIND_LABELS:
        raise InvalidInput(f"未知的任务类型：{kind}")
    values = {
        "kind": kind,
        "title": title[:300],
        "status": QUEUED,
        "params": params,
        "done": 0,
        "total": 0,
        "created_by": user_id,
    }
    return int(conn.execute(jobs.insert().values(**values)).inserted_primary_key[0])


def get_job(conn: Connection, job_id: int) -> JobInfo:
    """The job with this id (NotFound when there is none)."""
    row = conn.execute(sa.select(jobs).where(jobs.c.id == job_id)).first()
    if row is None:
        raise NotFound(f"后台任务 {job_id} 不存在")
    return _info(row)


def list_jobs(conn: Connection, *, kind: str | None = None, limit: int = 50) -> list[JobInfo]:
    """The newest jobs first, optionally of one kind."""
    query = sa.select(jobs).order_by(jobs.c.id.desc()).limit(max(1, min(limit, 500)))
    if kind:
        query = query.where(jobs.c.kind == kind)
    return [_info(row) for row in conn.execute(query)]


def queued_job_ids(conn: Connection) -> list[int]:
    """Jobs still waiting, oldest first (what a burst worker without a queue runs)."""
    return [
        int(i)
        for i in conn.execute(
            sa.select(jobs.c.id).where(jobs.c.status == QUEUED).order_by(jobs.c.id)
        ).scalars()
    ]


class ProgressWriter:
    """Writes a job's progress in short transactions of its own, at most every PROGRESS_EVERY seconds.

    On SQLite an import holds the only write lock while it stores; a progress write then gives
    up at once instead of waiting (the next stage or the end of the job is written anyway).
    """

    def __init__(self, engine: Engine, job_id: int) -> None:
        self._job_id = job_id
        self._last = 0.0
        self._stage: str | None = None
        url = engine.url
        if engine.dialect.name == "sqlite":
            self._engine = sa.create_engine(url, connect_args={"timeout": 0.05, "check_same_thread": False})
        else:
            self._engine = engine
        self._own = self._engine is not engine

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == self._stage and now - self._last < PROGRESS_EVERY and done < total:
            return
        self._stage, self._last = stage, now
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    jobs.update()
                    .where(jobs.c.id == self._job_id)
                    .values(stage=stage[:50], done=done, total=total)
                )
        except sa.exc.OperationalError:
            log.debug("progress of job %s not written (database busy)", self._job_id)

    def close(self) -> None:
        if self._own:
            self._engine.dispose()


Handler = Callable[[Engine, Settings, dict[str, Any], ProgressWriter], dict[str, Any]]


def _run_import(
    engine: Engine, settings: Settings, params: dict[str, Any], progress: ProgressWriter
) -> dict[str, Any]:
    from .import_issue import import_file
    from .units import configured_directory

    path = Path(params["path"])
    directory = configured_directory(params.get("city") or settings.city, settings.unit_directory)
    result = import_file(engine, path, directory=directory, progress=progress)
    data = asdict(result)
    data["source"] = params.get("name") or data.get("source")
    path.unlink(missing_ok=True)  # the issue keeps the text; the upload is not needed any more
    return data


def _run_reminders(
    engine: Engine, settings: Settings, params: dict[str, Any], progress: ProgressWriter
) -> dict[str, Any]:
    from .daily_reminders import send_daily_reminders

    outcome = send_daily_reminders(
        engine,
        settings,
        date.fromisoformat(params["day"]),
        claimer=params.get("claimer", "worker"),
        progress=progress,
    )
    return asdict(outcome)


def export_path(settings: Settings, job_id: int) -> Path:
    """Where an export job keeps its workbook."""
    return Path(settings.upload_dir) / "exports" / f"ledger-{job_id}.xlsx"


def _run_export(
    engine: Engine, settings: Settings, params: dict[str, Any], progress: ProgressWriter
) -> dict[str, Any]:
    from ..export.xlsx import write_ledger_xlsx
    from .queries import TaskFilter, list_tasks

    target = export_path(settings, int(params["job_id"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    progress("select", 0, 1)
    with engine.connect() as conn:
        wanted = TaskFilter.from_params(params["filter"])
        ids = [row["id"] for row in list_tasks(conn, wanted).items]
        result = write_ledger_xlsx(conn, target, task_ids=ids, progress=progress)
    return {"tasks": result.tasks, "sheets": len(result.sheets), "bytes": target.stat().st_size}


HANDLERS: dict[str, Handler] = {"import": _run_import, "reminders": _run_reminders, "export": _run_export}


def _claim(engine: Engine, job_id: int) -> tuple[str, dict[str, Any]] | None:
    """Mark a queued job running; None when another process took it first (or it does not exist)."""
    with unit_of_work(engine) as conn:
        taken = conn.execute(
            jobs.update()
            .where(jobs.c.id == job_id, jobs.c.status == QUEUED)
            .values(status=RUNNING, started_at=_now())
        )
        if taken.rowcount != 1:
            return None
        row = conn.execute(sa.select(jobs.c.kind, jobs.c.params).where(jobs.c.id == job_id)).one()
    return str(row.kind), dict(row.params or {})


def _finish(engine: Engine, job_id: int, **values: Any) -> None:
    with unit_of_work(engine) as conn:
        conn.execute(jobs.update().where(jobs.c.id == job_id).values(finished_at=_now(), **values))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def run_job(engine: Engine, settings: Settings, job_id: int) -> JobInfo:
    """Run one queued job to its end and return it: done with a result, or failed with a message.

    A job already taken by another process is left alone (and returned as it stands). An
    unexpected error fails the job with a generic message; its traceback goes to the log.
    """
    claimed = _claim(engine, job_id)
    if claimed is None:
        with engine.connect() as conn:
            return get_job(conn, job_id)
    kind, params = claimed
    progress = ProgressWriter(engine, job_id)
    try:
        result = HANDLERS[kind](engine, settings, params, progress)
    except TaizhangError as exc:
        log.warning("job %s (%s) failed: %s", job_id, kind, exc)
        _finish(engine, job_id, status=FAILED, error=str(exc))
    except Exception:
        log.exception("job %s (%s) failed", job_id, kind)
        _finish(engine, job_id, status=FAILED, error="内部错误：后台任务意外中止，详情见任务进程的日志")
    else:
        _finish(engine, job_id, status=DONE, result=_jsonable(result), stage=None)
    finally:
        progress.close()
    with engine.connect() as conn:
        return get_job(conn, job_id)

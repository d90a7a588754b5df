"""Background jobs on the web: the office uploads a gazette (/imports) and follows its job (/jobs);
a large ledger export (/ledger.xlsx) becomes a job too, followed and downloaded by whoever asked.

An upload is saved under ``upload_dir/imports`` and becomes a job; with Redis configured a
``taizhang worker`` imports it and the job page shows its progress, without Redis the request
imports it at once. The API has the same: ``POST /api/imports`` answers 202 with the job.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from ...errors import InvalidInput, NotFound, PermissionDenied
from ...services import jobs as service
from ...services.database import unit_of_work
from ...services.queries import TaskFilter
from ...services.queue import enqueue
from ...settings import Settings
from ...storage.tables_jobs import jobs
from ..deps import CurrentUser, DbConn, OfficeUser, SettingsDep, UserInfo
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["jobs"])

CHUNK = 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIXES = (".txt", ".pdf", ".docx", ".ofd", ".doc", ".wps")
UploadField = Annotated[UploadFile, File(description="a gazette issue or document: .txt, .pdf or .docx")]


async def _save_upload(upload: UploadFile, settings: Settings) -> Path:
    name = upload.filename or ""
    suffix = Path(name).suffix.lower()
    if not name:
        raise InvalidInput("请选择要导入的文件")
    if suffix not in SUFFIXES:
        raise InvalidInput(f"文件 {name} 的格式不支持：只能导入 .txt、.pdf、.docx、.ofd、.doc 或 .wps 文件")
    folder = Path(settings.upload_dir) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    limit = settings.max_upload_mb * 1024 * 1024
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise InvalidInput(f"文件 {name} 超过 {settings.max_upload_mb} MB")
            out.write(chunk)
    if size == 0:
        target.unlink(missing_ok=True)
        raise InvalidInput(f"文件 {name} 是空的")
    return target


async def start_import(request: Request, upload: UploadFile, user: UserInfo, settings: Settings) -> int:
    """Save the upload, make its job and hand it to the queue (or run it now); returns the job id."""
    path = await _save_upload(upload, settings)
    engine = request.app.state.engine

    def make_and_hand_over() -> int:
        # its own transaction, committed before the queue (or this very request) runs the job
        with unit_of_work(engine) as conn:
            job_id = service.create_job(
                conn,
                "import",
                f"导入 {upload.filename}",
                {"path": str(path.resolve()), "name": upload.filename, "city": settings.city},
                user_id=user.id,
            )
        enqueue(engine, settings, job_id)
        return job_id

    # in a thread: without Redis the whole import runs inline, and on the event loop it would stop
    # every other request of the process until it ended
    return await run_in_threadpool(make_and_hand_over)


def start_export(request: Request, user: UserInfo, settings: Settings, wanted: TaskFilter) -> int:
    """Make an export job for the tasks ``wanted`` selects and hand it to the queue; returns its id."""
    engine = request.app.state.engine
    with unit_of_work(engine) as conn:
        job_id = service.create_job(conn, "export", "导出台账（Excel）", {}, user_id=user.id)
        conn.execute(
            jobs.update()
            .where(jobs.c.id == job_id)
            .values(params={"job_id": job_id, "filter": wanted.to_params()})
        )
    enqueue(engine, settings, job_id)
    return job_id


def _own_job(conn: Any, job_id: int, user: UserInfo) -> service.JobInfo:
    """A job the user may follow: any job for the office, their own export for anyone else."""
    job = service.get_job(conn, job_id)
    if user.role != "office" and not (job.kind == "export" and job.created_by == user.id):
        raise PermissionDenied("只能查看自己发起的导出任务")
    return job


@router.get("/imports", response_class=HTMLResponse)
def imports_page(request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep) -> HTMLResponse:
    """The upload form and the recent imports."""
    return render(
        request,
        "pages/imports.html",
        jobs=service.list_jobs(conn, kind="import"),
        max_mb=settings.max_upload_mb,
    )


@router.post("/imports")
async def upload_import(
    request: Request, user: OfficeUser, settings: SettingsDep, file: UploadField
) -> RedirectResponse:
    """Upload a gazette: it becomes an import job; the browser follows it on the job's page."""
    job_id = await start_import(request, file, user, settings)
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


@router.get("/jobs", response_class=HTMLResponse)
def jobs_page(request: Request, conn: DbConn, user: OfficeUser) -> HTMLResponse:
    """Every recent background job: imports and daily reminders."""
    return render(request, "pages/jobs.html", jobs=service.list_jobs(conn))


@router.get("/jobs/{job_id:int}", response_class=HTMLResponse)
def job_page(job_id: int, request: Request, conn: DbConn, user: CurrentUser) -> HTMLResponse:
    """One job: its progress while it runs (the page refreshes itself), then its result."""
    return render(request, "pages/job.html", job=_own_job(conn, job_id, user))


@router.get("/jobs/{job_id:int}/ledger.xlsx")
def job_download(job_id: int, conn: DbConn, user: CurrentUser, settings: SettingsDep) -> FileResponse:
    """The workbook of a finished export job."""
    job = _own_job(conn, job_id, user)
    path = service.export_path(settings, job_id)
    if job.kind != "export" or job.status != service.DONE or not path.exists():
        raise NotFound(f"后台任务 {job_id} 没有可下载的表格")
    return FileResponse(path, media_type=XLSX, filename="ledger.xlsx")


@router.post("/api/imports", status_code=202, tags=["api"])
async def api_upload_import(
    request: Request, user: OfficeUser, settings: SettingsDep, file: UploadField
) -> JSONResponse:
    """Upload a gazette (multipart field ``file``); answers 202 with the job to poll at /api/jobs/{id}."""
    job_id = await start_import(request, file, user, settings)
    with request.app.state.engine.connect() as conn:
        job = service.get_job(conn, job_id)
    return JSONResponse(job.to_dict(), status_code=202, headers={"Location": f"/api/jobs/{job_id}"})


@router.get("/api/jobs", tags=["api"])
def api_jobs(conn: DbConn, user: OfficeUser, kind: str | None = None, limit: int = 50) -> dict[str, Any]:
    """The newest jobs, optionally of one kind (``import``, ``reminders``)."""
    found = service.list_jobs(conn, kind=kind, limit=limit)
    return {"data": [job.to_dict() for job in found], "count": len(found)}


@router.get("/api/jobs/{job_id}", tags=["api"])
def api_job(job_id: int, conn: DbConn, user: OfficeUser) -> dict[str, Any]:
    """One job: status, stage, done/total, result or error."""
    return service.get_job(conn, job_id).to_dict()

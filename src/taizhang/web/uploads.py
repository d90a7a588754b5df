"""Read a report or a new task from a request body: JSON, or a multipart form with attached files."""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile

from ..errors import InvalidInput
from ..settings import Settings
from .backend import attachments
from .errors import validation_message
from .schemas import ReportCreate, TaskCreate

_Model = TypeVar("_Model", bound=BaseModel)


def _validated(model: type[_Model], data: dict[str, Any]) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("；".join(validation_message(dict(e)) for e in exc.errors())) from None


def _is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("application/json")


async def _json_object(request: Request) -> dict[str, Any]:
    """The body's JSON object ({} for any other JSON value); refused when the body is not JSON."""
    try:
        data = await request.json()
    except ValueError:
        raise InvalidInput("请求体不是有效的 JSON") from None
    return data if isinstance(data, dict) else {}


def _with_key(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    key = request.headers.get("idempotency-key")
    return {**data, "idempotency_key": key} if key else data


def _within_limits(report: ReportCreate, uploads: list[Any], settings: Settings) -> ReportCreate:
    chars = sum(len(text) for text in (report.practice, report.results, report.problems, report.next_steps))
    if chars > settings.max_report_chars:
        raise InvalidInput(f"报告过长：共 {chars} 字，最多 {settings.max_report_chars} 字，请精简或改为附件")
    if len(uploads) > settings.max_attachments:
        raise InvalidInput(f"附件过多：{len(uploads)} 个，一份报告最多 {settings.max_attachments} 个")
    return report


async def read_report(request: Request) -> tuple[ReportCreate, list[Any]]:
    """The report fields and its uploads (``attachments.Upload``), from JSON or multipart.

    An ``Idempotency-Key`` header wins over an ``idempotency_key`` field. The body as a whole is
    bounded by :class:`~taizhang.web.middleware.BodyLimitMiddleware`; here the report's length
    and its number of attachments (``max_report_chars``, ``max_attachments``).
    """
    settings: Settings = request.app.state.settings
    if _is_json(request):
        report = _validated(ReportCreate, _with_key(request, await _json_object(request)))
        return _within_limits(report, [], settings), []
    form = await request.form()
    uploads = await read_files(form, settings, "一份报告")
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k in ReportCreate.model_fields}
    if fields.get("percent", None) == "":
        fields.pop("percent")
    return _within_limits(_validated(ReportCreate, _with_key(request, fields)), uploads, settings), uploads


async def read_files(form: Any, settings: Settings, what: str) -> list[attachments.Upload]:
    """The ``attachments`` files of a multipart form, within ``max_attachments`` and the size limit
    (both refused before a byte is stored)."""
    if len(form.getlist("attachments")) > settings.max_attachments:
        raise InvalidInput(f"附件过多：{what}最多 {settings.max_attachments} 个")
    uploads = []
    for item in form.getlist("attachments"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if len(data) > attachments.MAX_UPLOAD_BYTES:
                raise InvalidInput(
                    f"附件 {item.filename} 超过 {attachments.MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
                )
            uploads.append(attachments.Upload(item.filename, item.content_type, data))
    return uploads


async def new_task_files(request: Request) -> list[attachments.Upload]:
    """The files of the 立项 form (a multipart form; none from a form without files)."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        return []
    return await read_files(await request.form(), request.app.state.settings, "一项任务")


_LISTS = ("lead", "responsible", "cooperating")
_YES = ("1", "true", "on", "yes")


async def read_task(request: Request) -> tuple[TaskCreate, list[attachments.Upload]]:
    """立项 from JSON, or from a multipart form with ``attachments`` files (立项附件); a unit list
    field may repeat."""
    settings: Settings = request.app.state.settings
    if _is_json(request):
        return _validated(TaskCreate, await _json_object(request)), []
    form = await request.form()
    uploads = await read_files(form, settings, "一项任务")
    fields: dict[str, Any] = {
        k: v
        for k, v in form.items()
        if isinstance(v, str) and k in TaskCreate.model_fields and k not in _LISTS
    }
    for name in _LISTS:
        fields[name] = [v for v in form.getlist(name) if isinstance(v, str) and v.strip()]
    fields["is_public"] = str(fields.get("is_public", "")).lower() in _YES
    return _validated(TaskCreate, fields), uploads


def _body_doc(model: type[BaseModel]) -> dict[str, Any]:
    """The OpenAPI request body of an endpoint that takes ``model`` as JSON, or as multipart form
    fields with ``attachments`` files."""
    schema = model.model_json_schema()
    files = {"type": "array", "items": {"type": "string", "format": "binary"}}
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {**schema["properties"], "attachments": files}}
                },
            },
        }
    }


REPORT_BODY_DOC = _body_doc(ReportCreate)
TASK_BODY_DOC = _body_doc(TaskCreate)

"""Read a report from a request body: JSON, or a multipart form with attached files."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ..errors import InvalidInput
from ..settings import Settings
from .backend import workflow
from .errors import validation_message
from .schemas import ReportCreate


def _validated(data: dict[str, Any]) -> ReportCreate:
    try:
        return ReportCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("；".join(validation_message(dict(e)) for e in exc.errors())) from None


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
    """The report fields and its uploads (``workflow.Upload``), from JSON or multipart.

    An ``Idempotency-Key`` header wins over an ``idempotency_key`` field. The body as a whole is
    bounded by :class:`~taizhang.web.middleware.BodyLimitMiddleware`; here the report's length
    and its number of attachments (``max_report_chars``, ``max_attachments``).
    """
    settings: Settings = request.app.state.settings
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise InvalidInput("请求体不是有效的 JSON") from None
        report = _validated(_with_key(request, data if isinstance(data, dict) else {}))
        return _within_limits(report, [], settings), []
    form = await request.form()
    if len(form.getlist("attachments")) > settings.max_attachments:
        raise InvalidInput(f"附件过多：一份报告最多 {settings.max_attachments} 个")
    fields = {k: v for k, v in form.items() if isinstance(v, str) and k in ReportCreate.model_fields}
    if fields.get("percent", None) == "":
        fields.pop("percent")
    uploads = []
    for item in form.getlist("attachments"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read()
            if len(data) > workflow.MAX_UPLOAD_BYTES:
                raise InvalidInput(f"附件 {item.filename} 超过 {workflow.MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
            uploads.append(workflow.Upload(item.filename, item.content_type, data))
    return _within_limits(_validated(_with_key(request, fields)), uploads, settings), uploads


REPORT_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": ReportCreate.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **ReportCreate.model_json_schema()["properties"],
                        "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        },
    }
}

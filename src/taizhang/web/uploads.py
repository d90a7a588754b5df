"""Read a report from a request body: JSON, or a multipart form with attached files."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from ..errors import InvalidInput
from .backend import workflow
from .schemas import ReportCreate


def _validated(data: dict[str, Any]) -> ReportCreate:
    try:
        return ReportCreate.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InvalidInput(f"{'.'.join(map(str, first['loc']))}: {first['msg']}") from None


def _with_key(request: Request, data: dict[str, Any]) -> dict[str, Any]:
    key = request.headers.get("idempotency-key")
    return {**data, "idempotency_key": key} if key else data


async def read_report(request: Request) -> tuple[ReportCreate, list[Any]]:
    """The report fields and its uploads (``workflow.Upload``), from JSON or multipart.

    An ``Idempotency-Key`` header wins over an ``idempotency_key`` field.
    """
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise InvalidInput("请求体不是有效的 JSON") from None
        return _validated(_with_key(request, data if isinstance(data, dict) else {})), []
    form = await request.form()
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
    return _validated(_with_key(request, fields)), uploads


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

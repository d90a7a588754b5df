"""Map the project's errors to HTTP, once: JSON under /api, an HTML page (or the login page) elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from ..errors import (
    AuthenticationRequired,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    TaizhangError,
    TooManyAttempts,
    UnknownUnit,
)

log = logging.getLogger(__name__)

STATUS_BY_ERROR: tuple[tuple[type[TaizhangError], int], ...] = (
    (TooManyAttempts, 429),
    (AuthenticationRequired, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (InvalidTransition, 409),  # the request is fine, the task's state forbids it
    (InvalidInput, 400),
    (UnknownUnit, 400),
)

TITLES = {400: "输入有误", 401: "请先登录", 403: "无权操作", 404: "未找到", 409: "当前状态不允许此操作",
          429: "操作过于频繁"}


def status_for(exc: TaizhangError) -> int:
    """The HTTP status of an error: the first matching class in :data:`STATUS_BY_ERROR`, else 400."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 400


def wants_json(request: Request) -> bool:
    """API paths and clients that ask for JSON get JSON errors."""
    return request.url.path.startswith("/api") or "application/json" in request.headers.get("accept", "")


async def _handle(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TaizhangError)
    status = status_for(exc)
    log.info("%s %s -> %d: %s", request.method, request.url.path, status, exc)
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "pages/error.html", {"title": TITLES.get(status, "出错了"), "message": str(exc), "status": status},
        status_code=status,
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on ``app``."""
    app.add_exception_handler(TaizhangError, _handle)

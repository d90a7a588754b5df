"""Map errors to HTTP, once: JSON under /api, a Chinese page inside the normal layout elsewhere.

The project's errors keep their own status; bad query or form values (FastAPI's validation) are a
400 with a Chinese message per field; an unknown address is a Chinese 404; anything unexpected is
logged and shown as a Chinese 500, never a traceback. An error page keeps the visitor's menu and
shows what was typed into the form, so nothing is lost.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (
    AuthenticationRequired,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    TaizhangError,
    TooManyAttempts,
    UnknownUnit,
    validation_text,
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

TITLES = {
    400: "输入有误",
    401: "请先登录",
    403: "无权操作",
    404: "未找到",
    405: "不支持此操作",
    409: "当前状态不允许此操作",
    413: "上传内容过大",
    429: "操作过于频繁",
    500: "系统出错",
}
HTTP_MESSAGES = {
    404: "没有这个页面：请检查地址，或从菜单进入。",
    405: "此地址不支持这种请求方式。",
    413: "上传的内容过大。",
    500: "系统内部出错，已记录在日志中；请稍后重试或联系管理员。",
}

# The names of query and form fields as a user reads them on the page.
FIELD_NAMES = {
    "percent": "完成进度",
    "as_of": "截至日期",
    "due_on": "截止日期",
    "due_before": "截止日期（止）",
    "due_after": "截止日期（起）",
    "period": "期间",
    "page": "页码",
    "limit": "条数",
    "offset": "偏移",
    "unit": "单位",
    "role": "角色",
    "status": "状态",
    "title": "标题",
    "body": "内容",
    "reason": "理由",
    "message": "内容",
    "value": "数值",
    "subject": "对象",
    "name": "名称",
    "password": "密码",
    "requested_due": "申请的截止日期",
    "task_ids": "任务",
    "document": "文件",
    "q": "关键词",
    "on": "日期",
    "start": "开始日期",
    "end": "结束日期",
    "file": "文件",
    "workbook": "表格",
}
# Pydantic's error types in Chinese; {ctx keys} are filled from the error's context.
SECRET_FIELDS = ("csrf_token", "password", "current_password", "new_password")


def status_for(exc: TaizhangError) -> int:
    """The HTTP status of an error: the first matching class in :data:`STATUS_BY_ERROR`, else 400."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 400


def wants_json(request: Request) -> bool:
    """API paths and clients that ask for JSON get JSON errors."""
    return request.url.path.startswith("/api") or "application/json" in request.headers.get("accept", "")


def field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """The field an error is about, as the page names it (its last location part)."""
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "header", "cookie")]
    if not parts:
        return "请求"
    last = parts[-1]
    return FIELD_NAMES.get(last, last)


def validation_message(error: dict[str, Any]) -> str:
    """One validation error in Chinese: ``完成进度：不能大于 100``."""
    return f"{field_name(error.get('loc', ()))}：{validation_text(error)}"


def _page_user(request: Request) -> object | None:
    """The visitor, for the menu: as the route found it, else from the session cookie."""
    user = getattr(request.state, "user", None)
    session = getattr(request.state, "session", None)
    if user is not None or session is None or session.user_id is None:
        return user
    from .backend import accounts  # the error path only: keeps this module light to import

    try:
        with request.app.state.engine.connect() as conn:
            return accounts.get_user(conn, session.user_id)
    except Exception:  # an error page must render even when the database cannot answer
        log.debug("no user for the error page", exc_info=True)
        return None


async def _typed_values(request: Request) -> list[tuple[str, str]]:
    """What the visitor typed into the form (no passwords, tokens or files), to show on the error page."""
    if request.method != "POST" or "form" not in request.headers.get("content-type", ""):
        return []
    try:
        form = await request.form()
    except Exception:  # a body already read or malformed: the page still renders
        return []
    typed = []
    for key, value in form.multi_items():
        if key in SECRET_FIELDS or not isinstance(value, str) or not value.strip():
            continue
        typed.append((FIELD_NAMES.get(key, key), value))
    return typed


async def error_page(request: Request, status: int, message: str) -> Response:
    """The error page inside the normal layout: the visitor's menu, the message, what was typed."""
    templates = request.app.state.templates
    session = getattr(request.state, "session", None)
    context = {
        "title": TITLES.get(status, "出错了"),
        "message": message,
        "status": status,
        "user": _page_user(request),
        "typed": await _typed_values(request),
        "csrf_token": session.csrf if session is not None else "",
    }
    return templates.TemplateResponse(request, "pages/error.html", context, status_code=status)


async def _handle(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TaizhangError)
    status = status_for(exc)
    log.info("%s %s -> %d: %s", request.method, request.url.path, status, exc)
    if wants_json(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
    if status == 401 and request.method == "GET":
        return RedirectResponse(f"/login?next={quote(str(request.url.path))}", status_code=303)
    return await error_page(request, status, str(exc))


async def _handle_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    log.info("%s %s -> 400: %s", request.method, request.url.path, errors)
    if wants_json(request):
        detail = [
            {"loc": list(e.get("loc", ())), "msg": validation_message(e), "type": e.get("type")}
            for e in errors
        ]
        return JSONResponse({"detail": detail}, status_code=422)
    return await error_page(request, 400, "；".join(validation_message(e) for e in errors) or "请求格式不对")


async def _handle_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = HTTP_MESSAGES.get(status) or TITLES.get(status, "请求无法完成")
    if wants_json(request):
        detail = message if exc.detail in (None, "", "Not Found", "Method Not Allowed") else exc.detail
        return JSONResponse({"detail": detail}, status_code=status, headers=getattr(exc, "headers", None))
    return await error_page(request, status, message)


async def _handle_bug(request: Request, exc: Exception) -> Response:
    log.exception("%s %s -> 500", request.method, request.url.path)
    if wants_json(request):
        return JSONResponse({"detail": HTTP_MESSAGES[500]}, status_code=500)
    try:
        return await error_page(request, 500, HTTP_MESSAGES[500])
    except Exception:  # the layout itself failed: plain Chinese text, still no traceback
        log.exception("the error page failed")
        return Response(HTTP_MESSAGES[500], status_code=500, media_type="text/plain; charset=utf-8")


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on ``app``."""
    app.add_exception_handler(TaizhangError, _handle)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(Exception, _handle_bug)

"""Rendering pages: the shared context (user, CSRF token) and the Jinja filters the templates use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment

from ..extract.model import flag_label
from ..ledger.permissions import ROLE_LABELS

ROLE_NAMES = {"lead": "牵头单位", "responsible": "责任单位", "cooperating": "配合单位"}
COLOUR_NAMES = {"red": "红灯 (逾期)", "yellow": "黄灯 (临期或缺报)", "green": "绿灯 (正常)", "grey": "已办结"}
USER_ROLES = ROLE_LABELS
DECISIONS = {"approved": "已同意", "refused": "不同意", "returned": "已退回", None: "待处理"}
REPORT_KINDS = {"progress": "进展报告", "completion": "办结申请", "extension": "延期申请"}


# Beijing time: the ledger stores UTC, its users read 北京时间 (China keeps no summer time)
BEIJING = timezone(timedelta(hours=8), "北京时间")


def _date(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)  # stored naive means UTC
        return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def install_filters(env: Environment) -> None:
    """Filters and globals the templates rely on."""
    env.filters["d"] = _date
    env.filters["flag"] = flag_label
    env.globals.update(
        ROLE_NAMES=ROLE_NAMES,
        COLOUR_NAMES=COLOUR_NAMES,
        USER_ROLES=USER_ROLES,
        DECISIONS=DECISIONS,
        REPORT_KINDS=REPORT_KINDS,
    )


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page with the logged-in user and the session's CSRF token in its context."""
    session = request.state.session
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("unread_notices", getattr(request.state, "unread_notices", None))  # the menu's 通知
    context["csrf_token"] = session.csrf
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status_code)

"""Login and logout: a form with a CSRF token, failed attempts rate-limited by the accounts service."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ...errors import AuthenticationRequired, PermissionDenied, TooManyAttempts
from ...ledger.permissions import may_open
from ..backend import accounts
from ..deps import DbConn, MaybeUser, SessionDep, SettingsDep
from ..login_gate import ChecksBusy, PasswordChecks
from ..routing import CommitRoute
from ..security import csrf_matches
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link must not bounce the user to another site."""
    # "//host" and "/\host" are both read by browsers as another site
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    """The login form."""
    return render(request, "pages/login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> HTMLResponse:
    """Check the form's CSRF token and the password; on success bind the session to the user.

    Holds no database connection while the password is checked, waits for one of the
    ``password_checks_at_once`` slots without holding a thread, and checks on the password-check
    threads (web/login_gate.py); the admission gate lets this route by, so waiting logins never
    hold up other requests.
    """
    if not csrf_matches(session.csrf, csrf_token):
        raise PermissionDenied("表单已过期，请刷新登录页后重试")
    client = request.client.host if request.client else ""
    limits = accounts.LoginLimits(settings.login_attempts_per_minute, settings.login_attempts_per_account)
    checks: PasswordChecks = request.app.state.password_checks
    name = name.strip()
    try:
        if checks.refused_recently(name, client):
            raise TooManyAttempts("登录失败次数过多，请一分钟后再试")
        user = await checks.run(
            partial(
                accounts.log_in,
                request.app.state.engine,
                name,
                password,
                client=client,
                now=datetime.now(UTC),
                limits=limits,
            )
        )
    except TooManyAttempts as exc:
        if not isinstance(exc, ChecksBusy):  # the login limit refused this name and address
            checks.remember_refusal(name, client)
        return render(request, "pages/login.html", status_code=429, next=_safe_next(next), error=str(exc))
    except AuthenticationRequired:
        return render(
            request, "pages/login.html", status_code=401, next=_safe_next(next), error="用户名或密码错误"
        )
    session.login(user.id, user.session_version)
    target = _safe_next(next)
    if not may_open(user, target):  # a 督查组 account starts at its campaigns
        target = "/campaigns"
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(session: SessionDep, conn: DbConn, user: MaybeUser) -> RedirectResponse:
    """End the user's sessions (copies of the cookie included) and forget the user."""
    if user is not None:
        accounts.end_sessions(conn, user.id)
    session.logout()
    return RedirectResponse("/login", status_code=303)

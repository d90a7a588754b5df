"""The office's administration on the web (/admin): users, the unit directory, the issuer; and
every user's own password page (/account/password)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInput, NotFound, UnknownUnit
from ...services import accounts, admin, deployment, units
from ..deps import CurrentUser, DbConn, OfficeUser, SettingsDep
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])
TextField = Annotated[str, Form()]


def _admin_page(
    request: Request,
    conn: DbConn,
    settings: SettingsDep,
    *,
    done: str = "",
    error: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "pages/admin.html",
        status_code=status_code,
        users=accounts.list_users(conn),
        units=units.list_units(conn),
        issuer=deployment.issuer_of(conn, settings),
        issuer_set=bool(settings.issuer or deployment.stored_issuer(conn)),
        roles=admin.ROLES,
        kinds=admin.KINDS,
        done=done,
        error=error,
    )


@router.get("/admin", response_class=HTMLResponse)
def admin_page(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, done: str = ""
) -> HTMLResponse:
    """Users with their role, unit and state; the unit directory; the issuer of letters."""
    return _admin_page(request, conn, settings, done=done)


def _done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/admin?done={what}", status_code=303)


def _run(
    request: Request, conn: DbConn, settings: SettingsDep, what: str, action: Callable[[], object]
) -> Response:
    """Run one change; a refusal shows the page again with its reason (nothing was written)."""
    try:
        action()
    except (InvalidInput, UnknownUnit, NotFound) as exc:
        return _admin_page(request, conn, settings, error=str(exc), status_code=400)
    return _done(what)


@router.post("/admin/issuer")
def post_issuer(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, issuer: TextField = ""
) -> Response:
    """The office names the 发文机关 of letters and notices (stored; overrides the configuration)."""
    return _run(request, conn, settings, "issuer", lambda: deployment.set_issuer(conn, user, issuer))


@router.post("/admin/users")
def post_add_user(
    request: Request,
    conn: DbConn,
    user: OfficeUser,
    settings: SettingsDep,
    name: TextField,
    password: TextField,
    role: TextField,
    unit: TextField = "",
    email: TextField = "",
) -> Response:
    """Add a user."""
    return _run(
        request,
        conn,
        settings,
        "user",
        lambda: accounts.add_user(conn, name, password, role, unit or None, email or None, actor=user.name),
    )


@router.post("/admin/users/{name}/role")
def post_role(
    request: Request,
    conn: DbConn,
    user: OfficeUser,
    settings: SettingsDep,
    name: str,
    role: TextField,
    unit: TextField = "",
) -> Response:
    """Change a user's role and unit."""
    return _run(request, conn, settings, "role", lambda: admin.set_role(conn, user, name, role, unit or None))


@router.post("/admin/users/{name}/password")
def post_reset_password(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, name: str, password: TextField
) -> Response:
    """Reset a user's password (their sessions end)."""
    return _run(
        request,
        conn,
        settings,
        "password",
        lambda: accounts.set_password(conn, name, password, actor=user.name),
    )


@router.post("/admin/users/{name}/active")
def post_active(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, name: str, active: TextField = ""
) -> Response:
    """Disable (or enable again) a user; disabling revokes the API token."""
    if name == user.name and not active:
        return _admin_page(request, conn, settings, error="不能停用自己的账户", status_code=400)
    return _run(
        request,
        conn,
        settings,
        "active",
        lambda: accounts.set_active(conn, name, bool(active), actor=user.name),
    )


@router.post("/admin/units")
def post_add_unit(
    request: Request,
    conn: DbConn,
    user: OfficeUser,
    settings: SettingsDep,
    name: TextField,
    kind: TextField = "",
) -> Response:
    """Add a unit to the directory."""
    return _run(request, conn, settings, "unit", lambda: admin.add_unit(conn, user, name, kind or None))


@router.post("/admin/units/alias")
def post_alias(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, alias: TextField, unit: TextField
) -> Response:
    """Another name of a unit."""
    return _run(request, conn, settings, "alias", lambda: units.add_alias(conn, alias, unit, actor=user.name))


@router.post("/admin/units/member")
def post_member(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, group: TextField, unit: TextField
) -> Response:
    """A unit joins a group (各县(区))."""
    return _run(
        request, conn, settings, "member", lambda: units.add_member(conn, group, unit, actor=user.name)
    )


@router.post("/admin/units/merge")
def post_merge(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, keep: TextField, gone: TextField
) -> Response:
    """Merge one unit into another; its tasks follow."""
    return _run(request, conn, settings, "merge", lambda: admin.merge_units(conn, user, keep, gone))


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, user: CurrentUser, done: str = "") -> HTMLResponse:
    """Change one's own password."""
    return render(request, "pages/password.html", done=done, error="")


@router.post("/account/password", response_class=HTMLResponse)
def post_password(
    request: Request, conn: DbConn, user: CurrentUser, current: TextField, new: TextField, repeated: TextField
) -> Response:
    """Check the current password, set the new one (other sessions end; this one is signed in again)."""
    try:
        admin.change_own_password(conn, user, current, new, repeated)
    except InvalidInput as exc:
        return render(request, "pages/password.html", status_code=400, done="", error=str(exc))
    return RedirectResponse("/login?next=/", status_code=303)

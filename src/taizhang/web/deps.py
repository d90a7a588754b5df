"""FastAPI dependencies as ``Annotated`` aliases: the database connection, the user, CSRF."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Connection, Engine
from starlette.concurrency import run_in_threadpool

from ..errors import AuthenticationRequired, NotFound, PermissionDenied
from ..ledger import permissions as perm
from ..ledger.permissions import ROLE_LABELS
from ..settings import Settings
from ..storage.engine import is_sqlite
from .backend import accounts, notice_reads, user_info
from .security import CSRF_FIELD, CSRF_HEADER, Session, bearer_token, csrf_matches

UserInfo = user_info.UserInfo
T = TypeVar("T")


def get_conn(request: Request) -> Iterator[Connection]:
    """One transaction per request: committed when the route returns, rolled back when it raises.

    A plain-``def`` route commits it itself, in its own thread (web/routing.py); what is still open
    here (an ``async`` route's writes) is committed now.
    """
    with request.app.state.engine.connect() as conn:
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


# scope="function": commit before the response leaves, so the page a redirect leads to (or the
# client's next call) always sees the change; committing after sending lost that race under load.
DbConn = Annotated[Connection, Depends(get_conn, scope="function")]


def get_read_conn(request: Request, conn: DbConn) -> Iterator[Connection]:
    """A read-only connection for pages that only read: the replica when ``read_database_url`` is set,
    else the request's own connection. A second connection from the same pool would let every request
    thread hold one connection while waiting for another (the pool is sized to the threads)."""
    if request.app.state.read_engine is request.app.state.engine:
        yield conn
        return
    with request.app.state.read_engine.connect() as read:
        yield read


# the dashboard and the public site: a replica may lag a moment behind, which they can afford
ReadConn = Annotated[Connection, Depends(get_read_conn, scope="function")]


# Dependencies that only read the request are ``async def``: FastAPI runs a plain ``def`` in the
# threadpool, and each hop there cost more than the dependency itself (a GET /api/tasks had seven).
async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_session(request: Request) -> Session:
    """The signed-cookie session (the middleware always provides one)."""
    return request.state.session


SessionDep = Annotated[Session, Depends(get_session)]


# Declares the bearer scheme in the OpenAPI description; the header is read by optional_user.
bearer_scheme = HTTPBearer(auto_error=False, description="a token from `taizhang token NAME`")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]


def optional_user(
    request: Request, conn: DbConn, session: SessionDep, _: BearerCredentials
) -> UserInfo | None:
    """The user of a bearer token or of the session cookie, or None for an anonymous visitor."""
    token = bearer_token(request.headers.get("authorization"))
    if token:
        user = accounts.user_for_token(conn, token)
        if user is None:
            raise AuthenticationRequired("API 令牌无效")
        request.state.user = user
        return user
    if session.user_id is None:
        return None
    try:
        user = accounts.get_user(conn, session.user_id)
    except NotFound:
        session.logout()
        return None
    if user.session_version != session.version:  # ended by logout, a new password or disabling
        session.logout()
        return None
    request.state.user = user
    if user.role == "unit":  # the menu of a signed-in unit shows its unread 通知 (pages only: no bearer)
        request.state.unread_notices = notice_reads.unread_count(conn, user)
    return user


MaybeUser = Annotated[UserInfo | None, Depends(optional_user)]


def signed_in(request: Request, user: UserInfo | None) -> UserInfo:
    """``user`` when logged in (session or token); anonymous requests get 401, and a role confined to
    part of the site (督查组: its campaigns) gets 403 elsewhere."""
    if user is None:
        raise AuthenticationRequired("请先登录")
    role = ROLE_LABELS.get(user.role, user.role)
    perm.require(perm.may_open(user, request.url.path), f"{role}账户只能办理专项行动")
    return user


async def current_user(request: Request, user: MaybeUser) -> UserInfo:
    """A logged-in user (see :func:`signed_in`)."""
    return signed_in(request, user)


async def read_signed_in(
    request: Request, read: Callable[[Connection, UserInfo], T], *, bounded: bool = False
) -> T:
    """``read(conn, user)`` for a logged-in user, in one threadpool hop with its own connection.

    A read-only route that takes ``DbConn`` and ``CurrentUser`` costs four hops (the connection's
    opening and closing, the user, the endpoint), each a trip through the event loop and the GIL;
    a listing's page costs less than those. Here the user is found and checked as ``CurrentUser``
    would, the read runs, and the connection closes (rolling back: nothing was written), in one hop.

    ``bounded``: the read is one page found by an index (its cost does not grow with the ledger
    or the words of a search). On SQLite (no network to wait on) such a read runs on the event
    loop with no hop at all: the hop itself (waking a thread, handing the result back) costs more
    CPU than the read. Only while the pool has an idle connection, so the loop never waits for
    one that a request thread holds.
    """

    def run() -> T:
        with request.app.state.engine.connect() as conn:
            user = optional_user(request, conn, request.state.session, None)
            return read(conn, signed_in(request, user))

    engine = request.app.state.engine
    if bounded and is_sqlite(engine) and _idle_connection(engine):
        return run()
    return await run_in_threadpool(run)


def _idle_connection(engine: Engine) -> bool:
    """True when ``engine``'s pool holds a connection no one is using (pools that keep one per thread count too)."""
    idle = getattr(engine.pool, "checkedin", None)
    return idle is None or idle() > 0


CurrentUser = Annotated[UserInfo, Depends(current_user)]


async def office_user(user: CurrentUser) -> UserInfo:
    """A user of the supervision office (督查室); others get 403."""
    if user.role != "office":
        raise PermissionDenied("只有督查室可以执行此操作")
    return user


OfficeUser = Annotated[UserInfo, Depends(office_user)]


async def check_csrf(request: Request) -> None:
    """Refuse a POST made with the session cookie that does not carry the session's CSRF token.

    Bearer-token calls carry no cookie and anonymous requests hold no authority, so only
    cookie-authenticated writes are checked here; the login form checks its token itself.
    """
    if request.method in ("GET", "HEAD", "OPTIONS") or bearer_token(request.headers.get("authorization")):
        return
    session: Session = request.state.session
    if session.user_id is None:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        given = (await request.form()).get(CSRF_FIELD)
    if not csrf_matches(session.csrf, given if isinstance(given, str) else None):
        raise PermissionDenied("表单已过期或来源不明 (CSRF 校验失败)，请刷新页面后重试")


async def today(request: Request) -> date:
    """Today in the ledger's time zone (the ``time_zone`` setting), or the app's fixed ``as_of`` (demo and tests)."""
    return request.app.state.as_of or datetime.now(request.app.state.settings.zone).date()


Today = Annotated[date, Depends(today)]

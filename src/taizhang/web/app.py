"""Build the web application: ``create_app(settings)``; nothing is created at import time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine

from ..errors import InsecureConfiguration
from ..services.audit import audit_key
from ..services.database import open_database
from ..settings import Settings, is_public_secret
from .deps import check_csrf
from .errors import install_error_handlers
from .limits import check_ranges
from .login_gate import PasswordChecks
from .middleware import AdmissionMiddleware, BodyLimitMiddleware, SecurityHeadersMiddleware, SessionMiddleware
from .routes import ROUTERS
from .security import SessionCodec, cookie_options
from .templating import install_filters

HERE = Path(__file__).resolve().parent


def create_app(settings: Settings, *, engine: Engine | None = None, as_of: date | None = None) -> FastAPI:
    """The app on ``settings.database_url`` (or ``engine``).

    ``as_of`` fixes "today" for demos and tests. The web process runs no background work of its
    own: the daily reminders and queued jobs belong to ``taizhang worker``.

    Raises:
        InsecureConfiguration: the secret key is empty or the public default, so anyone could
            sign a session; ``taizhang serve`` says how to set one.
    """
    if is_public_secret(settings.secret_key):
        raise InsecureConfiguration(
            "会话密钥为空或为公开的默认值，任何人都能伪造登录：请运行 taizhang init 或设置 TAIZHANG_SECRET_KEY"
        )
    app = FastAPI(title="Taizhang 台账", version="0.1.0", docs_url="/api/docs", redoc_url=None)
    app.state.settings = settings
    app.state.engine = engine or open_database(
        settings.database_url,
        migrate=settings.auto_upgrade,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    # a replica follows the primary's schema: it is never migrated from here
    app.state.read_engine = (
        open_database(settings.read_database_url, migrate=False)
        if settings.read_database_url
        else app.state.engine
    )
    app.state.as_of = as_of
    app.state.password_checks = PasswordChecks(settings.password_checks_at_once)
    app.state.engine.update_execution_options(audit_key=audit_key(settings.secret_key))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    install_filters(templates.env)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(check_ranges), Depends(check_csrf)])
    install_error_handlers(app)
    app.add_middleware(
        SessionMiddleware,
        codec=SessionCodec(settings.secret_key),
        cookie_options=cookie_options(settings.environment),
    )
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_upload_mb * 1024 * 1024)
    app.add_middleware(SecurityHeadersMiddleware)
    # a request may hold two connections (the login's own transaction beside the request's); reads and
    # writes are admitted apart, so waiting writes never keep reads out
    # the login has its own gate (web/login_gate.py): its wait for a password check must not keep others out
    app.add_middleware(
        AdmissionMiddleware,
        limit=max(1, (settings.db_pool_size + settings.db_max_overflow) // 2),
        writers=max(1, settings.writes_at_once),
        exempt=frozenset({("POST", "/login")}),
    )
    return app

"""Run the web app with uvicorn: ``run_server`` on any database, ``run_demo_server`` with demo accounts."""

from __future__ import annotations

import gc
import logging
import secrets
import sys
from datetime import date

import sqlalchemy as sa
import uvicorn

from ..errors import InsecureConfiguration, UnknownUnit
from ..ledger.permissions import ROLE_LABELS
from ..services.database import open_database, unit_of_work
from ..settings import MIN_SECRET_LENGTH, Settings, is_weak_secret, load_settings
from ..storage.tables import units, users
from .app import create_app
from .backend import accounts

log = logging.getLogger(__name__)

# (account name, role, unit): the office, one city department, one county, a leader
DEMO_ACCOUNTS = (
    ("督查室", "office", None),
    ("市卫生健康委", "unit", "市卫生健康委"),
    ("中宁县", "unit", "中宁县"),
    ("领导", "leader", None),
)
DEMO_AS_OF = date(2022, 6, 30)  # the gazette is from 2022: judge its deadlines as of mid-year
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WEAK_SECRET_MESSAGE = (
    "会话密钥 TAIZHANG_SECRET_KEY 未设置、为公开的默认值或短于 {n} 个字符：任何人都能伪造登录。"
    "请运行 taizhang init 生成密钥（写入 .env），或设置环境变量 TAIZHANG_SECRET_KEY 为一个长随机值"
    "（如 python3 -c 'import secrets; print(secrets.token_urlsafe(48))' 的输出）；"
    "仅在本机开发时可加 --dev，以临时密钥只在 127.0.0.1 上运行。"
)


def serving_settings(settings: Settings, host: str, *, dev: bool = False) -> Settings:
    """``settings`` fit to serve on ``host``: a weak secret key is refused, or in loopback
    development replaced by a random key of this process (sessions end when it stops).

    Raises:
        InsecureConfiguration: the key is public or short and this is not ``dev`` on loopback.
    """
    if not is_weak_secret(settings.secret_key):
        return settings
    if not dev:
        raise InsecureConfiguration(WEAK_SECRET_MESSAGE.format(n=MIN_SECRET_LENGTH))
    if host not in LOOPBACK_HOSTS:
        raise InsecureConfiguration(
            f"--dev 只能在本机地址（127.0.0.1）上使用，不能监听 {host}："
            + WEAK_SECRET_MESSAGE.format(n=MIN_SECRET_LENGTH)
        )
    log.warning("weak secret key: serving on %s with a random key for this process only", host)
    return settings.model_copy(update={"secret_key": secrets.token_urlsafe(48)})


def run_server(
    db_url: str, host: str = "127.0.0.1", port: int = 8000, *, as_of: date | None = None, dev: bool = False
) -> None:
    """Serve the ledger at ``db_url`` until interrupted (``dev``: see :func:`serving_settings`)."""
    settings = serving_settings(load_settings(database_url=db_url), host, dev=dev)
    # X-Forwarded-For is believed only from the configured proxies (uvicorn trusts 127.0.0.1 by default)
    proxies = settings.trusted_proxies
    app = create_app(settings, as_of=as_of)
    settle_heap()
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=bool(proxies),
        forwarded_allow_ips=",".join(proxies) or None,
    )


def settle_heap() -> None:
    """Keep the objects made while starting up out of the garbage collector's reach.

    Importing SQLAlchemy, FastAPI and the app leaves a few hundred thousand objects that live as
    long as the process; without this, the collector's first full pass walks them all during
    some early request (about 120 ms on a 100,000-task dashboard, seen as its p95). Frozen after
    one collection, they are never walked again; what requests make is collected as before.
    """
    gc.collect()
    gc.freeze()


def _demo_unit(conn: sa.Connection, name: str) -> str:
    """``name`` as the directory knows it (aliases resolve); added as a unit when the import has none."""
    try:
        unit_id = accounts.resolve_unit(conn, name)  # the one resolution, services.units.resolve_unit
    except UnknownUnit:
        conn.execute(units.insert().values(name=name, kind="county" if name.endswith("县") else "department"))
        return name
    return str(conn.execute(sa.select(units.c.name).where(units.c.id == unit_id)).scalar_one())


def create_demo_accounts(db_url: str) -> list[tuple[str, str, str, str | None]]:
    """Create (or reset the passwords of) the demo accounts; returns (name, password, role, unit)."""
    engine = open_database(db_url)
    created = []
    with unit_of_work(engine) as conn:
        for name, role, unit in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(9)
            unit_name = _demo_unit(conn, unit) if unit else None
            conn.execute(users.delete().where(users.c.name == name))
            accounts.add_user(conn, name, password, role, unit_name)
            created.append((name, password, role, unit_name))
    engine.dispose()
    return created


def print_demo_accounts(db_url: str, address: str | None) -> None:
    """Create the demo accounts and show their passwords on the console (with the address when serving)."""
    created = create_demo_accounts(db_url)
    # the demo's console output is its user interface: the passwords must reach the person who ran it
    where = f"{address}（截至 {DEMO_AS_OF}）" if address else f"taizhang serve --db {db_url} --dev 后登录"
    sys.stdout.write(f"台账演示账号：{where}\n")
    for name, password, role, unit in created:
        unit_text = f"  单位：{unit}" if unit else ""
        sys.stdout.write(f"  {ROLE_LABELS.get(role, role)}  账号：{name}  密码：{password}{unit_text}\n")
    sys.stdout.flush()


def run_demo_server(db_url: str, host: str, port: int) -> None:
    """Create the demo accounts, show their passwords on the console, and serve the app."""
    print_demo_accounts(db_url, f"http://{host}:{port}/")
    run_server(db_url, host, port, as_of=DEMO_AS_OF, dev=True)

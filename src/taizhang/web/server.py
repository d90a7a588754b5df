"""Run the web app with uvicorn: ``run_server`` on any database, ``run_demo_server`` with demo accounts."""

from __future__ import annotations

import logging
import secrets
import sys
from datetime import date

import sqlalchemy as sa
import uvicorn

from ..errors import UnknownUnit
from ..services.database import open_database, unit_of_work
from ..settings import load_settings
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


def run_server(db_url: str, host: str = "127.0.0.1", port: int = 8000, *, as_of: date | None = None) -> None:
    """Serve the ledger at ``db_url`` until interrupted."""
    settings = load_settings(database_url=db_url)
    uvicorn.run(create_app(settings, as_of=as_of, remind_daily=True), host=host, port=port, log_level="info")


def _demo_unit(conn: sa.Connection, name: str) -> str:
    """``name`` as the directory knows it (aliases resolve); added as a unit when the import has none."""
    try:
        unit_id = accounts.resolve_unit(conn, name)
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


def run_demo_server(db_url: str, host: str, port: int) -> None:
    """Create the demo accounts, show their passwords on the console, and serve the app."""
    created = create_demo_accounts(db_url)
    # the demo's console output is its user interface: the passwords must reach the person who ran it
    sys.stdout.write(f"台账 demo: http://{host}:{port}/  (as of {DEMO_AS_OF})\n")
    for name, password, role, unit in created:
        sys.stdout.write(f"  {role:<7} {name:<10} password: {password}{'  unit: ' + unit if unit else ''}\n")
    sys.stdout.flush()
    run_server(db_url, host, port, as_of=DEMO_AS_OF)

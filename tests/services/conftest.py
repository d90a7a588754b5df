"""A small ledger for the service tests: one document, a few units with a group, tasks, users.

Rows are written directly with SQLAlchemy so these tests do not depend on the importer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from taizhang.services.accounts import UserInfo, add_user, get_user
from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import assignments, documents, tasks, unit_aliases, unit_members, units

PASSWORD = "correct horse battery"


@dataclass
class Ledger:
    """Ids of what the fixture created, and the users as the services see them."""

    engine: Engine
    units: dict[str, int]
    tasks: dict[str, int]
    users: dict[str, UserInfo]


def _unit(conn, name: str, kind: str = "department") -> int:
    return conn.execute(units.insert().values(name=name, kind=kind, verified=True)).inserted_primary_key[0]


def _task(conn, doc_id: int, key: str, title: str, kind: str, due: date | None, status: str) -> int:
    return conn.execute(
        tasks.insert().values(
            document_id=doc_id, key=key, source="text", label=key, title=title, body=title,
            line=10, line_start=10, line_end=11, deadline_kind=kind, deadline_text=str(due or "长期坚持"),
            due_on=due, status=status, percent=0, needs_review=True, review_notes=[], is_public=False,
        )
    ).inserted_primary_key[0]


def _assign(conn, task_id: int, unit_id: int, role: str, printed: str) -> None:
    conn.execute(assignments.insert().values(task_id=task_id, unit_id=unit_id, role=role, printed=printed))


def build_ledger(engine: Engine) -> Ledger:
    """Write the small ledger into an empty, migrated database."""
    with unit_of_work(engine) as conn:
        u = {name: _unit(conn, name) for name in ("市卫生健康委", "市医保局")}
        for county in ("沙坡头区", "中宁县", "海原县"):
            u[county] = _unit(conn, county, "county")
        u["各县(区)"] = _unit(conn, "各县(区)", "group")
        for county in ("沙坡头区", "中宁县", "海原县"):
            conn.execute(unit_members.insert().values(group_id=u["各县(区)"], member_id=u[county]))
        conn.execute(unit_aliases.insert().values(alias="市卫生健康委员会", unit_id=u["市卫生健康委"]))
        doc = conn.execute(
            documents.insert().values(doc_number="卫政办发〔2022〕28号", title="公立医院综合改革", is_public=True)
        ).inserted_primary_key[0]
        t = {
            "health": _task(conn, doc, "t-health", "推进分级诊疗", "date", date(2022, 6, 30), "未开始"),
            "counties": _task(conn, doc, "t-counties", "建设县域医共体", "date", date(2022, 5, 10), "未开始"),
            "ongoing": _task(conn, doc, "t-ongoing", "规范医疗收费", "ongoing", None, "长期坚持"),
            "insurance": _task(conn, doc, "t-insurance", "推进医保支付改革", "date+ongoing", date(2022, 4, 29), "未开始"),
        }
        _assign(conn, t["health"], u["市卫生健康委"], "lead", "市卫生健康委")
        _assign(conn, t["health"], u["市医保局"], "cooperating", "市医保局")
        _assign(conn, t["counties"], u["各县(区)"], "responsible", "各县(区)")
        _assign(conn, t["ongoing"], u["市医保局"], "lead", "医保局")
        _assign(conn, t["ongoing"], u["市卫生健康委"], "cooperating", "市卫生健康委")
        _assign(conn, t["insurance"], u["市医保局"], "lead", "市医保局")
        ids = {
            "office": add_user(conn, "dcs", PASSWORD, "office"),
            "health": add_user(conn, "wjw", PASSWORD, "unit", "市卫生健康委员会", email="wjw@example.org"),
            "zhongning": add_user(conn, "zn", PASSWORD, "unit", "中宁县", email="zn@example.org"),
            "insurance": add_user(conn, "ybj", PASSWORD, "unit", "市医保局"),
            "leader": add_user(conn, "ld", PASSWORD, "leader"),
        }
        people = {key: get_user(conn, uid) for key, uid in ids.items()}
    return Ledger(engine=engine, units=u, tasks=t, users=people)


@pytest.fixture
def ledger(db_url) -> Ledger:
    engine = open_database(db_url)
    try:
        yield build_ledger(engine)
    finally:
        engine.dispose()


def task_row(engine: Engine, task_id: int) -> sa.Row:
    """The task row as stored (for assertions)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(tasks).where(tasks.c.id == task_id)).one()

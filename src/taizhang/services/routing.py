"""Approvals (审批) and notifications (通知) routed to the person who covers a unit that day.

A request names a unit or an office section (市生态环境局, 督查科) and a day; it goes to the leader
whose 分工 holds it, or to their AB岗 partner while they are away, and keeps the reason. The
request is stored with both names, so the ledger shows who it was for and who received it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, InvalidTransition, NotFound, UnknownUnit
from ..storage.tables_procedures import people, routed_requests
from .audit import record_change
from .people import coverage
from .units import resolve_unit

KINDS = ("审批", "通知")
PENDING = "待处理"
DECISIONS = {"approve": "已同意", "return": "已退回", "read": "已阅"}


def _person_id(conn: Connection, name: str | None) -> int | None:
    if name is None:
        return None
    return conn.execute(sa.select(people.c.id).where(people.c.name == name)).scalar()


def route_request(
    conn: Connection,
    actor: str,
    *,
    kind: str,
    target: str,
    subject: str,
    day: date,
    consultation_id: int | None = None,
) -> dict[str, Any]:
    """Send an approval or notification about ``target`` to whoever covers it on ``day``.

    Raises:
        InvalidInput: an unknown kind or an empty subject.
        NotFound: ``target`` is neither a unit nor an area of anyone's 分工.
    """
    if kind not in KINDS:
        raise InvalidInput(f"请求类型应为{'或'.join(KINDS)}，而不是“{kind}”")
    if not subject.strip():
        raise InvalidInput("请填写事由")
    found, label = coverage(conn, target, day)
    try:
        unit_id: int | None = resolve_unit(conn, target)
    except UnknownUnit:  # a section of the office (督查科) is not a unit of the directory
        unit_id = None
    row = {
        "kind": kind,
        "subject": subject.strip(),
        "target": label,
        "unit_id": unit_id,
        "person_id": _person_id(conn, found.person),
        "owner_id": _person_id(conn, found.owner),
        "via": found.via,
        "reason": found.reason,
        "consultation_id": consultation_id,
        "requested_by": actor,
        "requested_on": day,
        "status": PENDING,
    }
    request_id = int(conn.execute(routed_requests.insert().values(**row)).inserted_primary_key[0])
    record_change(conn, actor=actor, action="route", entity="routed_request", entity_id=request_id, after=row)
    return {"id": request_id, **row, "person": found.person, "owner": found.owner}


def list_requests(
    conn: Connection, *, status: str | None = None, consultation_id: int | None = None
) -> list[dict[str, Any]]:
    """Routed requests, newest first, with the names of whom they were for and who received them."""
    to, owner = people.alias("to_person"), people.alias("owner_person")
    query = (
        sa.select(routed_requests, to.c.name.label("person"), owner.c.name.label("owner"))
        .outerjoin(to, to.c.id == routed_requests.c.person_id)
        .outerjoin(owner, owner.c.id == routed_requests.c.owner_id)
        .order_by(routed_requests.c.id.desc())
    )
    if status:
        query = query.where(routed_requests.c.status == status)
    if consultation_id is not None:
        query = query.where(routed_requests.c.consultation_id == consultation_id)
    return [dict(r._mapping) for r in conn.execute(query)]


def decide_request(
    conn: Connection, actor: str, request_id: int, decision: str, note: str, today: date
) -> None:
    """Record the answer to a request: approve (已同意), return (已退回) or read (已阅, notifications).

    Raises:
        NotFound: no such request.
        InvalidTransition: it was answered already, or an approval is only read.
    """
    row = conn.execute(sa.select(routed_requests).where(routed_requests.c.id == request_id)).first()
    if row is None:
        raise NotFound(f"没有编号为 {request_id} 的请求")
    if decision not in DECISIONS:
        raise InvalidInput(f"处理结果应为{'、'.join(DECISIONS)}之一")
    if row.status != PENDING:
        raise InvalidTransition(f"该请求已处理（{row.status}）")
    if row.kind == "审批" and decision == "read":
        raise InvalidTransition("审批请求须同意或退回")
    after = {"status": DECISIONS[decision], "decided_on": today, "decision_note": note.strip()}
    conn.execute(routed_requests.update().where(routed_requests.c.id == request_id).values(**after))
    record_change(
        conn,
        actor=actor,
        action="decide",
        entity="routed_request",
        entity_id=request_id,
        before={"status": row.status},
        after=after,
    )

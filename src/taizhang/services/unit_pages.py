"""A unit's listing in ledger order (单位任务): its count and its page, as statements built once per shape.

A unit's page is read from each (unit, role) range of ``ix_assignments_unit_role_order``: the
first rows after the cursor, as many as the page needs, then those tasks in ledger order. The
statements differ only in how many units (the unit and the groups holding it) and roles they
name and whether a cursor is given; each shape is built once and then bound to values, because
building the union of ranges cost more CPU per request than the database spent answering it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from ..extract.model import ROLES
from ..storage.tables import ANY_ROLE, assignments, tally_assigned, tasks
from .paging import order_by

_ORDER = (assignments.c.document_id, assignments.c.line, assignments.c.task_id)
_AFTER = tuple(sa.bindparam(f"after_{n}") for n in range(len(_ORDER)))
_LIMIT = sa.bindparam("page_limit", type_=sa.Integer)
_OFFSET = sa.bindparam("page_offset", type_=sa.Integer)
_WANTED = sa.bindparam("wanted", type_=sa.Integer)


def _ranges(units: int, roles: tuple[str, ...], after: bool) -> sa.CompoundSelect | sa.Select:
    """The first ``wanted`` task ids of each (unit, role) range, after the cursor when given."""
    members = []
    for n in range(units):
        for role in roles:
            query = sa.select(assignments.c.task_id).where(
                assignments.c.unit_id == sa.bindparam(f"unit_{n}"), assignments.c.role == role
            )
            if after:
                query = query.where(sa.tuple_(*_ORDER) > sa.tuple_(*_AFTER))
            ranged = query.order_by(*_ORDER).limit(_WANTED).subquery()
            members.append(sa.select(ranged.c.task_id))
    return sa.union_all(*members) if len(members) > 1 else members[0]


@lru_cache(maxsize=64)
def page_statement(columns: sa.Select, units: int, role: str | None, after: bool) -> sa.Select:
    """The page's SELECT (``columns``: the listing's select of task columns): the tasks among the
    ranges, after the cursor when ``after``, in ledger order, ``page_offset``/``page_limit`` bound."""
    roles = (role,) if role is not None else ROLES
    page = tasks.c.id.in_(_ranges(units, roles, after))
    if after:
        page = sa.and_(page, sa.tuple_(tasks.c.document_id, tasks.c.line, tasks.c.id) > sa.tuple_(*_AFTER))
    return columns.where(page).order_by(*order_by("document")).offset(_OFFSET).limit(_LIMIT)


def page_params(
    unit_ids: tuple[int, ...], cursor: list[Any] | None, offset: int, limit: int
) -> dict[str, Any]:
    """The values the page statement is bound to (``limit`` includes the one row that says whether
    a next page exists)."""
    params: dict[str, Any] = {f"unit_{n}": unit_id for n, unit_id in enumerate(unit_ids)}
    params.update(wanted=offset + limit, page_offset=offset, page_limit=limit)
    if cursor is not None:
        params.update({f"after_{n}": value for n, value in enumerate(cursor)})
    return params


_UNIT_IDS = sa.bindparam("unit_ids", expanding=True)
_COUNT_LIMIT = sa.bindparam("count_limit", type_=sa.Integer)


@lru_cache(maxsize=8)
def count_statement(by_units: bool, by_role: bool) -> sa.Select:
    """Tasks assigned to the units (in the role), up to ``count_limit``: from the running counts of
    ``tally_assigned`` when they settle it, else counted on the assignments index.

    The count is of distinct tasks, and a task may be assigned to several of the units named (the
    unit and the groups holding it). The running counts (in the role, or in any role) settle it
    when only one of the units holds any such task (its count is the answer), or when one holds
    ``count_limit`` or more (so do they all); otherwise the index is read, no further than
    ``count_limit`` entries. Either way the answer is ``min(tasks, count_limit)``."""
    query = sa.select(assignments.c.task_id).distinct()
    if by_units:
        query = query.where(assignments.c.unit_id.in_(_UNIT_IDS))
    if by_role:
        query = query.where(assignments.c.role == sa.bindparam("role"))
    counted = sa.select(sa.func.count()).select_from(query.limit(_COUNT_LIMIT).subquery())
    if not by_units:
        return counted
    role = sa.bindparam("role") if by_role else sa.literal(ANY_ROLE)
    cells = [tally_assigned.c.unit_id.in_(_UNIT_IDS), tally_assigned.c.role == role, tally_assigned.c.n > 0]
    settled = sa.case(
        (sa.func.max(tally_assigned.c.n) >= _COUNT_LIMIT, _COUNT_LIMIT),
        (sa.func.count() <= 1, sa.func.coalesce(sa.func.sum(tally_assigned.c.n), 0)),
        else_=counted.scalar_subquery(),
    )
    return sa.select(settled).where(*cells)

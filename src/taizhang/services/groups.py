"""Groups of units (单位组: 各县(区), 市直有关部门): the one place that reads group membership.

A task assigned to 各县(区) is owed by each county, a reminder to 各县(区) goes to each county, a
county's user sees what 各县(区) was given: every such question asks this module, so a group is
expanded the same way in parts, reminders, scoring, notices and campaign scope.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..ledger.parts import stands_for
from ..storage.tables import unit_members

__all__ = ["group_members", "groups_containing", "membership", "stands_for", "with_groups"]

# How many levels of groups inside groups are followed (市直有关部门 ⊂ 全市各部门 ...): the directory
# is edited by hand, so a loop must end.
MAX_DEPTH = 5


def membership(conn: Connection) -> list[tuple[int, int]]:
    """Every (group id, member id) pair the directory records, members in id order."""
    query = sa.select(unit_members.c.group_id, unit_members.c.member_id).order_by(
        unit_members.c.group_id, unit_members.c.member_id
    )
    return [(int(g), int(m)) for g, m in conn.execute(query)]


def _direct(conn: Connection, group_ids: Collection[int] | None) -> dict[int, list[int]]:
    """group id → its recorded members (in id order), for ``group_ids`` or for every group."""
    query = sa.select(unit_members.c.group_id, unit_members.c.member_id).order_by(unit_members.c.member_id)
    if group_ids is not None:
        query = query.where(unit_members.c.group_id.in_(list(group_ids)))
    found: dict[int, list[int]] = {}
    for group_id, member_id in conn.execute(query):
        found.setdefault(int(group_id), []).append(int(member_id))
    return found


def _flatten(
    group_id: int, direct: Mapping[int, Sequence[int]], seen: frozenset[int] = frozenset()
) -> list[int]:
    """The units a group stands for: its members, a member that is itself a group by its members."""
    out: list[int] = []
    for member in direct[group_id]:
        nested = member in direct and member not in seen and len(seen) < MAX_DEPTH
        for unit in _flatten(member, direct, seen | {group_id}) if nested else [member]:
            if unit not in out and unit != group_id:
                out.append(unit)
    return out


def group_members(conn: Connection, group_ids: Iterable[int] | None = None) -> dict[int, list[int]]:
    """group id → the units it stands for, for the groups among ``group_ids`` (every group when None).

    A member that is itself a group is replaced by its members; a unit that is no group, or a group
    with no recorded members (市直有关部门(单位) before anyone lists them), has no entry.
    """
    asked = None if group_ids is None else set(group_ids)
    if asked is not None and not asked:
        return {}
    direct = _direct(conn, asked)
    looked = set(asked) if asked is not None else None
    for _ in range(MAX_DEPTH):
        if looked is None:
            break
        frontier = {m for members in direct.values() for m in members} - looked
        if not frontier:
            break
        direct.update(_direct(conn, frontier))
        looked |= frontier
    wanted = direct if asked is None else {g: direct[g] for g in asked if g in direct}
    return {g: members for g in wanted if (members := _flatten(g, direct))}


# Built once: a listing by unit asks this on every request.
_GROUPS_OF = sa.select(unit_members.c.group_id).where(
    unit_members.c.member_id.in_(sa.bindparam("members", expanding=True))
)


def groups_containing(conn: Connection, unit_ids: Iterable[int]) -> frozenset[int]:
    """Ids of the groups that hold any of ``unit_ids``, directly or through a group inside a group
    (沙坡头区 → 各县(区) → 全市各县(区)和部门)."""
    start = set(unit_ids)
    found: set[int] = set()
    frontier = set(start)
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        rows = conn.execute(_GROUPS_OF, {"members": list(frontier)})
        frontier = {int(r[0]) for r in rows} - found - start
        found |= frontier
    return frozenset(found)


def with_groups(start: sa.Select | sa.CompoundSelect) -> sa.Select:
    """One statement: the ids of the units ``start`` selects (one ``id`` column) and of every group
    holding one of them, as :func:`groups_containing` finds them (a listing by unit asks this on
    every request, and a walk of its own costs a statement per level)."""
    first = start.cte("start")
    up = sa.select(first.c.id.label("id"), sa.literal(0).label("depth")).cte("up", recursive=True)
    holders = sa.select(unit_members.c.group_id, up.c.depth + 1).where(
        unit_members.c.member_id == up.c.id, up.c.depth < MAX_DEPTH
    )
    up = up.union_all(holders)
    return sa.select(up.c.id).distinct()

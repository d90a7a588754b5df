"""The unit directory (单位) in the database: units, aliases and group membership.

The import seeds it from ``extract.units.default_directory(city)`` and adds every unknown name it
meets; a name whose standard form (the unit lexicon's: 市发展和改革委员会 → 市发展改革委) is a stored
unit's is that unit (``verified`` false, so a reviewer sees it); users edit it with ``taizhang units alias``
and ``taizhang units member``. Every change is recorded in the change log.
"""

from __future__ import annotations

import difflib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput, UnknownUnit
from ..extract.lexicon import lexicon
from ..extract.units import Unit, UnitDirectory, default_directory, name_key
from ..storage.tables import assignments, unit_aliases, unit_members, units
from .audit import record_change
from .driver_sql import driver_rows
from .groups import membership, with_groups
from .parts import sync_group

log = logging.getLogger(__name__)


def guess_kind(name: str) -> str:
    """A kind for a name the directory does not know: 各县(区), 市直有关部门 are groups."""
    if name.startswith("各") or "有关" in name or name.endswith("成员单位"):
        return "group"
    return "department"


def _remember(mapping: dict[str, int], name: str, unit_id: int) -> None:
    mapping[name] = unit_id
    mapping.setdefault(name_key(name), unit_id)


@dataclass
class DirectoryIndex:
    """Unit ids by name and alias, loaded once per transaction so lookups cost no query."""

    by_name: dict[str, int] = field(default_factory=dict)
    by_alias: dict[str, int] = field(default_factory=dict)
    # the lexicon's standard form of every name and alias: 市发展和改革委员会 and 市发改委 meet at 市发展改革委
    by_standard: dict[str, int] = field(default_factory=dict)

    def remember(self, mapping: dict[str, int], name: str, unit_id: int) -> None:
        """Index ``name`` in ``mapping`` (by_name or by_alias) and by its standard form."""
        _remember(mapping, name, unit_id)
        self.by_standard.setdefault(name_key(lexicon().standard_name(name)), unit_id)

    @classmethod
    def load(cls, conn: Connection) -> DirectoryIndex:
        """Read every unit name and alias."""
        index = cls()
        for row in conn.execute(sa.select(units.c.id, units.c.name)):
            index.remember(index.by_name, row.name, row.id)
        for row in conn.execute(sa.select(unit_aliases.c.alias, unit_aliases.c.unit_id)):
            index.remember(index.by_alias, row.alias, row.unit_id)
        return index

    def find(self, name: str) -> int | None:
        """The id of the unit a name or alias refers to (full-width brackets and spaces folded), else
        of the unit whose standard form it shares (市发改委 → the stored 市发展和改革委员会)."""
        found = self.find_exact(name)
        return found if found is not None else self.by_standard.get(name_key(lexicon().standard_name(name)))

    def find_exact(self, name: str) -> int | None:
        """The id of the unit whose name or alias is ``name`` (full-width brackets and spaces folded)."""
        for key in dict.fromkeys((name.strip(), name_key(name))):
            found = self.by_name.get(key) or self.by_alias.get(key)
            if found is not None:
                return found
        return None


@dataclass
class SyncCounts:
    """What a directory sync created."""

    units: int = 0
    aliases: int = 0
    members: int = 0


def _create_unit(
    conn: Connection, index: DirectoryIndex, name: str, kind: str, verified: bool, actor: str
) -> int:
    unit_id = conn.execute(
        units.insert(), {"name": name, "kind": kind, "verified": verified}
    ).inserted_primary_key[0]
    record_change(
        conn,
        actor=actor,
        action="create",
        entity="unit",
        entity_id=unit_id,
        after={"name": name, "kind": kind, "verified": verified},
    )
    index.remember(index.by_name, name, unit_id)
    return int(unit_id)


def ensure_unit(
    conn: Connection,
    index: DirectoryIndex,
    name: str,
    *,
    actor: str,
    kind: str | None = None,
    verified: bool = False,
) -> tuple[int, bool]:
    """The unit ``name`` refers to, created (unverified unless told) when unknown; returns (id, known)."""
    found = index.find(name)
    if found is not None:
        return found, True
    return _create_unit(conn, index, name.strip(), kind or guess_kind(name), verified, actor), False


def _add_alias_row(conn: Connection, index: DirectoryIndex, alias: str, unit_id: int, actor: str) -> bool:
    if index.find_exact(alias) is not None:
        return False
    conn.execute(unit_aliases.insert(), {"alias": alias, "unit_id": unit_id})
    record_change(
        conn,
        actor=actor,
        action="create",
        entity="unit_alias",
        entity_id=unit_id,
        after={"alias": alias, "unit_id": unit_id},
    )
    index.remember(index.by_alias, alias, unit_id)
    return True


def _add_member_row(conn: Connection, group_id: int, member_id: int, actor: str) -> bool:
    exists = conn.execute(
        sa.select(unit_members.c.group_id).where(
            unit_members.c.group_id == group_id, unit_members.c.member_id == member_id
        )
    ).first()
    if exists or group_id == member_id:
        return False
    conn.execute(unit_members.insert(), {"group_id": group_id, "member_id": member_id})
    record_change(
        conn,
        actor=actor,
        action="create",
        entity="unit_member",
        entity_id=group_id,
        after={"group_id": group_id, "member_id": member_id},
    )
    sync_group(conn, group_id, actor=actor)  # the group's tasks gain a part for the new member
    return True


def _verify(conn: Connection, unit_id: int, kind: str, new_kind: str, actor: str) -> None:
    conn.execute(units.update().where(units.c.id == unit_id).values(verified=True, kind=new_kind))
    record_change(
        conn,
        actor=actor,
        action="update",
        entity="unit",
        entity_id=unit_id,
        before={"verified": False, "kind": kind},
        after={"verified": True, "kind": new_kind},
    )


def sync_directory(conn: Connection, directory: UnitDirectory, *, actor: str = "import") -> SyncCounts:
    """Add the directory's units, aliases and memberships that the database lacks; never removes."""
    index = DirectoryIndex.load(conn)
    counts = SyncCounts()
    unverified = dict(
        conn.execute(sa.select(units.c.id, units.c.kind).where(units.c.verified.is_(False))).all()
    )
    for unit in directory.units:
        unit_id, known = ensure_unit(conn, index, unit.name, actor=actor, kind=unit.kind, verified=True)
        counts.units += not known
        if known and unit_id in unverified:
            # an import met this name before the directory knew it: now it is a known unit
            _verify(conn, unit_id, unverified.pop(unit_id), unit.kind, actor)
        for alias in unit.aliases:
            counts.aliases += _add_alias_row(conn, index, alias, unit_id, actor)
    for unit in directory.units:
        group_id = index.find(unit.name)
        for member in unit.members:
            member_id, known = ensure_unit(conn, index, member, actor=actor, kind="county", verified=True)
            counts.units += not known
            counts.members += _add_member_row(conn, group_id, member_id, actor)
    return counts


def load_directory(conn: Connection) -> UnitDirectory:
    """The stored directory as the extractor's UnitDirectory (with the user's aliases and groups)."""
    aliases: dict[int, list[str]] = {}
    for row in conn.execute(sa.select(unit_aliases).order_by(unit_aliases.c.alias)):
        aliases.setdefault(row.unit_id, []).append(row.alias)
    names = {row.id: row for row in conn.execute(sa.select(units).order_by(units.c.id))}
    members: dict[int, list[str]] = {}
    for group_id, member_id in membership(conn):
        members.setdefault(group_id, []).append(names[member_id].name)
    return UnitDirectory(
        units=[
            Unit(
                name=row.name,
                kind=row.kind,
                aliases=tuple(aliases.get(uid, ())),
                members=tuple(members.get(uid, ())),
            )
            for uid, row in names.items()
        ]
    )


def merged_directory(stored: UnitDirectory, bundled: UnitDirectory) -> UnitDirectory:
    """The stored directory first (the user's edits win), then bundled units it does not know."""
    known = {n for u in stored.units for n in (u.name, *u.aliases)}
    extra = [u for u in bundled.units if u.name not in known and not known.intersection(u.aliases)]
    return UnitDirectory(units=[*stored.units, *extra])


def directory_file(path: Path, city: str | None = None) -> UnitDirectory:
    """The unit directory in a JSON file (``{"city": ..., "units": [{"name", "kind", "aliases", "members"}]}``).

    Raises:
        InvalidInput: the file is missing or is not such a directory (the message names the file).
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        directory = UnitDirectory.from_dict(data)
    except FileNotFoundError:
        raise InvalidInput(f"单位名录文件 {path} 不存在") from None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        raise InvalidInput(
            f'单位名录文件 {path} 无法读取（应为 JSON：{{"city": …, "units": […]}}）：{exc}'
        ) from None
    if directory.city is None and city:
        directory.city = city
    return directory


def configured_directory(city: str | None, unit_directory: Path | None = None) -> UnitDirectory:
    """The directory a deployment starts from: its ``unit_directory`` file, else the one shipped for ``city``."""
    if unit_directory is not None:
        return directory_file(unit_directory, city)
    return default_directory(city)


SUGGESTIONS = 3  # closest directory names an unknown unit's message offers


def closest_units(conn: Connection, name: str, limit: int = SUGGESTIONS) -> tuple[str, ...]:
    """The canonical names of the units whose name or alias is closest to ``name`` (by similarity)."""
    wanted = name.strip()
    if not wanted:
        return ()
    owner: dict[str, str] = {}
    for unit_name in conn.execute(sa.select(units.c.name)).scalars():
        owner[unit_name] = unit_name
    aliases = sa.select(unit_aliases.c.alias, units.c.name).join(units, units.c.id == unit_aliases.c.unit_id)
    for alias, unit_name in conn.execute(aliases):
        owner.setdefault(alias, unit_name)
    found = difflib.get_close_matches(wanted, list(owner), n=limit * 3, cutoff=0.5)
    contained = [n for n in owner if len(wanted) >= 2 and (wanted in n or n in wanted)]
    return tuple(dict.fromkeys(owner[n] for n in (*found, *contained)))[:limit]


def unknown_unit(conn: Connection, name: str) -> UnknownUnit:
    """The error for a unit name the directory lacks, offering the closest names it holds."""
    return UnknownUnit(name.strip(), closest_units(conn, name))


# Built once: every listing by unit resolves its name, and building the union cost more than running it.
_NAME_KEYS = sa.bindparam("keys", expanding=True)
_BY_NAME_OR_ALIAS = sa.union_all(
    sa.select(units.c.id.label("id")).where(units.c.name.in_(_NAME_KEYS)),
    sa.select(unit_aliases.c.unit_id.label("id")).where(unit_aliases.c.alias.in_(_NAME_KEYS)),
)


# the unit a typed name resolves to (a name before an alias) and the groups holding it
_MATCHING = with_groups(_BY_NAME_OR_ALIAS.limit(1))


def _name_keys(name: str) -> list[str]:
    """The spellings a typed name is looked up by: as typed, spaces removed, brackets of either width."""
    key = name_key(name)
    return list(dict.fromkeys((name.strip(), key, key.replace("(", "（").replace(")", "）"))))


def resolve_unit(conn: Connection, name: str) -> int:
    """The id of the unit named ``name`` (canonical name or alias), the one resolution of a typed name.

    Brackets match in either width (各县(区) finds 各县（区） and the other way), spaces are ignored.

    Raises:
        UnknownUnit: no unit has that name or alias.
    """
    found = conn.execute(_BY_NAME_OR_ALIAS, {"keys": _name_keys(name)}).scalar() if name.strip() else None
    if found is None:
        raise unknown_unit(conn, name)
    return found


def units_matching(conn: Connection, name: str) -> list[int]:
    """The unit ``name`` and every group that contains it (沙坡头区 → 各县(区)), transitively, read in
    one statement.

    Raises:
        UnknownUnit: no unit has that name or alias.
    """
    # on the driver's cursor: every listing by unit asks this (services/driver_sql.py)
    rows = driver_rows(conn, _MATCHING, {"keys": _name_keys(name)}) if name.strip() else []
    found = sorted(row[0] for row in rows)
    if not found:
        raise unknown_unit(conn, name)
    return [int(unit_id) for unit_id in found]


def list_units(conn: Connection) -> list[dict[str, Any]]:
    """Every unit with its aliases, members, groups and number of assigned tasks, by name."""
    rows = list(conn.execute(sa.select(units).order_by(units.c.name)))
    names = {r.id: r.name for r in rows}
    aliases: dict[int, list[str]] = {}
    for row in conn.execute(sa.select(unit_aliases).order_by(unit_aliases.c.alias)):
        aliases.setdefault(row.unit_id, []).append(row.alias)
    members: dict[int, list[str]] = {}
    groups: dict[int, list[str]] = {}
    for group_id, member_id in membership(conn):
        members.setdefault(group_id, []).append(names[member_id])
        groups.setdefault(member_id, []).append(names[group_id])
    counts = dict(
        conn.execute(
            sa.select(assignments.c.unit_id, sa.func.count(sa.distinct(assignments.c.task_id))).group_by(
                assignments.c.unit_id
            )
        ).all()
    )
    return [
        {
            "id": r.id,
            "name": r.name,
            "kind": r.kind,
            "verified": bool(r.verified),
            "aliases": aliases.get(r.id, []),
            "members": sorted(members.get(r.id, [])),
            "groups": sorted(groups.get(r.id, [])),
            "tasks": int(counts.get(r.id, 0)),
        }
        for r in rows
    ]


def add_alias(conn: Connection, alias: str, unit_name: str, *, actor: str) -> dict[str, Any]:
    """Make ``alias`` another name of the unit ``unit_name`` (which must exist).

    Raises:
        UnknownUnit: ``unit_name`` is not in the directory.
        InvalidInput: the alias is empty, or already names another unit.
    """
    alias = alias.strip()
    if not alias:
        raise InvalidInput("别名不能为空")
    index = DirectoryIndex.load(conn)
    unit_id = index.find(unit_name)
    if unit_id is None:
        raise unknown_unit(conn, unit_name)
    taken = index.find_exact(alias)
    if taken is not None and taken != unit_id:
        raise InvalidInput(f"{alias} 已是另一个单位（编号 {taken}）的名称")
    created = _add_alias_row(conn, index, alias, unit_id, actor)
    return {"alias": alias, "unit_id": unit_id, "created": created}


def add_member(conn: Connection, group_name: str, member_name: str, *, actor: str) -> dict[str, Any]:
    """Record that the group ``group_name`` includes ``member_name``; the group becomes kind ``group``.

    Raises:
        UnknownUnit: either name is not in the directory.
        InvalidInput: a unit cannot be a member of itself.
    """
    index = DirectoryIndex.load(conn)
    group_id, member_id = index.find(group_name), index.find(member_name)
    if group_id is None:
        raise unknown_unit(conn, group_name)
    if member_id is None:
        raise unknown_unit(conn, member_name)
    if group_id == member_id:
        raise InvalidInput(f"{group_name} 不能是自己的成员")
    kind = conn.execute(sa.select(units.c.kind).where(units.c.id == group_id)).scalar_one()
    if kind != "group":
        conn.execute(units.update().where(units.c.id == group_id).values(kind="group"))
        record_change(
            conn,
            actor=actor,
            action="update",
            entity="unit",
            entity_id=group_id,
            before={"kind": kind},
            after={"kind": "group"},
        )
    created = _add_member_row(conn, group_id, member_id, actor)
    return {"group_id": group_id, "member_id": member_id, "created": created}

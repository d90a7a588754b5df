"""The office's own administration: users (add, disable, reset password, role and unit), each
user's own password, and the unit directory (add a unit, alias, group membership, merge two units
with everything that points at the one merged away). Every change is in the change log.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..errors import InvalidInput, NotFound
from ..ledger import permissions as perm
from ..ledger.permissions import GROUP, ROLES, UNIT
from ..storage.schema import target_metadata
from ..storage.tables import assignments, parts, unit_aliases, unit_members, units, users
from . import accounts
from .audit import record_change
from .units import guess_kind, resolve_unit
from .user_info import UserInfo

KINDS = ("department", "county", "group", "external")


def _require_office(actor: UserInfo, what: str) -> None:
    perm.require(perm.can_manage_users(actor), f"{actor.name} 无权{what}：只有督查室可以管理")


def _require_units(actor: UserInfo) -> None:
    perm.require(perm.can(actor, "manage_units"), f"{actor.name} 无权维护单位名录：只有督查室可以维护")


def set_role(conn: Connection, actor: UserInfo, name: str, role: str, unit: str | None) -> None:
    """Give a user another role (and unit, which a unit user must have)."""
    _require_office(actor, "修改用户")
    if role not in ROLES:
        raise InvalidInput(f"角色应为{'、'.join(ROLES)}之一，而不是“{role}”")
    if role == UNIT and not (unit or "").strip():
        raise InvalidInput("单位用户须指定所属单位")
    row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        raise NotFound(f"没有用户“{name}”")
    if role == GROUP and row.campaign_group_id is None:
        raise InvalidInput("督查组用户须在新增时指定督查组（taizhang user add --role group --group 编号）")
    unit_id = resolve_unit(conn, unit) if (unit or "").strip() else None
    values = {"role": role, "unit_id": unit_id, "session_version": users.c.session_version + 1}
    if role != GROUP:
        values["campaign_group_id"] = None
    conn.execute(users.update().where(users.c.id == row.id).values(**values))
    record_change(
        conn,
        actor=actor.name,
        action="set_role",
        entity="user",
        entity_id=int(row.id),
        before={"role": row.role, "unit_id": row.unit_id},
        after={"role": role, "unit_id": unit_id},
    )


def change_own_password(conn: Connection, user: UserInfo, old: str, new: str, repeated: str) -> None:
    """A user changes their own password, giving the current one."""
    row = conn.execute(sa.select(users.c.password_hash).where(users.c.id == user.id)).first()
    if row is None:
        raise NotFound("用户不存在")
    try:
        accounts._hasher.verify(row.password_hash, old or "")
    except (VerificationError, InvalidHashError):
        raise InvalidInput("当前密码不正确") from None
    if new != repeated:
        raise InvalidInput("两次输入的新密码不一致")
    if len(new or "") < accounts.MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"新密码至少{accounts.MIN_PASSWORD_LENGTH}个字符")
    accounts.set_password(conn, user.name, new, actor=user.name)


def add_unit(conn: Connection, actor: UserInfo, name: str, kind: str | None = None) -> int:
    """A new unit of the directory (verified); refuses a name or alias already known."""
    _require_units(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput("单位名称不能为空")
    kind = kind or guess_kind(name)
    if kind not in KINDS:
        raise InvalidInput(f"单位类别应为{'、'.join(KINDS)}之一")
    known = (
        conn.execute(sa.select(units.c.id).where(units.c.name == name)).first()
        or conn.execute(sa.select(unit_aliases.c.unit_id).where(unit_aliases.c.alias == name)).first()
    )
    if known is not None:
        raise InvalidInput(f"单位“{name}”已在名录中")
    unit_id = int(
        conn.execute(units.insert().values(name=name, kind=kind, verified=True)).inserted_primary_key[0]
    )
    record_change(
        conn,
        actor=actor.name,
        action="create",
        entity="unit",
        entity_id=unit_id,
        after={"name": name, "kind": kind, "verified": True},
    )
    return unit_id


def _references() -> list[sa.Column[Any]]:
    """Every column of the schema that points at units.id."""
    found = []
    for table in target_metadata().sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "units" for fk in column.foreign_keys):
                found.append(column)
    return found


def merge_units(conn: Connection, actor: UserInfo, keep: str, gone: str) -> dict[str, Any]:
    """Merge unit ``gone`` into ``keep``: its tasks, reports, users, groups and every other row follow;
    its name becomes an alias of ``keep``. Returns counts of what moved."""
    _require_units(actor)
    keep_id, gone_id = resolve_unit(conn, keep), resolve_unit(conn, gone)
    if keep_id == gone_id:
        raise InvalidInput(f"“{keep}”和“{gone}”已是同一单位")
    gone_row = conn.execute(sa.select(units).where(units.c.id == gone_id)).one()
    # rows that would repeat one of keep's: the same task and role, the same group link
    have = {
        (r.task_id, r.role)
        for r in conn.execute(
            sa.select(assignments.c.task_id, assignments.c.role).where(assignments.c.unit_id == keep_id)
        )
    }
    for row in conn.execute(sa.select(assignments).where(assignments.c.unit_id == gone_id)).all():
        if (row.task_id, row.role) in have:
            conn.execute(assignments.delete().where(assignments.c.id == row.id))
    # a task with a part for each: keep's part stays, gone's goes (its reports follow to keep)
    keep_parts = sa.select(parts.c.task_id).where(parts.c.unit_id == keep_id)
    conn.execute(parts.delete().where(parts.c.unit_id == gone_id, parts.c.task_id.in_(keep_parts)))
    for a, b in (("group_id", "member_id"), ("member_id", "group_id")):
        mine = {r[0] for r in conn.execute(sa.select(unit_members.c[b]).where(unit_members.c[a] == keep_id))}
        conn.execute(
            unit_members.delete().where(unit_members.c[a] == gone_id, unit_members.c[b].in_(mine | {keep_id}))
        )
    moved: dict[str, int] = {}
    for column in _references():
        savepoint = conn.begin_nested()
        try:
            result = conn.execute(
                sa.update(column.table).where(column == gone_id).values({column.name: keep_id})
            )
            savepoint.commit()
        except IntegrityError:
            savepoint.rollback()
            raise InvalidInput(f"无法合并：表 {column.table.name} 中两个单位的记录重复，请先处理") from None
        if result.rowcount:
            moved[f"{column.table.name}.{column.name}"] = int(result.rowcount)
    conn.execute(units.delete().where(units.c.id == gone_id))
    if conn.execute(sa.select(unit_aliases).where(unit_aliases.c.alias == gone_row.name)).first() is None:
        conn.execute(unit_aliases.insert().values(alias=gone_row.name, unit_id=keep_id))
    record_change(
        conn,
        actor=actor.name,
        action="merge",
        entity="unit",
        entity_id=keep_id,
        before={"merged": gone_row.name, "id": gone_id},
        after={"into": keep, "moved": moved},
    )
    return moved

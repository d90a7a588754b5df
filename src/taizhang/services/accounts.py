"""Accounts (账户): users, passwords, API tokens and the login rate limit.

Passwords are hashed with Argon2; an API token is shown once and only its SHA-256 is stored.
Every login attempt is recorded in ``login_attempts`` before the password is checked, in a
transaction of its own, so concurrent attempts never exceed the limits.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from ..errors import AuthenticationRequired, InvalidInput, NotFound, TooManyAttempts
from ..ledger.permissions import GROUP, ROLES, UNIT
from ..settings import load_settings
from ..storage.tables import login_attempts, units, users
from ..storage.tables_campaigns import campaign_groups
from .audit import record_change
from .driver_sql import driver_rows
from .groups import with_groups
from .units import resolve_unit
from .user_info import UserInfo

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()
# Verified against when the user name is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


# A unit account's unit and every group holding it (services/groups.py), with their names: one
# statement, built once and run on the driver's cursor, where a walk of the groups cost a statement
# per level on every signed-in request of a unit's user.
_HOLDING = with_groups(
    sa.select(units.c.id.label("id")).where(units.c.id == sa.bindparam("unit_id"))
).subquery()
_UNIT_AND_GROUPS = sa.select(_HOLDING.c.id, units.c.name).select_from(
    _HOLDING.join(units, units.c.id == _HOLDING.c.id)
)


def _user_info(conn: Connection, row: sa.Row[Any] | _UserRow) -> UserInfo:
    unit_name = None
    unit_ids: frozenset[int] = frozenset()
    if row.unit_id is not None:
        unit_id = int(row.unit_id)
        names = {
            int(found): name for found, name in driver_rows(conn, _UNIT_AND_GROUPS, {"unit_id": unit_id})
        }
        unit_name = names.get(unit_id)
        unit_ids = frozenset(names) | {unit_id}
    group = campaign_group(conn, row.campaign_group_id) if row.campaign_group_id is not None else None
    return UserInfo(
        id=int(row.id),
        name=row.name,
        role=row.role,
        unit_id=row.unit_id,
        unit_name=unit_name,
        unit_ids=unit_ids,
        email=row.email,
        active=bool(row.active),
        session_version=int(row.session_version or 0),
        group_id=group.id if group else None,
        group_campaign_id=group.campaign_id if group else None,
        group_county_ids=group.county_ids if group else frozenset(),
    )


@dataclass(frozen=True)
class CampaignGroup:
    """An inspection group (督查组) as its accounts see it: its campaign and the county units it covers."""

    id: int
    campaign_id: int
    name: str
    county_ids: frozenset[int]


def campaign_group(conn: Connection, group_id: int) -> CampaignGroup | None:
    """The campaign group ``group_id`` with its counties resolved in the unit directory, or None."""
    row = conn.execute(sa.select(campaign_groups).where(campaign_groups.c.id == group_id)).first()
    if row is None:
        return None
    found = (conn.execute(sa.select(units.c.id).where(units.c.name == c)).scalar() for c in row.counties)
    ids = frozenset(int(i) for i in found if i is not None)
    return CampaignGroup(int(row.id), int(row.campaign_id), row.name, ids)


def add_user(
    conn: Connection,
    name: str,
    password: str,
    role: str,
    unit_name: str | None = None,
    email: str | None = None,
    *,
    actor: str = "admin",
    group_id: int | None = None,
) -> int:
    """Create a user; returns its id. A 督查组 user (role ``group``) belongs to the campaign group ``group_id``.

    Raises InvalidInput (bad role, short password, name taken, unit missing for a unit user, group
    missing for a group user)
    and UnknownUnit (a unit name the directory does not know, aliases included).
    """
    name = (name or "").strip()
    if not name:
        raise InvalidInput("用户需要一个名称")
    if role not in ROLES:
        raise InvalidInput(f"角色应为 {'、'.join(ROLES)} 之一，而不是 {role!r}")
    _check_password(password)
    if role == UNIT and not unit_name:
        raise InvalidInput("单位用户必须属于一个单位（--unit）")
    if (role == GROUP) != (group_id is not None):
        raise InvalidInput("督查组用户须指定所属督查组（--group），其他用户不能指定")
    if group_id is not None and campaign_group(conn, group_id) is None:
        raise InvalidInput(f"没有编号为{group_id}的督查组")
    if conn.execute(sa.select(users.c.id).where(users.c.name == name)).first():
        raise InvalidInput(f"用户 {name} 已存在")
    unit_id = resolve_unit(conn, unit_name) if unit_name else None
    result = conn.execute(
        users.insert().values(
            name=name,
            password_hash=_hasher.hash(password),
            role=role,
            unit_id=unit_id,
            email=email,
            active=True,
            campaign_group_id=group_id,
        )
    )
    user_id = int(result.inserted_primary_key[0])
    record_change(
        conn,
        actor=actor,
        action="add_user",
        entity="user",
        entity_id=user_id,
        before=None,
        after={"name": name, "role": role, "unit_id": unit_id, "email": email}
        | ({"campaign_group_id": group_id} if group_id is not None else {}),
    )
    return user_id


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed in one minute: per user name and client, and per user name from anywhere."""

    per_client: int = 5
    per_account: int = 20


# Counting and recording an attempt is one step: two attempts of this process never both see
# "one left". PostgreSQL also takes an advisory lock per name, for several server processes.
_reserve_lock = threading.Lock()


def _reserve_attempt(
    engine: Engine, name: str, client: str, now: datetime, limits: LoginLimits
) -> tuple[int, sa.Row | None]:
    """Record an attempt, unless the limits are reached; returns its id and the user's row."""
    since = now - timedelta(minutes=1)
    recent = (
        sa.select(sa.func.count())
        .select_from(login_attempts)
        .where(login_attempts.c.name == name, login_attempts.c.at > since)
    )
    with _reserve_lock, engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.select(sa.func.pg_advisory_xact_lock(zlib.crc32(name.encode("utf-8")))))
        per_account = int(conn.execute(recent).scalar() or 0)
        per_client = int(conn.execute(recent.where(login_attempts.c.client == client[:100])).scalar() or 0)
        if per_client >= limits.per_client or per_account >= limits.per_account:
            log.warning("login refused for %s from %s: too many attempts", name, client)
            raise TooManyAttempts("登录失败次数过多，请一分钟后再试")
        attempt = conn.execute(login_attempts.insert().values(name=name, client=client[:100], at=now))
        row = conn.execute(sa.select(users).where(users.c.name == name, users.c.active.is_(True))).first()
    return int(attempt.inserted_primary_key[0]), row


def log_in(
    engine: Engine, name: str, password: str, *, client: str, now: datetime, limits: LoginLimits
) -> UserInfo:
    """The user whose name and password these are; for the web's login form.

    The attempt is counted before the password is checked, so concurrent attempts cannot exceed
    the limits; no database connection is held during the (deliberately slow) check. A successful
    login removes its attempt.

    Raises TooManyAttempts (the limits of ``limits`` reached) and AuthenticationRequired.
    """
    now = _utc(now)
    name = (name or "").strip()[:100]
    attempt_id, row = _reserve_attempt(engine, name, client, now, limits)
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password or "")
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        raise AuthenticationRequired("用户名或密码错误")
    with engine.begin() as conn:
        conn.execute(login_attempts.delete().where(login_attempts.c.id == attempt_id))
        return _user_info(conn, row)


def authenticate(
    engine: Engine, name: str, password: str, *, client: str, now: datetime, limit: int | None = None
) -> UserInfo:
    """The user whose name and password these are; for the command line and scripts.

    Counts like the login form (:func:`log_in`): the attempt is recorded before the password is
    checked, under the limits of the settings (``limit`` overrides the per-client one).

    Raises TooManyAttempts and AuthenticationRequired.
    """
    settings = load_settings()
    per_client = settings.login_attempts_per_minute if limit is None else limit
    limits = LoginLimits(per_client, settings.login_attempts_per_account)
    return log_in(engine, name, password, client=client, now=now, limits=limits)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(conn: Connection, name: str, *, actor: str = "admin") -> str:
    """A new API token for user ``name`` (replacing any earlier one); only its hash is stored."""
    row = conn.execute(sa.select(users.c.id, users.c.active).where(users.c.name == name)).first()
    if row is None:
        raise NotFound(f"没有名为 {name} 的用户")
    if not row.active:
        raise InvalidInput(f"用户 {name} 已停用：请先启用再签发令牌")
    token = secrets.token_urlsafe(32)
    conn.execute(users.update().where(users.c.id == row.id).values(token_hash=_token_digest(token)))
    record_change(
        conn,
        actor=actor,
        action="issue_token",
        entity="user",
        entity_id=int(row.id),
        before=None,
        after={"token": "issued"},
    )
    return token


class _UserRow(NamedTuple):
    """The columns of ``users`` a :class:`UserInfo` is made from."""

    id: int
    name: str
    role: str
    unit_id: int | None
    email: str | None
    active: bool
    session_version: int | None
    campaign_group_id: int | None


# Built once and run on the driver's cursor: every API call with a token looks its user up here.
_BY_TOKEN = sa.select(*(users.c[name] for name in _UserRow._fields)).where(
    users.c.token_hash == sa.bindparam("digest"), users.c.active.is_(True)
)


def user_for_token(conn: Connection, token: str) -> UserInfo | None:
    """The active user holding bearer ``token``, or None."""
    if not token:
        return None
    rows = driver_rows(conn, _BY_TOKEN, {"digest": _token_digest(token)})
    return _user_info(conn, _UserRow(*rows[0])) if rows else None


def get_user(conn: Connection, user_id: int) -> UserInfo:
    """The active user with this id (a session of a disabled user ends). Raises NotFound."""
    row = conn.execute(sa.select(users).where(users.c.id == user_id, users.c.active.is_(True))).first()
    if row is None:
        raise NotFound(f"没有编号为 {user_id} 的在用用户")
    return _user_info(conn, row)


def get_user_by_name(conn: Connection, name: str) -> UserInfo:
    """The user with this name. Raises NotFound."""
    row = conn.execute(sa.select(users).where(users.c.name == name)).first()
    if row is None:
        raise NotFound(f"没有名为 {name} 的用户")
    return _user_info(conn, row)


def list_users(conn: Connection) -> list[UserInfo]:
    """Every user, by name, disabled ones included (see ``active``)."""
    rows = conn.execute(sa.select(users).order_by(users.c.name)).all()
    return [_user_info(conn, row) for row in rows]


def _user_id(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
    if found is None:
        raise NotFound(f"没有名为 {name} 的用户")
    return int(found)


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符")


def set_password(conn: Connection, name: str, password: str, *, actor: str = "admin") -> None:
    """Give user ``name`` a new password. Raises NotFound and InvalidInput (too short)."""
    _check_password(password)
    user_id = _user_id(conn, name)
    conn.execute(
        users.update()
        .where(users.c.id == user_id)
        .values(password_hash=_hasher.hash(password), session_version=users.c.session_version + 1)
    )
    record_change(
        conn,
        actor=actor,
        action="set_password",
        entity="user",
        entity_id=user_id,
        before=None,
        after={"password": "changed"},
    )


def set_active(conn: Connection, name: str, active: bool, *, actor: str = "admin") -> None:
    """Enable or disable user ``name``; disabling also revokes the API token. Raises NotFound."""
    user_id = _user_id(conn, name)
    was = bool(conn.execute(sa.select(users.c.active).where(users.c.id == user_id)).scalar())
    values: dict[str, object] = {"active": active, "session_version": users.c.session_version + 1}
    if not active:
        values["token_hash"] = None
    conn.execute(users.update().where(users.c.id == user_id).values(**values))
    record_change(
        conn,
        actor=actor,
        action="enable_user" if active else "disable_user",
        entity="user",
        entity_id=user_id,
        before={"active": was},
        after={"active": active},
    )


def end_sessions(conn: Connection, user_id: int) -> None:
    """End every session of the user (logout): cookies signed before now no longer open anything."""
    conn.execute(
        users.update().where(users.c.id == user_id).values(session_version=users.c.session_version + 1)
    )


def unit_emails(conn: Connection, unit_id: int) -> list[str]:
    """E-mail addresses of the active users of one unit (reminder recipients)."""
    rows = conn.execute(
        sa.select(users.c.email)
        .where(users.c.unit_id == unit_id, users.c.active.is_(True), users.c.email.is_not(None))
        .order_by(users.c.name)
    )
    return [r[0] for r in rows if r[0]]

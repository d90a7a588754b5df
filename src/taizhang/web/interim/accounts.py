"""Accounts: users, password check with rate limiting, API tokens (interface of services.accounts)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy.engine import Connection

from ...errors import AuthenticationRequired, InvalidInput, NotFound, UnknownUnit
from ...services.audit import record_change
from ...storage.tables import login_attempts, unit_members, units, users

ROLES = ("office", "unit", "leader")  # 督查室, 责任单位, 领导
MAX_FAILURES_PER_MINUTE = 5


class TooManyAttempts(AuthenticationRequired):
    """Too many failed logins for this name from this client within a minute."""


@dataclass(frozen=True)
class UserInfo:
    """A logged-in user as the web sees it; ``unit_ids`` are the unit and the groups it belongs to."""

    id: int
    name: str
    role: str
    unit_id: int | None = None
    unit_name: str | None = None
    unit_ids: frozenset[int] = field(default_factory=frozenset)


def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _unit_id(conn: Connection, name: str) -> int:
    found = conn.execute(sa.select(units.c.id).where(units.c.name == name)).scalar()
    if found is None:
        raise UnknownUnit(name)
    return int(found)


def add_user(conn: Connection, name: str, password: str, role: str, unit: str | None = None) -> int:
    """Create an account; unit users name their unit. Returns the user id."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}")
    if role == "unit" and not unit:
        raise InvalidInput("a unit user needs --unit")
    unit_id = _unit_id(conn, unit) if unit else None
    new_id = conn.execute(
        users.insert().values(name=name, password_hash=_hasher().hash(password), role=role, unit_id=unit_id)
    ).inserted_primary_key[0]
    record_change(conn, actor="system", action="add_user", entity="user", entity_id=new_id,
                  after={"name": name, "role": role, "unit": unit})
    return int(new_id)


def _info(conn: Connection, row: sa.Row) -> UserInfo:
    unit_name = None
    unit_ids: set[int] = set()
    if row.unit_id is not None:
        unit_name = conn.execute(sa.select(units.c.name).where(units.c.id == row.unit_id)).scalar()
        groups = conn.execute(sa.select(unit_members.c.group_id).where(unit_members.c.member_id == row.unit_id))
        unit_ids = {row.unit_id, *groups.scalars()}
    return UserInfo(row.id, row.name, row.role, row.unit_id, unit_name, frozenset(unit_ids))


def get_user(conn: Connection, user_id: int) -> UserInfo:
    """The active user with this id; NotFound otherwise."""
    row = conn.execute(sa.select(users).where(users.c.id == user_id, users.c.active.is_(True))).first()
    if row is None:
        raise NotFound(f"no user {user_id}")
    return _info(conn, row)


def authenticate(conn: Connection, name: str, password: str, *, client: str = "", now: datetime | None = None
                 ) -> UserInfo:
    """The user whose name and password match; raises TooManyAttempts or AuthenticationRequired."""
    now = now or datetime.now(UTC)
    since = now - timedelta(minutes=1)
    failures = conn.execute(
        sa.select(sa.func.count()).select_from(login_attempts).where(
            login_attempts.c.name == name, login_attempts.c.client == client, login_attempts.c.at >= since)
    ).scalar_one()
    if failures >= MAX_FAILURES_PER_MINUTE:
        raise TooManyAttempts("登录失败次数过多，请一分钟后再试")
    row = conn.execute(sa.select(users).where(users.c.name == name, users.c.active.is_(True))).first()
    try:
        if row is None:
            raise VerificationError("no such user")
        _hasher().verify(row.password_hash, password)
    except VerificationError:
        conn.execute(login_attempts.insert().values(name=name, client=client, at=now))
        raise AuthenticationRequired("用户名或密码错误") from None
    return _info(conn, row)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(conn: Connection, name: str) -> str:
    """A new API token for the user (the old one stops working); only its digest is stored."""
    token = secrets.token_urlsafe(32)
    done = conn.execute(users.update().where(users.c.name == name).values(token_hash=_token_digest(token)))
    if done.rowcount == 0:
        raise NotFound(f"no user named {name}")
    return token


def user_for_token(conn: Connection, token: str) -> UserInfo | None:
    """The active user holding this API token, or None."""
    row = conn.execute(
        sa.select(users).where(users.c.token_hash == _token_digest(token), users.c.active.is_(True))
    ).first()
    return _info(conn, row) if row else None

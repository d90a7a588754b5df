"""Accounts: users, argon2 passwords, tokens, and the login rate limit (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from taizhang.errors import AuthenticationRequired, InvalidInput, NotFound, TooManyAttempts, UnknownUnit
from taizhang.services import accounts
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import change_log, login_attempts, users

from .conftest import PASSWORD

NOW = datetime(2022, 5, 6, 9, 0, tzinfo=UTC)


def _login(ledger, name, password, *, client="10.0.0.1", now=NOW, limit=3):
    return accounts.authenticate(ledger.engine, name, password, client=client, now=now, limit=limit)


def test_user_of_a_county_speaks_for_its_groups(ledger):
    zn = ledger.users["zhongning"]
    assert (zn.role, zn.unit_name) == ("unit", "中宁县")
    assert zn.unit_ids == {ledger.units["中宁县"], ledger.units["各县(区)"]}


def test_unit_named_by_alias_or_full_width_brackets(ledger):
    assert ledger.users["health"].unit_name == "市卫生健康委"
    with unit_of_work(ledger.engine) as conn:
        uid = accounts.add_user(conn, "county-group", PASSWORD, "unit", "各县（区）")
        assert accounts.get_user(conn, uid).unit_id == ledger.units["各县(区)"]


def test_password_is_stored_as_argon2_and_never_in_the_log(ledger):
    with ledger.engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.password_hash).where(users.c.name == "wjw")).scalar()
        logged = (
            conn.execute(sa.select(change_log.c.after).where(change_log.c.action == "add_user"))
            .scalars()
            .all()
        )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert all(PASSWORD not in str(entry) and "$argon2" not in str(entry) for entry in logged)
    assert {
        "name": "wjw",
        "role": "unit",
        "unit_id": ledger.units["市卫生健康委"],
        "email": "wjw@example.org",
    } in logged


@pytest.mark.parametrize(
    "args, error",
    [
        (("short", "1234567", "office"), InvalidInput),
        (("nobody", PASSWORD, "admin"), InvalidInput),
        (("nounit", PASSWORD, "unit"), InvalidInput),
        (("wjw", PASSWORD, "office"), InvalidInput),
        (("ghost", PASSWORD, "unit", "市不存在局"), UnknownUnit),
        (("   ", PASSWORD, "office"), InvalidInput),
    ],
)
def test_add_user_refuses_bad_input(sqlite_ledger, args, error):
    with unit_of_work(sqlite_ledger.engine) as conn:
        with pytest.raises(error):
            accounts.add_user(conn, *args)


def test_authenticate_returns_the_user(ledger):
    user = _login(ledger, "wjw", PASSWORD)
    assert user == ledger.users["health"]


@pytest.mark.parametrize("name, password", [("wjw", "wrong password"), ("nosuchuser", PASSWORD)])
def test_wrong_credentials_give_one_message(sqlite_ledger, name, password):
    with pytest.raises(AuthenticationRequired, match="^用户名或密码错误$"):
        _login(sqlite_ledger, name, password)


def test_failures_are_recorded_even_though_the_transaction_rolls_back(ledger):
    with pytest.raises(AuthenticationRequired):
        _login(ledger, "wjw", "wrong password")
    with ledger.engine.connect() as conn:
        rows = conn.execute(sa.select(login_attempts.c.name, login_attempts.c.client)).all()
    assert rows == [("wjw", "10.0.0.1")]


def test_rate_limit_per_name_and_client_within_a_minute(ledger):
    for i in range(3):
        with pytest.raises(AuthenticationRequired):
            _login(ledger, "wjw", "wrong password", now=NOW + timedelta(seconds=i))
    with pytest.raises(TooManyAttempts):
        _login(ledger, "wjw", PASSWORD, now=NOW + timedelta(seconds=10))
    # another client, or the same one a minute later, may log in
    assert _login(ledger, "wjw", PASSWORD, client="10.0.0.2", now=NOW + timedelta(seconds=10)).name == "wjw"
    assert _login(ledger, "wjw", PASSWORD, now=NOW + timedelta(seconds=75)).name == "wjw"


def test_token_is_shown_once_and_only_its_hash_stored(ledger):
    with unit_of_work(ledger.engine) as conn:
        token = accounts.issue_token(conn, "zn")
    with ledger.engine.connect() as conn:
        stored = conn.execute(sa.select(users.c.token_hash).where(users.c.name == "zn")).scalar()
        assert stored == hashlib.sha256(token.encode()).hexdigest()
        assert accounts.user_for_token(conn, token) == ledger.users["zhongning"]
        assert accounts.user_for_token(conn, token + "x") is None
        assert accounts.user_for_token(conn, "") is None


def test_a_new_token_replaces_the_old_one(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        old = accounts.issue_token(conn, "zn")
        new = accounts.issue_token(conn, "zn")
        assert accounts.user_for_token(conn, old) is None
        assert accounts.user_for_token(conn, new).name == "zn"


def test_lookups(ledger):
    with ledger.engine.connect() as conn:
        assert [u.name for u in accounts.list_users(conn)] == ["dcs", "ld", "wjw", "ybj", "zn"]
        assert accounts.unit_emails(conn, ledger.units["市卫生健康委"]) == ["wjw@example.org"]
        with pytest.raises(NotFound):
            accounts.get_user(conn, 9999)
        with pytest.raises(NotFound):
            accounts.issue_token(conn, "nobody")


def test_disabled_user_cannot_log_in_or_use_a_token_or_keep_a_session(ledger):
    with unit_of_work(ledger.engine) as conn:
        token = accounts.issue_token(conn, "zn")
        accounts.set_active(conn, "zn", False, actor="dcs")
    with pytest.raises(AuthenticationRequired):
        _login(ledger, "zn", PASSWORD)
    with unit_of_work(ledger.engine) as conn:
        assert accounts.user_for_token(conn, token) is None
        with pytest.raises(NotFound):
            accounts.get_user(conn, ledger.users["zhongning"].id)
        with pytest.raises(InvalidInput, match="已停用"):
            accounts.issue_token(conn, "zn")
        assert [u.active for u in accounts.list_users(conn) if u.name == "zn"] == [False]
        accounts.set_active(conn, "zn", True, actor="dcs")
    assert _login(ledger, "zn", PASSWORD, client="10.0.0.9").name == "zn"
    with ledger.engine.connect() as conn:
        logged = conn.execute(
            sa.select(change_log.c.action, change_log.c.actor, change_log.c.after).where(
                change_log.c.action.in_(["disable_user", "enable_user"])
            )
        ).all()
    assert [tuple(r) for r in logged] == [
        ("disable_user", "dcs", {"active": False}),
        ("enable_user", "dcs", {"active": True}),
    ]


def test_set_password_replaces_the_old_one(sqlite_ledger):
    with unit_of_work(sqlite_ledger.engine) as conn:
        with pytest.raises(InvalidInput):
            accounts.set_password(conn, "wjw", "short")
        accounts.set_password(conn, "wjw", "a brand new password")
    with pytest.raises(AuthenticationRequired):
        _login(sqlite_ledger, "wjw", PASSWORD)
    assert _login(sqlite_ledger, "wjw", "a brand new password", client="10.0.0.3").name == "wjw"

"""The login limit holds under concurrency: attempts are counted before the password is checked,
per name and client and per name across clients (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from taizhang.errors import AuthenticationRequired, TooManyAttempts
from taizhang.services import accounts
from taizhang.storage.tables import login_attempts

from .conftest import PASSWORD

NOW = datetime(2022, 5, 6, 9, 0, tzinfo=UTC)


def _attempt(ledger, password: str, client: str, limits: accounts.LoginLimits) -> str:
    try:
        accounts.log_in(ledger.engine, "wjw", password, client=client, now=NOW, limits=limits)
    except (AuthenticationRequired, TooManyAttempts) as exc:
        return type(exc).__name__
    return "ok"


def test_concurrent_wrong_passwords_from_one_client_are_checked_at_most_the_limit(ledger):
    limits = accounts.LoginLimits(per_client=5, per_account=100)
    with ThreadPoolExecutor(max_workers=7) as pool:
        outcomes = list(pool.map(lambda _: _attempt(ledger, "wrong password", "10.0.0.1", limits), range(7)))
    assert sorted(outcomes) == ["AuthenticationRequired"] * 5 + ["TooManyAttempts"] * 2


def test_the_per_account_limit_holds_across_client_addresses(ledger):
    limits = accounts.LoginLimits(per_client=5, per_account=4)
    outcomes = [_attempt(ledger, "wrong password", f"10.0.0.{i}", limits) for i in range(6)]
    assert outcomes == ["AuthenticationRequired"] * 4 + ["TooManyAttempts"] * 2
    assert _attempt(ledger, PASSWORD, "10.0.9.9", limits) == "TooManyAttempts"


def test_a_successful_login_leaves_no_attempt_and_failures_stay_recorded(ledger):
    limits = accounts.LoginLimits()
    assert _attempt(ledger, "wrong password", "10.0.0.1", limits) == "AuthenticationRequired"
    assert _attempt(ledger, PASSWORD, "10.0.0.1", limits) == "ok"
    with ledger.engine.connect() as conn:
        assert conn.execute(sa.select(login_attempts.c.client)).scalars().all() == ["10.0.0.1"]


@pytest.mark.parametrize("password", ["wrong password", PASSWORD])
def test_refused_attempts_do_not_check_the_password(ledger, monkeypatch, password):
    limits = accounts.LoginLimits(per_client=0, per_account=0)
    monkeypatch.setattr(accounts, "_hasher", None)  # any password check would fail with AttributeError
    assert _attempt(ledger, password, "10.0.0.1", limits) == "TooManyAttempts"


def test_concurrent_wrong_passwords_through_authenticate_are_checked_at_most_the_limit(ledger, monkeypatch):
    """``authenticate`` (the command line's check) counts like the login form: before the slow check."""
    real = accounts._hasher
    start = threading.Barrier(7)

    class SlowHasher:  # Argon2 takes long enough for the other attempts to arrive meanwhile
        def verify(self, stored: str, password: str) -> bool:
            time.sleep(0.3)
            return real.verify(stored, password)

    monkeypatch.setattr(accounts, "_hasher", SlowHasher())

    def attempt(_: int) -> str:
        start.wait()
        try:
            accounts.authenticate(ledger.engine, "wjw", "wrong password", client="10.0.0.1", now=NOW, limit=3)
        except (AuthenticationRequired, TooManyAttempts) as exc:
            return type(exc).__name__
        return "ok"

    with ThreadPoolExecutor(max_workers=7) as pool:
        outcomes = list(pool.map(attempt, range(7)))
    assert sorted(outcomes) == ["AuthenticationRequired"] * 3 + ["TooManyAttempts"] * 4

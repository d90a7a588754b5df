"""A flood of failed logins must not hold up other requests: logins waiting for a password check
wait outside the admission gate, and the (slow, memory-hungry) Argon2 check runs on its own small
pool of threads, not on the request threadpool. Measured by bench/load.py; here the order is checked."""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2.exceptions import VerificationError
from starlette.testclient import TestClient

from taizhang.services import accounts
from taizhang.settings import load_settings
from taizhang.web.app import create_app

from .conftest import AS_OF, SECRET

SAFETY = 20  # seconds a blocked check waits at most, so that a regression fails instead of hanging


class BlockedHasher:
    """Stands in for Argon2: every check waits until released, and records where it ran."""

    def __init__(self, events: list[str]) -> None:
        self.events = events
        self.entered = threading.Event()
        self.release = threading.Event()
        self.threads: list[str] = []
        self.niceness: list[int] = []

    def verify(self, _hash: str, _password: str) -> bool:
        self.threads.append(threading.current_thread().name)
        if hasattr(os, "getpriority"):
            self.niceness.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        self.entered.set()
        self.release.wait(SAFETY)
        self.events.append("check done")
        raise VerificationError("wrong password")


@pytest.fixture
def small_app(ledger, tmp_path):
    """An app whose admission gate lets one request in at a time (pool 2, no overflow)."""
    settings = load_settings(
        database_url=ledger.url, upload_dir=tmp_path, secret_key=SECRET, db_pool_size=2, db_max_overflow=0
    )
    application = create_app(settings, as_of=AS_OF)
    yield application
    application.state.engine.dispose()


def _csrf(client: TestClient) -> str:
    # one session for the client: its threads share the cookie jar, so they share the token too
    page = client.get("/login")
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def _attempt(client: TestClient, n: int, token: str):
    return client.post("/login", data={"name": f"nobody{n}", "password": "wrong", "csrf_token": token})


def _failed_login(client: TestClient, n: int, token: str) -> int:
    return _attempt(client, n, token).status_code


def test_other_requests_pass_while_logins_wait_for_a_password_check(small_app, ledger, monkeypatch):
    events: list[str] = []
    hasher = BlockedHasher(events)
    monkeypatch.setattr(accounts, "_hasher", hasher)
    headers = {"Authorization": f"Bearer {ledger.tokens['office']}"}
    with TestClient(small_app) as client, ThreadPoolExecutor(max_workers=4) as pool:
        token = _csrf(client)
        logins = [pool.submit(_failed_login, client, n, token) for n in range(4)]
        assert hasher.entered.wait(SAFETY)
        # one login is in its check, three wait for the slot: an unrelated request still gets through
        assert client.get(f"/api/tasks/{ledger.task_ids[0]}", headers=headers).status_code == 200
        events.append("unrelated request answered")
        hasher.release.set()
        statuses = [f.result() for f in logins]
    assert events[0] == "unrelated request answered"
    assert set(statuses) <= {401, 429} and 401 in statuses
    # the checks ran on the password-check threads, never on the request threadpool
    assert hasher.threads and all(name.startswith("password-check") for name in hasher.threads)
    # ... at a lower CPU priority than the requests (where the system sets priorities per thread)
    if sys.platform == "linux":
        own = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        assert all(n > own for n in hasher.niceness) or own == 19


def test_a_client_over_its_limit_is_refused_without_waiting_for_a_check(small_app, monkeypatch):
    """Once the limit refused a name from an address, its next attempts are refused at once."""
    events: list[str] = []
    hasher = BlockedHasher(events)
    hasher.release.set()
    monkeypatch.setattr(accounts, "_hasher", hasher)
    with TestClient(small_app) as client:
        token = _csrf(client)
        statuses = [_failed_login(client, 0, token) for _ in range(8)]
        checks = len(hasher.threads)
        events.clear()
        # a check kept busy by another login: the refused client does not queue behind it
        hasher.release.clear()
        hasher.entered.clear()
        with ThreadPoolExecutor(max_workers=1) as pool:
            busy = pool.submit(_failed_login, client, 1, token)
            assert hasher.entered.wait(SAFETY)
            again = _attempt(client, 0, token)
            events.append("refused at once")
            hasher.release.set()
            assert busy.result() == 401
    assert statuses == [401] * 5 + [429] * 3
    assert checks == 5
    assert again.status_code == 429 and "失败次数过多" in again.text
    assert events[0] == "refused at once"

"""A bound on password checks running at once: each Argon2 check takes 64 MiB and a CPU for a while.

A login waits briefly on the event loop (holding no thread, no connection and no place in the
admission gate) for a free slot and is refused with 429 when none frees up. The check itself runs
on a small pool of its own threads, so a flood of logins can neither exhaust memory, threads or
database connections nor take the request threadpool from other requests. A name and address the
login limit refused are refused again at once, before waiting for a check, until the limit's
minute can have moved on.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ..errors import TooManyAttempts

WAIT_SECONDS = 1.0  # how long a login waits for a free check before 429
REFUSAL_SECONDS = 5.0  # a refused name and address are refused without a check this long
REFUSALS_KEPT = 10_000  # refusals remembered at most (the oldest are forgotten first)

T = TypeVar("T")


class ChecksBusy(TooManyAttempts):
    """No password check came free in time (the server is busy, not this client over its limit)."""


CHECK_NICENESS = 10  # added to a password-check thread's nice value (Argon2's lane threads inherit it)


def _yield_cpu() -> None:
    """Lower this thread's CPU priority: a password check then takes the CPU only when requests
    leave it free, instead of its lanes (4 threads) crowding out the event loop and request threads.
    Linux sets the nice value per thread; elsewhere this does nothing."""
    try:
        thread = threading.get_native_id()
        os.setpriority(
            os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + CHECK_NICENESS)
        )
    except (AttributeError, OSError):  # no per-thread priorities here, or not allowed
        pass


class PasswordChecks:
    """At most ``at_once`` password checks at a time (``password_checks_at_once``), on their own threads."""

    def __init__(self, at_once: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.at_once = at_once
        self.running = 0
        self.clock = clock
        self._executor = ThreadPoolExecutor(
            max_workers=max(at_once, 1), thread_name_prefix="password-check", initializer=_yield_cpu
        )
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None
        self._refused: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._lock = threading.Lock()

    def _semaphore(self) -> asyncio.Semaphore:
        # made inside the running loop (a test client may start a new loop for the same app)
        loop = asyncio.get_running_loop()
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(self.at_once))
        return self._slots[1]

    def refused_recently(self, name: str, client: str) -> bool:
        """True while a refusal of ``name`` from ``client`` by the login limit is still fresh."""
        with self._lock:
            until = self._refused.get((name, client))
            if until is None:
                return False
            if until > self.clock():
                return True
            del self._refused[(name, client)]
            return False

    def remember_refusal(self, name: str, client: str) -> None:
        # shorter than the limit's minute: the database stays the judge of when attempts are allowed
        with self._lock:
            self._refused[(name, client)] = self.clock() + REFUSAL_SECONDS
            self._refused.move_to_end((name, client))
            while len(self._refused) > REFUSALS_KEPT:
                self._refused.popitem(last=False)

    async def run(self, check: Callable[[], T]) -> T:
        """``check()`` on a password-check thread once a slot is free.

        Raises ChecksBusy when no slot frees up within WAIT_SECONDS.
        """
        slots = self._semaphore()
        if self.at_once < 1:
            raise ChecksBusy("登录请求过多，请稍后再试")
        try:
            await asyncio.wait_for(slots.acquire(), WAIT_SECONDS)
        except TimeoutError:
            raise ChecksBusy("登录请求过多，请稍后再试") from None
        self.running += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, check)
        finally:
            self.running -= 1
            slots.release()

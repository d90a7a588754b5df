"""A bound on password checks running at once: each Argon2 check takes 64 MiB and a CPU for a while.

A login waits briefly (without holding a thread) for a free slot and is refused with 429 when
none frees up, so a flood of logins cannot exhaust memory, threads or database connections.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from ..errors import TooManyAttempts

WAIT_STEPS = 20  # polls of WAIT_STEP seconds before a login is refused
WAIT_STEP = 0.05


class PasswordChecks:
    """At most ``at_once`` password checks at a time (``password_checks_at_once``)."""

    def __init__(self, at_once: int) -> None:
        self.at_once = at_once
        self.running = 0
        self._lock = threading.Lock()

    def _try_acquire(self) -> bool:
        with self._lock:
            if self.running >= self.at_once:
                return False
            self.running += 1
            return True

    def _release(self) -> None:
        with self._lock:
            self.running -= 1

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one slot for the block. Raises TooManyAttempts when none frees up soon."""
        for _ in range(WAIT_STEPS):
            if self._try_acquire():
                break
            await asyncio.sleep(WAIT_STEP)
        else:
            raise TooManyAttempts("登录请求过多，请稍后再试")
        try:
            yield
        finally:
            self._release()

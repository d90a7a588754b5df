"""Routes whose plain-``def`` endpoint commits its request's transaction in its own thread.

A request's connection comes from the ``DbConn`` dependency, whose exit (the commit) FastAPI runs
in a later threadpool hop, after the response has been serialised in another. A write holds the
database's write lock (SQLite) or the change log's lock (PostgreSQL) from its first write to that
commit, so at 50 clients every write waited through the hops of the writes before it: the event
loop and the GIL had to come round twice more before the lock was free. Committing as the endpoint
returns, in the thread that wrote, ends the write lock with the write itself.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi.routing import APIRoute
from sqlalchemy.engine import Connection
from starlette.concurrency import run_in_threadpool

_COMMITS = "taizhang_commits_on_return"
T = TypeVar("T")


def commit_on_return(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint``, committing each open transaction of the connections it was given once it returns
    (an exception leaves them to the dependency, which rolls back)."""

    if getattr(endpoint, _COMMITS, False):  # include_router makes each route again from its endpoint
        return endpoint

    @functools.wraps(endpoint)
    def run(*args: Any, **kwargs: Any) -> Any:
        result = endpoint(*args, **kwargs)
        for value in kwargs.values():
            if isinstance(value, Connection) and value.in_transaction():
                value.commit()
        return result

    setattr(run, _COMMITS, True)
    return run


class CommitRoute(APIRoute):
    """An ``APIRoute`` whose plain-``def`` endpoint commits in its own thread (see the module)."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = commit_on_return(endpoint)
        super().__init__(path, endpoint, **kwargs)


async def off_the_loop(conn: Connection, work: Callable[[], T]) -> T:
    """Run an ``async`` endpoint's database work in the threadpool and commit it there.

    An ``async`` endpoint (one that awaits its form or upload) runs on the event loop. A write made
    there waits on the loop for its SQLite writer turn or PostgreSQL lock, and while it waits no
    other request of the process moves: one slow turn stalls every user. ``work`` runs in a thread
    instead and commits as it returns, like a plain ``def`` endpoint under :class:`CommitRoute`; an
    exception leaves the transaction to the ``DbConn`` dependency, which rolls it back.
    """

    def run() -> T:
        result = work()
        if conn.in_transaction():
            conn.commit()
        return result

    return await run_in_threadpool(run)

"""SQLite writers in one process take turns first come, first served (storage/sqlite_writers.py).

SQLite's busy handler is not fair: a writer that has waited long retries least often and loses to
newer ones, which at 50 web clients left a few report POSTs waiting until the client gave up.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa

from taizhang.storage.engine import create_db_engine
from taizhang.storage.sqlite_writers import WriterQueue, is_write, queue_for

SAFETY = 30  # seconds any wait in these tests may take at most (a regression fails, never hangs)


@pytest.fixture
def engine(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'w.db'}", pool_size=10, max_overflow=0)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (writer INTEGER)")
    yield engine
    engine.dispose()


def _until(condition) -> None:
    """Wait for a thread to reach a state, giving up after a bounded number of looks (no clock read)."""
    for _ in range(SAFETY * 100):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the condition never came true")


def test_waiting_writers_write_in_the_order_they_came(engine, tmp_path):
    queue = queue_for(str(tmp_path / "w.db"))
    order: list[int] = []
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO t VALUES (?)", (n,))
                order.append(n)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    holder = engine.connect()
    holder.begin()
    holder.exec_driver_sql("INSERT INTO t VALUES (0)")
    threads = []
    for n in range(1, 9):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        _until(lambda n=n: queue.waiting == n)  # writer n is in line before n + 1 comes
    # a reader is never queued behind the writers
    with engine.connect() as reader:
        assert reader.exec_driver_sql("SELECT count(*) FROM t").scalar() == 0
    holder.commit()
    holder.close()
    for thread in threads:
        thread.join(SAFETY)
    assert errors == []
    assert order == list(range(1, 9))
    assert queue.waiting == 0


def test_a_turn_ends_with_rollback_failure_and_autocommit(engine, tmp_path):
    queue = queue_for(str(tmp_path / "w.db"))
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        raise RuntimeError("the route failed")
    with pytest.raises(sa.exc.OperationalError), engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO no_such_table VALUES (1)")
    with engine.connect() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS scratch")  # outside a transaction: commits at once
    assert queue.acquire(0)  # nobody holds a turn
    queue.release()


def test_a_writer_waiting_for_itself_fails_like_sqlite_instead_of_hanging(engine):
    with engine.begin() as first:
        first.exec_driver_sql("INSERT INTO t VALUES (1)")
        with engine.connect() as second:
            second.connection.driver_connection.wait = 0.1
            with pytest.raises(sa.exc.OperationalError, match="database is locked"):
                second.exec_driver_sql("INSERT INTO t VALUES (2)")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 1


def test_the_queue_hands_over_in_order_and_forgets_who_gave_up():
    queue = WriterQueue()
    assert queue.acquire(0)
    assert not queue.acquire(0.01)  # gave up: not left in line
    assert queue.waiting == 0
    got: list[int] = []
    threads = [
        threading.Thread(target=lambda n=n: (queue.acquire(SAFETY), got.append(n), queue.release()))
        for n in range(5)
    ]
    for n, thread in enumerate(threads):
        thread.start()
        _until(lambda n=n: queue.waiting == n + 1)
    queue.release()
    for thread in threads:
        thread.join(SAFETY)
    assert got == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("statement", "writes"),
    [
        ("INSERT INTO t VALUES (1)", True),
        ("  update t set x=1", True),
        ("DELETE FROM t", True),
        ("BEGIN IMMEDIATE", True),
        ("BEGIN", False),
        ("SELECT 1", False),
        ("PRAGMA foreign_keys=ON", False),
        ("", False),
        ("CREATE TABLE x (a)", True),
    ],
)
def test_writes_are_told_from_reads(statement, writes):
    assert is_write(statement) is writes


def test_connections_are_queued_sqlite3_connections(engine):
    with engine.connect() as conn:
        assert isinstance(conn.connection.driver_connection, sqlite3.Connection)

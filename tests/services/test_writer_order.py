"""Two writers of different kinds on one task, at once: both land, neither deadlocks, and the second
judges the task as the first left it.

A report took the change log's lock and then its task row; the office's edit of the task body
locked the row by its UPDATE and then the log at its entry. Paused between the two, each waited
for the other: PostgreSQL aborted one with "deadlock detected". A writer now takes the log's lock
last, as it commits (services/audit.append_at_commit), and waits for no row while it holds it; two
writers of one task wait for each other on the task's row, writers of different tasks not at all.
"""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from taizhang.services import intake, workflow
from taizhang.services.audit import verify_chain, verify_head
from taizhang.storage.sqlite_writers import queue_for
from taizhang.storage.tables import reports, tasks

from .conftest import task_row

LOOKS = 3000  # bounded waits: 3000 looks 10 ms apart at most, a regression fails and never hangs


@pytest.fixture
def pg_ledger(ledger):
    if ledger.engine.dialect.name != "postgresql":
        pytest.skip("row and table locks are PostgreSQL's; SQLite writers hold the whole database")
    return ledger


def _until(condition) -> None:
    for _ in range(LOOKS):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("the other writer never came to wait")


def _waiting_locks(engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar())


def _writer(engine, errors: list[BaseException], write) -> threading.Thread:
    """Start ``write(conn)`` in its own transaction on its own thread; what it raises lands in ``errors``."""

    def run() -> None:
        try:
            with engine.begin() as conn:
                write(conn)
        except BaseException as exc:  # noqa: BLE001 - reported by the test's assertions
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_task_edit_and_a_report_at_once_both_land(pg_ledger, tmp_path: Path):
    engine, task_id = pg_ledger.engine, pg_ledger.tasks["health"]
    office, health = pg_ledger.users["office"], pg_ledger.users["health"]
    edited = threading.Event()  # the edit has made its first write
    go_on = threading.Event()  # the report is waiting: the edit may finish
    errors: list[BaseException] = []

    def pause_after_first_write(conn, cursor, statement, *_):
        if statement.startswith("UPDATE tasks") and not edited.is_set():
            edited.set()
            go_on.wait(LOOKS / 100)

    def edit(conn) -> None:
        sa.event.listen(conn, "after_cursor_execute", pause_after_first_write)
        _edit(office, task_id, "按新要求推进分级诊疗")(conn)

    report = _report(health, task_id, tmp_path, "召开专题会议")
    editor = _writer(engine, errors, edit)
    _until(lambda: edited.is_set() or errors)
    assert errors == []
    reporter = _writer(engine, errors, report)
    _until(lambda: _waiting_locks(engine) > 0 or errors)  # the report waits on a lock the edit holds
    go_on.set()
    editor.join(LOOKS / 100)
    reporter.join(LOOKS / 100)
    assert errors == []
    with engine.connect() as conn:
        assert (
            conn.execute(sa.select(tasks.c.body).where(tasks.c.id == task_id)).scalar()
            == "按新要求推进分级诊疗"
        )
        stored = (
            conn.execute(sa.select(reports.c.practice).where(reports.c.task_id == task_id)).scalars().all()
        )
    assert stored == ["召开专题会议"]


def _second_goes_through_while_the_first_is_open(engine, pause_after: str, first_write, second_write) -> bool:
    """Run ``first_write`` until its statement starting with ``pause_after`` has run and hold its
    transaction open there; meanwhile run ``second_write``. True when the second committed while the
    first was still open; both must end without an error."""
    written = threading.Event()  # the first writer has run that statement and not yet committed
    go_on = threading.Event()  # the second writer is through: the first may commit
    errors: list[BaseException] = []

    def pause(conn, cursor, statement, *_):
        if statement.startswith(pause_after) and not written.is_set():
            written.set()
            go_on.wait(2 * LOOKS / 100)

    def first(conn) -> None:
        sa.event.listen(conn, "after_cursor_execute", pause)
        first_write(conn)

    first_writer = _writer(engine, errors, first)
    _until(lambda: written.is_set() or errors)
    second_writer = _writer(engine, errors, second_write)
    second_writer.join(LOOKS / 100)
    through_while_the_first_was_open = not second_writer.is_alive()
    go_on.set()
    first_writer.join(LOOKS / 100)
    second_writer.join(LOOKS / 100)
    assert errors == []
    return through_while_the_first_was_open


def _edit(actor, task_id: int, body: str):
    def write(conn) -> None:
        intake.edit_task(conn, actor, task_id, body=body, reason="按会议要求调整", today=date(2022, 6, 1))

    return write


def test_edits_of_two_tasks_do_not_wait_for_each_other_and_chain_in_commit_order(pg_ledger):
    """A writer held the change log's lock from its first row lock to its commit, so every other
    writer, of any task, queued behind its whole transaction."""
    engine, office = pg_ledger.engine, pg_ledger.users["office"]
    assert _second_goes_through_while_the_first_is_open(
        engine,
        "UPDATE tasks",
        _edit(office, pg_ledger.tasks["health"], "第一处修改"),
        _edit(office, pg_ledger.tasks["insurance"], "第二处修改"),
    )
    with engine.connect() as conn:
        assert verify_chain(conn)[1] == [] and verify_head(conn) == []
        edited = (
            conn.execute(
                sa.text("SELECT entity_id FROM change_log WHERE entity = 'task' ORDER BY id DESC LIMIT 2")
            )
            .scalars()
            .all()
        )
    # the newest entry is the first edit's: the second committed first
    assert edited == [pg_ledger.tasks["health"], pg_ledger.tasks["insurance"]]


def _report(actor, task_id: int, upload_dir: Path, practice: str):
    def write(conn) -> None:
        workflow.submit_report(
            conn,
            actor,
            task_id,
            practice=practice,
            results="",
            problems="",
            next_steps="",
            percent=40,
            today=date(2022, 6, 1),
            upload_dir=upload_dir,
        )

    return write


def test_reports_on_two_tasks_do_not_wait_for_each_other(pg_ledger, tmp_path: Path):
    """Each report counted itself into the day's running total (``tally_reports``) at its INSERT and
    held that row to its commit: the day's other reports, of any task, waited for it whole."""
    engine = pg_ledger.engine
    assert _second_goes_through_while_the_first_is_open(
        engine,
        "INSERT INTO reports",
        _report(pg_ledger.users["health"], pg_ledger.tasks["health"], tmp_path, "第一份报告"),
        _report(pg_ledger.users["insurance"], pg_ledger.tasks["insurance"], tmp_path, "第二份报告"),
    )
    with engine.connect() as conn:
        assert verify_chain(conn)[1] == [] and verify_head(conn) == []
        day = conn.execute(
            sa.text("SELECT n, percent_sum FROM tally_reports WHERE submitted_on = '2022-06-01'")
        )
        assert tuple(day.one()) == (2, 80)  # both counted, one after the other


def _writers_waiting(engine) -> int:
    """Writers waiting now: for a lock on PostgreSQL, for their turn in SQLite's writer queue."""
    if engine.dialect.name == "postgresql":
        return _waiting_locks(engine)
    return queue_for(engine.url.database).waiting


def test_an_edit_that_waited_for_a_cancel_sees_the_task_cancelled(ledger):
    """The edit read the task's status and then waited for the cancel's lock: it edited a task
    that was cancelled by the time it wrote. It now locks the task before it reads it."""
    engine, task_id = ledger.engine, ledger.tasks["health"]
    office = ledger.users["office"]
    cancelled = threading.Event()  # the cancel has written and not yet committed
    go_on = threading.Event()  # the edit is waiting: the cancel may commit
    errors: list[BaseException] = []

    def cancel(conn) -> None:
        intake.cancel_task(conn, office, task_id, reason="会议决定不再实施", today=date(2022, 6, 1))
        cancelled.set()
        go_on.wait(LOOKS / 100)

    def edit(conn) -> None:
        intake.edit_task(
            conn, office, task_id, body="按新要求推进", reason="按会议要求调整", today=date(2022, 6, 1)
        )

    canceller = _writer(engine, errors, cancel)
    _until(lambda: cancelled.is_set() or errors)
    editor = _writer(engine, errors, edit)
    _until(lambda: _writers_waiting(engine) > 0 or errors)
    go_on.set()
    canceller.join(LOOKS / 100)
    editor.join(LOOKS / 100)
    assert [type(e).__name__ for e in errors] == ["InvalidInput"] and "已撤销" in str(errors[0])
    row = task_row(engine, task_id)
    assert row.status == "已撤销" and row.body != "按新要求推进"

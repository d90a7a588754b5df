"""The change log covers the ledger: its head is signed, and every task, part and report row is
sealed with the log's key. A log cut short, and a row changed, added or removed in a database
client without the application, are each found (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from taizhang.services import workflow as wf
from taizhang.services.audit import audit_key, head_signature, verify_chain, verify_head
from taizhang.services.database import insert_returning_ids, unit_of_work
from taizhang.services.seals import seal_unsealed, verify_seals
from taizhang.storage.engine import normalise_url
from taizhang.storage.tables import change_log, change_log_head, parts, reports, row_seals, tasks

from .conftest import build_ledger

KEY = audit_key("the deployment's own secret, long enough")
TODAY = date(2022, 5, 6)


@pytest.fixture
def ledger(db_url, tmp_path):
    from taizhang.services.database import open_database

    engine = open_database(db_url)
    engine.update_execution_options(audit_key=KEY)
    built = build_ledger(engine)
    with unit_of_work(engine) as conn:
        seal_unsealed(conn)  # the fixture writes its rows without the log, as an older version did
    with unit_of_work(engine) as conn:
        wf.submit_report(
            conn,
            built.users["health"],
            built.tasks["health"],
            practice="召开推进会",
            results="",
            problems="",
            next_steps="",
            percent=40,
            today=TODAY,
            upload_dir=tmp_path,
        )
        wf.chase(conn, built.users["office"], built.tasks["insurance"], message="请报送进展", today=TODAY)
    built.client = sa.create_engine(normalise_url(db_url))  # a database client, outside the application
    yield built
    built.client.dispose()
    engine.dispose()


def _problems(ledger) -> tuple[list, list, list]:
    with ledger.engine.connect() as conn:
        return verify_chain(conn)[1], verify_head(conn), verify_seals(conn)[1]


def _seal_problems(ledger) -> list[tuple[str, int]]:
    return [(p.table, p.row_id) for p in _problems(ledger)[2]]


def _report_id(ledger) -> int:
    with ledger.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(reports.c.id))).scalar()


def test_the_application_s_own_writes_verify(ledger):
    assert _problems(ledger) == ([], [], [])
    with ledger.engine.connect() as conn:
        assert verify_seals(conn)[0] > 4


def test_deleting_the_newest_entries_is_found_without_a_remembered_hash(ledger):
    with ledger.client.begin() as conn:
        last = conn.execute(sa.select(sa.func.max(change_log.c.id))).scalar()
        conn.execute(change_log.delete().where(change_log.c.id >= last - 1))
    chain, head, _ = _problems(ledger)
    assert chain == []  # what is left is a valid chain
    assert [p.entry_id for p in head] == [last] and "被删除" in head[0].message


def test_a_head_moved_back_without_the_key_is_found(ledger):
    with ledger.client.begin() as conn:
        last = conn.execute(
            sa.select(change_log.c.id, change_log.c.hash).order_by(change_log.c.id.desc())
        ).first()
        conn.execute(change_log.delete().where(change_log.c.id == last.id))
        prev = conn.execute(
            sa.select(change_log.c.id, change_log.c.hash).order_by(change_log.c.id.desc())
        ).first()
        forged = head_signature(audit_key("change-me"), prev.id, prev.hash)
        conn.execute(change_log_head.update().values(entry_id=prev.id, hash=prev.hash, signature=forged))
    assert "链头签名不符" in _problems(ledger)[1][0].message


def test_a_deleted_head_is_found(ledger):
    with ledger.client.begin() as conn:
        conn.execute(change_log_head.delete())
    assert "链头签名缺失" in _problems(ledger)[1][0].message


def test_an_entry_appended_after_the_signed_head_is_found(ledger):
    with ledger.client.begin() as conn:
        last = conn.execute(sa.select(change_log).order_by(change_log.c.id.desc())).first()
        values = {k: v for k, v in last._mapping.items() if k not in ("id", "hash", "prev_hash")}
        conn.execute(change_log.insert().values(**values, prev_hash=last.hash, hash="f" * 64))
    chain, head, _ = _problems(ledger)
    assert [p.entry_id for p in chain] == [last.id + 1]
    assert [p.entry_id for p in head] == [last.id + 1]


@pytest.mark.parametrize(
    "table, values",
    [
        ("tasks", {"status": "已完成", "percent": 100}),
        ("parts", {"percent": 100}),
        ("reports", {"results": "已全面完成"}),
    ],
)
def test_a_row_updated_in_a_database_client_is_found(ledger, table, values):
    target = {"tasks": tasks, "parts": parts, "reports": reports}[table]
    with ledger.client.begin() as conn:
        row_id = conn.execute(sa.select(sa.func.min(target.c.id))).scalar()
        conn.execute(target.update().where(target.c.id == row_id).values(**values))
    assert _seal_problems(ledger) == [(table, row_id)]
    assert _problems(ledger)[:2] == ([], [])  # the log itself is intact: only the seal shows it


def test_a_report_deleted_or_added_in_a_database_client_is_found(ledger):
    report_id = _report_id(ledger)
    with ledger.client.begin() as conn:
        row = conn.execute(sa.select(reports).where(reports.c.id == report_id)).one()
        conn.execute(reports.delete().where(reports.c.id == report_id))
    assert _seal_problems(ledger) == [("reports", report_id)]
    with ledger.client.begin() as conn:
        values = {k: v for k, v in row._mapping.items() if k not in ("id", "idempotency_key", "results")}
        added = conn.execute(reports.insert().values(**values, results="补报的成效")).inserted_primary_key[0]
    # SQLite may give the new row the deleted one's id: then that id is reported once
    assert set(_seal_problems(ledger)) == {("reports", report_id), ("reports", added)}


def test_a_copied_seal_does_not_cover_another_row(ledger):
    with ledger.client.begin() as conn:
        first, second = conn.execute(sa.select(tasks.c.id).order_by(tasks.c.id).limit(2)).scalars()
        seal = conn.execute(
            sa.select(row_seals.c.seal).where(row_seals.c.table_name == "tasks", row_seals.c.row_id == first)
        ).scalar()
        conn.execute(
            row_seals.update()
            .where(row_seals.c.table_name == "tasks", row_seals.c.row_id == second)
            .values(seal=seal)
        )
    assert _seal_problems(ledger) == [("tasks", second)]


def test_deleting_a_task_through_the_application_removes_its_seals_and_its_parts_seals(ledger):
    with unit_of_work(ledger.engine) as conn:
        wf.merge_tasks(conn, ledger.users["office"], [ledger.tasks["health"], ledger.tasks["insurance"]])
        left = conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar()
    assert left == 3
    assert _problems(ledger) == ([], [], [])


def test_a_rolled_back_change_leaves_the_seals_as_they_were(ledger):
    with pytest.raises(RuntimeError), unit_of_work(ledger.engine) as conn:
        conn.execute(tasks.update().where(tasks.c.id == ledger.tasks["health"]).values(title="改过的标题"))
        raise RuntimeError("the request failed")
    assert _problems(ledger) == ([], [], [])


def test_the_seal_command_seals_rows_of_an_older_ledger_once(ledger, tmp_path: Path):
    with ledger.client.begin() as conn:
        conn.execute(row_seals.delete().where(row_seals.c.table_name == "parts"))
    assert {table for table, _ in _seal_problems(ledger)} == {"parts"}
    with unit_of_work(ledger.engine) as conn:
        assert seal_unsealed(conn) > 0
        assert seal_unsealed(conn) == 0
    assert _problems(ledger) == ([], [], [])


def test_rows_written_many_at_a_time_are_sealed(ledger):
    with unit_of_work(ledger.engine) as conn:
        task_id = ledger.tasks["health"]
        unit_id = ledger.units["市医保局"]
        rows = [
            {
                "task_id": task_id,
                "unit_id": unit_id,
                "kind": "progress",
                "practice": f"第{n}次",
                "submitted_on": TODAY,
            }
            for n in range(3)
        ]
        conn.execute(reports.insert(), rows)  # executemany
        conn.execute(reports.insert().values(rows))  # one INSERT with several VALUES
        conn.execute(
            reports.insert().from_select(
                ["task_id", "unit_id", "kind", "practice", "submitted_on"],
                sa.select(
                    reports.c.task_id,
                    reports.c.unit_id,
                    reports.c.kind,
                    reports.c.practice,
                    reports.c.submitted_on,
                ).where(reports.c.practice == "第0次"),
            )
        )
    assert _problems(ledger) == ([], [], [])
    with ledger.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar() == 1 + 3 + 3 + 2


def test_rows_refused_while_they_were_being_sealed_leave_nothing_behind(ledger):
    """On PostgreSQL many rows are copied while their seals are made: a row the database refuses
    (a report of a task that does not exist) fails the insert as a plain INSERT fails, nothing of
    the transaction stays, and the connection serves the next one."""
    rows = [
        {
            "task_id": task_id,
            "unit_id": ledger.units["市医保局"],
            "kind": "progress",
            "practice": "进展",
            "submitted_on": TODAY,
        }
        for task_id in (ledger.tasks["health"], 999_999)
    ]
    with ledger.engine.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar()
    with pytest.raises(sa.exc.IntegrityError), unit_of_work(ledger.engine) as conn:
        insert_returning_ids(conn, reports, rows)
    with unit_of_work(ledger.engine) as conn:
        ids = insert_returning_ids(conn, reports, rows[:1] * 3)
    assert _problems(ledger) == ([], [], [])
    with ledger.engine.connect() as conn:
        assert (len(ids), conn.execute(sa.select(sa.func.count()).select_from(reports)).scalar()) == (
            3,
            before + 3,
        )


def test_rows_updated_by_id_in_several_tables_at_once_are_sealed(ledger):
    """An UPDATE naming its row by id is followed without a query, one by a bound parameter or by
    another column with one; rows of three tables changed in one transaction are resealed together."""
    task_id = ledger.tasks["health"]
    with unit_of_work(ledger.engine) as conn:
        part_id = conn.execute(sa.select(sa.func.min(parts.c.id)).where(parts.c.task_id == task_id)).scalar()
        report_id = conn.execute(sa.select(sa.func.max(reports.c.id))).scalar()
        conn.execute(tasks.update().where(tasks.c.id == task_id).values(title="按编号改的标题"))
        conn.execute(
            parts.update().where(parts.c.id == sa.bindparam("pid")).values(percent=77), {"pid": part_id}
        )
        conn.execute(reports.update().where(reports.c.id == report_id).values(results="按编号改的成效"))
        conn.execute(
            tasks.update().where(tasks.c.key == sa.bindparam("k")).values(label="甲"), [{"k": "nokey"}]
        )
    assert _problems(ledger) == ([], [], [])
    with ledger.client.begin() as conn:  # the same rows changed again, outside the application
        conn.execute(tasks.update().where(tasks.c.id == task_id).values(title="改"))
        conn.execute(parts.update().where(parts.c.id == part_id).values(percent=78))
        conn.execute(reports.update().where(reports.c.id == report_id).values(results="改"))
    assert sorted(_seal_problems(ledger)) == [("parts", part_id), ("reports", report_id), ("tasks", task_id)]


def test_an_import_seals_every_row_it_writes(db_url, gazette_path):
    from taizhang.services.database import open_database
    from taizhang.services.import_issue import import_file

    engine = open_database(db_url)
    engine.update_execution_options(audit_key=KEY)
    import_file(engine, gazette_path, city="中卫市")
    with engine.connect() as conn:
        count, problems = verify_seals(conn)
        assert (count > 100, problems, verify_head(conn)) == (True, [], [])
    engine.dispose()


def _task_rows(conn, count: int, *, stamp: datetime) -> list[dict]:
    """New task rows naming every column the database would fill in, like an import's."""
    document_id = conn.execute(sa.select(sa.func.min(tasks.c.document_id))).scalar()
    return [
        {
            "document_id": document_id,
            "key": f"封存测试|{n}",
            "source": "text",
            "title": f"第{n}项任务",
            "line": n,
            "line_start": n,
            "line_end": n,
            "due_on": TODAY,
            "needs_review": n % 2 == 0,
            "review_notes": [{"kind": "note", "line": n, "message": "说明"}],
            "created_at": stamp,
            "updated_at": stamp,
        }
        for n in range(1, count + 1)
    ]


def _statements_at_commit(engine, write) -> list[str]:
    """The statements the commit of a transaction running ``write(conn)`` sends."""
    sent: list[str] = []
    listener = lambda conn, cursor, statement, *args: sent.append(statement)  # noqa: E731
    with unit_of_work(engine) as conn:
        write(conn)
        sa.event.listen(engine, "before_cursor_execute", listener)
    sa.event.remove(engine, "before_cursor_execute", listener)
    return sent


def test_rows_inserted_many_at_a_time_with_all_their_values_are_sealed_without_reading_them(ledger):
    stamp = datetime.now(UTC).replace(microsecond=0)
    sent = _statements_at_commit(
        ledger.engine,
        lambda conn: insert_returning_ids(conn, tasks, _task_rows(conn, 3, stamp=stamp)),
    )
    assert not [s for s in sent if s.lstrip().upper().startswith("SELECT") and "FROM tasks" in s]
    assert _problems(ledger) == ([], [], [])
    with ledger.client.begin() as conn:  # still found when changed outside the application
        conn.execute(tasks.update().where(tasks.c.key == "封存测试|2").values(title="改"))
    assert [table for table, _ in _seal_problems(ledger)] == ["tasks"]


def test_rows_changed_after_their_insert_or_stamped_without_a_zone_are_sealed_as_stored(ledger):
    with unit_of_work(ledger.engine) as conn:
        rows = _task_rows(conn, 4, stamp=datetime.now(UTC))
        rows[3]["created_at"] = datetime(2022, 5, 6, 9, 30)  # no zone: read back to seal what is stored
        ids = insert_returning_ids(conn, tasks, rows)
        conn.execute(tasks.update().where(tasks.c.id == ids[0]).values(title="插入后改的标题"))
        conn.execute(tasks.update().where(tasks.c.key == "封存测试|2").values(percent=30))
    assert _problems(ledger) == ([], [], [])


def test_rows_inserted_in_a_rolled_back_savepoint_keep_no_seal(ledger):
    with unit_of_work(ledger.engine) as conn:
        stamp = datetime.now(UTC)
        kept = insert_returning_ids(conn, tasks, _task_rows(conn, 2, stamp=stamp))
        savepoint = conn.begin_nested()
        insert_returning_ids(
            conn, tasks, [{**r, "key": r["key"] + "#回滚"} for r in _task_rows(conn, 2, stamp=stamp)]
        )
        savepoint.rollback()
    assert _problems(ledger) == ([], [], [])
    with ledger.engine.connect() as conn:
        sealed = set(
            conn.execute(sa.select(row_seals.c.row_id).where(row_seals.c.table_name == "tasks")).scalars()
        )
        stored = set(conn.execute(sa.select(tasks.c.id)).scalars())
    assert set(kept) <= sealed == stored


def test_more_rows_than_one_round_of_seals_are_all_sealed(ledger):
    """An import seals thousands of rows at its commit: every one, past the first 500 too."""
    stamp = datetime.now(UTC).replace(microsecond=0)
    with unit_of_work(ledger.engine) as conn:
        rows = _task_rows(conn, 1_201, stamp=stamp)
        new = insert_returning_ids(conn, tasks, rows[:600]) + insert_returning_ids(conn, tasks, rows[600:])
        conn.execute(tasks.update().where(tasks.c.id == new[700]).values(percent=10))  # read back at commit
    assert _problems(ledger) == ([], [], [])
    with ledger.engine.connect() as conn:
        sealed = set(
            conn.execute(sa.select(row_seals.c.row_id).where(row_seals.c.table_name == "tasks")).scalars()
        )
    assert set(new) <= sealed

"""The change log's chain when many entries are appended in one transaction, in a batch, and after a rollback."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from taizhang.services.audit import (
    change_batch,
    flush_changes,
    history,
    record_change,
    verify_chain,
    verify_head,
)
from taizhang.services.database import open_database, unit_of_work


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    yield engine
    engine.dispose()


def test_entries_of_one_transaction_and_the_next_form_one_chain(engine):
    with unit_of_work(engine) as conn:
        for n in range(3):
            record_change(conn, actor="import", action="create", entity="task", entity_id=n)
    with unit_of_work(engine) as conn:
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        assert verify_chain(conn) == (4, [])


def test_a_rolled_back_transaction_leaves_no_head_behind(engine):
    with unit_of_work(engine) as conn:
        record_change(conn, actor="import", action="create", entity="task", entity_id=1)
    with pytest.raises(RuntimeError), unit_of_work(engine) as conn:
        record_change(conn, actor="import", action="create", entity="task", entity_id=2)
        raise RuntimeError("fails after logging")
    with unit_of_work(engine) as conn:
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        assert verify_chain(conn) == (2, [])


def test_a_batch_writes_its_entries_at_the_end_and_they_chain_with_the_others(engine):
    with unit_of_work(engine) as conn:
        record_change(conn, actor="office", action="update", entity="task", entity_id=7)
    with unit_of_work(engine) as conn:
        with change_batch(conn):
            for n in range(3):
                record_change(conn, actor="import", action="create", entity="task", entity_id=n)
            assert len(history(conn, "task", 0)) == 1  # a read of the log sees its own entries
            flush_changes(conn)
            assert len(history(conn, "task", 0)) == 1
            record_change(conn, actor="import", action="sync", entity="task_parts", entity_id=2)
        assert [e["action"] for e in history(conn, "task_parts", 2)] == ["sync"]
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        assert verify_chain(conn) == (6, [])


def test_a_savepoint_inside_a_batch_keeps_the_chain_whether_it_is_kept_or_rolled_back(engine):
    with unit_of_work(engine) as conn, change_batch(conn):
        record_change(conn, actor="import", action="create", entity="task", entity_id=1)
        savepoint = conn.begin_nested()
        record_change(conn, actor="import", action="create", entity="task", entity_id=2)
        savepoint.rollback()
        record_change(conn, actor="import", action="create", entity="task", entity_id=3)
        kept = conn.begin_nested()
        record_change(conn, actor="import", action="create", entity="task", entity_id=4)
        kept.commit()
        record_change(conn, actor="import", action="create", entity="task", entity_id=5)
    with engine.connect() as conn:
        assert verify_chain(conn) == (4, [])
        ids = conn.execute(sa.text("SELECT entity_id FROM change_log ORDER BY id")).scalars().all()
        assert ids == [1, 3, 4, 5]


def test_a_batch_that_raises_writes_nothing_and_the_next_transaction_chains_on(engine):
    with unit_of_work(engine) as conn:
        record_change(conn, actor="import", action="create", entity="task", entity_id=1)
    with pytest.raises(RuntimeError), unit_of_work(engine) as conn, change_batch(conn):
        record_change(conn, actor="import", action="create", entity="task", entity_id=2)
        raise RuntimeError("fails after logging")
    with unit_of_work(engine) as conn:
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        assert verify_chain(conn) == (2, [])


def test_a_batch_flushed_without_signing_signs_its_last_entry_as_the_head_when_it_ends(engine):
    with unit_of_work(engine) as conn, change_batch(conn):
        for n in range(3):
            record_change(conn, actor="import", action="create", entity="task", entity_id=n)
            flush_changes(conn, sign=False)  # as an import does after each document
    with engine.connect() as conn:
        assert verify_chain(conn) == (3, [])
        assert verify_head(conn) == []


def test_entries_flushed_unsigned_before_a_savepoint_rolled_back_stay_under_a_signed_head(engine):
    with unit_of_work(engine) as conn, change_batch(conn):
        record_change(conn, actor="import", action="create", entity="task", entity_id=1)
        flush_changes(conn, sign=False)
        savepoint = conn.begin_nested()
        record_change(conn, actor="import", action="create", entity="task", entity_id=2)
        savepoint.rollback()
    with engine.connect() as conn:
        assert verify_chain(conn) == (1, [])
        assert verify_head(conn) == []


def test_an_import_s_commit_counts_its_writes_while_hashing_and_both_hold(db_url, gazette_path, monkeypatch):
    """An import's commit (hundreds of entries) has the server count its writes while the entries are
    hashed, on PostgreSQL only; the chain verifies and the running totals equal a count from scratch."""
    from taizhang.services import audit, tallies
    from taizhang.services.import_issue import import_file

    entered = []
    alongside = audit.counting_own_writes_alongside

    def spied(conn):
        entered.append(conn.dialect.name)
        return alongside(conn)

    monkeypatch.setattr(audit, "counting_own_writes_alongside", spied)
    engine = open_database(db_url)
    import_file(engine, gazette_path, city="中卫市")
    with unit_of_work(engine) as conn:  # one entry: appended as before
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        count, problems = verify_chain(conn)
        assert (count > audit._HASHED_ALONGSIDE, problems, verify_head(conn)) == (True, [], [])
        kept = {t.name: _rows(dict(r._mapping) for r in conn.execute(sa.select(t))) for t in tallies.TABLES}
        from_scratch = tallies.counted(conn)
    engine.dispose()
    postgres = engine.dialect.name == "postgresql"
    assert entered == (["postgresql"] if postgres else [])
    assert kept["tally_totals"] and kept["tally_assigned"]
    assert kept == {name: _rows(rows) for name, rows in from_scratch.items()}


def _rows(rows) -> list[tuple]:
    """Tally rows comparable as sets, less the rows counting nothing any more."""
    return sorted(tuple(sorted(r.items())) for r in rows if r.get("n", 1) != 0)


def test_a_count_failing_while_the_entries_are_hashed_rolls_the_whole_import_back(db_url, gazette_path):
    """A deferred trigger that fails while the server counts alongside the hashing fails the commit
    like any other error of the transaction: nothing of the import stays, the next writer chains on."""
    from taizhang.services.import_issue import import_file
    from taizhang.storage.tables import change_log, tasks

    engine = open_database(db_url)
    if engine.dialect.name != "postgresql":
        engine.dispose()
        pytest.skip("deferred triggers are PostgreSQL's; SQLite counts each write at once")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE FUNCTION refuse_task() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'refused'; END $$"
            )
        )
        conn.execute(
            sa.text(
                "CREATE CONSTRAINT TRIGGER refuse_task AFTER INSERT ON tasks DEFERRABLE INITIALLY DEFERRED "
                "FOR EACH ROW EXECUTE FUNCTION refuse_task()"
            )
        )
    with pytest.raises(sa.exc.DBAPIError, match="refused"):
        import_file(engine, gazette_path, city="中卫市")
    with unit_of_work(engine) as conn:
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        counts = [conn.scalar(sa.select(sa.func.count()).select_from(t)) for t in (tasks, change_log)]
        assert (counts, verify_chain(conn), verify_head(conn)) == ([0, 1], (1, []), [])
    engine.dispose()

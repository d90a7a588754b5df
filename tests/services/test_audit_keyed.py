"""The change log is keyed: an entry appended or rehashed by someone without the deployment's key
is found, though its hash and link are computed exactly as the chain computes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from taizhang.services.audit import _normalise_at, audit_key, entry_hash, record_change, verify_chain
from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import change_log

AT = datetime(2022, 5, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    engine.update_execution_options(audit_key=audit_key("the deployment's own secret, long enough"))
    with unit_of_work(engine) as conn:
        for n in range(3):
            record_change(
                conn, actor="office", action="update", entity="task", entity_id=n, after={"n": n}, at=AT
            )
    yield engine
    engine.dispose()


def _forge(engine, key: bytes | None) -> None:
    """Append an entry the way the chain does, with ``key`` (None: the unkeyed SHA-256)."""
    with unit_of_work(engine) as conn:
        prev = conn.execute(sa.select(change_log.c.hash).order_by(change_log.c.id.desc()).limit(1)).scalar()
        fields = (prev, _normalise_at(AT), "office", "complete", "task", 1, None, {"status": "已完成"})
        conn.execute(
            change_log.insert().values(
                at=AT,
                actor="office",
                action="complete",
                entity="task",
                entity_id=1,
                before=None,
                after={"status": "已完成"},
                prev_hash=prev,
                hash=entry_hash(*fields, key=key),
            )
        )


def test_the_untouched_log_verifies(engine):
    with engine.connect() as conn:
        assert verify_chain(conn) == (3, [])


@pytest.mark.parametrize("key", [None, audit_key("change-me")], ids=["unkeyed", "another-key"])
def test_an_appended_entry_with_a_well_formed_hash_is_found(engine, key):
    _forge(engine, key)
    with engine.connect() as conn:
        count, problems = verify_chain(conn)
    assert count == 4 and [p.entry_id for p in problems] == [4]


def test_an_edited_entry_rehashed_without_the_key_is_found(engine):
    with unit_of_work(engine) as conn:
        row = conn.execute(sa.select(change_log).where(change_log.c.id == 3)).one()
        fields = (
            row.prev_hash,
            _normalise_at(row.at),
            "mallory",
            row.action,
            row.entity,
            row.entity_id,
            row.before,
            row.after,
        )
        conn.execute(
            change_log.update().where(change_log.c.id == 3).values(actor="mallory", hash=entry_hash(*fields))
        )
    with engine.connect() as conn:
        assert [p.entry_id for p in verify_chain(conn)[1]] == [3]


def test_a_ledger_written_before_keying_verifies_with_its_unkeyed_prefix_named(db_url):
    engine = open_database(db_url)
    with unit_of_work(engine) as conn:
        conn.execute(
            change_log.insert().values(
                at=AT,
                actor="import",
                action="create",
                entity="task",
                entity_id=1,
                before=None,
                after=None,
                prev_hash="0" * 64,
                hash=entry_hash("0" * 64, _normalise_at(AT), "import", "create", "task", 1, None, None),
            )
        )
    engine.update_execution_options(audit_key=audit_key("the deployment's own secret, long enough"))
    with unit_of_work(engine) as conn:
        record_change(conn, actor="office", action="update", entity="task", entity_id=1)
    with engine.connect() as conn:
        assert [p.entry_id for p in verify_chain(conn)[1]] == [1]
        assert verify_chain(conn, unkeyed_before=2) == (2, [])
    engine.dispose()

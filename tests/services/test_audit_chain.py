"""The change log's chain when many entries are appended in one transaction, and after a rollback."""

from __future__ import annotations

import pytest

from taizhang.services.audit import record_change, verify_chain
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

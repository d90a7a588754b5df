"""A statement run on a connection's transaction while the caller computes: its effect is the
transaction's, its error is raised once the block ends, and the block's own error comes first."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from taizhang.storage.alongside import executing_alongside


@pytest.fixture
def engine(db_url):
    engine = sa.create_engine(db_url)
    yield engine
    engine.dispose()


def test_the_statement_runs_in_the_transaction_while_the_block_computes(engine):
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE counted (n integer)"))
    with engine.connect() as conn:
        conn.execute(sa.text("INSERT INTO counted (n) VALUES (1)"))
        with executing_alongside(conn, "UPDATE counted SET n = n + 6"):
            total = sum(range(100_000))
        assert (total, conn.scalar(sa.text("SELECT n FROM counted"))) == (4_999_950_000, 7)
        conn.rollback()
    with engine.connect() as conn:  # rolled back with the transaction it ran in
        assert conn.scalar(sa.text("SELECT count(*) FROM counted")) == 0


def test_the_statement_s_error_is_raised_as_sqlalchemy_raises_it(engine):
    with engine.connect() as conn, pytest.raises(sa.exc.DBAPIError, match="no_such_table"):
        with executing_alongside(conn, "SELECT n FROM no_such_table"):
            pass


def test_the_block_s_own_error_is_raised_first(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the statement runs before the block, its error first")
    with engine.connect() as conn, pytest.raises(ZeroDivisionError):
        with executing_alongside(conn, "SELECT n FROM no_such_table"):
            _ = 1 / 0

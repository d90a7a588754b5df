"""Rows inserted through the driver's executemany are stored as SQLAlchemy's own executemany stores them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from taizhang.services.database import open_database
from taizhang.storage.bulk import insert_rows, writing_rows
from taizhang.storage.tables import change_log

COLUMNS = ("at", "actor", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash")


def _rows(prefix: str) -> list[dict]:
    at = datetime(2024, 3, 5, 8, 9, 10, tzinfo=UTC)
    values = [
        None,
        {"标题": "市水务局", "单位": [1, 2], "日期": "2024-03-05"},
        [{"b": 1, "a": None}],
        "文字",
        0,
        # what a text COPY must escape: tab, line ends, a backslash, its own null marker
        {"正文": "第一行\t甲\r\n第二行\\乙", "空": "", "标记": "\\N"},
        "\\N",
    ]
    return [
        {
            "at": at,
            "actor": "import" if n < 5 else "导入\t甲\r\n乙\\N\\",
            "action": "create",
            "entity": "task",
            "entity_id": n or None,
            "before": value if n % 2 else None,
            "after": value,
            "prev_hash": f"{prefix}{n:063d}",
            "hash": f"{prefix}{n + 100:063d}",
        }
        for n, value in enumerate(values)
    ]


def _stored(conn: sa.Connection, prefix: str) -> list[tuple]:
    """The rows as the database holds them (JSON and timestamps as text), oldest first."""
    text = "CAST({} AS TEXT)"
    columns = ", ".join(text.format(f'"{c}"') for c in COLUMNS if c not in ("prev_hash", "hash"))
    query = sa.text(f"SELECT {columns} FROM change_log WHERE substr(prev_hash, 1, 1) = :prefix ORDER BY id")
    return [tuple(row) for row in conn.execute(query, {"prefix": prefix})]


def test_inserted_rows_read_back_as_sqlalchemy_stores_them(db_url):
    engine = open_database(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(change_log.insert(), _rows("a"))
            insert_rows(conn, change_log, COLUMNS, _rows("b"))
        with engine.connect() as conn:
            by_sqlalchemy, by_driver = _stored(conn, "a"), _stored(conn, "b")
    finally:
        engine.dispose()
    assert len(by_driver) == 7
    assert by_driver == by_sqlalchemy


def test_no_rows_send_no_statement(db_url):
    engine = open_database(db_url)
    try:
        with engine.begin() as conn:
            insert_rows(conn, change_log, COLUMNS, [])
            assert conn.execute(sa.select(sa.func.count()).select_from(change_log)).scalar() == 0
    finally:
        engine.dispose()


def test_a_column_left_out_takes_its_default_as_with_sqlalchemy(db_url):
    from taizhang.storage.tables import units

    engine = open_database(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(units.insert(), [{"name": "市水务局"}])
            insert_rows(conn, units, ("name",), [{"name": "市财政局"}])
        with engine.connect() as conn:
            stored = conn.execute(
                sa.select(units.c.name, units.c.kind, units.c.verified).order_by(units.c.id)
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in stored] == [
        ("市水务局", "department", True),
        ("市财政局", "department", True),
    ]


def test_a_broken_key_is_raised_as_sqlalchemy_raises_it(db_url):
    engine = open_database(db_url)
    try:
        with engine.begin() as conn:
            rows = _rows("c")
            rows[1]["hash"] = rows[0]["hash"]  # the log's hashes are unique
            with pytest.raises(sa.exc.IntegrityError):
                insert_rows(conn, change_log, COLUMNS, rows)
            conn.rollback()
        with engine.connect() as conn:
            assert _stored(conn, "c") == []
    finally:
        engine.dispose()


def test_rows_written_one_by_one_are_stored_as_inserted_together(db_url):
    engine = open_database(db_url)
    try:
        with engine.begin() as conn:
            insert_rows(conn, change_log, COLUMNS, _rows("a"))
            with writing_rows(conn, change_log, COLUMNS) as write:
                for row in _rows("b"):
                    write(row)
        with engine.connect() as conn:
            by_rows, one_by_one = _stored(conn, "a"), _stored(conn, "b")
    finally:
        engine.dispose()
    assert len(one_by_one) == 7
    assert one_by_one == by_rows


def test_rows_written_in_a_block_that_raises_are_not_stored(db_url):
    engine = open_database(db_url)
    try:
        with engine.begin() as conn:
            insert_rows(conn, change_log, COLUMNS, _rows("a"))
        with pytest.raises(ValueError), engine.begin() as conn:
            with writing_rows(conn, change_log, COLUMNS) as write:
                for row in _rows("d"):
                    write(row)
                raise ValueError("the caller failed half way")
        with engine.connect() as conn:
            assert _stored(conn, "d") == []
            assert len(_stored(conn, "a")) == 7
    finally:
        engine.dispose()

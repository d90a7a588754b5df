"""Statements run on the driver's cursor (services/driver_sql.py) give the rows SQLAlchemy gives,
on SQLite and PostgreSQL: lists of any length, values compiled into the statement, typed values."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from taizhang.services.driver_sql import driver_rows, prepared

meta = sa.MetaData()
days = sa.Table(
    "driver_days",
    meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(20), nullable=False),
    sa.Column("day", sa.Date),
)
IDS = sa.bindparam("ids", expanding=True)
# a list, a typed value, a value compiled in (the literal 2) and a bound LIMIT
STATEMENT = (
    sa.select(days.c.id, days.c.name, sa.literal(2).label("two"))
    .where(days.c.id.in_(IDS), days.c.day >= sa.bindparam("since", type_=sa.Date))
    .order_by(days.c.id)
    .limit(sa.bindparam("most", type_=sa.Integer))
)


def test_driver_rows_are_sqlalchemys(db_url):
    engine = sa.create_engine(db_url)
    try:
        meta.create_all(engine)
        with engine.begin() as conn:
            conn.execute(
                days.insert(),
                [{"id": n, "name": f"第{n}天", "day": date(2022, 6, n)} for n in range(1, 11)],
            )
        with engine.connect() as conn:
            for ids, since, most in (([1], date(2022, 6, 1), 5), ([2, 4, 6, 8, 10], date(2022, 6, 5), 2)):
                params = {"ids": ids, "since": since, "most": most, "unused": "x"}
                expected = [tuple(row) for row in conn.execute(STATEMENT, params)]
                assert [tuple(row) for row in driver_rows(conn, STATEMENT, params)] == expected
                assert expected
            # compiled once per shape: the same list length finds the same compiled statement
            shape = {"ids": [3, 5], "since": date(2022, 6, 1), "most": 9}
            assert prepared(conn, STATEMENT, shape) is prepared(conn, STATEMENT, {**shape, "ids": [7, 9]})
            assert prepared(conn, STATEMENT, shape) is not prepared(conn, STATEMENT, {**shape, "ids": [7]})
    finally:
        meta.drop_all(engine)
        engine.dispose()


def test_cursor_listeners_see_driver_statements(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'seen.db'}")
    meta.create_all(engine)
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda conn, cur, sql, *rest: seen.append(sql))
    with engine.connect() as conn:
        driver_rows(conn, STATEMENT, {"ids": [1], "since": date(2022, 1, 1), "most": 1})
    assert len(seen) == 1 and "driver_days" in seen[0]
    engine.dispose()

"""A person named again gets new duties: the rows and ids are those of a DELETE and INSERT per person."""

from __future__ import annotations

import sqlalchemy as sa

from taizhang.extract.model import Person
from taizhang.extract.posts import Duty, Post
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.people import store_people
from taizhang.storage.tables_procedures import people, person_duties


def _named(*names: str) -> tuple[tuple[Person, ...], tuple[Post, ...]]:
    found = tuple(Person(name=name, role="副市长", line=n) for n, name in enumerate(names, start=1))
    posts = tuple(
        Post(
            name=name,
            duties=(
                Duty("分管", "分管", f"{name}第{n}次分管的工作", n),
                Duty("联系", "联系", f"{name}联系的工作{n}", n),
            ),
            backup=None,
            line=n,
        )
        for n, name in enumerate(names, start=1)
    )
    return found, posts


def _duties(conn) -> list[tuple[int, str, str]]:
    query = (
        sa.select(person_duties.c.id, people.c.name, person_duties.c.area)
        .join(people, people.c.id == person_duties.c.person_id)
        .order_by(person_duties.c.id)
    )
    return [tuple(row) for row in conn.execute(query)]


def test_a_person_named_again_keeps_only_the_last_duties_with_the_ids_of_row_by_row_writes(db_url):
    engine = open_database(db_url)
    try:
        with unit_of_work(engine) as conn:
            store_people(conn, *_named("张三"), (), {}, actor="import")
        with unit_of_work(engine) as conn:
            store_people(conn, *_named("张三", "李四", "张三"), (), {}, actor="import")
        with engine.connect() as conn:
            stored = _duties(conn)
    finally:
        engine.dispose()
    # PostgreSQL draws ids from a sequence, the superseded rows' too; SQLite gives a new row the
    # highest id plus one, after the DELETE
    first = 5 if engine.dialect.name == "postgresql" else 3
    assert stored == [
        (first, "李四", "李四第2次分管的工作"),
        (first + 1, "李四", "李四联系的工作2"),
        (first + 2, "张三", "张三第3次分管的工作"),
        (first + 3, "张三", "张三联系的工作3"),
    ]

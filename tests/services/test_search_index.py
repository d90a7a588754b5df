"""The full-text index over tasks, filled once for a batch of new tasks instead of row by row."""

from __future__ import annotations

import sqlalchemy as sa

from taizhang.services.database import open_database
from taizhang.services.import_issue import import_file
from taizhang.services.search_index import index_at_end
from tests.utils.rows import insert_issue_with_documents

MATCH = sa.text("select rowid from tasks_fts where tasks_fts match :q order by rowid")


def _ledger_with_a_document(url: str) -> sa.Engine:
    engine = open_database(url)
    with engine.begin() as conn:
        insert_issue_with_documents(conn)
    return engine


def _add_task(conn: sa.Connection, task_id: int, title: str) -> None:
    conn.execute(
        sa.text(
            "insert into tasks (id, document_id, key, source, title, body, line, line_start, "
            "line_end, deadline_kind, status, percent, needs_review, review_notes, is_public) "
            "values (:id, 1, :key, 'text', :title, '', 1, 1, 1, 'none', '未开始', 0, 0, '[]', 0)"
        ),
        {"id": task_id, "key": f"k{task_id}", "title": title},
    )


def _check_index(conn: sa.Connection) -> None:
    # FTS5 raises when the index and the tasks it is built over disagree
    conn.execute(sa.text("insert into tasks_fts(tasks_fts, rank) values ('integrity-check', 1)"))


def test_tasks_inserted_in_the_block_are_found_once_it_ends(sqlite_url):
    engine = _ledger_with_a_document(sqlite_url)
    with engine.begin() as conn:
        with index_at_end(conn):
            _add_task(conn, 7, "加快典型案例整改")
            _add_task(conn, 8, "推广典型案例经验")
            assert conn.execute(MATCH, {"q": '"典型案例"'}).scalars().all() == []
        assert conn.execute(MATCH, {"q": '"典型案例"'}).scalars().all() == [7, 8]
        _check_index(conn)
    engine.dispose()


def test_a_task_inserted_outside_the_block_is_indexed_as_it_is_inserted(sqlite_url):
    engine = _ledger_with_a_document(sqlite_url)
    with engine.begin() as conn:
        with index_at_end(conn):
            _add_task(conn, 7, "加快典型案例整改")
        _add_task(conn, 9, "严把典型案例准入")
        assert conn.execute(MATCH, {"q": '"典型案例"'}).scalars().all() == [7, 9]
        assert conn.execute(sa.text("select count(*) from tasks_fts_deferred")).scalar() == 0
        _check_index(conn)
    engine.dispose()


def test_a_block_inside_another_indexes_its_tasks_once(sqlite_url):
    engine = _ledger_with_a_document(sqlite_url)
    with engine.begin() as conn:
        with index_at_end(conn):
            with index_at_end(conn):
                _add_task(conn, 7, "加快典型案例整改")
            _add_task(conn, 8, "推广典型案例经验")
        assert conn.execute(MATCH, {"q": '"典型案例"'}).scalars().all() == [7, 8]
        _check_index(conn)
    engine.dispose()


def test_an_imported_gazette_is_searchable_with_a_sound_index(sqlite_url, gazette_path):
    engine = open_database(sqlite_url)
    import_file(engine, gazette_path, city="中卫市")
    with engine.connect() as conn:
        titles = conn.execute(sa.text("select id, title from tasks order by id")).all()
        term = titles[0].title[:4]
        expected = [row.id for row in titles if term in row.title]
        found = conn.execute(MATCH, {"q": f'"{term}"'}).scalars().all()
        _check_index(conn)
    assert len(titles) == 107 and found and set(expected) <= set(found)
    engine.dispose()

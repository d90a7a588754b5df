"""Assignments, tasks and parts written in bulk are counted with one statement per tally on
PostgreSQL (``services.bulk_counts``): every tally still equals a count from scratch after any mix
of bulk and single writes, edits, moves, deletions, savepoints rolled back and reads of the
transaction's own totals, on both databases; the bulk path is the one an import takes on
PostgreSQL; a row is never counted twice or missed."""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from taizhang.extract.model import ROLES
from taizhang.services import bulk_counts, tallies
from taizhang.services.database import insert_returning_ids, open_database, unit_of_work
from taizhang.services.import_issue import import_file
from taizhang.services.tallies import count_own_writes
from taizhang.storage.tables import assignments, documents, parts, tally_assigned, tasks, units

from .test_tallies import _counted as counted_tallies
from .test_tallies import _kept as kept_tallies
from .test_tallies import part_values, task_values


def _from_spans(literal: str) -> set[int]:
    found: set[int] = set()
    for start, end in re.findall(r"\[(\d+),(\d+)\)", literal):
        found.update(range(int(start), int(end)))
    return found


@given(st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=60))
def test_spans_hold_exactly_the_ids_given(ids):
    literal = bulk_counts.spans(ids)
    assert _from_spans(literal) == set(ids)
    pieces = re.findall(r"\[(\d+),(\d+)\)", literal)
    ends = [(int(a), int(b)) for a, b in pieces]
    # the fewest spans: each ends before the next starts, with a gap between
    assert all(b < c for (_, b), (c, _) in zip(ends, ends[1:], strict=False))


def _kept(conn) -> dict[str, list[tuple]]:
    """Every tally kept, with the transaction's own writes counted (as test_tallies reads them)."""
    return kept_tallies(conn)


def _from_scratch(conn) -> dict[str, list[tuple]]:
    return counted_tallies(conn)


def _ids(conn, table) -> list[int]:
    return list(conn.execute(sa.select(table.c.id).order_by(table.c.id)).scalars())


PICK = st.integers(min_value=0, max_value=10_000)
BULK_ASSIGNMENTS = st.lists(st.tuples(PICK, PICK, st.sampled_from(ROLES)), min_size=2, max_size=6)
writes = st.lists(
    st.one_of(
        st.tuples(st.just("bulk assignments"), BULK_ASSIGNMENTS),
        st.tuples(st.just("bulk assignments, rolled back"), BULK_ASSIGNMENTS),
        st.tuples(st.just("bulk tasks"), PICK, st.lists(task_values, min_size=2, max_size=4)),
        st.tuples(
            st.just("bulk parts"), st.lists(st.tuples(PICK, PICK, part_values), min_size=2, max_size=4)
        ),
        st.tuples(st.just("one assignment"), PICK, PICK, st.sampled_from(ROLES)),
        st.tuples(st.just("move assignment"), PICK, PICK),
        st.tuples(st.just("edit assignment"), PICK, st.fixed_dictionaries({"role": st.sampled_from(ROLES)})),
        st.tuples(st.just("delete assignment"), PICK),
        st.tuples(st.just("edit task"), PICK, task_values),
        st.tuples(st.just("move task"), PICK, PICK),
        st.tuples(st.just("delete task"), PICK),
        st.tuples(st.just("edit part"), PICK, part_values),
        st.tuples(st.just("move part"), PICK, PICK),
        st.tuples(st.just("delete part"), PICK),
        st.tuples(st.just("read own totals")),
    ),
    min_size=1,
    max_size=10,
)


def _bulk_assignments(conn, picks: list[tuple[int, int, str]]) -> None:
    task_ids, unit_ids = _ids(conn, tasks), _ids(conn, units)
    taken = set(
        conn.execute(sa.select(assignments.c.task_id, assignments.c.unit_id, assignments.c.role)).all()
    )
    rows = {}
    for t, u, role in picks:
        key = (task_ids[t % len(task_ids)], unit_ids[u % len(unit_ids)], role)
        if key not in taken:
            rows[key] = {"task_id": key[0], "unit_id": key[1], "role": role, "printed": ""}
    if len(rows) >= 2:  # a single row is inserted on its own, not in bulk
        insert_returning_ids(conn, assignments, list(rows.values()))


def _bulk_tasks(conn, pick: int, values: list[dict]) -> None:
    docs = _ids(conn, documents)
    doc = docs[pick % len(docs)]
    rows = [
        {"document_id": doc, "key": f"bulk-{uuid.uuid4().hex}", "source": "text", "title": "批量任务"}
        | {"line": 1, "line_start": 1, "line_end": 1, **v}
        for v in values
    ]
    insert_returning_ids(conn, tasks, rows)


def _bulk_parts(conn, picks: list[tuple[int, int, dict]]) -> None:
    task_ids, unit_ids = _ids(conn, tasks), _ids(conn, units)
    taken = set(conn.execute(sa.select(parts.c.task_id, parts.c.unit_id)).all())
    rows = {}
    for t, u, values in picks:
        key = (task_ids[t % len(task_ids)], unit_ids[u % len(unit_ids)])
        if key not in taken:
            rows[key] = {"task_id": key[0], "unit_id": key[1], "role": "lead", **values}
    if len(rows) >= 2:
        insert_returning_ids(conn, parts, list(rows.values()))


def _one_assignment(conn, write: tuple) -> None:
    task_ids, unit_ids = _ids(conn, tasks), _ids(conn, units)
    row = {"task_id": task_ids[write[1] % len(task_ids)], "unit_id": unit_ids[write[2] % len(unit_ids)]}
    if conn.execute(sa.select(assignments.c.id).filter_by(**row, role=write[3])).first() is None:
        conn.execute(assignments.insert().values(**row, role=write[3], printed=""))


def _change(conn, write: tuple) -> None:
    """An edit, a move or a deletion of one row, any row (one written in bulk or not)."""
    kind, what = write[0].split()
    table = {"task": tasks, "part": parts, "assignment": assignments}[what]
    ids = _ids(conn, table)
    if not ids or (kind == "delete" and what == "task" and len(ids) <= 3):  # keep tasks to work on
        return
    where = table.c.id == ids[write[1] % len(ids)]
    if kind == "delete":
        conn.execute(table.delete().where(where))
    elif kind == "edit":
        conn.execute(table.update().where(where).values(**write[2]))
    elif what == "task":
        docs = _ids(conn, documents)
        conn.execute(table.update().where(where).values(document_id=docs[write[2] % len(docs)]))
    else:
        unit_ids = _ids(conn, units)
        conn.execute(table.update().where(where).values(unit_id=unit_ids[write[2] % len(unit_ids)]))


def _write(conn, write: tuple) -> None:
    kind = write[0]
    if kind == "read own totals":
        assert _kept(conn) == _from_scratch(conn)
        return
    savepoint = conn.begin_nested()  # a write the schema refuses (a unit's second part) is undone
    try:
        if kind.startswith("bulk assignments"):
            _bulk_assignments(conn, write[1])
        elif kind == "bulk tasks":
            _bulk_tasks(conn, write[1], write[2])
        elif kind == "bulk parts":
            _bulk_parts(conn, write[1])
        elif kind == "one assignment":
            _one_assignment(conn, write)
        else:
            _change(conn, write)
    except sa.exc.IntegrityError:
        savepoint.rollback()
        return
    if kind.endswith("rolled back"):
        savepoint.rollback()
    else:
        savepoint.commit()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=writes)
def test_the_tallies_equal_a_count_from_scratch_after_any_mix_of_bulk_and_single_writes(ledger, writes):
    with ledger.engine.connect() as conn:
        assert _kept(conn) == _from_scratch(conn)  # as the previous example left the ledger
        conn.rollback()
        for write in writes:
            _write(conn, write)
        conn.commit()  # counted at the commit, as an import's writes are
        assert _kept(conn) == _from_scratch(conn), writes
        conn.rollback()


def _unassigned(conn) -> list[int]:
    """Units holding no task yet."""
    held = sa.select(assignments.c.id).where(assignments.c.unit_id == units.c.id).exists()
    return list(conn.execute(sa.select(units.c.id).where(~held).order_by(units.c.id)).scalars())


def _pairs(unit_id: int, task_ids: list[int]) -> list[dict]:
    return [
        {"task_id": t, "unit_id": unit_id, "role": role, "printed": ""}
        for t in task_ids
        for role in ROLES[:2]
    ]


def test_rows_written_in_bulk_then_moved_deleted_or_read_back_are_counted_once(ledger):
    """The count at the commit takes the rows as they stand: one deleted before it is not counted,
    one moved is counted for its new unit; a read of the transaction's own totals counts them
    there, and a later write to them is counted at once by its trigger, not again at the commit."""
    with ledger.engine.connect() as conn:
        task_ids = _ids(conn, tasks)
        first, second = _unassigned(conn)[:2]
        ids = insert_returning_ids(conn, assignments, _pairs(first, task_ids[:3]))
        assert bulk_counts.waiting(conn) == (conn.dialect.name == "postgresql")
        conn.execute(assignments.delete().where(assignments.c.id == ids[0]))
        conn.execute(assignments.update().where(assignments.c.id == ids[1]).values(unit_id=second))
        count_own_writes(conn)
        assert _kept(conn) == _from_scratch(conn)
        assert not bulk_counts.waiting(conn)
        conn.execute(assignments.update().where(assignments.c.id == ids[2]).values(unit_id=second))
        more = insert_returning_ids(conn, assignments, _pairs(first, task_ids[3:5]))
        assert not bulk_counts.waiting(conn)  # counted at once now, each by its trigger
        conn.commit()
        assert _kept(conn) == _from_scratch(conn)
        n = dict(
            conn.execute(
                sa.select(tally_assigned.c.unit_id, tally_assigned.c.n).where(tally_assigned.c.role == "*")
            ).all()
        )
        later = task_ids[3:5]
        # first: tasks 2 and 3 (one role each left) and the later ones; second: tasks 1 and 2
        assert (n.get(first), n.get(second), len(more)) == (2 + len(later), 2, 2 * len(later))


def test_an_import_counts_its_rows_in_bulk_on_postgresql(db_url, gazette_path, monkeypatch):
    sent = []
    alongside = tallies.executing_alongside

    def spied(conn, sql):
        sent.append(sql)
        return alongside(conn, sql)

    monkeypatch.setattr(tallies, "executing_alongside", spied)
    engine = open_database(db_url)
    try:
        import_file(engine, gazette_path, city="中卫市")
        with engine.connect() as conn:
            assert _kept(conn) == _from_scratch(conn)
            assert conn.scalar(sa.select(sa.func.count()).select_from(assignments)) > 100
            if conn.dialect.name == "postgresql":  # the setting was the import's transaction's only
                names = [bulk_counts.setting(t) for t in bulk_counts.TABLES]
                left = {conn.scalar(sa.text(f"SELECT current_setting('{name}', true)")) for name in names}
                assert left <= {None, ""}
    finally:
        engine.dispose()
    postgres = db_url.startswith("postgresql")
    assert [bulk_counts.COUNT in sql for sql in sent] == ([True] if postgres else [])


def test_a_transaction_rolled_back_leaves_nothing_counted(ledger):
    with ledger.engine.connect() as conn:
        before = _kept(conn)
    with ledger.engine.connect() as conn:
        (unit, other_unit), task_ids = _unassigned(conn)[:2], _ids(conn, tasks)
        insert_returning_ids(conn, assignments, _pairs(unit, task_ids[:4]))
        conn.rollback()
        with unit_of_work(ledger.engine) as other:  # the next transaction counts its own rows only
            insert_returning_ids(other, assignments, _pairs(other_unit, task_ids[:2]))
        after = _kept(conn)
    assert after == _from_scratch_on(ledger)
    assert after != before


def _from_scratch_on(ledger) -> dict[str, list[tuple]]:
    with ledger.engine.connect() as conn:
        return _from_scratch(conn)

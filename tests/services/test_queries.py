"""The read side on the gold ledger: filters, search, paging, one task, documents and summary.

Expected numbers are computed from the gold JSON itself, independently of the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidInput, NotFound, UnknownUnit
from taizhang.services.database import unit_of_work
from taizhang.services.queries import (
    SORTS,
    TaskFilter,
    document_numbers,
    get_document,
    get_task,
    list_documents,
    list_tasks,
    review_items,
    summary,
)
from taizhang.storage import tables as t
from tests.utils.gold_ledger import gold_ledger

COUNTIES_PRINTED = {"各县(区)", "各县(区)人民政府", "各县(区)政府"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    """The gold ledger, imported once per module and database."""
    yield from gold_ledger(request.param, tmp_path_factory)


def page(engine, **kw):
    with engine.connect() as conn:
        return list_tasks(conn, TaskFilter(limit=None, **kw))


def gold_lines(gold, keep) -> list[int]:
    return sorted(task["line"] for task in gold["tasks"] if keep(task))


def lines(result) -> list[int]:
    return sorted(item["line"] for item in result.items)


def test_a_county_matches_the_tasks_of_its_groups(engine, gold):
    result = page(engine, unit="沙坡头区")
    expected = gold_lines(
        gold, lambda task: COUNTIES_PRINTED & {*task["lead"], *task["responsible"], *task["cooperating"]}
    )
    assert len(expected) > 40
    assert lines(result) == expected and result.total == len(expected)


def test_an_alias_finds_the_same_tasks_as_the_name(engine, gold):
    by_alias, by_name = page(engine, unit="市卫健委"), page(engine, unit="市卫生健康委员会")
    printed = {"市卫生健康委", "市卫生健康委员会"}
    assert (
        lines(by_alias)
        == lines(by_name)
        == gold_lines(
            gold, lambda task: printed & {*task["lead"], *task["responsible"], *task["cooperating"]}
        )
    )


def test_role_narrows_the_unit(engine, gold):
    result = page(engine, unit="市医保局", role="lead")
    assert lines(result) == gold_lines(gold, lambda task: "市医保局" in task["lead"])
    assert all("市医疗保障局" in item["lead"] for item in result.items)


def test_document_by_number_or_id(engine, gold):
    by_number = page(engine, document="卫政办发〔2022〕6号")
    assert lines(by_number) == gold_lines(gold, lambda task: task["doc_number"] == "卫政办发〔2022〕6号")
    by_id = page(engine, document=str(by_number.items[0]["document_id"]))
    assert lines(by_id) == lines(by_number)


def test_due_dates_are_inclusive_bounds(engine, gold):
    result = page(engine, due_after=date(2022, 4, 30), due_before=date(2022, 9, 30))
    assert lines(result) == gold_lines(
        gold, lambda task: task["deadline"]["due"] and "2022-04-30" <= task["deadline"]["due"] <= "2022-09-30"
    )


def test_overdue_leaves_out_done_tasks(engine, gold):
    expected = gold_lines(
        gold, lambda task: task["deadline"]["due"] and task["deadline"]["due"] < "2022-05-01"
    )
    assert lines(page(engine, overdue_as_of=date(2022, 5, 1))) == expected
    with unit_of_work(engine) as conn:
        conn.execute(t.tasks.update().where(t.tasks.c.line == expected[0]).values(status="已完成"))
    try:
        assert lines(page(engine, overdue_as_of=date(2022, 5, 1))) == expected[1:]
    finally:
        with unit_of_work(engine) as conn:
            conn.execute(t.tasks.update().where(t.tasks.c.line == expected[0]).values(status="未开始"))


def test_review_and_status(engine):
    flagged = page(engine, review=True)
    assert flagged.total > 0 and all(item["needs_review"] for item in flagged.items)
    assert page(engine, review=False).total + flagged.total == 107
    assert page(engine, status="长期坚持").total == 5


def test_search_in_chinese_long_and_short_terms(engine, gold):
    assert lines(page(engine, q="典型案例")) == [216]
    short = page(engine, q="医保")
    assert lines(short) == gold_lines(gold, lambda task: "医保" in task["title"])
    both = page(engine, q="医保 支付方式")
    assert lines(both) == gold_lines(
        gold, lambda task: "医保" in task["title"] and "支付方式" in task["title"]
    )
    assert page(engine, q="100%_").total == 0


def test_paging_and_sorting(engine):
    with engine.connect() as conn:
        first = list_tasks(conn, TaskFilter(limit=10, sort="due"))
        last = list_tasks(conn, TaskFilter(limit=10, offset=100))
    assert (first.total, len(first.items), len(last.items)) == (107, 10, 7)
    dues = [item["due_on"] for item in first.items]
    assert dues == sorted(dues) and dues[0] == date(2022, 3, 31)


def test_a_page_costs_a_fixed_number_of_queries(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        used = []
        for limit in (5, 80):
            statements.clear()
            with engine.connect() as conn:
                assert len(list_tasks(conn, TaskFilter(unit="沙坡头区", limit=limit)).items) == limit
            used.append(len(statements))
        assert used[0] == used[1] <= 7
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_bad_filters_say_what_is_wrong(engine):
    with engine.connect() as conn:
        with pytest.raises(UnknownUnit, match="火星局"):
            list_tasks(conn, TaskFilter(unit="火星局"))
        with pytest.raises(NotFound):
            list_tasks(conn, TaskFilter(document="卫政发〔1999〕1号"))
        with pytest.raises(InvalidInput, match="未知的状态"):
            list_tasks(conn, TaskFilter(status="完成了"))
        with pytest.raises(InvalidInput, match="未知的角色"):
            list_tasks(conn, TaskFilter(role="boss"))
        with pytest.raises(InvalidInput, match="未知的排序"):
            list_tasks(conn, TaskFilter(sort="random"))


def test_get_task_quotes_its_source_line_and_units_by_role(engine, gazette_source):
    task_id = page(engine, q="典型案例").items[0]["id"]
    with engine.connect() as conn:
        task = get_task(conn, task_id)
        with pytest.raises(NotFound):
            get_task(conn, 999999)
    assert task["source_lines"] == [{"line": 216, "text": gazette_source.line(216)}]
    assert (task["lead"], task["responsible"], task["cooperating"]) == (
        ["中卫工业园区管委会"],
        ["市工业和信息化局", "市生态环境局"],
        [],
    )
    assert (task["doc_number"], task["due_on"], task["reports"], task["latest_report"]) == (
        "卫政办发〔2022〕6号",
        date(2022, 12, 31),
        [],
        None,
    )


def test_documents_list_imported_then_repealed(engine, gold):
    with engine.connect() as conn:
        docs = list_documents(conn)
        repealed = list_documents(conn, status="废止")
        one = get_document(conn, "卫政规发〔2022〕1号")
    assert [d["doc_number"] for d in docs[:12]] == [d["doc_number"] for d in gold["documents"]]
    assert [d["task_count"] for d in docs[:12]] == [d["task_count"] for d in gold["documents"]]
    assert [d["doc_number"] for d in repealed] == [d["doc_number"] for d in docs[12:]] and len(repealed) == 4
    assert one["source_lines"][0] == {"line": 150, "text": "中卫市人民政府"} and one["tasks"] == []


def test_document_numbers_follow_the_documents_list(engine):
    with engine.connect() as conn:
        listed = [(d["id"], d["doc_number"]) for d in list_documents(conn)]
        assert [(d["id"], d["doc_number"]) for d in document_numbers(conn)] == listed


def test_summary_counts(engine):
    with engine.connect() as conn:
        counts = summary(conn, as_of=date(2022, 5, 1))
    assert (counts["documents"], counts["documents_by_status"], counts["tasks"]) == (
        16,
        {"有效": 12, "废止": 4},
        107,
    )
    assert counts["tasks_by_status"] == {"未开始": 102, "长期坚持": 5}
    assert counts["tasks_by_unit"][0]["unit"] == "各县(区)" and len(counts["tasks_by_unit"]) == 15
    assert "应理集团" in counts["unverified_units"] and counts["overdue"] > 0


def test_both_unit_query_forms_give_the_same_page(engine, monkeypatch):
    from taizhang.services import queries

    wanted = dict(unit="沙坡头区", limit=20, offset=30)
    with engine.connect() as conn:
        by_in = list_tasks(conn, TaskFilter(**wanted))
        monkeypatch.setattr(queries, "MANY_MATCHES", 10)  # so the EXISTS walk is taken
        by_exists = list_tasks(conn, TaskFilter(**wanted))
        with_role = list_tasks(conn, TaskFilter(role="lead", limit=None))
    assert [i["id"] for i in by_exists.items] == [i["id"] for i in by_in.items] and len(by_in.items) == 20
    assert by_exists.total == by_in.total
    assert with_role.total == len(with_role.items) and all(i["lead"] for i in with_role.items)


def _walk(conn, **wanted) -> list[int]:
    """Every task id of a filter, page by page through the ``next`` cursors."""
    seen: list[int] = []
    after = None
    for _ in range(200):
        got = list_tasks(conn, TaskFilter(limit=7, after=after, **wanted))
        seen += [i["id"] for i in got.items]
        if got.next is None:
            return seen
        after = got.next
    raise AssertionError("the cursors never reached the last page")


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("wanted", [{}, {"unit": "沙坡头区"}, {"q": "推进"}, {"due_after": date(2022, 6, 1)}])
def test_cursor_pages_walk_the_whole_listing_once_in_order(engine, sort, wanted):
    with engine.connect() as conn:
        everything = [i["id"] for i in list_tasks(conn, TaskFilter(limit=None, sort=sort, **wanted)).items]
        assert everything, "the filter should match some tasks"
        assert _walk(conn, sort=sort, **wanted) == everything


@pytest.mark.parametrize(
    "wanted",
    [
        {"status": "未开始"},
        {"overdue_as_of": date(2022, 9, 1)},
        {"due_after": date(2022, 6, 1)},
        {"q": "推进"},
        {"q": "方案》"},
        {"q": "公立医 立医院"},
        {"unit": "沙坡头区"},
        {"unit": "沙坡头区", "status": "未开始"},
    ],
)
def test_many_matches_are_walked_in_index_order_with_the_same_pages(engine, monkeypatch, wanted):
    from taizhang.services import queries

    with engine.connect() as conn:
        gathered = list_tasks(conn, TaskFilter(limit=3, offset=1, **wanted))
        monkeypatch.setattr(queries, "COUNT_LIMIT", 2)  # every one of these filters matches more
        walked = list_tasks(conn, TaskFilter(limit=3, offset=1, **wanted))
        paged = _walk(conn, **wanted)
    assert gathered.exact and gathered.total > 3
    assert [i["id"] for i in walked.items] == [i["id"] for i in gathered.items] and len(walked.items) == 3
    assert (walked.total, walked.exact) == (2, False)
    assert paged == [i["id"] for i in page(engine, **wanted).items]


def test_a_search_counts_its_matches_only_up_to_the_search_limit(engine, monkeypatch):
    from taizhang.services import queries
    from taizhang.services.task_json import task_page

    monkeypatch.setattr(queries, "SEARCH_COUNT_LIMIT", 3)
    with engine.connect() as conn:
        everything = list_tasks(conn, TaskFilter(q="推进", limit=None))
        searched = list_tasks(conn, TaskFilter(q="推进", limit=2))
        sent = task_page(conn, TaskFilter(q="推进", limit=2))
        unsearched = list_tasks(conn, TaskFilter(status="未开始", limit=2))
    assert len(everything.items) > 3
    assert (searched.total, searched.exact) == (3, False)  # "3 条以上"
    assert (sent.count, sent.count_exact) == (3, False)
    first = [i["id"] for i in everything.items[:2]]
    assert [i["id"] for i in searched.items] == first == [i["id"] for i in sent.data]
    assert unsearched.exact and unsearched.total > 3  # other filters count as far as before


@pytest.mark.parametrize("words", [("公立医", "医疗服"), ("医疗服", "公立医"), ("行政执", "政执法")])
def test_several_words_find_the_tasks_holding_each_of_them(engine, words):
    def found(q: str) -> set[int]:
        return {i["id"] for i in page(engine, q=q).items}

    assert found(" ".join(words)) == found(words[0]) & found(words[1])


def test_a_cursor_belongs_to_its_sort_and_offsets_are_bounded(engine):
    from taizhang.services.paging import MAX_OFFSET

    with engine.connect() as conn:
        cursor = list_tasks(conn, TaskFilter(limit=3)).next
        assert cursor is not None
        for damaged in ("xyz", cursor[:-4], "e30"):
            with pytest.raises(InvalidInput, match="翻页标记"):
                list_tasks(conn, TaskFilter(limit=3, after=damaged))
        with pytest.raises(InvalidInput, match="翻页标记"):
            list_tasks(conn, TaskFilter(limit=3, after=cursor, sort="due"))
        with pytest.raises(InvalidInput, match="偏移不能超过"):
            list_tasks(conn, TaskFilter(limit=3, offset=MAX_OFFSET + 1))
        assert list_tasks(conn, TaskFilter(limit=3, offset=MAX_OFFSET)).items == []


def test_review_items_list_every_note_in_line_order(engine):
    with engine.connect() as conn:
        items = review_items(conn)
        flagged = list_tasks(conn, TaskFilter(review=True, limit=None)).items
    assert len(items) == sum(len(task["review_notes"]) for task in flagged) > 0
    assert [i["line"] for i in items] == sorted(i["line"] for i in items)
    assert ("task", "卫政发〔2022〕15号", 145, "unknown_unit", "单位不在单位库中：应理集团") in [
        (i["entity"], i["doc_number"], i["line"], i["kind"], i["message"]) for i in items
    ]


@pytest.mark.parametrize("role", [None, "lead", "responsible"])
def test_a_units_pages_in_ledger_order_follow_a_task_moved_or_added(engine, role):
    """A unit's listing in ledger order is read from the unit's own index of (role, document, line):
    the triggers keep each assignment's copy of its task's place when a task moves or is assigned."""
    wanted = {"unit": "沙坡头区", "role": role}
    with engine.connect() as conn:
        everything = [i["id"] for i in list_tasks(conn, TaskFilter(limit=None, **wanted)).items]
        assert everything
        assert _walk(conn, **wanted) == everything
        first, last = everything[0], everything[-1]
        bottom = conn.execute(sa.select(sa.func.max(t.tasks.c.line))).scalar_one() + 1
        doc = conn.execute(sa.select(t.tasks.c.document_id).where(t.tasks.c.id == last)).scalar_one()
        conn.execute(t.tasks.update().where(t.tasks.c.id == first).values(document_id=doc, line=bottom))
        moved = list_tasks(conn, TaskFilter(limit=len(everything) + 5, **wanted))
        assert [i["id"] for i in moved.items] == [
            i["id"] for i in list_tasks(conn, TaskFilter(limit=None, **wanted)).items
        ]
        assert _walk(conn, **wanted) == [i["id"] for i in moved.items]
        unit = conn.execute(sa.select(t.units.c.id).where(t.units.c.name == "沙坡头区")).scalar_one()
        other = conn.execute(
            sa.select(t.tasks.c.id).where(t.tasks.c.id.not_in(everything)).order_by(t.tasks.c.id).limit(1)
        ).scalar_one()
        conn.execute(
            t.assignments.insert().values(
                task_id=other, unit_id=unit, role=role or "cooperating", printed="沙坡头区"
            )
        )
        assert other in _walk(conn, **wanted)
        assert _walk(conn, **wanted) == [
            i["id"] for i in list_tasks(conn, TaskFilter(limit=None, **wanted)).items
        ]
        conn.rollback()

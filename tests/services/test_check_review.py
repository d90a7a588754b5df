"""``check`` findings on a task become review items on that task, with both source lines (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa

from taizhang.services.queries import list_documents, review_items
from taizhang.storage.tables import tasks
from tests.services.gazette_ledger import imported_engine


def test_the_seed_deadline_conflicts_are_review_items_on_their_tasks(db_url):
    engine = imported_engine(db_url)
    with engine.connect() as conn:
        items = [i for i in review_items(conn) if i["kind"] == "check_conflict" and i["entity"] == "task"]
        flagged = {
            row.id: row for row in conn.execute(sa.select(tasks).where(tasks.c.needs_review.is_(True)))
        }
    deadlines = {(i["doc_number"], i["line"]): i for i in items if "正文与附件" in i["message"]}
    # 正文 says 2022年4月底前, the 附件 row 2022年7月底; 2022年底 against 2025年底 twice
    for text_line, text_date, annex_date in (
        (1227, "2022年4月底前", "2022年7月底"),
        (1223, "2022年底", "2025年底"),
        (1251, "2022年底", "2025年底"),
    ):
        item = deadlines[("卫政办发〔2022〕29号", text_line)]
        assert item["entity"] == "task" and item["id"] in flagged
        assert text_date in item["message"] and annex_date in item["message"]
        task = flagged[item["id"]]
        note = next(
            n for n in task.review_notes if n.get("kind") == "check_conflict" and n["line"] == text_line
        )
        assert [s["label"] for s in note["sides"]] == ["正文", "附件"]
        assert text_date in note["sides"][0]["text"] and annex_date in note["sides"][1]["text"]
    # a finding lands only on tasks whose lines it names
    for item in items:
        task = flagged[item["id"]]
        note = next(
            n for n in task.review_notes if n.get("kind") == "check_conflict" and n["line"] == item["line"]
        )
        assert any(task.line_start <= s["line"] <= task.line_end for s in note["sides"])


def test_findings_that_concern_no_task_are_review_items_of_their_document(db_url):
    """The seed's scheme 权重 total (95 vs 100) and annex figures concern no task: they are the
    document's review items, counted once, with the source line."""
    engine = imported_engine(db_url)
    with engine.connect() as conn:
        items = review_items(conn)
        documents = list_documents(conn)
    on_documents = {
        (i["doc_number"], i["message"])
        for i in items
        if i["entity"] == "document" and i["kind"] == "check_conflict"
    }
    assert ("卫政办发〔2022〕28号", "权重合计不一致：应为“100”，第1161行实为“95”") in on_documents
    weights = next(i for i in items if "权重合计" in i["message"])
    assert [s["line"] for s in weights["sides"]] == [1161]
    assert sum(d["review_items"] for d in documents) == len(items)
    # no finding is both a task's and its document's
    task_lines = {
        (i["doc_number"], i["line"]) for i in items if i["entity"] == "task" and i["kind"] == "check_conflict"
    }
    document_lines = {
        (i["doc_number"], i["line"])
        for i in items
        if i["entity"] == "document" and i["kind"] == "check_conflict"
    }
    assert document_lines and not document_lines & task_lines

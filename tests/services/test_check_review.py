"""``check`` findings on a task become review items on that task, with both source lines (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa

from taizhang.services.queries import review_items
from taizhang.storage.tables import tasks
from tests.services.gazette_ledger import imported_engine


def test_the_seed_deadline_conflicts_are_review_items_on_their_tasks(db_url):
    engine = imported_engine(db_url)
    with engine.connect() as conn:
        items = [i for i in review_items(conn) if i["kind"] == "check_conflict"]
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

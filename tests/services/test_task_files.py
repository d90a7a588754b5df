"""立项附件: a task created by hand carries its own files, stored and limited as report attachments."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from taizhang.errors import InvalidInput, PermissionDenied
from taizhang.services import attachments, intake
from taizhang.services.attachments import MAX_UPLOAD_BYTES, Upload
from taizhang.services.audit import history
from taizhang.services.database import unit_of_work
from taizhang.storage.tables import attachments as attachment_rows
from taizhang.storage.tables import tasks

TODAY = date(2023, 5, 8)
DRAFT = intake.TaskDraft(
    "领导批示", "市长批示（2023年5月8日）", "整改医疗废物处置问题", lead=("市卫生健康委",)
)


def _create(ledger, uploads, tmp_path, who="office", **kw) -> int:
    with unit_of_work(ledger.engine) as conn:
        return intake.create_task(
            conn,
            ledger.users[who],
            DRAFT,
            today=TODAY,
            uploads=uploads,
            upload_dir=tmp_path / "uploads",
            **kw,
        )


def _count(ledger, table) -> int:
    with ledger.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_a_new_task_keeps_its_files_and_logs_them(sqlite_ledger, tmp_path):
    files = [
        Upload("批示件.pdf", "application/pdf", "%PDF-1.4 批示".encode()),
        Upload("C:\\纪要\\会议纪要.docx", None, b"PK"),
    ]
    task_id = _create(sqlite_ledger, files, tmp_path)
    with sqlite_ledger.engine.connect() as conn:
        stored = attachments.task_files(conn, task_id)
        assert [(f["filename"], f["size"]) for f in stored] == [
            ("批示件.pdf", len(files[0].data)),
            ("会议纪要.docx", 2),
        ]
        logged = [h for h in history(conn, "task", task_id) if h["action"] == "attach"]
        assert [a["filename"] for a in logged[0]["after"]["attachments"]] == ["批示件.pdf", "会议纪要.docx"]
        row = conn.execute(sa.select(attachment_rows).where(attachment_rows.c.id == stored[0]["id"])).one()
    assert row.report_id is None and row.task_id == task_id
    assert (tmp_path / "uploads" / row.sha256).read_bytes() == files[0].data


@pytest.mark.parametrize(
    ("uploads", "words"),
    [
        ([Upload(f"{n}.pdf", None, b"x") for n in range(3)], "附件过多：3 个，一项任务最多 2 个"),
        ([Upload("大文件.pdf", None, b"x" * (MAX_UPLOAD_BYTES + 1))], "大文件.pdf 超过 20 MB 的上限"),
        ([Upload("  ", None, b"x")], "附件需要文件名"),
    ],
)
def test_bad_files_refuse_the_task_before_anything_is_written(sqlite_ledger, tmp_path, uploads, words):
    before = _count(sqlite_ledger, tasks)
    with pytest.raises(InvalidInput, match=words):
        _create(sqlite_ledger, uploads, tmp_path, max_files=2)
    assert _count(sqlite_ledger, tasks) == before and _count(sqlite_ledger, attachment_rows) == 0
    assert not (tmp_path / "uploads").exists()


def test_a_unit_cannot_create_a_task_with_files(sqlite_ledger, tmp_path):
    with pytest.raises(PermissionDenied):
        _create(sqlite_ledger, [Upload("a.pdf", None, b"x")], tmp_path, who="health")
    assert _count(sqlite_ledger, attachment_rows) == 0

"""Stored files (附件): a report's evidence, or a task's own files from 立项 (the instruction,
minutes or letter it came from).

Files are content-addressed under the upload directory, one row per attachment naming the report
or the task it belongs to; both kinds share the size limit and are served by the same download
rule (``web/downloads.py``: typed by extension, always as a download).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput
from ..storage.tables import attachments
from .audit import record_change
from .user_info import UserInfo

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Upload:
    """A file sent with a report (证明材料) or with a new task (立项附件)."""

    filename: str
    content_type: str | None
    data: bytes


def clean_name(upload: Upload) -> str:
    """The file's own name without any path a client sent; InvalidInput when empty or too large."""
    name = Path(upload.filename.replace("\\", "/")).name.strip()
    if not name:
        raise InvalidInput("附件需要文件名")
    if len(upload.data) > MAX_UPLOAD_BYTES:
        raise InvalidInput(f"{name} 超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB 的上限")
    return name


def check_uploads(uploads: Sequence[Upload], most: int, what: str) -> None:
    """Refuse, before anything is written, too many files or one without a name or too large."""
    if len(uploads) > most:
        raise InvalidInput(f"附件过多：{len(uploads)} 个，{what}最多 {most} 个")
    for upload in uploads:
        clean_name(upload)


def store_upload(
    conn: Connection,
    upload: Upload,
    upload_dir: Path,
    *,
    report_id: int | None = None,
    task_id: int | None = None,
) -> dict[str, Any]:
    """Write the file (once per content) and its row for the report or the task; what was stored."""
    if (report_id is None) == (task_id is None):
        raise ValueError("附件须属于一份报告或一项任务")
    name = clean_name(upload)
    digest = hashlib.sha256(upload.data).hexdigest()
    upload_dir.mkdir(parents=True, exist_ok=True)
    path = upload_dir / digest
    if not path.exists():  # content-addressed: the same file uploaded twice is stored once
        partial = path.with_name(f".{digest}.{secrets.token_hex(4)}.part")
        partial.write_bytes(upload.data)
        partial.replace(path)  # atomic: a reader never sees half a file
    row = {
        "report_id": report_id,
        "task_id": task_id,
        "filename": name[:300],
        "content_type": upload.content_type,
        "size": len(upload.data),
        "sha256": digest,
        "stored_path": str(path),
    }
    attachment_id = int(conn.execute(attachments.insert().values(**row)).inserted_primary_key[0])
    return {"id": attachment_id, "filename": row["filename"], "size": row["size"], "sha256": digest}


def attach_to_task(
    conn: Connection, actor: UserInfo, task_id: int, uploads: Sequence[Upload], upload_dir: Path
) -> list[dict[str, Any]]:
    """Store the task's own files (立项附件) and log them in the change log; what was stored."""
    files = [store_upload(conn, u, upload_dir, task_id=task_id) for u in uploads]
    if files:
        record_change(
            conn,
            actor=actor.name,
            action="attach",
            entity="task",
            entity_id=task_id,
            before=None,
            after={"attachments": files},
        )
    return files


def task_files(conn: Connection, task_id: int) -> list[dict[str, Any]]:
    """The task's own attachments, oldest first: id, filename, size."""
    query = (
        sa.select(attachments.c.id, attachments.c.filename, attachments.c.size)
        .where(attachments.c.task_id == task_id)
        .order_by(attachments.c.id)
    )
    return [{"id": int(r.id), "filename": r.filename, "size": int(r.size)} for r in conn.execute(query)]

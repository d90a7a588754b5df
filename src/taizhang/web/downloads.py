"""Attachments of reports as downloads.

``services.queries`` has no attachment lookup yet; this one read lives here until it does.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..storage.tables import attachments

# What an attachment is served as, by its file name's extension: types a browser will not run as a
# page. Anything else (html, svg, xml, js …) is served as bytes to save; the uploader's declared
# type is never trusted.
SAFE_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".wps": "application/vnd.ms-works",
    ".ofd": "application/ofd",
    ".zip": "application/zip",
}


def safe_media_type(filename: str) -> str:
    """The Content-Type an attachment called ``filename`` is served with (see :data:`SAFE_TYPES`)."""
    return SAFE_TYPES.get(PurePath(filename).suffix.lower(), "application/octet-stream")


def get_attachment(conn: Connection, attachment_id: int) -> dict[str, Any]:
    """One stored attachment's metadata (filename, content type, stored path); NotFound otherwise."""
    row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).first()
    if row is None:
        raise NotFound(f"附件 {attachment_id} 不存在")
    return dict(row._mapping)

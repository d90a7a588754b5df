"""Attachments of reports as downloads.

``services.queries`` has no attachment lookup yet; this one read lives here until it does.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from ..storage.tables import attachments


def get_attachment(conn: Connection, attachment_id: int) -> dict[str, Any]:
    """One stored attachment's metadata (filename, content type, stored path); NotFound otherwise."""
    row = conn.execute(sa.select(attachments).where(attachments.c.id == attachment_id)).first()
    if row is None:
        raise NotFound(f"附件 {attachment_id} 不存在")
    return dict(row._mapping)

"""A bare endpoint returning a constant: the benchmark's baseline for the app's own overhead."""

from __future__ import annotations

from fastapi import APIRouter

from ..routing import CommitRoute
from ..schemas import Ping

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["meta"])


@router.get("/ping", response_model=Ping)
def ping() -> Ping:
    """Always ``{"ok": true}``; touches neither the database nor the session."""
    return Ping()

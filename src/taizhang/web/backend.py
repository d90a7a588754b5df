"""The one place the web app gets its services from.

Routes import services from here, never from ``interim`` directly, so switching to the real
``services.accounts/queries/workflow`` as they land is a change to this file only.
"""

from __future__ import annotations

from ..services import dashboard
from .interim import accounts, queries, review, workflow

__all__ = ["accounts", "dashboard", "queries", "review", "workflow"]

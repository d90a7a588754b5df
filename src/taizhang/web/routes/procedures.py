"""The routers of procedures and people: decisions, consultations, people and experts, the registry."""

from __future__ import annotations

from . import (
    api_consultations,
    api_decisions,
    api_people,
    api_registry,
    pages_consultations,
    pages_decisions,
    pages_people,
    pages_registry,
)

PROCEDURE_ROUTERS = [
    module.router
    for module in (api_decisions, api_consultations, api_people, api_registry, pages_decisions, pages_consultations,
                   pages_people, pages_registry)
]

"""One router per resource; :data:`ROUTERS` is what ``create_app`` includes, pages and API alike."""

from __future__ import annotations

from . import (
    api_campaigns,
    api_consultations,
    api_dashboard,
    api_decisions,
    api_documents,
    api_escalation,
    api_indicators,
    api_notices,
    api_notifications,
    api_people,
    api_ping,
    api_registry,
    api_tasks,
    auth,
    jobs,
    pages_admin,
    pages_campaigns,
    pages_consultations,
    pages_dashboard,
    pages_decisions,
    pages_documents,
    pages_escalation,
    pages_evaluation,
    pages_fiscal,
    pages_import,
    pages_indicators,
    pages_intake,
    pages_ledger,
    pages_notices,
    pages_notifications,
    pages_people,
    pages_portal,
    pages_public,
    pages_registry,
    pages_review,
    pages_task,
)

# In the order FastAPI matches them: a fixed path (/tasks/new) before a pattern that would take it.
ROUTERS = [
    module.router
    for module in (
        api_ping, api_escalation, api_tasks, api_documents, api_dashboard, auth, pages_dashboard, pages_documents,
        pages_ledger, pages_review, pages_intake, pages_import, pages_task, pages_portal, pages_public, api_notices,
        pages_notices, api_notifications, pages_notifications, jobs, pages_escalation, pages_evaluation, pages_admin,
        api_indicators, pages_indicators, pages_fiscal,
        api_decisions, api_consultations, api_people, api_registry, pages_decisions, pages_consultations,
        pages_people, pages_registry,
        api_campaigns, pages_campaigns,
    )
]

"""One router per resource; :data:`ROUTERS` is what ``create_app`` includes, pages and API alike."""

from __future__ import annotations

from . import (
    api_dashboard,
    api_documents,
    api_escalation,
    api_notices,
    api_notifications,
    api_ping,
    api_tasks,
    auth,
    jobs,
    pages_admin,
    pages_dashboard,
    pages_documents,
    pages_escalation,
    pages_evaluation,
    pages_import,
    pages_intake,
    pages_ledger,
    pages_notices,
    pages_notifications,
    pages_portal,
    pages_public,
    pages_review,
    pages_task,
)

ROUTERS = [
    module.router
    for module in (
        api_ping, api_escalation, api_tasks, api_documents, api_dashboard, auth, pages_dashboard,
        pages_documents,
        pages_ledger, pages_review, pages_intake, pages_import, pages_task, pages_portal, pages_public, api_notices,
        pages_notices, api_notifications, pages_notifications, jobs, pages_escalation, pages_evaluation, pages_admin,
    )
]

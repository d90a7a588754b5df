"""Every write endpoint × every role, with the status code each must get (issue #3).

Roles: anonymous; the office (督查室); a unit of the task (市卫生健康委 on a task it leads);
a unit of another task (市教育局 on the same task); a unit through its group (中宁县 on a task
given to 各县(区)); a leader. API calls carry bearer tokens; page forms use a logged-in session
with its CSRF token. Preconditions (a pending completion request, a closed task, a pending
extension request) are set up through the services first, so a 2xx proves the permission and a
4xx cannot come from a wrong state.
"""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from taizhang.services import accounts, workflow
from taizhang.services.database import unit_of_work

from .conftest import sign_in
from .ledger_factory import task_where

ROLES = ("anonymous", "office", "own_unit", "other_unit", "group_unit", "leader")
ACCOUNT = {"office": "office", "own_unit": "health", "other_unit": "education", "group_unit": "zhongning",
           "leader": "leader"}
TODAY = date(2022, 6, 30)
UNIT_OK = {"anonymous": 401, "office": 403, "own_unit": 201, "other_unit": 403, "group_unit": 201, "leader": 403}
PAGE_UNIT_OK = {**UNIT_OK, "own_unit": 303, "group_unit": 303}


def office_only(ok: int) -> dict[str, int]:
    return {"anonymous": 401, "office": ok, "own_unit": 403, "other_unit": 403, "group_unit": 403, "leader": 403}


# endpoint name → (method path template, body kind, precondition, expected by role)
API = {
    "report": ("/api/tasks/{task}/reports", {"practice": "召开专题会议", "percent": 30}, None, UNIT_OK),
    "request-completion": ("/api/tasks/{task}/request-completion", {"note": "已完成"}, None, UNIT_OK),
    "extension": ("/api/tasks/{task}/extension", {"requested_due": "2023-06-30", "reason": "资金未到位"}, None,
                  UNIT_OK),
    "complete": ("/api/tasks/{task}/complete", {"note": "同意"}, "completion_requested", office_only(200)),
    "return": ("/api/tasks/{task}/return", {"reason": "材料不全"}, "completion_requested", office_only(200)),
    "chase": ("/api/tasks/{task}/chase", {"message": "请抓紧报送"}, None, office_only(200)),
    "reopen": ("/api/tasks/{task}/reopen", {"reason": "复查发现问题"}, "closed", office_only(200)),
    "extension-decision": ("/api/tasks/{task}/extension/{report}/decision", {"approve": True},
                           "extension_requested", office_only(200)),
}
PAGES = {
    "page-report": ("/tasks/{task}/report", {"practice": "召开专题会议", "percent": "30"}, None, PAGE_UNIT_OK),
    "page-request-completion": ("/tasks/{task}/request-completion", {"note": "已完成"}, None, PAGE_UNIT_OK),
    "page-request-extension": ("/tasks/{task}/request-extension",
                               {"requested_due": "2023-06-30", "reason": "资金未到位"}, None, PAGE_UNIT_OK),
    "page-approve": ("/tasks/{task}/approve", {"note": "同意"}, "completion_requested", office_only(303)),
    "page-return": ("/tasks/{task}/return", {"reason": "材料不全"}, "completion_requested", office_only(303)),
    "page-chase": ("/tasks/{task}/chase", {"message": "请抓紧报送"}, None, office_only(303)),
    "page-reopen": ("/tasks/{task}/reopen", {"reason": "复查"}, "closed", office_only(303)),
    "page-extension-decision": ("/tasks/{task}/extension/{report}", {"decision": "approve", "reason": ""},
                                "extension_requested", office_only(303)),
    "page-review": ("/review/{task}", {"lead": "市卫生健康委", "reviewed": "1"}, None, office_only(303)),
    "page-split": ("/review/{task}/split", {"titles": "甲\n乙"}, None, office_only(303)),
    "page-merge": ("/review/merge", {"task_ids": ["1", "2"]}, None, office_only(303)),
    "page-publish": ("/tasks/{task}/publish", {"public": "1"}, None, office_only(303)),
}


def _task_for(ledger, role: str) -> int:
    if role == "group_unit":
        return task_where(ledger, unit="各县(区)")
    return task_where(ledger, unit="市卫生健康委", role="lead")


def _prepare(app, task_id: int, role: str, precondition: str | None) -> int | None:
    """Bring the task into the state the endpoint acts on; returns a report id when one is made."""
    if precondition is None:
        return None
    unit_user = "zhongning" if role == "group_unit" else "health"
    with unit_of_work(app.state.engine) as conn:
        unit = accounts.get_user_by_name(conn, unit_user)
        office = accounts.get_user_by_name(conn, "office")
        if precondition == "extension_requested":
            return workflow.request_extension(conn, unit, task_id, requested_due=date(2023, 6, 30),
                                              reason="资金未到位", today=TODAY)
        report_id = workflow.request_completion(conn, unit, task_id, note="已完成", today=TODAY)
        if precondition == "closed":
            workflow.approve_completion(conn, office, task_id, note="同意", today=TODAY)
        return report_id


def _cases(table: dict) -> list:
    return [pytest.param(name, role, id=f"{name}-{role}") for name in table for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), _cases(API))
def test_api_write_permissions(app, ledger, endpoint, role):
    path, body, precondition, expected = API[endpoint]
    task_id = _task_for(ledger, role)
    report_id = _prepare(app, task_id, role, precondition)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {ledger.tokens[ACCOUNT[role]]}"}
    response = TestClient(app).post(path.format(task=task_id, report=report_id), json=body, headers=headers)
    assert response.status_code == expected[role], response.text


@pytest.mark.parametrize(("endpoint", "role"), _cases(PAGES))
def test_page_form_permissions(app, ledger, endpoint, role):
    path, form, precondition, expected = PAGES[endpoint]
    task_id = _task_for(ledger, role)
    report_id = _prepare(app, task_id, role, precondition)
    client = TestClient(app, follow_redirects=False)
    if role != "anonymous":
        form = {**form, "csrf_token": sign_in(client, ACCOUNT[role])}
    response = client.post(path.format(task=task_id, report=report_id), data=form)
    assert response.status_code == expected[role], response.text[:500]

"""Every write endpoint × every role, with the status code each must get.

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
from .ledger_factory import PASSWORD, ROLE_ACCOUNT, ROLES, task_where

TODAY = date(2022, 6, 30)
UNIT_OK = {
    "anonymous": 401,
    "office": 403,
    "own_unit": 201,
    "other_unit": 403,
    "group_unit": 201,
    "leader": 403,
}
PAGE_UNIT_OK = {**UNIT_OK, "own_unit": 303, "group_unit": 303}


def office_only(ok: int) -> dict[str, int]:
    return {
        "anonymous": 401,
        "office": ok,
        "own_unit": 403,
        "other_unit": 403,
        "group_unit": 403,
        "leader": 403,
    }


NEW_TASK = {
    "source_kind": "领导批示",
    "source_ref": "市长批示",
    "title": "推进分级诊疗",
    "lead": ["市卫生健康委"],
    "deadline_text": "2022年12月底前",
}
# endpoint name → (method path template, body kind, precondition, expected by role)
API = {
    "report": ("/api/tasks/{task}/reports", {"practice": "召开专题会议", "percent": 30}, None, UNIT_OK),
    "request-completion": ("/api/tasks/{task}/request-completion", {"note": "已完成"}, None, UNIT_OK),
    "extension": (
        "/api/tasks/{task}/extension",
        {"requested_due": "2023-06-30", "reason": "资金未到位"},
        None,
        UNIT_OK,
    ),
    "complete": ("/api/tasks/{task}/complete", {"note": "同意"}, "completion_requested", office_only(200)),
    "return": ("/api/tasks/{task}/return", {"reason": "材料不全"}, "completion_requested", office_only(200)),
    "chase": ("/api/tasks/{task}/chase", {"message": "请抓紧报送"}, None, office_only(200)),
    "acknowledge": ("/api/tasks/{task}/acknowledge", {}, None, UNIT_OK),  # 签收 of one's own part
    "reopen": ("/api/tasks/{task}/reopen", {"reason": "复查发现问题"}, "closed", office_only(200)),
    "extension-decision": (
        "/api/tasks/{task}/extension/{report}/decision",
        {"approve": True},
        "extension_requested",
        office_only(200),
    ),
    "create": ("/api/tasks", NEW_TASK, None, office_only(201)),
    "split": (
        "/api/tasks/{task}/split",
        {"titles": ["甲", "乙"], "reason": "分两项推进"},
        None,
        office_only(200),
    ),
    "cancel": ("/api/tasks/{task}/cancel", {"reason": "会议决定不再实施"}, None, office_only(200)),
    "escalate": (
        "/api/tasks/{task}/escalations",
        {"unit": "市卫生健康委", "step": "催办"},
        None,
        office_only(201),
    ),
    "chase-late": ("/api/tasks/chase-late", {}, None, office_only(200)),
    "instruct": (
        "/api/tasks/{task}/instructions",
        {"text": "请加快推进", "leader": "张市长"},
        None,
        {**office_only(201), "leader": 201},
    ),
}
PAGES = {
    "page-report": (
        "/tasks/{task}/report",
        {"practice": "召开专题会议", "percent": "30"},
        None,
        PAGE_UNIT_OK,
    ),
    "page-request-completion": ("/tasks/{task}/request-completion", {"note": "已完成"}, None, PAGE_UNIT_OK),
    "page-request-extension": (
        "/tasks/{task}/request-extension",
        {"requested_due": "2023-06-30", "reason": "资金未到位"},
        None,
        PAGE_UNIT_OK,
    ),
    "page-approve": ("/tasks/{task}/approve", {"note": "同意"}, "completion_requested", office_only(303)),
    "page-return": ("/tasks/{task}/return", {"reason": "材料不全"}, "completion_requested", office_only(303)),
    "page-chase": ("/tasks/{task}/chase", {"message": "请抓紧报送"}, None, office_only(303)),
    "page-acknowledge": ("/tasks/{task}/acknowledge", {}, None, PAGE_UNIT_OK),
    "page-reopen": ("/tasks/{task}/reopen", {"reason": "复查"}, "closed", office_only(303)),
    "page-extension-decision": (
        "/tasks/{task}/extension/{report}",
        {"decision": "approve", "reason": ""},
        "extension_requested",
        office_only(303),
    ),
    "page-review": ("/review/{task}", {"lead": "市卫生健康委", "reviewed": "1"}, None, office_only(303)),
    "page-split": (
        "/review/{task}/split",
        {"titles": "甲\n乙", "reason": "分两项推进"},
        None,
        office_only(303),
    ),
    "page-merge": ("/review/merge", {"task_ids": ["1", "2"]}, None, office_only(303)),
    "page-publish": ("/tasks/{task}/publish", {"public": "1"}, None, office_only(303)),
    "page-task-new": ("/tasks/new", {**NEW_TASK, "lead": "市卫生健康委"}, None, office_only(303)),
    "page-task-edit": (
        "/tasks/{task}/edit",
        {"title": "推进分级诊疗", "lead": "市卫生健康委", "reason": "会议调整"},
        None,
        office_only(303),
    ),
    "page-task-cancel": ("/tasks/{task}/cancel", {"reason": "会议决定不再实施"}, None, office_only(303)),
    "page-escalate": (
        "/tasks/{task}/escalate",
        {"unit": "市卫生健康委", "step": "催办"},
        None,
        office_only(303),
    ),
    "page-chase-late": ("/escalations/chase-late", {}, None, office_only(303)),
    "page-instruct": (
        "/tasks/{task}/instruct",
        {"text": "请加快推进", "leader": "张市长"},
        None,
        {**office_only(303), "leader": 303},
    ),
    "page-admin-add-user": (
        "/admin/users",
        {"name": "新用户", "password": "long enough 1", "role": "leader"},
        None,
        office_only(303),
    ),
    "page-admin-role": ("/admin/users/leader/role", {"role": "leader"}, None, office_only(303)),
    "page-admin-password": (
        "/admin/users/leader/password",
        {"password": "long enough 1"},
        None,
        office_only(303),
    ),
    "page-admin-active": ("/admin/users/leader/active", {"active": "1"}, None, office_only(303)),
    "page-admin-unit": ("/admin/units", {"name": "市新设局"}, None, office_only(303)),
    "page-admin-alias": (
        "/admin/units/alias",
        {"alias": "市卫健", "unit": "市卫生健康委"},
        None,
        office_only(303),
    ),
    "page-admin-member": (
        "/admin/units/member",
        {"group": "各县(区)", "unit": "沙坡头区"},
        None,
        office_only(303),
    ),
    "page-admin-merge": (
        "/admin/units/merge",
        {"keep": "市卫生健康委", "gone": "市医保局"},
        None,
        office_only(303),
    ),
    "page-admin-issuer": ("/admin/issuer", {"issuer": "某市人民政府督查室"}, None, office_only(303)),
    # every signed-in user changes its own password (the form names no user: it cannot reach another's)
    "page-account-password": (
        "/account/password",
        {"current": PASSWORD, "new": "long enough 1", "repeated": "long enough 1"},
        None,
        {**{role: 303 for role in ROLES}, "anonymous": 401},
    ),
    # a preview of a bad upload is a 400 for the office: the point is that nobody else gets that far
    "page-import-ledger": (
        "/import/ledger",
        {"action": "preview", "data": "", "filename": "x.xlsx"},
        None,
        office_only(400),
    ),
}


def _task_for(ledger, role: str) -> int:
    if role == "group_unit":  # 中宁县's own part of a task given to 各县(区)
        return task_where(ledger, unit="各县(区)", role="responsible")
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
            return workflow.request_extension(
                conn, unit, task_id, requested_due=date(2023, 6, 30), reason="资金未到位", today=TODAY
            )
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
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {ledger.tokens[ROLE_ACCOUNT[role]]}"}
    response = TestClient(app).post(path.format(task=task_id, report=report_id), json=body, headers=headers)
    assert response.status_code == expected[role], response.text


@pytest.mark.parametrize(("endpoint", "role"), _cases(PAGES))
def test_page_form_permissions(app, ledger, endpoint, role):
    path, form, precondition, expected = PAGES[endpoint]
    task_id = _task_for(ledger, role)
    report_id = _prepare(app, task_id, role, precondition)
    client = TestClient(app, follow_redirects=False)
    if role != "anonymous":
        form = {**form, "csrf_token": sign_in(client, ROLE_ACCOUNT[role])}
    response = client.post(path.format(task=task_id, report=report_id), data=form)
    assert response.status_code == expected[role], response.text[:500]


# Procedures and people --------------------------------------------------------------------------
# Every write of decisions, consultations, experts, people, requests and the registry is the
# office's (deciding a routed request is the office's and the leaders'). Reads: units see the
# decisions and consultations their unit handles; the expert pool is the office's and leaders'.

from .procedures_factory import a_request, an_absence, consultation_at  # noqa: E402

LEADERS_TOO = {**office_only(200), "leader": 200}
PAGE_LEADERS_TOO = {**office_only(303), "leader": 303}
EDUCATION_ROLES = {"own_unit": "education", "other_unit": "health"}  # decision 1 is 市教育局's
STEP = {"procedure": "公众参与", "state": "进行中"}
APPLY = {
    "topic": "县管校聘",
    "form": "专家小组论证",
    "requested_on": "2022-06-20",
    "meeting_on": "2022-06-30",
}
OPINION = {"expert_id": 1, "opinion": "同意", "signed": True, "pledge_signed": True}

# endpoint → (path template, body, precondition, expected by role); {c} consultation, {r} request, {a} absence
PROCEDURE_API = {
    "decision-step": ("/api/decisions/1/steps", STEP, None, office_only(200)),
    "decision-flags": ("/api/decisions/1/flags", {"flags": ["contested"]}, None, office_only(200)),
    "consultation-apply": ("/api/decisions/1/consultations", APPLY, None, office_only(201)),
    "consultation-panel": (
        "/api/consultations/{c}/panel",
        {"members": [{"expert_id": i} for i in range(1, 6)]},
        "requested",
        office_only(200),
    ),
    "consultation-opinion": ("/api/consultations/{c}/opinions", OPINION, "panel", office_only(201)),
    "consultation-adoption": (
        "/api/consultations/{c}/adoption",
        {"expert_id": 1, "adoption": "采纳"},
        "opinions",
        office_only(200),
    ),
    "consultation-feedback": (
        "/api/consultations/{c}/feedback",
        {"expert_id": 1},
        "adopted",
        office_only(201),
    ),
    "consultation-report": (
        "/api/consultations/{c}/report",
        {"summary": "可行"},
        "fed_back",
        office_only(200),
    ),
    "consultation-archive": (
        "/api/consultations/{c}/archive",
        {"archive_number": "J-1"},
        "reported",
        office_only(200),
    ),
    "consultation-publish": (
        "/api/consultations/{c}/publish",
        {"public": True},
        "reported",
        office_only(200),
    ),
    "expert-add": ("/api/experts", {"name": "新专家", "affiliation": "宁夏大学"}, None, office_only(201)),
    "absence-add": (
        "/api/people/absences",
        {"name": "雍跃斌", "starts_on": "2022-07-01", "ends_on": "2022-07-05"},
        None,
        office_only(201),
    ),
    "request-route": (
        "/api/requests",
        {"kind": "审批", "target": "督查科", "subject": "请示"},
        None,
        office_only(201),
    ),
    "request-decide": ("/api/requests/{r}/decision", {"decision": "approve"}, "request", LEADERS_TOO),
    "registry-status": (
        "/api/registry/status",
        {"document": "卫政办发〔2022〕24号", "status": "失效", "reason": "到期"},
        None,
        office_only(200),
    ),
}
PROCEDURE_PAGES = {
    "page-decision-step": ("/decisions/1/steps", STEP, None, office_only(303)),
    "page-decision-flags": ("/decisions/1/flags", {"flags": "wide"}, None, office_only(303)),
    "page-consultation-apply": ("/decisions/1/consultations", APPLY, None, office_only(303)),
    "page-consultation-panel": (
        "/consultations/{c}/panel",
        {"expert_id": ["1", "2", "3", "4", "5"]},
        "requested",
        office_only(303),
    ),
    "page-consultation-opinion": (
        "/consultations/{c}/opinions",
        {"expert_id": "1", "opinion": "同意", "signed": "1", "pledge_signed": "1"},
        "panel",
        office_only(303),
    ),
    "page-consultation-adoption": (
        "/consultations/{c}/adoption",
        {"expert_id": "1", "adoption": "采纳"},
        "opinions",
        office_only(303),
    ),
    "page-consultation-feedback": (
        "/consultations/{c}/feedback",
        {"expert_id": "1"},
        "adopted",
        office_only(303),
    ),
    "page-consultation-report": (
        "/consultations/{c}/report",
        {"summary": "可行"},
        "fed_back",
        office_only(303),
    ),
    "page-consultation-archive": (
        "/consultations/{c}/archive",
        {"archive_number": "J-1"},
        "reported",
        office_only(303),
    ),
    "page-consultation-publish": (
        "/consultations/{c}/publish",
        {"public": "1"},
        "reported",
        office_only(303),
    ),
    "page-expert-add": ("/experts", {"name": "新专家", "affiliation": "宁夏大学"}, None, office_only(303)),
    "page-absence-add": (
        "/people/absences",
        {"name": "雍跃斌", "starts_on": "2022-07-01", "ends_on": "2022-07-05"},
        None,
        office_only(303),
    ),
    "page-absence-delete": ("/people/absences/{a}/delete", {}, "absence", office_only(303)),
    "page-request-route": (
        "/requests",
        {"kind": "通知", "target": "市教育局", "subject": "通知"},
        None,
        office_only(303),
    ),
    "page-request-decide": ("/requests/{r}/decision", {"decision": "approve"}, "request", PAGE_LEADERS_TOO),
    "page-registry-status": (
        "/registry/status",
        {"document": "卫政办发〔2022〕24号", "status": "失效", "reason": "到期"},
        None,
        office_only(303),
    ),
}
ALL_ROLES = {
    "anonymous": 200,
    "office": 200,
    "own_unit": 200,
    "other_unit": 200,
    "group_unit": 200,
    "leader": 200,
}
SIGNED_IN = {**ALL_ROLES, "anonymous": 401}
OWN_DECISION = {**SIGNED_IN, "other_unit": 403, "group_unit": 403}
POOL_READERS = {**office_only(200), "leader": 200}
PAGE_SIGNED_IN = {**SIGNED_IN, "anonymous": 303}  # a page sends an anonymous visitor to the login form
PROCEDURE_READS = {
    "api-decisions": ("/api/decisions", None, SIGNED_IN),
    "api-decision": ("/api/decisions/1", None, OWN_DECISION),
    "api-consultation": ("/api/consultations/{c}", "requested", {**OWN_DECISION, "anonymous": 404}),
    "api-consultation-docx": ("/api/consultations/{c}/report.docx", "requested", OWN_DECISION),
    "api-experts": ("/api/experts", None, POOL_READERS),
    "api-people": ("/api/people", None, SIGNED_IN),
    "api-who-covers": ("/api/who-covers?unit=市生态环境局&on=2022-05-10", None, SIGNED_IN),
    "api-requests": ("/api/requests", None, LEADERS_TOO),
    "api-registry": ("/api/registry?status=废止", None, ALL_ROLES),
    "page-decisions": ("/decisions", None, PAGE_SIGNED_IN),
    "page-decision": ("/decisions/1", None, {**PAGE_SIGNED_IN, "other_unit": 403, "group_unit": 403}),
    "page-consultation": (
        "/consultations/{c}",
        "requested",
        {**PAGE_SIGNED_IN, "other_unit": 403, "group_unit": 403},
    ),
    "page-consultations": ("/consultations", None, PAGE_SIGNED_IN),
    "page-experts": ("/experts", None, {**POOL_READERS, "anonymous": 303}),
    "page-people": ("/people?target=督查科", None, PAGE_SIGNED_IN),
    "page-unit": ("/units/1", None, PAGE_SIGNED_IN),
    "page-registry": ("/registry", None, PAGE_SIGNED_IN),
    "page-public-registry": ("/public/registry", None, ALL_ROLES),
    "page-public-consultation": ("/public/consultations/{c}", "reported", {r: 404 for r in ROLES}),
}


def _procedure_ids(app, precondition: str | None) -> dict[str, int | None]:
    ids: dict[str, int | None] = {"c": None, "r": None, "a": None}
    if precondition is None:
        return ids
    with unit_of_work(app.state.engine) as conn:
        if precondition == "request":
            ids["r"] = a_request(conn)
        elif precondition == "absence":
            ids["a"] = an_absence(conn)
        else:
            ids["c"] = consultation_at(conn, precondition)
    return ids


def _account(role: str) -> str:
    return EDUCATION_ROLES.get(role) or ROLE_ACCOUNT[role]


@pytest.mark.parametrize(("endpoint", "role"), _cases(PROCEDURE_API))
def test_procedure_api_write_permissions(procedures_app, tokens, endpoint, role):
    path, body, precondition, expected = PROCEDURE_API[endpoint]
    ids = _procedure_ids(procedures_app, precondition)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {tokens[_account(role)]}"}
    response = TestClient(procedures_app).post(path.format(**ids), json=body, headers=headers)
    assert response.status_code == expected[role], response.text


@pytest.mark.parametrize(("endpoint", "role"), _cases(PROCEDURE_PAGES))
def test_procedure_page_form_permissions(procedures_app, endpoint, role):
    path, form, precondition, expected = PROCEDURE_PAGES[endpoint]
    ids = _procedure_ids(procedures_app, precondition)
    client = TestClient(procedures_app, follow_redirects=False)
    if role != "anonymous":
        form = {**form, "csrf_token": sign_in(client, _account(role))}
    response = client.post(path.format(**ids), data=form)
    assert response.status_code == expected[role], response.text[:500]


@pytest.mark.parametrize("role", ROLES)
def test_expert_workbook_upload_is_the_offices(procedures_app, role):
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["姓名", "工作单位"])
    book.active.append(["马文", "宁夏大学"])
    data = BytesIO()
    book.save(data)
    client = TestClient(procedures_app, follow_redirects=False)
    form = {} if role == "anonymous" else {"csrf_token": sign_in(client, _account(role))}
    response = client.post(
        "/experts/import", data=form, files={"workbook": ("experts.xlsx", data.getvalue())}
    )
    assert response.status_code == office_only(200)[role], response.text[:300]


def _read_cases() -> list:
    return [pytest.param(name, role, id=f"{name}-{role}") for name in PROCEDURE_READS for role in ROLES]


@pytest.mark.parametrize(("endpoint", "role"), _read_cases())
def test_procedure_read_permissions(procedures_app, tokens, endpoint, role):
    path, precondition, expected = PROCEDURE_READS[endpoint]
    ids = _procedure_ids(procedures_app, precondition)
    client = TestClient(procedures_app, follow_redirects=False)
    headers = {}
    if role != "anonymous":
        if path.startswith("/api"):
            headers = {"Authorization": f"Bearer {tokens[_account(role)]}"}
        else:
            sign_in(client, _account(role))
    response = client.get(path.format(**ids), headers=headers)
    assert response.status_code == expected[role], response.text[:300]


@pytest.mark.parametrize("role", ROLES)
def test_task_edit_api_is_the_offices(app, ledger, role):
    task_id = _task_for(ledger, role)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {ledger.tokens[ROLE_ACCOUNT[role]]}"}
    response = TestClient(app).patch(
        f"/api/tasks/{task_id}", json={"title": "新标题", "reason": "标题有误"}, headers=headers
    )
    assert response.status_code == office_only(200)[role], response.text


@pytest.mark.parametrize(("method", "role"), [(m, r) for m in ("GET", "PUT") for r in ROLES])
def test_the_issuer_api_is_the_offices(app, ledger, method, role):
    # reading and naming the 发文机关 are the matrix's manage_settings, as on /admin
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {ledger.tokens[ROLE_ACCOUNT[role]]}"}
    body = {"issuer": "某市人民政府督查室"} if method == "PUT" else None
    response = TestClient(app).request(method, "/api/settings/issuer", json=body, headers=headers)
    assert response.status_code == office_only(200)[role], response.text
    if response.status_code == 403:
        assert "只有督查室" in response.json()["detail"]


# Per-unit reads of the 督办 cycle ------------------------------------------------------------------
# The escalation counts and the 考评 ranking list every unit: the office and leaders read all rows,
# a unit user only its own unit's, an anonymous visitor nothing. Both units below have a 催办 first.

from io import BytesIO  # noqa: E402

from openpyxl import load_workbook  # noqa: E402

from taizhang.services import escalation  # noqa: E402

HEALTH, EDUCATION = "市卫生健康委", "市教育局"
PERIOD = "?period=2022&as_of=2022-12-31"
PER_UNIT_READS = {  # path → how to read the unit names off the answer
    "/api/escalations": "api-escalations",
    "/escalations": "page",
    f"/api/evaluation{PERIOD}": "api-evaluation",
    f"/evaluation{PERIOD}": "page",
    f"/evaluation.xlsx{PERIOD}": "xlsx",
}
REFUSED_ANONYMOUS = {
    "api-escalations": 401,
    "api-evaluation": 401,
    "xlsx": 303,
    "page": 303,
}  # pages: the login form


def _chase_both_units(app, ledger) -> None:
    with unit_of_work(app.state.engine) as conn:
        office = accounts.get_user_by_name(conn, "office")
        for unit in (HEALTH, EDUCATION):
            task_id = task_where(ledger, unit=unit)
            escalation.escalate(conn, office, task_id, unit, escalation.CHASE, message="请报送", today=TODAY)


def _units_seen(response, kind: str) -> set[str]:
    if kind == "api-escalations":
        return {row["unit"] for row in response.json()}
    if kind == "api-evaluation":
        return {row["unit"] for row in response.json()["units"]}
    if kind == "xlsx":
        sheet = load_workbook(BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if "单位" in row)
        column = rows[header].index("单位")
        return {row[column] for row in rows[header + 1 :] if row[column]}
    return {name for name in (HEALTH, EDUCATION) if name in response.text}


@pytest.mark.parametrize(
    ("path", "role"), [pytest.param(p, r, id=f"{p}-{r}") for p in PER_UNIT_READS for r in (*ROLES, "token")]
)
def test_per_unit_reads_show_a_unit_only_its_own_rows(app, ledger, path, role):
    _chase_both_units(app, ledger)
    kind = PER_UNIT_READS[path]
    client = TestClient(app, follow_redirects=False)
    headers = {}
    if role == "token":  # a unit's API token reads what the unit's session reads
        headers = {"Authorization": f"Bearer {ledger.tokens['health']}"}
    elif role != "anonymous":
        sign_in(client, ROLE_ACCOUNT[role])
    response = client.get(path, headers=headers)
    if role == "anonymous":
        assert response.status_code == REFUSED_ANONYMOUS[kind], response.text[:300]
        assert HEALTH not in response.text
        return
    assert response.status_code == 200, response.text[:300]
    seen = _units_seen(response, kind)
    if role in ("office", "leader"):
        assert {HEALTH, EDUCATION} <= seen
    elif role in ("own_unit", "token"):
        assert seen == {HEALTH}
    else:
        assert HEALTH not in seen


LETTER_READERS = {
    "anonymous": 401,
    "office": 200,
    "own_unit": 200,
    "other_unit": 403,
    "group_unit": 403,
    "leader": 200,
    "token": 200,
}


@pytest.mark.parametrize("role", (*ROLES, "token"))
def test_a_tasks_escalations_are_read_by_every_signed_in_role_its_letters_by_their_addressees(
    app, ledger, role
):
    # the steps are on the task's timeline, which every signed-in role reads; a 督办函 is for the
    # office, leaders and the unit it is addressed to (市卫生健康委 here)
    task_id = task_where(ledger, unit=HEALTH)
    with unit_of_work(app.state.engine) as conn:
        office = accounts.get_user_by_name(conn, "office")
        escalation.escalate(conn, office, task_id, HEALTH, escalation.CHASE, message="请报送", today=TODAY)
        letter_id = escalation.escalate(
            conn, office, task_id, HEALTH, escalation.LETTER, message="", today=TODAY
        )
    account = "health" if role == "token" else ROLE_ACCOUNT.get(role)
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {ledger.tokens[account]}"}
    client = TestClient(app)
    steps = client.get(f"/api/tasks/{task_id}/escalations", headers=headers)
    letter = client.get(f"/api/letters/{letter_id}.docx", headers=headers)
    expected = 401 if role == "anonymous" else 200
    assert (steps.status_code, letter.status_code) == (expected, LETTER_READERS[role]), letter.text[:300]
    if LETTER_READERS[role] == 403:
        assert "受函单位" in letter.json()["detail"]
    if role != "anonymous":
        assert [s["step"] for s in steps.json()] == [escalation.CHASE, escalation.LETTER]


# Coverage: every write of the 督办 cycle (tasks, review, 立项 and ledger import, escalation, 通知,
# administration, settings) is in one of the tables above, so a new endpoint without its row fails.
import re  # noqa: E402

from fastapi.routing import APIRoute  # noqa: E402

from taizhang.web.routes import ROUTERS  # noqa: E402

from .test_notifications_web import WRITES as NOTICE_WRITES  # noqa: E402

CYCLE_PREFIXES = (
    "/api/tasks",
    "/tasks",
    "/review",
    "/import/ledger",
    "/escalations",
    "/admin",
    "/account",
    "/api/settings",
    "/notifications",
    "/api/notifications",
)
TESTED_ELSEWHERE_HERE = {  # written out in their own tests above
    ("PATCH", "/api/tasks/{task}"),  # test_task_edit_api_is_the_offices
    ("GET", "/api/settings/issuer"),  # test_the_issuer_api_is_the_offices
    ("PUT", "/api/settings/issuer"),
}


def _listed() -> set[tuple[str, str]]:
    listed = {("POST", path) for path, *_ in (*API.values(), *PAGES.values())}
    listed |= {(method.upper(), path) for method, path, _ in NOTICE_WRITES.values()}
    return listed | TESTED_ELSEWHERE_HERE


def _route_pattern(path: str) -> re.Pattern[str]:
    """``/api/tasks/{task_id}/split`` as a pattern that any value of ``task_id`` matches."""
    parts = ("[^/]+" if part.startswith("{") else re.escape(part) for part in path.split("/"))
    return re.compile("^" + "/".join(parts) + "$")


def test_every_write_of_the_cycle_is_in_the_matrix():
    listed = [
        (method, path.replace("{task}", "1").replace("{report}", "1").replace("{notice}", "1"))
        for method, path in _listed()
    ]
    missing = []
    for router in ROUTERS:
        for route in router.routes:
            if not isinstance(route, APIRoute) or not route.path.startswith(CYCLE_PREFIXES):
                continue
            pattern = _route_pattern(route.path)
            for method in route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
                if not any(m == method and pattern.match(p) for m, p in listed):
                    missing.append(f"{method} {route.path}")
    assert not missing, missing

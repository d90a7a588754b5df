"""The task API: list and read tasks; reports, requests and office decisions on one task."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from ...errors import AuthenticationRequired
from ...ledger import permissions
from ..backend import attachments, intake, parts, queries, task_json, workflow
from ..deps import (
    BearerCredentials,
    CurrentUser,
    DbConn,
    MaybeUser,
    OfficeUser,
    SettingsDep,
    Today,
    read_signed_in,
)
from ..query_route import QueryRoute
from ..routing import CommitRoute
from ..schemas import (
    AcknowledgementPublic,
    ChaseCreate,
    CompleteCreate,
    CompletionRequestCreate,
    Created,
    CreatedMany,
    ExtensionCreate,
    ExtensionDecision,
    Message,
    ReasonCreate,
    ReportCreate,
    ReportPublic,
    TaskCreate,
    TaskDetailPublic,
    TaskSplit,
    TasksPublic,
    TaskUpdate,
)
from ..uploads import REPORT_BODY_DOC, TASK_BODY_DOC, read_report, read_task

router = APIRouter(route_class=CommitRoute, prefix="/api/tasks", tags=["tasks"])


async def list_tasks(
    request: Request,
    _: BearerCredentials,
    today: Today,
    unit: str | None = None,
    role: str | None = None,
    document: str | None = None,
    due_before: date | None = None,
    due_after: date | None = None,
    overdue: bool = False,
    as_of: date | None = None,
    review: bool | None = None,
    status: str | None = None,
    q: str | None = None,
    sort: str = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    after: str | None = None,
) -> Response:
    """Tasks with the filters of ``taizhang tasks``; ``overdue`` means due before ``as_of`` and not done.

    ``next`` is the cursor of the following page: pass it back as ``after`` (offsets stop at
    10,000). ``count`` stops at 5,000 (a search ``q`` at 1,000); ``count_exact`` is false when more
    tasks match. Without
    ``sort`` the order is by document, or by due day when ``due_before``/``due_after`` is given.
    """
    flt = queries.TaskFilter(
        unit=unit,
        role=role,
        document=document,
        due_before=due_before,
        due_after=due_after,
        overdue_as_of=(as_of or today) if overdue else None,
        review=review,
        status=status,
        q=q,
        sort=sort,
        limit=limit,
        offset=offset,
        after=after or None,
    )
    # straight to JSON: the rows come from our own query, response_model documents their shape;
    # the user and the page are read in one hop (a page costs less than the hops of DbConn + CurrentUser);
    # every filter but a search reads one page by an index (bounded: on SQLite, no hop at all)
    body = await read_signed_in(
        request, lambda conn, user: task_json.task_page(conn, flt).to_json(), bounded=not q
    )
    return Response(body, media_type="application/json")


# a listing's fourteen parameters are validated without FastAPI's dependency solving (web/query_route.py)
router.add_api_route(
    "", list_tasks, methods=["GET"], response_model=TasksPublic, route_class_override=QueryRoute
)


@router.get("/{task_id}", response_model=TaskDetailPublic)
def get_task(
    task_id: int, conn: DbConn, user: MaybeUser, settings: SettingsDep, today: Today
) -> dict[str, Any]:
    """One task with its units by role, each unit's part, its timeline and its own files (立项附件,
    downloaded from ``/attachments/{id}``); anonymous callers see public tasks only, without parts,
    timeline and files."""
    task = queries.get_task(conn, task_id)
    if not permissions.can_view_task(user, is_public=bool(task["is_public"])):
        raise AuthenticationRequired("请先登录")
    if not user:
        return {**task, "parts": [], "timeline": [], "attachments": []}
    views = parts.part_views(conn, task_id, today, settings.acknowledge_working_days)
    return {
        **task,
        "parts": views,
        "timeline": workflow.timeline(conn, task_id),
        "attachments": attachments.task_files(conn, task_id),
    }


@router.post("/{task_id}/acknowledge", response_model=AcknowledgementPublic, status_code=201)
def acknowledge(task_id: int, conn: DbConn, user: CurrentUser) -> dict[str, Any]:
    """签收: a unit user signs for its own unit's part of the task (403 for anyone else)."""
    return parts.acknowledge(conn, user, task_id)


@router.post(
    "/{task_id}/reports", response_model=ReportPublic, status_code=201, openapi_extra=REPORT_BODY_DOC
)
def create_report(
    task_id: int,
    conn: DbConn,
    user: CurrentUser,
    settings: SettingsDep,
    today: Today,
    body: Annotated[tuple[ReportCreate, list[Any]], Depends(read_report)],
) -> dict[str, Any]:
    """A progress report from a unit of the task (JSON, or multipart with ``attachments`` files)."""
    report, uploads = body
    report_id = workflow.submit_report(
        conn,
        user,
        task_id,
        **report.model_dump(),
        today=today,
        uploads=uploads,
        upload_dir=settings.upload_dir,
    )
    return {"id": report_id, "task_id": task_id, "kind": "progress"}


@router.post("/{task_id}/request-completion", response_model=ReportPublic, status_code=201)
def request_completion(
    task_id: int, body: CompletionRequestCreate, conn: DbConn, user: CurrentUser, today: Today
) -> dict[str, Any]:
    """A unit of the task asks the office to close it (申请办结)."""
    report_id = workflow.request_completion(conn, user, task_id, note=body.note, today=today)
    return {"id": report_id, "task_id": task_id, "kind": "completion"}


@router.post("/{task_id}/extension", response_model=ReportPublic, status_code=201)
def request_extension(
    task_id: int, body: ExtensionCreate, conn: DbConn, user: CurrentUser, today: Today
) -> dict[str, Any]:
    """A unit of the task asks for a later deadline (申请延期)."""
    report_id = workflow.request_extension(
        conn, user, task_id, requested_due=body.requested_due, reason=body.reason, today=today
    )
    return {"id": report_id, "task_id": task_id, "kind": "extension"}


@router.post("/{task_id}/extension/{report_id}/decision", response_model=Message)
def decide_extension(
    task_id: int, report_id: int, body: ExtensionDecision, conn: DbConn, user: OfficeUser, today: Today
) -> Message:
    """The office grants or refuses an extension request."""
    workflow.decide_extension(
        conn, user, report_id, approve=body.approve, reason=body.reason, today=today, task_id=task_id
    )
    return Message(message="已同意延期" if body.approve else "已驳回延期申请")


@router.post("/{task_id}/complete", response_model=Message)
def complete(task_id: int, body: CompleteCreate, conn: DbConn, user: OfficeUser, today: Today) -> Message:
    """The office approves completion (办结) of the task, or of one unit's part (``unit``); unit users get 403."""
    workflow.approve_completion(
        conn, user, task_id, note=body.note, today=today, unit=workflow.named_unit(conn, body.unit)
    )
    return Message(message="已办结")


@router.post("/{task_id}/return", response_model=Message)
def return_task(task_id: int, body: ReasonCreate, conn: DbConn, user: OfficeUser, today: Today) -> Message:
    """The office returns a completion request (退回) with a reason."""
    workflow.return_task(
        conn, user, task_id, reason=body.reason, today=today, unit=workflow.named_unit(conn, body.unit)
    )
    return Message(message="已退回")


@router.post("/{task_id}/chase", response_model=Message)
def chase(task_id: int, body: ChaseCreate, conn: DbConn, user: OfficeUser, today: Today) -> Message:
    """The office chases the task's units (催办), or one unit about its part (``unit``)."""
    workflow.chase(
        conn, user, task_id, message=body.message, today=today, unit=workflow.named_unit(conn, body.unit)
    )
    return Message(message="已催办")


@router.post("/{task_id}/reopen", response_model=Message)
def reopen(task_id: int, body: ReasonCreate, conn: DbConn, user: OfficeUser, today: Today) -> Message:
    """The office reopens a closed task (重开)."""
    workflow.reopen(
        conn, user, task_id, reason=body.reason, today=today, unit=workflow.named_unit(conn, body.unit)
    )
    return Message(message="已重开")


@router.post("", response_model=Created, status_code=201, openapi_extra=TASK_BODY_DOC)
def create_task(
    conn: DbConn,
    user: OfficeUser,
    today: Today,
    settings: SettingsDep,
    body: Annotated[tuple[TaskCreate, list[Any]], Depends(read_task)],
) -> Created:
    """立项: the office creates a task (JSON, or multipart with ``attachments`` files); today is its day
    of 交办."""
    task, uploads = body
    draft = intake.TaskDraft(**task.model_dump())
    return Created(
        id=intake.create_task(
            conn,
            user,
            draft,
            today=today,
            uploads=uploads,
            upload_dir=settings.upload_dir,
            max_files=settings.max_attachments,
        )
    )


@router.patch("/{task_id}", response_model=Message)
def edit_task(task_id: int, body: TaskUpdate, conn: DbConn, user: OfficeUser, today: Today) -> Message:
    """The office edits a task (title, text, units by role, deadline, public) with a reason."""
    intake.edit_task(conn, user, task_id, **body.model_dump(), today=today)
    return Message(message="已修改")


@router.post("/{task_id}/split", response_model=CreatedMany)
def split_task(task_id: int, body: TaskSplit, conn: DbConn, user: OfficeUser) -> CreatedMany:
    """The office splits a task with a reason; the first title stays on it."""
    return CreatedMany(ids=workflow.split_task(conn, user, task_id, body.titles, reason=body.reason))


@router.post("/{task_id}/cancel", response_model=Message)
def cancel_task(task_id: int, body: ReasonCreate, conn: DbConn, user: OfficeUser, today: Today) -> Message:
    """The office cancels a task (撤销) with a reason."""
    intake.cancel_task(conn, user, task_id, reason=body.reason, today=today)
    return Message(message="已撤销")

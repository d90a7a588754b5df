"""The ledger table: filter, sort, Chinese full-text search, pages, export to xlsx."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...export.xlsx import write_ledger_xlsx
from ...services import escalation
from ..backend import dashboard, queries
from ..deps import CurrentUser, DbConn, SettingsDep, Today
from ..limits import form_date
from ..routing import CommitRoute
from ..templating import render
from .jobs import XLSX, start_export

router = APIRouter(route_class=CommitRoute, tags=["pages"])
PAGE_SIZE = 50
EXPORT_INLINE_TASKS = 2000  # a bigger export runs as a background job


class LedgerQuery:
    """The ledger's filter form, read from the query string (empty fields mean no filter).

    ``page`` numbers pages by offset (bounded by ``queries.MAX_OFFSET``); ``after`` is the cursor
    the previous page handed on, so 下一页 costs the same however deep the reader goes.
    """

    def __init__(
        self,
        unit: str = "",
        role: str = "",
        document: str = "",
        status: str = "",
        q: str = "",
        due_before: str = "",
        due_after: str = "",
        overdue: str = "",
        review: str = "",
        sort: str = "",
        page: int = 1,
        after: str = "",
    ) -> None:
        self.values = {
            "unit": unit,
            "role": role,
            "document": document,
            "status": status,
            "q": q,
            "due_before": due_before,
            "due_after": due_after,
            "overdue": overdue,
            "review": review,
            "sort": sort,
        }
        self.page = max(page, 1)
        self.after = after

    def filter(self, today: date, limit: int | None = PAGE_SIZE) -> queries.TaskFilter:
        """The service filter for this form."""
        v = self.values
        by_cursor = bool(self.after and limit)
        return queries.TaskFilter(
            unit=v["unit"] or None,
            role=v["role"] or None,
            document=v["document"] or None,
            status=v["status"] or None,
            q=v["q"] or None,
            due_before=form_date(v["due_before"], "截止日期（之前）"),
            due_after=form_date(v["due_after"], "截止日期（之后）"),
            overdue_as_of=today if v["overdue"] else None,
            review=True if v["review"] else None,
            sort=v["sort"],  # empty: by document, or by due day for a range of due days
            limit=limit,
            offset=0 if by_cursor or not limit else (self.page - 1) * PAGE_SIZE,
            after=self.after if by_cursor else None,
        )

    def link(self, **changes: object) -> str:
        """This query string with some values changed (pagination and sort links); the cursor is
        kept only when a change names it."""
        merged = {**self.values, "page": self.page, **changes}
        return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})

    def previous_link(self) -> str:
        """上一页 by offset when it is within reach, else the first page."""
        previous = self.page - 1
        reachable = (previous - 1) * PAGE_SIZE <= queries.MAX_OFFSET
        return self.link(page=previous if reachable else 1)


LedgerForm = Annotated[LedgerQuery, Depends()]


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(
    request: Request, conn: DbConn, user: CurrentUser, settings: SettingsDep, today: Today, form: LedgerForm
) -> HTMLResponse:
    """One page of the ledger table with the filter form and each task's warning light."""
    page = queries.list_tasks(conn, form.filter(today))
    pages = max(1, -(-page.total // PAGE_SIZE))
    lights = dashboard.lights_for(conn, page.items, today, settings.warning_working_days)
    return render(
        request,
        "pages/ledger.html",
        rows=page.items,
        total=page.total,
        exact=page.exact,
        form=form,
        pages=pages,
        next_cursor=page.next,
        lights=lights,
        escalated=escalation.task_totals(conn, [t["id"] for t in page.items]),  # 催办/督办函/约谈 badges
        documents=queries.document_numbers(conn),
    )


@router.get("/ledger.xlsx")
def ledger_xlsx(
    request: Request, conn: DbConn, user: CurrentUser, settings: SettingsDep, today: Today, form: LedgerForm
) -> Response:
    """The filtered ledger as a workbook in the gazette's column layout.

    Up to EXPORT_INLINE_TASKS tasks the workbook is the answer; a bigger export becomes a job
    (on the queue when Redis is configured) and the browser follows it on its page.
    """
    matched = queries.list_tasks(conn, form.filter(today, limit=1))
    if matched.total > EXPORT_INLINE_TASKS:
        job_id = start_export(request, user, settings, form.filter(today, limit=None))
        return RedirectResponse(f"/jobs/{job_id}", status_code=303)
    rows = queries.list_tasks(conn, form.filter(today, limit=None)).items
    buffer = BytesIO()
    write_ledger_xlsx(conn, buffer, task_ids=[r["id"] for r in rows], as_of=today)
    return Response(
        buffer.getvalue(),
        headers={"Content-Disposition": "attachment; filename=ledger.xlsx"},
        media_type=XLSX,
    )

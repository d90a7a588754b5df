"""Import an Excel ledger on the web: upload, preview the column mapping (and fix it), import.

The workbook travels back with the preview form (base64), so nothing is stored until the office
confirms; one wrong row refuses the workbook with every reason listed.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ...errors import InvalidInput
from ...services import ledger_import
from ..deps import DbConn, OfficeUser, Today
from ..routing import CommitRoute, off_the_loop
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])
MAX_WORKBOOK_BYTES = 10 * 1024 * 1024


def _page(request: Request, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("preview", None)
    context.setdefault("error", None)
    return render(
        request, "pages/import_ledger.html", status_code=status_code, fields=ledger_import.FIELDS, **context
    )


@router.get("/import/ledger", response_class=HTMLResponse)
def import_page(request: Request, user: OfficeUser) -> HTMLResponse:
    """The upload form."""
    return _page(request)


async def _workbook(form: Any) -> tuple[bytes, str]:
    upload = form.get("workbook")
    if isinstance(upload, UploadFile) and upload.filename:
        data = await upload.read()
        name = upload.filename
    else:
        try:
            data = base64.b64decode(str(form.get("data") or ""), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("上传的工作簿已损坏，请重新选择文件") from None
        name = str(form.get("filename") or "台账.xlsx")
    if not data:
        raise InvalidInput("请选择要导入的台账 (.xlsx)")
    if len(data) > MAX_WORKBOOK_BYTES:
        raise InvalidInput(f"{name} 超过 {MAX_WORKBOOK_BYTES // (1024 * 1024)} MB")
    return data, name


def _fields(form: Any, prefix: str) -> dict[str, int]:
    chosen: dict[str, int] = {}
    for name in ledger_import.FIELDS:
        value = str(form.get(f"{prefix}{name}") or "")
        if value.isdigit():
            chosen[name] = int(value)
    return chosen


def _mappings(form: Any) -> tuple[dict[str, int] | None, dict[str, dict[str, int]] | None]:
    """The columns the office chose: (the first sheet's as ``map_<field>``, each named sheet's as
    ``sheet_<i>`` with ``map_<i>_<field>``); None where the form sent no choice."""
    if form.get("mapped") != "1":
        return None, None
    by_sheet: dict[str, dict[str, int]] = {}
    for key, value in form.multi_items():
        if key.startswith("sheet_") and key[6:].isdigit() and isinstance(value, str) and value:
            by_sheet[value] = _fields(form, f"map_{key[6:]}_")
    first = _fields(form, "map_") if not by_sheet else None
    return first, by_sheet or None


@router.post("/import/ledger", response_class=HTMLResponse)
async def post_import(request: Request, conn: DbConn, user: OfficeUser, today: Today) -> Response:
    """``action=preview`` shows the mapping, rows and errors; ``action=import`` imports (all or nothing)."""
    form = await request.form()
    try:
        data, name = await _workbook(form)
        mapping, mappings = _mappings(form)
        if form.get("action") == "import":
            result = await off_the_loop(
                conn,
                lambda: ledger_import.import_ledger(
                    conn, user, data, today=today, label=name, mapping=mapping, mappings=mappings
                ),
            )
            done = f"已导入 {name}：新建任务 {result.created} 项，已在台账中 {result.skipped} 项"
            return _page(request, done=done, task_ids=result.task_ids)
        preview = ledger_import.read_ledger(
            conn, data, today=today, label=name, mapping=mapping, mappings=mappings
        )
    except InvalidInput as exc:
        return _page(request, error=str(exc), status_code=400)
    return _page(request, preview=preview, filename=name, data=base64.b64encode(data).decode("ascii"))


@router.get("/import", include_in_schema=False)
def import_index(user: OfficeUser) -> RedirectResponse:
    """The import page (ledger workbooks)."""
    return RedirectResponse("/import/ledger", status_code=303)

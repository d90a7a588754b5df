"""Notices (通报) on the web: the office drafts and publishes, everyone logged in reads and downloads.

Public notices are also on the public site (/public/notices/{id}), without login; an internal
notice is 404 there, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInput, NotFound
from ...export.docx import NoticeLike, write_notice_docx
from ...services import deployment
from ...services import notices as service
from ...services.units import list_units
from ..backend import queries
from ..deps import CurrentUser, DbConn, MaybeUser, OfficeUser, SettingsDep, Today
from ..routing import CommitRoute
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TextField = Annotated[str, Form()]


@dataclass(frozen=True)
class DraftForm:
    """What scopes a draft: the day it is judged on, optionally one document and one unit, a title."""

    as_of: date
    document: str | None = None  # 发文字号
    unit: str | None = None
    title: str | None = None

    def query(self) -> str:
        """The form as a query string, for the .docx link and the publish form's round trip."""
        values = {
            "as_of": self.as_of.isoformat(),
            "document": self.document,
            "unit": self.unit,
            "title": self.title,
        }
        return urlencode({k: v for k, v in values.items() if v})


def parse_day(text: str | None, today: date) -> date:
    """An ISO date typed in a form; empty means today.

    Raises:
        InvalidInput: the text is not a YYYY-MM-DD date.
    """
    if not text or not text.strip():
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"截至日期应为 YYYY-MM-DD 格式，而不是 {text!r}") from None


def _blank_is_none(text: str | None) -> str | None:
    return text.strip() if text and text.strip() else None


def draft_form(
    today: Today,
    as_of: str | None = None,
    document: str | None = None,
    unit: str | None = None,
    title: str | None = None,
) -> DraftForm:
    """The draft scope from the query string; empty selectors mean the whole ledger."""
    return DraftForm(
        parse_day(as_of, today), _blank_is_none(document), _blank_is_none(unit), _blank_is_none(title)
    )


DraftQuery = Annotated[DraftForm, Depends(draft_form)]


def make_draft(conn: DbConn, settings: SettingsDep, form: DraftForm) -> service.NoticeDraft:
    """The service's draft for ``form``, with the app's warning days."""
    return service.draft_progress_notice(
        conn,
        as_of=form.as_of,
        document=form.document,
        unit=form.unit,
        title=form.title,
        warn_days=settings.warning_working_days,
    )


def render_notice(request: Request, name: str, **context: object) -> HTMLResponse:
    """A page that shows a notice's text: its sections are numbered 一、二、 as in the Word file."""
    return render(request, name, numeral=service.chinese_numeral, **context)


def docx_response(notice: NoticeLike, filename: str, issuer: str) -> Response:
    """A notice as a Word download, issued by the configured office; the Chinese title is the filename,
    with an ASCII fallback."""
    buffer = BytesIO()
    write_notice_docx(notice, buffer, issuer=issuer)
    disposition = f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(notice.title + '.docx')}"
    return Response(buffer.getvalue(), media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})


@router.get("/notices", response_class=HTMLResponse)
def notices_page(request: Request, conn: DbConn, user: CurrentUser, today: Today) -> HTMLResponse:
    """Every stored notice, newest first; the office also gets the form to draft one."""
    documents = queries.list_documents(conn) if user.role == "office" else []
    units = list_units(conn) if user.role == "office" else []
    return render(
        request,
        "pages/notices.html",
        notices=service.list_notices(conn),
        today=today,
        documents=documents,
        units=units,
    )


# the draft routes come before /notices/{id}, whose int converter would refuse "draft" anyway
@router.get("/notices/draft", response_class=HTMLResponse)
def draft_page(
    request: Request, conn: DbConn, user: OfficeUser, settings: SettingsDep, form: DraftQuery
) -> HTMLResponse:
    """The draft's sections and tables, with a link to its .docx and the form to publish it."""
    draft = make_draft(conn, settings, form)
    return render_notice(request, "pages/notice_draft.html", draft=draft, form=form)


@router.get("/notices/draft.docx")
def draft_docx(conn: DbConn, user: OfficeUser, settings: SettingsDep, form: DraftQuery) -> Response:
    """The draft as a Word document, not stored."""
    return docx_response(
        make_draft(conn, settings, form),
        f"notice-draft-{form.as_of.isoformat()}.docx",
        deployment.issuer_of(conn, settings),
    )


@router.post("/notices")
def publish(
    conn: DbConn,
    user: OfficeUser,
    settings: SettingsDep,
    today: Today,
    as_of: TextField = "",
    document: TextField = "",
    unit: TextField = "",
    title: TextField = "",
    is_public: TextField = "",
) -> RedirectResponse:
    """Draft again from the same scope and store it, internal or public (audited)."""
    form = draft_form(today, as_of, document, unit, title)
    notice_id = service.publish_notice(
        conn, user, make_draft(conn, settings, form), is_public=is_public == "1"
    )
    return RedirectResponse(f"/notices/{notice_id}", status_code=303)


@router.get("/notices/{notice_id:int}", response_class=HTMLResponse)
def notice_page(notice_id: int, request: Request, conn: DbConn, user: CurrentUser) -> HTMLResponse:
    """One stored notice, its sections and tables read back from the body."""
    return render_notice(request, "pages/notice.html", notice=service.get_notice(conn, notice_id))


@router.get("/notices/{notice_id:int}.docx")
def notice_docx(notice_id: int, conn: DbConn, user: CurrentUser, settings: SettingsDep) -> Response:
    """A stored notice as a Word document."""
    return docx_response(
        service.get_notice(conn, notice_id), f"notice-{notice_id}.docx", deployment.issuer_of(conn, settings)
    )


def public_notice(conn: DbConn, notice_id: int) -> service.Notice:
    """A notice published to the public site; an internal one is 404, as if it did not exist."""
    notice = service.get_notice(conn, notice_id)
    if not notice.is_public:
        raise NotFound("该通报未公开")
    return notice


@router.get("/public/notices/{notice_id:int}", response_class=HTMLResponse, tags=["public"])
def public_notice_page(notice_id: int, request: Request, conn: DbConn, user: MaybeUser) -> HTMLResponse:
    """A public notice, no login."""
    return render_notice(request, "pages/public_notice.html", notice=public_notice(conn, notice_id))


@router.get("/public/notices/{notice_id:int}.docx", tags=["public"])
def public_notice_docx(notice_id: int, conn: DbConn, user: MaybeUser, settings: SettingsDep) -> Response:
    """A public notice as a Word document, no login."""
    return docx_response(
        public_notice(conn, notice_id), f"notice-{notice_id}.docx", deployment.issuer_of(conn, settings)
    )

"""Consultation pages (咨询论证): one consultation with its clocks, rules, panel and opinions; the
office's forms for each step; the report in Word; the public list of published consultations.

A form that breaks a rule shows the page again with the rule and its article (400).
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ...errors import InvalidInput, InvalidTransition
from ...export.consultation_docx import write_consultation_report
from ...ledger.consultation import SIDES
from ...services import consultation_views as views
from ...services import consultations as service
from ...services import experts
from ...services.consultation_views import ConsultationReport
from ..deps import DbConn, MaybeUser, Today
from ..permits import ManageConsultations, ViewDecisions
from ..routing import CommitRoute, off_the_loop
from ..templating import render
from .pages_decisions import form_day

router = APIRouter(route_class=CommitRoute, tags=["pages"])
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TextField = Annotated[str, Form()]
Refused = (InvalidInput, InvalidTransition)


def report_response(report: ConsultationReport, consultation_id: int) -> Response:
    """The report as a Word download named by its Chinese title (with an ASCII fallback)."""
    buffer = BytesIO()
    write_consultation_report(report, buffer)
    disposition = (
        f'attachment; filename="consultation-{consultation_id}.docx"; '
        f"filename*=UTF-8''{quote(report.title + '.docx')}"
    )
    return Response(buffer.getvalue(), media_type=DOCX_TYPE, headers={"Content-Disposition": disposition})


def consultation_page(
    request: Request,
    conn: DbConn,
    user: Any,
    today: Today,
    consultation_id: int,
    *,
    error: str = "",
    status_code: int = 200,
    draw: bool = False,
    size: int | None = None,
    seed: int | None = None,
) -> HTMLResponse:
    """The consultation's page; ``draw`` pre-selects a panel drawn from the pool."""
    item = views.get_consultation(conn, consultation_id, user, today)
    proposed, warnings = (
        views.propose_panel(conn, consultation_id, size=size, seed=seed) if draw else ([], [])
    )
    chosen = {e["id"] for e in proposed} if draw else {m["expert_id"] for m in item["members"]}
    sides = {m["expert_id"]: m["side"] for m in item["members"]}
    pool = experts.list_experts(conn, active_only=True) if user.role == "office" else []
    return render(
        request,
        "pages/consultation.html",
        status_code=status_code,
        c=item,
        error=error,
        pool=pool,
        chosen=chosen,
        sides=sides,
        draw_warnings=warnings,
        SIDES=SIDES,
        ADOPTIONS=service.ADOPTIONS,
        today=today,
    )


@router.get("/consultations", response_class=HTMLResponse)
def consultations_page(request: Request, conn: DbConn, user: ViewDecisions) -> HTMLResponse:
    """Every consultation the user may see, newest first."""
    return render(request, "pages/consultations.html", items=views.list_consultations(conn, user))


@router.get("/consultations/{consultation_id}", response_class=HTMLResponse)
def consultation_detail(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ViewDecisions,
    today: Today,
    draw: str = "",
    size: str = "",
    seed: str = "",
) -> HTMLResponse:
    """One consultation; ``?draw=1`` proposes a panel drawn at random under the rules."""
    return consultation_page(
        request,
        conn,
        user,
        today,
        consultation_id,
        draw=bool(draw),
        size=int(size) if size.isdigit() else None,
        seed=int(seed) if seed.isdigit() else None,
    )


@router.get("/consultations/{consultation_id}/report.docx")
def consultation_docx(consultation_id: int, conn: DbConn, user: ViewDecisions, today: Today) -> Response:
    """The 咨询论证报告 in Word."""
    views.get_consultation(conn, consultation_id, user, today)  # a unit reads its own decisions only
    return report_response(views.report_draft(conn, consultation_id, today), consultation_id)


def _done(consultation_id: int, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/consultations/{consultation_id}{anchor}", status_code=303)


def _step(
    request: Request,
    conn: DbConn,
    user: Any,
    today: Today,
    consultation_id: int,
    action: Callable[[], object],
    anchor: str = "",
) -> Response:
    """Run one step of the office's; a broken rule shows the page again with it and its article (400)."""
    try:
        action()
    except Refused as exc:
        return _refused(request, conn, user, today, consultation_id, str(exc))
    return _done(consultation_id, anchor)


def _refused(
    request: Request, conn: DbConn, user: Any, today: Today, consultation_id: int, message: str
) -> Response:
    """The consultation page again, with why the step was refused (400)."""
    return consultation_page(request, conn, user, today, consultation_id, error=message, status_code=400)


@router.post("/consultations/{consultation_id}/panel", response_class=HTMLResponse)
async def post_panel(
    consultation_id: int, request: Request, conn: DbConn, user: ManageConsultations, today: Today
) -> Response:
    """Confirm the ticked experts as the panel, each with a position; refused with the rule's article."""
    form = await request.form()
    try:
        ids = [int(str(v)) for v in form.getlist("expert_id")]
        choices = [
            service.PanelChoice(
                i,
                str(form.get(f"side_{i}") or "") or None,
                "组长" if str(form.get("leader") or "") == str(i) else "成员",
            )
            for i in ids
        ]
        await off_the_loop(conn, lambda: service.set_panel(conn, user.name, consultation_id, choices))
    except ValueError:
        return _refused(request, conn, user, today, consultation_id, "专家编号有误")
    except Refused as exc:
        return _refused(request, conn, user, today, consultation_id, str(exc))
    return _done(consultation_id, "#panel")


@router.post("/consultations/{consultation_id}/opinions", response_class=HTMLResponse)
def post_opinion(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    expert_id: Annotated[int, Form()],
    opinion: TextField,
    submitted_on: TextField = "",
    signed: TextField = "",
    pledge_signed: TextField = "",
) -> Response:
    """Record a signed opinion with the integrity pledge."""
    return _step(
        request,
        conn,
        user,
        today,
        consultation_id,
        lambda: service.record_opinion(
            conn,
            user.name,
            consultation_id,
            expert_id,
            opinion=opinion,
            signed=signed == "1",
            pledge_signed=pledge_signed == "1",
            submitted_on=form_day(submitted_on, today, "提交日期"),
        ),
        "#opinions",
    )


@router.post("/consultations/{consultation_id}/adoption", response_class=HTMLResponse)
def post_adoption(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    expert_id: Annotated[int, Form()],
    adoption: TextField,
    reason: TextField = "",
) -> Response:
    """Record whether the opinion is adopted, with the reason when it is not (in full)."""
    return _step(
        request,
        conn,
        user,
        today,
        consultation_id,
        lambda: service.record_adoption(
            conn, user.name, consultation_id, expert_id, adoption=adoption, reason=reason
        ),
        "#opinions",
    )


@router.post("/consultations/{consultation_id}/feedback", response_class=HTMLResponse)
def post_feedback(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    expert_id: Annotated[int, Form()],
    feedback_on: TextField = "",
    note: TextField = "",
) -> Response:
    """Record that the adoption was fed back to the expert."""
    return _step(
        request,
        conn,
        user,
        today,
        consultation_id,
        lambda: service.record_feedback(
            conn,
            user.name,
            consultation_id,
            expert_id,
            feedback_on=form_day(feedback_on, today, "反馈日期"),
            note=note,
        ),
        "#opinions",
    )


@router.post("/consultations/{consultation_id}/report", response_class=HTMLResponse)
def post_report(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    summary: TextField = "",
    reported_on: TextField = "",
) -> Response:
    """Send the report with the decision (every opinion adopted or explained, and fed back)."""
    return _step(
        request,
        conn,
        user,
        today,
        consultation_id,
        lambda: service.report_consultation(
            conn,
            user.name,
            consultation_id,
            summary=summary,
            reported_on=form_day(reported_on, today, "报送日期"),
        ),
    )


@router.post("/consultations/{consultation_id}/archive", response_class=HTMLResponse)
def post_archive(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    archived_on: TextField = "",
    archive_number: TextField = "",
) -> Response:
    """File the consultation (立卷归档)."""
    return _step(
        request,
        conn,
        user,
        today,
        consultation_id,
        lambda: service.archive_consultation(
            conn,
            user.name,
            consultation_id,
            archived_on=form_day(archived_on, today, "归档日期"),
            archive_number=archive_number,
        ),
    )


@router.post("/consultations/{consultation_id}/publish", response_class=HTMLResponse)
def post_publish(
    consultation_id: int,
    request: Request,
    conn: DbConn,
    user: ManageConsultations,
    today: Today,
    public: TextField = "1",
) -> Response:
    """Publish the consultation on the public site (public=0 withdraws it)."""
    return _step(
        request,
        conn,
        user,
        today,
        consultation_id,
        lambda: service.publish_consultation(conn, user.name, consultation_id, public == "1"),
    )


@router.get("/public/consultations", response_class=HTMLResponse, tags=["public"])
def public_consultations(request: Request, conn: DbConn, user: MaybeUser) -> HTMLResponse:
    """Published consultations, no login."""
    return render(
        request, "pages/public_consultations.html", items=views.list_consultations(conn, public_only=True)
    )


@router.get("/public/consultations/{consultation_id:int}", response_class=HTMLResponse, tags=["public"])
def public_consultation(
    consultation_id: int, request: Request, conn: DbConn, user: MaybeUser, today: Today
) -> HTMLResponse:
    """A published consultation: panel, opinions and their adoption; 404 when not published."""
    return render(
        request, "pages/public_consultation.html", c=views.public_consultation(conn, consultation_id, today)
    )


@router.get("/public/consultations/{consultation_id:int}.docx", tags=["public"])
def public_consultation_docx(consultation_id: int, conn: DbConn, user: MaybeUser, today: Today) -> Response:
    """A published consultation's report in Word, no login."""
    views.public_consultation(conn, consultation_id, today)
    return report_response(views.report_draft(conn, consultation_id, today), consultation_id)

"""Indicator pages: the list with attainment colours, one indicator with its target-vs-actual chart and
report form, and the scorecards of the evaluation schemes with their arithmetic, grading and xlsx export.

Each POST calls one indicator service and redirects back (post/redirect/get).
"""

from __future__ import annotations

import math
import re
import tempfile
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from ...errors import InvalidInput
from ...export.scorecard import write_scorecards
from ...ledger.scoring import ItemScore
from ...services import indicator_views as views
from ...services import indicators as service
from ..deps import CurrentUser, DbConn, OfficeUser, Today
from ..routing import CommitRoute, off_the_loop
from ..templating import render

router = APIRouter(route_class=CommitRoute, tags=["pages"])

WIDTH, HEIGHT, PAD = 640, 240, 36
FILL = {True: "#2f9e5b", False: "#d64545", None: "#90cdf4"}  # met, not met, not comparable
TARGET = "#1f2933"  # ink, so a target never reads as a red (unmet) bar
DIRECTIONS = {
    "≥": "不低于",
    "≤": "不高于",
    "=": "等于",
    "between": "区间",
    "decreasing": "逐年下降",
    "increasing": "逐年上升",
}
RULE_NAMES = {"threshold": "达标得满分，未达标不得分", "proportional": "按完成比例得分 (完成率封顶100%)"}


def _figures(parts: list[float]) -> str:
    return "、".join(f"{p:g}" for p in parts)


def nice_top(largest: float) -> float:
    """The top of the value axis: a round step (1, 1.5, 2 … 8) times a power of ten, at least 10% above ``largest``."""
    if largest <= 0:
        return 1.0
    wanted = largest * 1.1
    power = 10 ** math.floor(math.log10(wanted))
    return next(step * power for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if step * power >= wanted)


def target_chart(points: list[dict[str, Any]], unit: str | None) -> Markup:
    """Bars: actual per period (green met, red not met); marks joined by a line: the target. One bar per part."""
    if not points:
        return Markup("")
    parts = max(max(len(p["target_parts"]), len(p["actual_parts"])) for p in points) or 1
    top = nice_top(max([v for p in points for v in (*p["target_parts"], *p["actual_parts"])] or [1]))
    slot, plot_h = (WIDTH - 2 * PAD) / len(points), HEIGHT - 2 * PAD
    bar_w = slot * 0.7 / parts

    def y(value: float) -> float:
        return HEIGHT - PAD - plot_h * max(value, 0) / top

    out = [
        f'<svg class="chart target-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="目标值与实际值">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" class="axis"/>',
    ]
    lines: list[list[str]] = [[] for _ in range(parts)]
    for i, p in enumerate(points):
        for j in range(parts):
            x = PAD + i * slot + slot * 0.15 + j * bar_w
            if j < len(p["actual_parts"]):
                v = p["actual_parts"][j]
                out.append(
                    f'<rect class="actual" data-period="{escape(p["period"])}" data-value="{v:g}" '
                    f'x="{x + bar_w * 0.1:.1f}" y="{y(v):.1f}" width="{bar_w * 0.8:.1f}" '
                    f'height="{HEIGHT - PAD - y(v):.1f}" fill="{FILL[p["met"]]}">'
                    f"<title>{escape(p['period'])} 实际 {escape(p['actual'] or '')}</title></rect>"
                )
            if j < len(p["target_parts"]):
                t = p["target_parts"][j]
                out.append(
                    f'<line class="target" data-period="{escape(p["period"])}" data-value="{t:g}" '
                    f'x1="{x:.1f}" x2="{x + bar_w:.1f}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{TARGET}" '
                    f'stroke-width="3"><title>{escape(p["period"])} 目标 {escape(p["target"] or "")}</title></line>'
                )
                lines[j].append(f"{x + bar_w / 2:.1f},{y(t):.1f}")
        out.append(
            f'<text x="{PAD + (i + 0.5) * slot:.1f}" y="{HEIGHT - PAD + 16}" class="tick">'
            f"{escape(p['period'])}</text>"
        )
    out += [
        f'<polyline points="{" ".join(line)}" class="target-line" fill="none" stroke="{TARGET}" '
        f'stroke-dasharray="4 3"/>'
        for line in lines
        if len(line) > 1
    ]
    out.append(
        f'<text x="{PAD}" y="{PAD - 14}" class="legend">柱：实际值 (绿 达标 · 红 未达标)　黑线：目标值'
        f"{f'　单位 {escape(unit)}' if unit else ''}　纵轴 0–{top:g}</text></svg>"
    )
    return Markup("".join(out))


def chosen_subject(user: Any, detail: dict[str, Any], asked: str) -> str | None:
    """The series to draw: as asked, else the user's own unit if it has one, else the first subject."""
    subjects = [s["subject"] for s in detail["series"]]
    if asked:
        return asked
    if user.unit_name in subjects:
        return user.unit_name
    return subjects[0] if subjects else None


def may_report(user: Any, indicator: dict[str, Any]) -> bool:
    """The office reports for anyone; a unit for itself (so not on another county's indicator)."""
    if user.role == "office":
        return True
    return user.role == "unit" and indicator["subject"] in (None, user.unit_name)


@router.get("/indicators", response_class=HTMLResponse)
def indicators_page(
    request: Request,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    period: str = "",
    kind: str = "indicator",
    subject: str = "",
    done: str = "",
    count: int = 0,
) -> HTMLResponse:
    """Every indicator with its targets and attainment colour (of one unit with ``subject``), and per unit."""
    period = period or str(today.year)
    rows = views.indicator_overview(
        conn, period=period, kind=None if kind == "all" else kind, subject=subject.strip() or None
    )
    all_periods = sorted({*views.periods(conn), period})
    return render(
        request,
        "pages/indicators.html",
        rows=rows,
        period=period,
        periods=all_periods,
        kind=kind,
        subject=subject.strip(),
        done=done,
        count=count,
        target_periods=sorted({t["period"] for r in rows for t in r["targets"]}),
        by_subject=views.attainment_by_subject(conn, period=period),
        DIRECTIONS=DIRECTIONS,
    )


@router.get("/indicators/{indicator_id}", response_class=HTMLResponse)
def indicator_page(
    indicator_id: int,
    request: Request,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    subject: str = "",
    done: str = "",
) -> HTMLResponse:
    """One indicator: targets, the chart of target against actual for one subject, values, report form."""
    detail = views.indicator_detail(conn, indicator_id)
    shown = chosen_subject(user, detail, subject)
    series = next((s for s in detail["series"] if s["subject"] == shown), None)
    points = (
        series["points"]
        if series
        else [
            {
                "period": t["period"],
                "target": t["text"],
                "target_parts": list(t["parts"]),
                "actual": None,
                "actual_parts": [],
                "met": None,
            }
            for t in detail["targets"]
        ]
    )
    return render(
        request,
        "pages/indicators_detail.html",
        ind=detail,
        shown=shown,
        points=points,
        chart=target_chart(points, detail["unit"]),
        may_report=may_report(user, detail),
        units=views.unit_names(conn) if user.role == "office" else [],
        year=str(today.year),
        done=done,
        DIRECTIONS=DIRECTIONS,
    )


@router.post("/indicators/{indicator_id}/values")
async def post_value(
    indicator_id: int, request: Request, conn: DbConn, user: CurrentUser, today: Today
) -> RedirectResponse:
    """报送实际值 (the API's rules: office for anyone, a unit for itself)."""
    form = await request.form()

    def report() -> str:
        indicator = views.get_indicator(conn, indicator_id)
        subject = views.value_subject(conn, user, indicator, str(form.get("subject") or ""))
        period, value = str(form.get("period") or "").strip(), str(form.get("value") or "").strip()
        if len(period) > 10 or len(value) > 100 or len(subject) > 100:
            raise InvalidInput("期间最多10个字符，数值和对象最多100个字符")
        service.report_value(
            conn,
            indicator_id=indicator_id,
            subject=subject,
            period=period,
            value=value,
            reporter=user.name,
            reported_on=today,
            user=user,
        )
        return subject

    subject = await off_the_loop(conn, report)
    query = urlencode({"subject": subject, "done": "value"})
    return RedirectResponse(f"/indicators/{indicator_id}?{query}", status_code=303)


@router.post("/indicators/import")
async def post_import(request: Request, conn: DbConn, user: OfficeUser, today: Today) -> RedirectResponse:
    """导入报送表: the office uploads a workbook of values and grades (all rows or none, as the CLI does)."""
    upload = (await request.form()).get("workbook")
    if upload is None or isinstance(upload, str):
        raise InvalidInput("请选择要导入的 Excel 报送表 (.xlsx)")
    with tempfile.TemporaryDirectory() as folder:  # the importer reads a path
        path = Path(folder) / "values.xlsx"
        path.write_bytes(await upload.read())
        count = await off_the_loop(
            conn, lambda: service.import_values_xlsx(conn, path, actor=user.name, today=today)
        )
    return RedirectResponse(f"/indicators?{urlencode({'done': 'import', 'count': count})}", status_code=303)


def item_note(item: ItemScore, rule: str) -> str:
    """Why an item earned its points, in the office's words."""
    if item.reported is None:
        return "缺报，按 0 分计"
    if rule == "grades":
        return (
            f"评为「{item.reported}」，得 {item.earned:g} 分 (最高 {item.maximum:g})"
            if item.met is not None
            else f"等次「{item.reported}」无效，按 0 分计"
        )
    if item.met is None:
        return f"报送值 {item.reported} 无法与目标 {item.target or '—'} 逐项比较，按 0 分计"
    if rule == "proportional":
        share = item.earned / item.maximum if item.maximum else 0.0
        return f"完成率 {share:.0%} × 权重 {item.maximum:g} = {item.earned:.2f}"
    return f"{'达标' if item.met else '未达标'}，得 {item.earned:g} 分 (权重 {item.maximum:g})"


@router.get("/scorecards", response_class=HTMLResponse)
def scorecards_page(
    request: Request,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    period: str = "",
    rule: str = "threshold",
    done: str = "",
) -> HTMLResponse:
    """Both schemes: each unit's raw points, maximum, factor and standardised score, the items, the total."""
    period = period or str(today.year)
    scored = views.all_scorecards(conn, period, rule=views.check_rule(rule))
    return render(
        request,
        "pages/scorecards.html",
        schemes=scored,
        totals=views.totals(scored),
        period=period,
        periods=sorted({*views.periods(conn), period}),
        rule=rule,
        RULE_NAMES=RULE_NAMES,
        item_note=item_note,
        units=views.unit_names(conn),
        done=done,
        query=urlencode({"period": period, "rule": rule}),
    )


@router.post("/scorecards/grades")
async def post_grades(request: Request, conn: DbConn, user: OfficeUser, today: Today) -> RedirectResponse:
    """评价等次: the office grades the items of a graded scheme for one unit (fields grade_<item id>)."""
    form = await request.form()
    period = str(form.get("period") or "").strip()
    given = {int(k.removeprefix("grade_")): str(v) for k, v in form.items() if k.startswith("grade_") and v}

    def grade_all() -> None:
        scheme = views.scheme_by_ref(conn, str(form.get("scheme") or ""))
        subject = views.canonical_subject(conn, str(form.get("subject") or ""))
        if not subject or not period or not given:
            raise InvalidInput("请填写评价对象、期间和至少一项等次")
        for item_id, grade in given.items():
            views.item_in_scheme(conn, scheme["id"], item_id)
            service.grade_item(
                conn,
                item_id=item_id,
                subject=subject,
                period=period,
                grade=grade,
                reporter=user.name,
                reported_on=today,
                user=user,
            )

    await off_the_loop(conn, grade_all)
    return RedirectResponse(f"/scorecards?{urlencode({'period': period, 'done': 'grades'})}", status_code=303)


@router.get("/scorecards.xlsx")
def scorecards_xlsx(
    conn: DbConn, user: CurrentUser, today: Today, period: str = "", rule: str = "threshold"
) -> Response:
    """Every scorecard of the period as a workbook: 汇总 with the arithmetic, then one sheet per card."""
    period = period or str(today.year)
    cards = [
        card
        for scheme in views.all_scorecards(conn, period, rule=views.check_rule(rule))
        for card in scheme["cards"]
    ]
    with tempfile.TemporaryDirectory() as folder:  # write_scorecards writes to a path, not a stream
        content = write_scorecards(cards, Path(folder) / "scorecards.xlsx").read_bytes()
    name = re.sub(r"[^0-9A-Za-z-]", "", period) or "period"  # a header carries ASCII only
    return Response(
        content,
        headers={"Content-Disposition": f"attachment; filename=scorecards-{name}.xlsx"},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

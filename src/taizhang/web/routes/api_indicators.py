"""The indicator API: indicators and their values, scorecards, office grades, and who pays for what."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...services import indicator_views as views
from ...services import indicators as service
from ..deps import CurrentUser, DbConn, OfficeUser, Today
from ..routing import CommitRoute
from ..schemas import (
    FiscalAnswersPublic,
    GradesCreate,
    IndicatorDetailPublic,
    IndicatorsPublic,
    ScorecardPublic,
    ScorecardsPublic,
    ValueCreate,
    ValueCreated,
)

router = APIRouter(route_class=CommitRoute, prefix="/api", tags=["indicators"])


@router.get("/indicators", response_model=IndicatorsPublic)
def list_indicators(
    conn: DbConn,
    user: CurrentUser,
    period: str | None = None,
    kind: str = "indicator",
    subject: str | None = None,
) -> dict[str, Any]:
    """Indicators with targets and the attainment of their values (in ``period``, of ``subject``, or all).

    ``kind=measure`` lists the measure rows (措施), ``kind=all`` both.
    """
    rows = views.indicator_overview(
        conn, period=period, kind=None if kind == "all" else kind, subject=subject
    )
    return {"data": rows, "count": len(rows)}


@router.get("/indicators/{indicator_id}", response_model=IndicatorDetailPublic)
def get_indicator(indicator_id: int, conn: DbConn, user: CurrentUser) -> dict[str, Any]:
    """One indicator: targets, every reported value judged, and a target-vs-actual series per subject."""
    return views.indicator_detail(conn, indicator_id)


@router.post("/indicators/{indicator_id}/values", response_model=ValueCreated, status_code=201)
def report_value(
    indicator_id: int, body: ValueCreate, conn: DbConn, user: CurrentUser, today: Today
) -> dict[str, Any]:
    """Report (or correct) an actual value: the office for anyone, a unit only for itself."""
    indicator = views.get_indicator(conn, indicator_id)
    subject = views.value_subject(conn, user, indicator, body.subject)
    value_id = service.report_value(
        conn,
        indicator_id=indicator_id,
        subject=subject,
        period=body.period,
        value=body.value,
        reporter=user.name,
        reported_on=today,
        user=user,
    )
    stored = next(v for v in views.values_of(conn, indicator) if v["id"] == value_id)
    return {**stored, "indicator_id": indicator_id}


@router.get("/scorecards/{scheme}", response_model=ScorecardsPublic)
def scorecards(
    scheme: str,
    conn: DbConn,
    user: CurrentUser,
    today: Today,
    period: str | None = None,
    rule: str = "threshold",
) -> dict[str, Any]:
    """Every scored subject's card in a scheme (id, key or "附件3") for a period (default: this year)."""
    found = views.scheme_by_ref(conn, scheme)
    period = period or str(today.year)
    subjects = views.scored_subjects(conn, period)
    cards = (
        service.scorecards(conn, found["key"], period, rule=views.check_rule(rule), subjects=subjects)
        if subjects
        else []
    )
    return {
        "scheme": found["key"],
        "name": found["name"],
        "kind": found["kind"],
        "scale": found["scale"],
        "period": period,
        "data": [views.card_dict(c) for c in cards],
        "count": len(cards),
    }


@router.post("/schemes/{scheme}/grades", response_model=ScorecardPublic, status_code=201)
def grade(scheme: str, body: GradesCreate, conn: DbConn, user: OfficeUser, today: Today) -> dict[str, Any]:
    """The office grades items of a graded scheme for one subject; answers with the subject's new card."""
    found = views.scheme_by_ref(conn, scheme)
    subject = views.canonical_subject(conn, body.subject)
    for entry in body.grades:
        views.item_in_scheme(conn, found["id"], entry.item_id)
        service.grade_item(
            conn,
            item_id=entry.item_id,
            subject=subject,
            period=body.period,
            grade=entry.grade,
            reporter=user.name,
            reported_on=today,
            user=user,
        )
    card = service.scorecards(conn, found["key"], body.period, subjects=[subject])[0]
    return views.card_dict(card)


@router.get("/fiscal", response_model=FiscalAnswersPublic)
def fiscal(conn: DbConn, user: CurrentUser, q: str = "") -> dict[str, Any]:
    """Who pays for ``q`` (事权/支出责任): each matching matter's level and the sentence that says so."""
    answers = views.fiscal_answers(conn, q) if q.strip() else []
    return {"query": q, "data": answers, "count": len(answers)}

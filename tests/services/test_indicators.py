"""Indicators in the ledger: stored from a gazette idempotently, values reported and imported, scorecards, who pays."""

from __future__ import annotations

import math
from datetime import date

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from taizhang.errors import InvalidInput, NotFound
from taizhang.extract.model import Document
from taizhang.extract.quantities import read_quantities
from taizhang.extract.spans import Span
from taizhang.services import indicators as svc
from taizhang.services.database import open_database, unit_of_work
from taizhang.sources import read_source
from taizhang.storage.tables import change_log, documents, issues
from taizhang.storage.tables_indicators import indicator_values

DOC28, DOC19 = "卫政办发〔2022〕28号", "卫政办发〔2022〕19号"


@pytest.fixture
def ledger(db_url, gazette_path, gold):
    """A database with the gazette's issue and documents (rows written directly), quantitative part stored."""
    engine = open_database(db_url)
    docs = [
        Document(d["doc_number"], d["title"], span=Span(d["line_start"], d["line_end"]))
        for d in gold["documents"]
    ]
    with unit_of_work(engine) as conn:
        issue_id = conn.execute(
            issues.insert().values(
                source_name="gazette",
                source_sha256="x" * 64,
                source_text=gazette_path.read_text(encoding="utf-8"),
            )
        ).inserted_primary_key[0]
        ids = {}
        for position, doc in enumerate(docs):
            ids[doc.doc_number] = conn.execute(
                documents.insert().values(
                    issue_id=issue_id,
                    doc_number=doc.doc_number,
                    title=doc.title,
                    position=position,
                )
            ).inserted_primary_key[0]
        quantities = read_quantities(read_source(gazette_path), docs)
        counts = svc.store_quantitative(conn, quantities, ids)
    yield engine, quantities, ids, counts
    engine.dispose()


def _indicator(conn, name_start: str, subject: str | None = None) -> dict:
    return next(
        i for i in svc.list_indicators(conn) if i["name"].startswith(name_start) and i["subject"] == subject
    )


def test_store_is_idempotent_and_audited(ledger):
    engine, quantities, ids, counts = ledger
    assert counts == {"indicators": 66, "targets": 32, "schemes": 2, "fiscal_matters": 50}
    with unit_of_work(engine) as conn:
        entries = conn.execute(sa.select(sa.func.count()).select_from(change_log)).scalar()
        assert svc.store_quantitative(conn, quantities, ids) == {
            "indicators": 0,
            "targets": 0,
            "schemes": 0,
            "fiscal_matters": 0,
        }
        assert conn.execute(sa.select(sa.func.count()).select_from(change_log)).scalar() == entries
        assert entries == 14 + 52 + 2 + 50  # indicators, water measures, schemes, fiscal matters


def test_indicators_keep_targets_per_period_and_source(ledger):
    engine, *_ = ledger
    with unit_of_work(engine) as conn:
        first = _indicator(conn, "医疗服务收入")
        assert (first["doc_number"], first["unit"], first["direction"], first["line"]) == (
            DOC28,
            "%",
            "≥",
            1142,
        )
        assert [(t["period"], t["value"]) for t in first["targets"]] == [("2022", 33.0), ("2023", 35.0)]
        ceiling = _indicator(conn, "耗黄河水量", "沙坡头区")
        assert [(t["period"], t["value"]) for t in ceiling["targets"]] == [
            ("2021", 21680.0),
            ("2022", 20900.0),
            ("2023", 20900.0),
        ]
        measure = [i for i in svc.list_indicators(conn, kind="measure") if i["line"] == 635]
        investment = [q for q in measure[0]["details"]["quantities"] if q["name"] == "投资估算"]
        assert (
            investment == [{"name": "投资估算", "value": 300, "unit": "万元"}]
            and measure[0]["doc_number"] == DOC19
        )


def _report_2022(
    conn, indicator_id: int, value: str, on: date, *, subject: str = "中宁县", reporter: str = "zn"
) -> int:
    """``subject``'s actual value of the indicator for 2022, reported on ``on``."""
    return svc.report_value(
        conn,
        indicator_id=indicator_id,
        subject=subject,
        period="2022",
        value=value,
        reporter=reporter,
        reported_on=on,
    )


def test_reported_values_give_attainment_and_corrections_are_logged(ledger):
    engine, *_ = ledger
    with unit_of_work(engine) as conn:
        first = _indicator(conn, "医疗服务收入")
        debt = _indicator(conn, "公立医院资产负债率")
        _report_2022(conn, first["id"], "30%", date(2022, 12, 1))
        _report_2022(conn, first["id"], "34%", date(2022, 12, 5))
        _report_2022(conn, debt["id"], "44%、17%", date(2022, 12, 5))
        rows = svc.attainment(conn, period="2022", subject="中宁县")
        assert [(r["actual"], r["target"], r["met"]) for r in rows] == [
            ("34%", "33%", True),
            ("44%、17%", "45%、16%", False),
        ]
        actions = (
            conn.execute(sa.select(change_log.c.action).where(change_log.c.entity == "indicator_value"))
            .scalars()
            .all()
        )
        assert actions == ["report_value", "correct_value", "report_value"]
        with pytest.raises(InvalidInput):
            _report_2022(conn, first["id"], "好", date(2022, 12, 5))
        with pytest.raises(NotFound):
            _report_2022(conn, 99999, "1", date(2022, 12, 5))


def test_weighted_and_graded_scorecards_of_28(ledger):
    engine, *_ = ledger
    with unit_of_work(engine) as conn:
        first = _indicator(conn, "医疗服务收入")
        days = _indicator(conn, "公立医院平均住院日")
        for subject, share, stay in (("沙坡头区", "36%", "8.5天"), ("中宁县", "30%", "8.1")):
            _report_2022(conn, first["id"], share, date(2023, 1, 5), subject=subject, reporter="x")
            _report_2022(conn, days["id"], stay, date(2023, 1, 5), subject=subject, reporter="x")
        cards = {c.subject: c for c in svc.scorecards(conn, "28号 附件3", "2022")}
        assert (cards["沙坡头区"].raw, cards["沙坡头区"].maximum, cards["中宁县"].raw) == (15, 95, 5)
        assert math.isclose(cards["沙坡头区"].standardised, 15 / 95 * 30)
        assert len(cards["沙坡头区"].missing) == 8
        graded = svc.find_scheme(conn, "附件4")
        items = (
            conn.execute(
                sa.text("select id from scheme_items where scheme_id = :s order by position"),
                {"s": graded["id"]},
            )
            .scalars()
            .all()
        )
        for item_id in items[:6]:
            svc.grade_item(
                conn,
                item_id=item_id,
                subject="海原县",
                period="2022",
                grade="中",
                reporter="office",
                reported_on=date(2023, 1, 9),
            )
        (card,) = svc.scorecards(conn, "附件4", "2022")
        assert (card.subject, card.raw, card.maximum, card.standardised, len(card.missing)) == (
            "海原县",
            60,
            100,
            42,
            1,
        )
        with pytest.raises(NotFound):
            svc.scorecards(conn, "附件", "2022")  # ambiguous


def _workbook(path, rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_values_import_from_xlsx_all_or_nothing(ledger, tmp_path):
    engine, *_ = ledger
    header = ["指标", "对象", "期间", "数值", "报送人", "报送日期"]
    good = _workbook(
        tmp_path / "v.xlsx",
        [
            header,
            ["公立医院平均住院日", "海原县", 2022, "8.0天", "hy", date(2023, 1, 3)],
            ["耗黄河水量", "中宁县", "2022年", 35000, None, None],
        ],
    )
    with unit_of_work(engine) as conn:
        assert svc.import_values_xlsx(conn, good, today=date(2023, 1, 4)) == 2
        rows = svc.attainment(conn, period="2022")
        assert {(r["subject"], r["name"], r["met"]) for r in rows} == {
            ("海原县", "公立医院平均住院日", True),
            ("中宁县", "耗黄河水量", True),
        }
    bad = _workbook(
        tmp_path / "b.xlsx",
        [
            header,
            ["公立医院平均住院日", "沙坡头区", 2022, "8", "s", None],
            ["没有这个指标", "沙坡头区", 2022, "1", "s", None],
        ],
    )
    with pytest.raises(InvalidInput, match="第 3 行：未知的指标"):
        with unit_of_work(engine) as conn:
            svc.import_values_xlsx(conn, bad)
    with unit_of_work(engine) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(indicator_values)).scalar() == 2


def test_who_answers_with_level_and_sentence(ledger):
    engine, *_ = ledger
    with unit_of_work(engine) as conn:
        best = svc.who(conn, "环境保护税征收复核")[0]
        assert (best["level"], best["line"], best["doc_number"], best["score"]) == (
            "市本级",
            342,
            "卫政办发〔2022〕15号",
            1.0,
        )
        assert "确认为市本级财政事权" in best["sentence"]
        assert svc.who(conn, "养老服务补贴发放") == []


def test_grades_import_from_xlsx_and_score_the_graded_scheme(ledger, tmp_path):
    engine, *_ = ledger
    rows = [
        ["指标", "对象", "期间", "等次"],
        ["建立强有力的公立医院综合改革领导体制和推动机制", "中宁县", "2022", "好"],
        ["持续深化医疗服务价格改革", "中宁县", "2022", "差"],
        ["公立医院综合改革其他方面有突出进展和成效。", "中宁县", "2022", "中"],
    ]
    with unit_of_work(engine) as conn:
        assert svc.import_values_xlsx(conn, _workbook(tmp_path / "g.xlsx", rows), today=date(2023, 1, 4)) == 3
        (card,) = svc.scorecards(conn, "附件4", "2022")
        assert (card.subject, card.raw, card.maximum, len(card.missing)) == ("中宁县", 25, 100, 4)
    bad = [["指标", "对象", "期间", "等次"], ["持续深化医疗服务价格改革", "中宁县", "2022", "优"]]
    with pytest.raises(InvalidInput, match="等次 '优'"):
        with unit_of_work(engine) as conn:
            svc.import_values_xlsx(conn, _workbook(tmp_path / "b.xlsx", bad))


def test_target_series_for_a_chart(ledger):
    engine, *_ = ledger
    with unit_of_work(engine) as conn:
        days = _indicator(conn, "公立医院平均住院日")
        _report_2022(conn, days["id"], "8.1", date(2023, 1, 2))
        assert svc.target_series(conn, days["id"], "中宁县") == [
            {"period": "2022", "target": 8.3, "target_text": "8.3天", "actual": 8.1, "actual_text": "8.1"},
            {"period": "2023", "target": 8.2, "target_text": "8.2天", "actual": None, "actual_text": None},
        ]


def test_only_the_office_or_the_unit_itself_reports_and_only_the_office_grades(ledger):
    from taizhang.errors import PermissionDenied
    from taizhang.services.accounts import UserInfo

    engine, *_ = ledger
    office = UserInfo(1, "督查室", "office", None, None, frozenset())
    zhongning = UserInfo(2, "zn", "unit", 5, "中宁县", frozenset({5}))
    leader = UserInfo(3, "lead", "leader", None, None, frozenset())
    with unit_of_work(engine) as conn:
        days = _indicator(conn, "公立医院平均住院日")
        report = dict(
            indicator_id=days["id"], period="2022", value="8", reporter="x", reported_on=date(2023, 1, 2)
        )
        assert svc.report_value(conn, subject="中宁县", user=zhongning, **report)
        assert svc.report_value(conn, subject="海原县", user=office, **report)
        for user, subject in ((zhongning, "海原县"), (leader, "中宁县")):
            with pytest.raises(PermissionDenied):
                svc.report_value(conn, subject=subject, user=user, **report)
        graded = svc.find_scheme(conn, "附件4")["id"]
        item = conn.execute(
            sa.text("select min(id) from scheme_items where scheme_id = :s"), {"s": graded}
        ).scalar()
        with pytest.raises(PermissionDenied):
            svc.grade_item(
                conn,
                item_id=item,
                subject="中宁县",
                period="2022",
                grade="好",
                reporter="zn",
                reported_on=date(2023, 1, 2),
                user=zhongning,
            )

"""The quantitative commands end to end: check, who, indicators import/list/attainment, score."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.errors import NotFound, SourceError
from taizhang.extract.model import Document
from taizhang.extract.quantities import read_quantities
from taizhang.extract.spans import Span
from taizhang.services import indicators as svc
from taizhang.services.database import open_database, unit_of_work
from taizhang.sources import read_source
from taizhang.storage.tables import documents, issues

runner = CliRunner()


def test_check_reports_every_finding_with_a_summary(gazette_path):
    result = runner.invoke(app, ["check", str(gazette_path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "卫政办发〔2022〕19号" in result.output and "不一致" in result.output and "一致" in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(tuple(f"共 {n} 项核对：" for n in range(30, 200))) and "不一致" in last
    assert "target_vs_annex" not in result.output and "目标与附件" in result.output


def test_check_json_carries_the_required_findings(gazette_path):
    result = runner.invoke(app, ["check", str(gazette_path), "--json"])
    found = json.loads(result.output)
    by_line = {(c["line"], c.get("kind")): c for c in found}
    assert by_line[(642, "target_vs_annex")]["consistent"] is False
    assert by_line[(642, "target_vs_annex")]["text_line"] == 562
    assert (by_line[(1161, "weights_total")]["expected"], by_line[(1161, "weights_total")]["found"]) == (
        100,
        95,
    )


def test_check_of_a_missing_file_is_a_taizhang_error(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.txt")])
    assert isinstance(result.exception, SourceError)


def test_who_answers_from_a_gazette_file(gazette_path):
    result = runner.invoke(app, ["who", "环境保护税征收复核", "--file", str(gazette_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "环境保护税征收复核 → 市本级（卫政办发〔2022〕15号，第 342 行）"
    assert "确认为市本级财政事权" in result.output
    assert isinstance(
        runner.invoke(app, ["who", "宇宙飞船发射", "--file", str(gazette_path)]).exception, NotFound
    )


@pytest.fixture
def db(sqlite_url, gazette_path, gold):
    engine = open_database(sqlite_url)
    docs = [
        Document(d["doc_number"], d["title"], span=Span(d["line_start"], d["line_end"]))
        for d in gold["documents"]
    ]
    with unit_of_work(engine) as conn:
        issue_id = conn.execute(
            issues.insert().values(
                source_name="g", source_sha256="y" * 64, source_text=gazette_path.read_text(encoding="utf-8")
            )
        ).inserted_primary_key[0]
        ids = {
            d.doc_number: conn.execute(
                documents.insert().values(issue_id=issue_id, doc_number=d.doc_number, title=d.title)
            ).inserted_primary_key[0]
            for d in docs
        }
        svc.store_quantitative(
            conn,
            read_quantities(read_source(gazette_path), docs),
            ids,
        )
    engine.dispose()
    return sqlite_url


def test_import_values_then_score_with_the_arithmetic_and_xlsx(db, tmp_path):
    book = Workbook()
    book.active.append(["指标", "对象", "期间", "数值", "报送人"])
    book.active.append(["公立医院平均住院日", "沙坡头区", 2022, "8.2天", "spt"])
    book.active.append(
        ["基层医疗卫生机构诊疗人次占医疗卫生机构诊疗总人次数的比例", "沙坡头区", 2022, "59%", "spt"]
    )
    book.save(tmp_path / "values.xlsx")
    result = runner.invoke(app, ["indicators", "import", str(tmp_path / "values.xlsx"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "导入 2 个报送值" in result.output
    out = tmp_path / "card.xlsx"
    result = runner.invoke(
        app, ["score", "28号 附件3", "--period", "2022", "--db", db, "--xlsx", str(out)], terminal_width=200
    )
    assert result.exit_code == 0, result.output
    assert "原始分 15 / 满分 95 × 30 = 4.74" in result.output
    sheets = load_workbook(out).sheetnames
    assert sheets == ["汇总", "沙坡头区"]
    summary = list(load_workbook(out)["汇总"].iter_rows(values_only=True))
    assert summary[1][:6] == ("沙坡头区", "卫政办发〔2022〕28号 附件3", "2022", "threshold", 15, 95)


def test_indicators_list_and_attainment(db):
    rows = json.loads(runner.invoke(app, ["indicators", "list", "--db", db, "--json"]).output)
    assert len(rows) == 14 and rows[0]["targets"]
    listing = runner.invoke(app, ["indicators", "list", "--db", db], env={"COLUMNS": "250"})
    assert "公立医院平均住院日" in listing.output
    empty = runner.invoke(app, ["indicators", "attainment", "--db", db, "--json"])
    assert json.loads(empty.output) == []


def test_report_one_value_then_attainment_per_unit(db):
    rows = json.loads(runner.invoke(app, ["indicators", "list", "--db", db, "--json"]).output)
    days = next(r["id"] for r in rows if r["name"] == "公立医院平均住院日")
    result = runner.invoke(app, ["indicators", "report", str(days), "海原县", "2022", "9.1天", "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["indicators", "attainment", "--db", db], env={"COLUMNS": "200"})
    assert "海原县：已报送的 1 项指标中达标 0 项" in result.output
    bad = runner.invoke(app, ["indicators", "report", "99999", "海原县", "2022", "1", "--db", db])
    assert isinstance(bad.exception, NotFound)


def test_who_from_a_file_and_from_the_database_agree(db, gazette_path):
    from_file = json.loads(
        runner.invoke(app, ["who", "环境保护税征收复核", "--file", str(gazette_path), "--json"]).output
    )
    from_db = json.loads(runner.invoke(app, ["who", "环境保护税征收复核", "--db", db, "--json"]).output)
    assert [(a["level"], a["line"], a["sentence"]) for a in from_file] == [
        (a["level"], a["line"], a["sentence"]) for a in from_db
    ]
    assert from_db[0]["level"] == "市本级"


def test_score_json_and_an_unknown_rule(db):
    result = runner.invoke(
        app, ["score", "附件4", "--period", "2022", "--db", db, "--subject", "中宁县", "--json"]
    )
    (card,) = json.loads(result.output)
    assert (card["subject"], card["raw"], card["maximum"], card["scale"], len(card["missing"])) == (
        "中宁县",
        0,
        100,
        70,
        7,
    )
    assert card["explain"].startswith("原始分 0 / 满分 100 × 70 = 0.00")
    bad = runner.invoke(app, ["score", "附件4", "--period", "2022", "--db", db, "--rule", "guess"])
    assert bad.exception is not None and "guess" in str(bad.exception)

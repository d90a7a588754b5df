"""`taizhang decisions`, `people`, `who-covers`, `absence`, `registry`, `experts`, `export consultation`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.services import consultations
from taizhang.services.database import open_database, unit_of_work
from tests.services.gazette_ledger import copy_of

TAIZHANG = str(Path(sys.executable).parent / "taizhang")
WIDE = {**os.environ, "COLUMNS": "400"}


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def db(gazette_template, tmp_path) -> str:
    copy_of(gazette_template, tmp_path / "ledger.db").dispose()
    return f"sqlite:///{tmp_path / 'ledger.db'}"


def test_decisions_json_lists_the_catalogue_with_units_and_steps(db):
    found = json.loads(run("decisions", "--db", db, "--json"))
    assert [d["label"] for d in found] == [str(n) for n in range(1, 10)]
    assert [u["name"] for u in found[5]["units"]] == [
        "市住房城乡建设局",
        "市财政局",
        "市自然资源局",
        "应理集团",
    ]
    assert {s["state"] for d in found for s in d["steps"]} == {"未开始"}


def test_people_json_has_fourteen_people_and_four_pairs(db):
    found = json.loads(run("people", "--db", db, "--json"))
    assert len(found["people"]) == 14
    assert found["backup_pairs"] == [
        {"a": "刘明", "b": "李长海"},
        {"a": "王秀娟", "b": "田力"},
        {"a": "金钟河", "b": "王立明"},
        {"a": "雍跃斌", "b": "陆升"},
    ]


def test_who_covers_answers_with_the_person_and_why_before_and_during_an_absence(db):
    before = run("who-covers", "市生态环境局", "--on", "2022-05-10", "--db", db)
    assert before.splitlines() == [
        "市生态环境局 2022-05-10：雍跃斌（本人）",
        "理由：雍跃斌协调联系生态环境方面工作",
    ]
    assert "已记录 雍跃斌" in run(
        "absence", "雍跃斌", "--from", "2022-05-09", "--to", "2022-05-13", "--reason", "出差", "--db", db
    )
    during = json.loads(run("who-covers", "督查科", "--on", "2022-05-10", "--db", db, "--json"))
    assert (during["person"], during["via"], during["owner"]) == ("陆升", "AB岗", "雍跃斌")


def test_registry_filters_by_status(db):
    repealed = json.loads(run("registry", "--status", "废止", "--db", db, "--json"))
    assert sorted(r["doc_number"] for r in repealed) == sorted(
        ["卫政发〔2005〕96号", "卫政发〔2012〕253号", "卫政办发〔2014〕87号", "卫政办发〔2017〕103号"]
    )
    assert {link["doc_number"] for r in repealed for link in r["changed_by"]} == {"卫政规发〔2022〕1号"}
    table = subprocess.run(
        [TAIZHANG, "registry", "--db", db], capture_output=True, text=True, env=WIDE, check=True
    )
    assert "规范性文件 6 件" in table.stdout and "卫政规发〔2022〕1号" in table.stdout


def test_experts_import_reports_what_it_did(db, tmp_path):
    book = Workbook()
    book.active.append(["姓名", "专业领域", "工作单位", "所属库"])
    book.active.append(["马文", "教育学", "宁夏大学", "库内"])
    book.active.append(["", "法学", "某大学", ""])
    path = tmp_path / "experts.xlsx"
    book.save(path)
    output = run("experts", "import", str(path), "--db", db)
    assert output.splitlines() == [
        "已导入 experts.xlsx：新增 1 人，更新 0 人，跳过 1 行",
        "  第3行：专家姓名不能为空",
    ]
    assert "马文" in {e["name"] for e in json.loads(run("experts", "list", "--db", db, "--json"))}


def test_the_consultation_report_is_written_to_word(db, tmp_path):
    engine = open_database(db)
    with unit_of_work(engine) as conn:
        consultation = consultations.request_consultation(
            conn,
            "office",
            1,
            topic="县管校聘",
            form="函审咨询论证",
            requested_on=date(2022, 5, 10),
            meeting_on=date(2022, 5, 20),
        )
        consultations.set_panel(
            conn, "office", consultation, [consultations.PanelChoice(i) for i in range(1, 6)]
        )
    engine.dispose()
    out = tmp_path / "report.docx"
    assert "专家意见 5 份" in run(
        "export", "consultation", str(consultation), str(out), "--db", db, "--as-of", "2022-05-21"
    )
    text = "\n".join(p.text for p in Document(BytesIO(out.read_bytes())).paragraphs)
    assert "专家咨询论证报告" in text and "专家1：未提交意见" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["who-covers", "不存在的单位", "--on", "2022-05-10"], "单位名录和人员分工中都没有“不存在的单位”"),
        (["who-covers", "市教育局"], "请用 --on 给出日期"),
        (["absence", "雍跃斌", "--from", "2022-05-13", "--to", "2022-05-09"], "早于开始日期"),
        (["registry", "--status", "作废"], "状态应为有效、废止、失效、修订之一"),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(db, args, message):
    result = subprocess.run([TAIZHANG, *args, "--db", db], capture_output=True, text=True, env=WIDE)
    assert result.returncode == 2
    assert (
        result.stderr.startswith("错误：") and message in result.stderr and "Traceback" not in result.stderr
    )

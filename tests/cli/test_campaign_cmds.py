"""`taizhang campaigns`, `campaign objects import`, `draw`, `campaign export` and `campaign notice`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.services.database import open_database
from taizhang.services.import_issue import import_file
from tests.conftest import GAZETTE
from tests.services.test_campaigns import mines_workbook

TAIZHANG = str(Path(sys.executable).parent / "taizhang")


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('campaign-cli') / 'ledger.db'}"
    engine = open_database(url)
    import_file(engine, GAZETTE, city="中卫市")
    engine.dispose()
    return url


def _mining_id(db: str) -> int:
    found = json.loads(run("campaigns", "--db", db, "--json"))
    return next(c["id"] for c in found if c["title"].startswith("中卫市矿产资源"))


def test_campaigns_lists_groups_milestones_and_progress(db):
    found = json.loads(run("campaigns", "--db", db, "--json"))
    assert len(found) == 4 and found[3]["kind"] == "日常监管"
    assert [g["leader"] for g in found[1]["groups"]] == ["祁少波", "王东山", "王东山"]
    table = subprocess.run(
        [TAIZHANG, "campaigns", "--db", db],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
        check=True,
    ).stdout
    assert "第一督查组（沙坡头区，祁少波）" in table and "6月底前完成自治区级验收销号" in table
    assert "文中称3个组，名单未列；覆盖：沙坡头区、中宁县、海原县" in table


def test_objects_import_then_draw_twice_the_same_then_exports(db, tmp_path):
    campaign = str(_mining_id(db))
    workbook = tmp_path / "mines.xlsx"
    workbook.write_bytes(mines_workbook())
    assert "新增20个对象" in run("campaign", "objects", "import", campaign, str(workbook), "--db", db)
    args = ("draw", campaign, "--objects", "5", "--inspectors", "2", "--seed", "7", "--db", db, "--json")
    first, second = json.loads(run(*args)), json.loads(run(*args))
    assert first["result"] == second["result"] and first["id"] != second["id"]
    assert all(r["county"] not in r["inspector_counties"] for r in first["result"])
    run("campaign", "export", campaign, str(tmp_path / "out.xlsx"), "--db", db)
    book = load_workbook(tmp_path / "out.xlsx")
    assert book.sheetnames == ["问题整改情况表", "排查表", "问题清单", "整改清单", "责任清单"]
    assert book["排查表"].max_row == 22
    assert [c.value for c in book["责任清单"][2]] == [
        "序号",
        "检查对象",
        "存在问题",
        "责任单位",
        "县（区）",
        "行业主管部门",
        "业主单位",
    ]
    run("campaign", "notice", campaign, str(tmp_path / "tb.docx"), "--as-of", "2022-06-01", "--db", db)
    text = "\n".join(p.text for p in Document(str(tmp_path / "tb.docx")).paragraphs)
    assert (
        "截至2022年6月1日，共排查0个对象（共20个）" in text
        and "关于中卫市矿产资源开采治理整顿工作进展情况的通报" in text
    )


def test_a_missing_workbook_and_an_unknown_campaign_are_one_line_errors(db, tmp_path):
    missing = subprocess.run(
        [TAIZHANG, "campaign", "objects", "import", "1", str(tmp_path / "no.xlsx"), "--db", db],
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2 and "文件不存在" in missing.stderr and "Traceback" not in missing.stderr
    unknown = subprocess.run(
        [TAIZHANG, "draw", "999", "--objects", "1", "--inspectors", "1", "--seed", "s", "--db", db],
        capture_output=True,
        text=True,
    )
    assert unknown.returncode == 2 and "没有编号为999的专项行动" in unknown.stderr


def test_an_event_starts_a_clock_and_an_unknown_event_is_refused(db, tmp_path):
    care = next(c for c in json.loads(run("campaigns", "--db", db, "--json")) if c["kind"] == "日常监管")
    workbook = tmp_path / "homes.xlsx"
    workbook.write_bytes(mines_workbook(1))
    run("campaign", "objects", "import", str(care["id"]), str(workbook), "--db", db)
    home = json.loads(run("campaign", "show", str(care["id"]), "--db", db, "--json"))["objects"][0]["id"]
    assert "已登记：收住老年人 2022-09-28" in run(
        "campaign", "event", str(home), "收住老年人", "2022-09-28", "--db", db
    )
    refused = subprocess.run(
        [TAIZHANG, "campaign", "event", str(home), "开业", "2022-09-28", "--db", db],
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2 and "不是本项工作计时的事项" in refused.stderr


def test_the_inspector_pool_is_imported_and_added_to_and_the_draw_takes_it(db, tmp_path):
    from tests.services.test_campaign_groups import _pool_workbook

    water = next(c for c in json.loads(run("campaigns", "--db", db, "--json")) if c["kind"] == "大检查大整治")
    campaign = str(water["id"])
    pool = tmp_path / "pool.xlsx"
    pool.write_bytes(_pool_workbook())
    assert (
        "新增4名检查人员"
        in CliRunner()
        .invoke(app, ["campaign", "inspectors", "import", campaign, str(pool), "--db", db])
        .output
    )
    assert "已添加检查人员 钱五" in run(
        "campaign",
        "inspectors",
        "add",
        campaign,
        "钱五",
        "--unit",
        "市水务局",
        "--county",
        "中宁县",
        "--db",
        db,
    )
    listed = json.loads(run("campaign", "inspectors", "list", campaign, "--db", db, "--json"))
    assert [i["name"] for i in listed] == ["张一", "李二", "王三", "赵四", "钱五"]
    works = tmp_path / "works.xlsx"
    works.write_bytes(mines_workbook(6))
    run("campaign", "objects", "import", campaign, str(works), "--db", db)
    args = ("draw", campaign, "--objects", "3", "--inspectors", "2", "--seed", "水利", "--db", db, "--json")
    drawn = json.loads(run(*args))
    assert drawn["result"] == json.loads(run(*args))["result"]
    homes = {i["name"]: i["county"] for i in listed}
    assert all(homes[r["inspector"]] != r["county"] for r in drawn["result"])
    show = subprocess.run(
        [TAIZHANG, "campaign", "show", "2", "--db", db], capture_output=True, text=True, check=True
    ).stdout
    assert "督查组编号" in show and "第二督查组（中宁县）组长 王东山" in show

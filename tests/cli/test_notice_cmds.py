"""`taizhang export docx` and `taizhang notices` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.extract.units import default_directory
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.sources import read_source
from taizhang.storage import tables as t
from tests.conftest import GAZETTE
from tests.utils.extraction_from_gold import gold_extraction

TAIZHANG = str(Path(sys.executable).parent / "taizhang")
WIDE = {**os.environ, "COLUMNS": "400"}


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(autouse=True)
def _zhongwei(monkeypatch):
    """The gazette is 中卫's: its office issues the notices unless a test configures another city."""
    monkeypatch.setenv("TAIZHANG_CITY", "中卫市")


@pytest.fixture
def gold_db(tmp_path) -> str:
    """A SQLite ledger holding the gold annotation of the bundled gazette."""
    url = f"sqlite:///{tmp_path / 'gold.db'}"
    engine = open_database(url)
    with unit_of_work(engine) as conn:
        store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=default_directory("中卫市"))
    engine.dispose()
    return url


def _notice_rows(url: str) -> list:
    engine = open_database(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t.notices.c.id, t.notices.c.is_public).order_by(t.notices.c.id)).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def test_export_docx_writes_the_notice_without_storing_it(gold_db, tmp_path):
    out = tmp_path / "notice.docx"
    said = run(
        "export",
        "docx",
        str(out),
        "--as-of",
        "2022-11-01",
        "--db",
        gold_db,
        "--doc-number",
        "卫政办督〔2022〕7号",
    )
    assert said.strip() == (
        f"已写入 {out}：关于截至2022年11月1日督办事项落实情况的通报，逾期 22 项，临期 0 项，缺报 22 项"
    )
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[:2] == ["中卫市人民政府办公室文件", "卫政办督〔2022〕7号"] and "(此件公开发布)" not in texts
    assert _notice_rows(gold_db) == []


def test_publish_public_then_list_and_write_the_stored_notice(gold_db, tmp_path):
    out = tmp_path / "notice.docx"
    said = run(
        "export",
        "docx",
        str(out),
        "--as-of",
        "2022-06-28",
        "--db",
        gold_db,
        "--document",
        "卫政办发〔2022〕6号",
        "--publish",
        "--public",
    )
    assert said.splitlines()[0] == "已发布通报 1（公开）"
    assert Document(str(out)).paragraphs[-1].text == "(此件公开发布)"
    run(
        "export",
        "docx",
        str(tmp_path / "internal.docx"),
        "--as-of",
        "2022-06-28",
        "--db",
        gold_db,
        "--unit",
        "沙坡头区",
        "--publish",
        "--title",
        "关于沙坡头区督办事项落实情况的通报",
    )
    assert _notice_rows(gold_db) == [(1, True), (2, False)]
    listed = json.loads(run("notices", "--db", gold_db, "--json"))
    assert [(n["id"], n["title"], n["as_of"], n["is_public"]) for n in listed] == [
        (2, "关于沙坡头区督办事项落实情况的通报", "2022-06-28", False),
        (1, "关于卫政办发〔2022〕6号文件落实情况的通报", "2022-06-28", True),
    ]
    assert [n["id"] for n in json.loads(run("notices", "--db", gold_db, "--json", "--public"))] == [1]
    assert "关于沙坡头区督办事项落实情况的通报" in run("notices", "--db", gold_db)
    again = tmp_path / "again.docx"
    assert run("export", "docx", str(again), "--notice", "1", "--db", gold_db).startswith(
        f"已写入 {again}：通报 1"
    )
    assert [p.text for p in Document(str(again)).paragraphs] == [
        p.text for p in Document(str(out)).paragraphs
    ]


def test_another_citys_office_heads_and_signs_the_notice(gold_db, tmp_path, monkeypatch):
    monkeypatch.setenv("TAIZHANG_CITY", "安庆市")
    run("export", "docx", str(tmp_path / "city.docx"), "--as-of", "2022-06-28", "--db", gold_db)
    texts = [p.text for p in Document(str(tmp_path / "city.docx")).paragraphs]
    assert texts[0] == "安庆市人民政府办公室文件" and texts[-2:] == ["安庆市人民政府办公室", "2022年6月28日"]
    monkeypatch.setenv("TAIZHANG_ISSUER", "安庆市人民政府督查室")
    run("export", "docx", str(tmp_path / "office.docx"), "--as-of", "2022-06-28", "--db", gold_db)
    texts = [p.text for p in Document(str(tmp_path / "office.docx")).paragraphs]
    assert texts[0] == "安庆市人民政府督查室文件" and texts[-2] == "安庆市人民政府督查室"


def test_the_issuer_set_on_the_web_heads_the_cli_notice_too(gold_db, tmp_path):
    from taizhang.services.accounts import UserInfo
    from taizhang.services.deployment import set_issuer

    engine = open_database(gold_db)
    office = UserInfo(id=0, name="office", role="office", unit_id=None, unit_name=None, unit_ids=frozenset())
    with unit_of_work(engine) as conn:
        set_issuer(conn, office, "中卫市人民政府督查室")
    engine.dispose()
    run("export", "docx", str(tmp_path / "set.docx"), "--as-of", "2022-06-28", "--db", gold_db)
    texts = [p.text for p in Document(str(tmp_path / "set.docx")).paragraphs]
    assert texts[0] == "中卫市人民政府督查室文件" and texts[-2] == "中卫市人民政府督查室"


def test_settings_issuer_shows_and_sets_the_issuer_of_the_notices(gold_db, tmp_path):
    assert "发文机关当前为：中卫市人民政府办公室（来自部署配置）" in run(
        "settings", "issuer", "--db", gold_db
    )
    empty = CliRunner().invoke(app, ["settings", "issuer", "  ", "--db", gold_db])
    assert empty.exit_code != 0 and str(empty.exception) == "发文机关不能为空"
    shown = run("settings", "issuer", "中卫市人民政府督查室", "--db", gold_db)
    assert "发文机关已设为：中卫市人民政府督查室（来自督查室设置）" in shown
    assert "中卫市人民政府督查室（来自督查室设置）" in run("settings", "issuer", "--db", gold_db)
    engine = open_database(gold_db)
    with engine.connect() as conn:
        logged = conn.execute(
            sa.select(t.change_log.c.actor, t.change_log.c.before, t.change_log.c.after).where(
                t.change_log.c.action == "set_issuer"
            )
        ).all()
    engine.dispose()
    assert [tuple(r) for r in logged] == [("cli", {"issuer": None}, {"issuer": "中卫市人民政府督查室"})]
    run("export", "docx", str(tmp_path / "set.docx"), "--as-of", "2022-06-28", "--db", gold_db)
    assert Document(str(tmp_path / "set.docx")).paragraphs[0].text == "中卫市人民政府督查室文件"


def test_a_title_of_ones_own(gold_db, tmp_path):
    out = tmp_path / "own.docx"
    run("export", "docx", str(out), "--as-of", "2022-06-28", "--db", gold_db, "--title", "二季度督查通报")
    assert [p.text for p in Document(str(out)).paragraphs][:3] == [
        "中卫市人民政府办公室文件",
        "",
        "二季度督查通报",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "2022-13-01"), "错误：--as-of：'2022-13-01' 不是日期（应为 YYYY-MM-DD）"),
        ((), "错误：起草通报需要 --as-of（或用 --notice 编号 输出已保存的通报）"),
        (("--notice", "9"), "错误：没有编号为 9 的通报"),
        (("--as-of", "2022-06-28", "--unit", "火星办"), "错误：单位名录中没有“火星办”"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(gold_db, tmp_path, args, message):
    out = tmp_path / "x.docx"
    done = subprocess.run(
        [TAIZHANG, "export", "docx", str(out), "--db", gold_db, *args],
        capture_output=True,
        text=True,
        env=WIDE,
        check=False,
    )
    assert (done.returncode, done.stderr.strip()) == (2, message)
    assert not out.exists() and _notice_rows(gold_db) == []


def test_commands_have_help_with_an_example():
    for command in (("export", "docx"), ("notices",)):
        assert "示例：taizhang" in run(*command, "--help")

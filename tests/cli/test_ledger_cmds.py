"""The ledger commands as a user runs them: import, documents, tasks, task, export, demo, units."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.errors import InvalidInput
from taizhang.extract.units import default_directory
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.import_issue import store_extraction
from taizhang.sources import read_source
from taizhang.storage import tables as t
from tests.conftest import GAZETTE
from tests.utils.extraction_from_gold import gold_extraction

TAIZHANG = str(Path(sys.executable).parent / "taizhang")
# cli/app.py prints errors through a Rich console that wraps at the terminal width (80 when
# there is none); a wide COLUMNS keeps a long path from being wrapped (reported to the lead)
WIDE = {**os.environ, "COLUMNS": "400"}
COUNTED = ("issues", "documents", "units", "tasks", "assignments", "change_log")


def run(*args: str):
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def counts(url: str) -> dict[str, int]:
    engine = open_database(url)
    with engine.connect() as conn:
        found = {
            n: conn.execute(sa.select(sa.func.count()).select_from(t.metadata.tables[n])).scalar()
            for n in COUNTED
        }
    engine.dispose()
    return found


@pytest.fixture(scope="module")
def gold_db(tmp_path_factory) -> str:
    """A SQLite ledger holding the gold annotation, independent of the extractor's progress."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'gold.db'}"
    engine = open_database(url)
    with unit_of_work(engine) as conn:
        store_extraction(conn, read_source(GAZETTE), gold_extraction(), directory=default_directory("中卫市"))
    engine.dispose()
    return url


def tasks_json(db: str, *args: str) -> dict:
    return json.loads(run("tasks", "--db", db, "--json", *args))


def test_import_twice_gives_the_same_counts(db_url):
    first = run("import", str(GAZETTE), "--db", db_url)
    assert "已导入" in first and "份文件" in first
    before = counts(db_url)
    assert before["documents"] >= 12 and before["tasks"] > 0
    assert "已导入过" in run("import", str(GAZETTE), "--db", db_url)
    assert counts(db_url) == before


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4\nthis is no pdf", "PDF 文件已损坏"),
        ("blank.txt", b"\n \n", "文件是空的"),
    ],
)
def test_a_bad_file_gives_one_line_and_leaves_the_database_alone(tmp_path, gold_db, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    before = counts(gold_db)
    done = subprocess.run(
        [TAIZHANG, "import", str(bad), "--db", gold_db], capture_output=True, text=True, env=WIDE
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and str(bad) in done.stderr and reason in done.stderr
    assert counts(gold_db) == before


def test_a_bad_date_gives_one_line(gold_db):
    done = subprocess.run(
        [TAIZHANG, "tasks", "--db", gold_db, "--due-before", "2022-02-30"],
        capture_output=True,
        text=True,
        env=WIDE,
    )
    assert (done.returncode, done.stderr) == (
        2,
        "错误：--due-before：'2022-02-30' 不是日期（应为 YYYY-MM-DD）\n",
    )


def test_a_county_lists_the_tasks_of_its_groups(gold_db, gold):
    found = tasks_json(gold_db, "--unit", "沙坡头区")
    directory = default_directory("中卫市")

    def county_or_group(name: str) -> bool:
        unit = directory.resolve(name)
        return unit is not None and unit.name in ("沙坡头区", "各县(区)")

    expected = sorted(
        x["line"]
        for x in gold["tasks"]
        if any(map(county_or_group, (*x["lead"], *x["responsible"], *x["cooperating"])))
    )
    assert len(expected) > 40
    assert sorted(item["line"] for item in found["items"]) == expected and found["total"] == len(expected)


def test_task_filters_combine(gold_db, gold):
    lead = tasks_json(
        gold_db, "--unit", "市卫生健康委员会", "--role", "lead", "--document", "卫政办发〔2022〕28号"
    )
    assert [i["label"] for i in lead["items"]] == ["1", "2", "3", "7", "8", "9", "10", "11"]
    overdue = tasks_json(gold_db, "--overdue", "--as-of", "2022-04-15")
    assert sorted(i["line"] for i in overdue["items"]) == sorted(
        x["line"] for x in gold["tasks"] if x["deadline"]["due"] and x["deadline"]["due"] < "2022-04-15"
    )
    assert tasks_json(gold_db, "--status", "长期坚持")["total"] == 5
    assert [i["line"] for i in tasks_json(gold_db, "--search", "典型案例")["items"]] == [216]
    assert all(i["needs_review"] for i in tasks_json(gold_db, "--review")["items"])
    window = tasks_json(gold_db, "--due-after", "2022-05-01", "--due-before", "2022-05-31")
    assert {i["due_on"] for i in window["items"]} == {"2022-05-31"}


def test_task_shows_units_deadline_and_source_line(gold_db, gazette_source):
    task_id = tasks_json(gold_db, "--search", "典型案例")["items"][0]["id"]
    shown = run("task", str(task_id), "--db", gold_db)
    assert "牵头单位: 中卫工业园区管委会" in shown and "截止日期: 2022-12-31" in shown
    assert f"  216 │ {gazette_source.line(216)}" in shown
    data = json.loads(run("task", str(task_id), "--db", gold_db, "--json"))
    assert data["source_lines"] == [{"line": 216, "text": gazette_source.line(216)}]


def test_documents_list_shows_the_repealed_ones(gold_db):
    docs = json.loads(run("documents", "--db", gold_db, "--json"))
    assert len(docs) == 16
    assert [d["status"] for d in docs].count("废止") == 4
    assert "卫政规发〔2022〕1号" in run("documents", "--db", gold_db)


def test_export_writes_a_workbook(gold_db, tmp_path):
    out = tmp_path / "ledger.xlsx"
    said = run("export", "xlsx", str(out), "--db", gold_db, "--document", "卫政办发〔2022〕6号")
    from openpyxl import load_workbook

    book = load_workbook(out)
    assert book.sheetnames == ["全部任务", "卫政办发〔2022〕6号"] and "8 项任务" in said


def test_units_list_alias_and_member(tmp_path):
    db = f"sqlite:///{tmp_path / 'units.db'}"
    engine = open_database(db)
    with unit_of_work(engine) as conn:
        from taizhang.services.units import sync_directory

        sync_directory(conn, default_directory("中卫市"))
    assert "单位" in run("units", "alias", "卫健委", "市卫生健康委", "--db", db)
    run("units", "member", "市直有关部门(单位)", "市财政局", "--db", db)
    units = {u["name"]: u for u in json.loads(run("units", "--db", db, "--json"))}
    assert "卫健委" in units["市卫生健康委"]["aliases"]
    assert units["市财政局"]["groups"] == ["市直有关部门(单位)"]
    with engine.connect() as conn:
        actors = (
            conn.execute(sa.select(t.change_log.c.entity).where(t.change_log.c.actor == "cli"))
            .scalars()
            .all()
        )
    assert actors == ["unit_alias", "unit_member"]
    engine.dispose()


def test_demo_loads_the_bundled_gazette_into_a_fresh_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.db").write_bytes(b"stale")
    shown = run("demo", "--no-serve")
    assert "文件" in shown and "各单位任务数" in shown and "待审核" in shown
    assert "第 " in shown.split("待审核")[1]  # the review items themselves, with their lines
    assert "账号：督查室" in shown and "密码：" in shown  # the accounts, without serving too
    again = run("demo", "--no-serve")
    assert counts(f"sqlite:///{tmp_path / 'demo.db'}")["issues"] == 1
    summary, accounts = shown.split("台账演示账号")
    assert summary == again.split("台账演示账号")[0] and accounts != again.split("台账演示账号")[1]


def test_demo_on_a_busy_port_leaves_the_database_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.db").write_bytes(b"kept")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = CliRunner().invoke(app, ["demo", "--port", str(busy.getsockname()[1])])
    assert isinstance(result.exception, InvalidInput) and "已被占用" in str(result.exception)
    assert (tmp_path / "demo.db").read_bytes() == b"kept"


def test_the_database_comes_from_the_environment_without_db(gold_db, monkeypatch):
    monkeypatch.setenv("TAIZHANG_DATABASE_URL", gold_db)
    assert json.loads(run("tasks", "--json", "--status", "长期坚持"))["total"] == 5

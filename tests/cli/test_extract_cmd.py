"""`taizhang extract` on files of other layouts: JSON with columns, and a word when nothing was found."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from taizhang.cli.app import app

PLANS = Path(__file__).resolve().parents[1] / "fixtures" / "plans"


def extract(path: Path, *extra: str):
    return CliRunner().invoke(app, ["extract", str(path), *extra], catch_exceptions=False)


def test_a_plan_without_header_gives_its_tasks_with_columns():
    result = extract(PLANS / "guobanfa_2020_45_elderly_smart_technology_plan.txt", "--json")
    data = json.loads(result.stdout)
    assert (result.exit_code, result.stderr, len(data["documents"]), len(data["tasks"])) == (0, "", 1, 25)
    assert all(task["column"] >= 1 for task in data["tasks"])


def test_no_task_is_said_on_stderr_in_one_chinese_line_with_the_phrases_seen(tmp_path):
    text = tmp_path / "通知.txt"
    text.write_text("关于做好防汛工作的通知\n\n各部门要切实负责，主要领导牵头抓总。\n", encoding="utf-8")
    result = extract(text, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)["tasks"] == []
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("未找到任务：") and "有 2 处" in result.stderr


def test_a_file_with_no_assignment_phrase_says_so_too(tmp_path):
    text = tmp_path / "公告.txt"
    text.write_text("关于举办读书月活动的公告\n\n欢迎市民参加。\n", encoding="utf-8")
    assert "没有“牵头”“负责”“责任单位”等分工表述" in extract(text).stderr

"""The task group: `task ID` still shows a task; `task add` creates one, `task split` and `task cancel`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.extract.units import default_directory
from taizhang.services.database import open_database, unit_of_work
from taizhang.services.units import sync_directory


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def add_args(db: str, title: str, source: str, ref: str, *options: str) -> list[str]:
    """The words of `task add`: the title, its source (来源) and reference (依据), then further options."""
    return ["task", "add", title, "--source", source, "--ref", ref, *options, "--db", db]


def add_task(db: str, *words: str) -> int:
    """Add a task as `add_args` spells it and return its id."""
    return int(json.loads(run(*add_args(db, *words), "--json"))["id"])


def _ledger(db_url: str) -> str:
    engine = open_database(db_url)
    with unit_of_work(engine) as conn:
        sync_directory(conn, default_directory("中卫市"))
    engine.dispose()
    return db_url


def test_add_show_split_and_cancel(sqlite_url):
    db = _ledger(sqlite_url)
    task_id = add_task(
        db,
        "完善行政执法协调监督工作体系",
        "领导批示",
        "市长批示（2023年5月8日）",
        *("--lead", "市司法局", "--responsible", "市财政局、人力资源社会保障局"),
        *("--deadline", "2023年6月底前", "--today", "2023-05-08"),
    )
    shown = json.loads(run("task", str(task_id), "--db", db, "--json"))
    assert shown["due_on"] == "2023-06-30"
    assert [u["name"] for u in shown["units"] if u["role"] == "responsible"] == [
        "市财政局",
        "市人力资源社会保障局",
    ]
    assert json.loads(run("task", "show", str(task_id), "--db", db, "--json"))["id"] == task_id
    assert "拆分为任务" in run(
        "task",
        "split",
        str(task_id),
        "制定实施方案",
        "开展专项检查",
        "--reason",
        "分两个阶段推进",
        "--db",
        db,
    )
    assert "已撤销" in run("task", "cancel", str(task_id), "--reason", "会议决定不再实施", "--db", db)
    assert json.loads(run("task", str(task_id), "--db", db, "--json"))["status"] == "已撤销"


def test_an_unknown_unit_is_refused(sqlite_url):
    db = _ledger(sqlite_url)
    result = CliRunner().invoke(app, add_args(db, "某项任务", "文件", "某文件", "--lead", "市不存在局"))
    assert result.exit_code != 0 and "不在单位名录" in str(result.exception)


def test_import_of_a_ledger_workbook(sqlite_url, tmp_path):
    from openpyxl import Workbook

    db = _ledger(sqlite_url)
    book = Workbook()
    book.active.append(["序号", "工作任务", "牵头单位", "完成时限"])
    book.active.append([1, "建立重点任务台账", "市司法局", "2023年6月底前"])
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    assert "新建任务 1 项" in run("import", str(path), "--db", db)
    assert "新建任务 0 项，已在台账中 1 项" in run("import", str(path), "--db", db)
    book.active.append([2, "另一项", "市不存在局", "2023年6月底前"])
    book.save(path)
    result = CliRunner().invoke(app, ["import", str(path), "--db", db])
    assert result.exit_code != 0 and "第3行“牵头单位”列" in str(result.exception)


# A task the office found in an inspection, due before the end of June 2022.
_CLEANUP_TASK = (
    *("清理规范性文件", "督查发现", "2022年专项督查", "--lead", "市司法局"),
    *("--deadline", "2022年6月底前", "--today", "2022-05-01"),
)


def test_escalation_commands(sqlite_url, tmp_path):
    db = _ledger(sqlite_url)
    task_id = add_task(db, *_CLEANUP_TASK)
    assert "已催办 1 个" in run(
        "task", "chase-late", "--unit", "市司法局", "--as-of", "2022-07-15", "--db", db
    )
    letter = tmp_path / "letter.docx"
    shown = run(
        "task",
        "escalate",
        str(task_id),
        "--unit",
        "市司法局",
        "--step",
        "督办函",
        "--out",
        str(letter),
        "--as-of",
        "2022-07-20",
        "--db",
        db,
    )
    assert "督办〔2022〕1号" in shown and letter.stat().st_size > 0
    refused = CliRunner().invoke(
        app, ["task", "escalate", str(task_id), "--unit", "市司法局", "--step", "约谈", "--db", db]
    )
    assert refused.exit_code != 0 and "约谈对象" in str(refused.exception)
    assert "已记录批示" in run("task", "instruct", str(task_id), "请抓紧", "--leader", "张市长", "--db", db)
    kinds = [a["kind"] for a in json.loads(run("task", str(task_id), "--db", db, "--json"))["actions"]]
    assert kinds == ["交办", "催办", "督办函", "批示"]  # 立项 hands the task to its unit first


def test_evaluate_command(sqlite_url, tmp_path):
    db = _ledger(sqlite_url)
    add_task(db, *_CLEANUP_TASK)
    out = tmp_path / "ranking.xlsx"
    data = json.loads(
        run(
            "evaluate",
            "--period",
            "2022-Q2",
            "--as-of",
            "2022-07-15",
            "--out",
            str(out),
            "--db",
            db,
            "--json",
        )
    )
    assert [(u["unit"], u["tasks_due"], u["days_late"]) for u in data["units"]] == [("市司法局", 1, 15)]
    assert out.stat().st_size > 0
    bad = CliRunner().invoke(app, ["evaluate", "--period", "明年", "--db", db])
    assert bad.exit_code != 0 and "考评期间" in str(bad.exception)


def test_add_with_attachments_stores_them_with_the_task(sqlite_url, tmp_path, monkeypatch):
    from taizhang.services import attachments

    monkeypatch.setenv("TAIZHANG_UPLOAD_DIR", str(tmp_path / "uploads"))
    db = _ledger(sqlite_url)
    instruction = tmp_path / "批示件.pdf"
    instruction.write_bytes(b"%PDF-1.4 pishi")
    task_id = add_task(
        db,
        "整改医疗废物处置问题",
        "领导批示",
        "市长批示（2023年5月8日）",
        *("--lead", "市卫生健康委", "--attachment", str(instruction)),
    )
    engine = open_database(db)
    with engine.connect() as conn:
        assert [f["filename"] for f in attachments.task_files(conn, task_id)] == ["批示件.pdf"]
    engine.dispose()
    assert (tmp_path / "uploads").is_dir()
    missing = CliRunner().invoke(
        app,
        add_args(
            db,
            "另一项任务",
            "领导批示",
            "批示",
            "--lead",
            "市卫生健康委",
            "--attachment",
            str(tmp_path / "无.pdf"),
        ),
    )
    assert missing.exit_code != 0 and "找不到附件" in str(missing.exception)


def test_edit_changes_only_what_is_given_and_logs_it(sqlite_url):
    db = _ledger(sqlite_url)
    task_id = add_task(
        db,
        "完善行政执法协调监督工作体系",
        "领导批示",
        "市长批示（2023年5月8日）",
        *("--lead", "市司法局", "--responsible", "市财政局", "--deadline", "2023年6月底前"),
    )
    assert "已修改" in run(
        "task",
        "edit",
        str(task_id),
        "--deadline",
        "2023年9月底前",
        "--cooperating",
        "市人力资源社会保障局",
        "--reason",
        "市政府常务会议调整分工",
        "--db",
        db,
    )
    shown = json.loads(run("task", str(task_id), "--db", db, "--json"))
    assert shown["due_on"] == "2023-09-30" and shown["title"] == "完善行政执法协调监督工作体系"
    assert sorted((u["role"], u["name"]) for u in shown["units"]) == [
        ("cooperating", "市人力资源社会保障局"),
        ("lead", "市司法局"),
        ("responsible", "市财政局"),
    ]
    engine = open_database(db)
    with engine.connect() as conn:
        from taizhang.services.audit import history

        assert any(h["action"] != "create" and h["after"] for h in history(conn, "task", task_id))
    engine.dispose()
    bad = CliRunner().invoke(
        app, ["task", "edit", str(task_id), "--lead", "市不存在局", "--reason", "调整", "--db", db]
    )
    assert bad.exit_code != 0 and "不在单位名录" in str(bad.exception)


def test_edit_and_split_need_a_reason_which_the_change_log_shows(sqlite_url):
    db = _ledger(sqlite_url)
    task_id = add_task(
        db,
        "完善行政执法协调监督工作体系",
        "领导批示",
        "市长批示",
        "--lead",
        "市司法局",
        "--deadline",
        "2023年6月底前",
    )
    missing = CliRunner().invoke(
        app, ["task", "edit", str(task_id), "--deadline", "2023年9月底前", "--db", db]
    )
    assert missing.exit_code == 2 and "--reason" in missing.output
    for command in (
        ["edit", str(task_id), "--deadline", "2023年9月底前", "--reason", " "],
        ["split", str(task_id), "制定实施方案", "开展专项检查", "--reason", ""],
    ):
        refused = CliRunner().invoke(app, ["task", *command, "--db", db])
        assert (
            refused.exit_code != 0 and "请填写" in str(refused.exception) and "理由" in str(refused.exception)
        )
    engine = open_database(db)
    with engine.connect() as conn:
        from taizhang.services.audit import history

        assert [h["action"] for h in history(conn, "task", task_id)] == ["create"]
    run("task", "edit", str(task_id), "--deadline", "2023年9月底前", "--reason", "市政府同意延期", "--db", db)
    run(
        "task",
        "split",
        str(task_id),
        "制定实施方案",
        "开展专项检查",
        "--reason",
        "分两个阶段推进",
        "--db",
        db,
    )
    with engine.connect() as conn:
        from taizhang.services.change_text import change_rows

        texts = [row["text"] for row in change_rows(history(conn, "task", task_id))]
    engine.dispose()
    assert any("截止日期" in t and "理由：市政府同意延期" in t for t in texts), texts
    assert any("理由：分两个阶段推进" in t for t in texts), texts

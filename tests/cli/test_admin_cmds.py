"""taizhang user add/list, token, remind and audit verify, driven through the Typer app."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.errors import InvalidInput, UnknownUnit
from taizhang.services import accounts
from taizhang.services import workflow as wf
from taizhang.services.daily_reminders import send_daily_reminders
from taizhang.services.database import open_database, unit_of_work
from taizhang.settings import load_settings
from taizhang.storage.tables import change_log, change_log_head, parts, reports, row_seals, tasks
from tests.services.conftest import FakeWebhooks, build_ledger

runner = CliRunner()


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def no_delivery_settings(monkeypatch):
    for name in ("SMTP_HOST", "WEBHOOK_URL", "DINGTALK_WEBHOOK_URL", "WECOM_WEBHOOK_URL", "DATABASE_URL"):
        monkeypatch.delenv(f"TAIZHANG_{name}", raising=False)


@pytest.fixture
def ledger(sqlite_url):
    engine = open_database(sqlite_url)
    built = build_ledger(engine)
    yield sqlite_url, built
    engine.dispose()


def _run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_user_add_reads_the_password_from_stdin_and_lists_it(db_url):
    engine = open_database(db_url)
    try:
        with unit_of_work(engine) as conn:
            conn.execute(
                sa.text("INSERT INTO units (name, kind, verified) VALUES ('中宁县', 'county', true)")
            )
        added = _run(
            "user",
            "add",
            "zn",
            "--role",
            "unit",
            "--unit",
            "中宁县",
            "--email",
            "zn@example.org",
            "--db",
            db_url,
            input="long enough password\n",
        )
        assert added.exit_code == 0, added.output
        assert added.output.startswith("已添加责任单位用户 zn（中宁县），编号 1")
        listed = _run("user", "list", "--json", "--db", db_url)
        assert json.loads(listed.output) == [
            {
                "id": 1,
                "name": "zn",
                "role": "unit",
                "unit": "中宁县",
                "email": "zn@example.org",
                "active": True,
            }
        ]
        user = accounts.authenticate(
            engine, "zn", "long enough password", client="cli-test", now=datetime.now(UTC)
        )
        assert user.unit_name == "中宁县"
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "args, password, error",
    [
        (["--role", "unit", "--unit", "中宁县"], "short\n", InvalidInput),
        (["--role", "unit", "--unit", "火星县"], "long enough password\n", UnknownUnit),
        (["--role", "boss"], "long enough password\n", InvalidInput),
    ],
)
def test_user_add_refuses_bad_input(ledger, args, password, error):
    url, _ = ledger
    result = _run("user", "add", "someone", *args, "--db", url, input=password)
    assert isinstance(result.exception, error)


def test_errors_are_one_line_and_exit_2(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    open_database(url).dispose()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from taizhang.cli.app import main; main()",
            "user",
            "add",
            "x",
            "--role",
            "office",
            "--db",
            url,
        ],
        input="short\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "错误：密码至少需要 8 个字符"
    assert "Traceback" not in proc.stderr


def test_token_prints_a_token_that_authenticates(ledger):
    url, _ = ledger
    result = _run("token", "zn", "--db", url)
    assert result.exit_code == 0
    token = result.output.strip()
    assert len(token) >= 40
    engine = open_database(url)
    with engine.connect() as conn:
        assert accounts.user_for_token(conn, token).name == "zn"
    engine.dispose()


def test_remind_dry_run_prints_digests_and_sends_nothing(ledger):
    url, _ = ledger
    result = _run("remind", "--as-of", "2022-05-06", "--dry-run", "--db", url)
    assert result.exit_code == 0, result.output
    assert "Subject: 【台账提醒】中宁县：即将到期1项" in result.output
    assert "1. 卫政办发〔2022〕28号 推进医保支付改革（截止2022-04-29，已逾期7天）" in result.output
    assert result.output.rstrip().endswith("共 4 份提醒（试运行：均未发送）")


def test_remind_without_a_channel_is_an_error(ledger):
    url, _ = ledger
    result = _run("remind", "--as-of", "2022-05-06", "--db", url)
    assert isinstance(result.exception, InvalidInput)


def test_remind_on_a_quiet_day_says_so(ledger):
    url, _ = ledger
    result = _run("remind", "--as-of", "2022-01-04", "--warn-days", "1", "--db", url)
    assert (result.exit_code, result.output.strip()) == (0, "2022-01-04 没有需要提醒的事项")


def test_remind_posts_webhooks_and_sends_a_chase_only_once(ledger, monkeypatch):
    url, built = ledger
    with unit_of_work(built.engine) as conn:
        wf.chase(
            conn, built.users["office"], built.tasks["health"], message="请报送进展", today=date(2022, 5, 6)
        )
    hooks = FakeWebhooks()
    try:
        monkeypatch.setenv("TAIZHANG_WECOM_WEBHOOK_URL", hooks.url("/wecom"))
        first = _run("remind", "--as-of", "2022-05-06", "--db", url)
        assert first.exit_code == 0, first.output
        units_told = sorted(body["markdown"]["content"].split("：")[0] for _, _, body in hooks.received)
        assert units_told == sorted(
            f"### 【台账提醒】{u}" for u in ("中宁县", "市医保局", "市卫生健康委", "沙坡头区", "海原县")
        )
        hooks.received.clear()
        second = _run("remind", "--as-of", "2022-05-06", "--db", url)
        assert second.exit_code == 0
        assert hooks.received == []  # the same day's claims: no unit is told twice
        assert "跳过中宁县：2022-05-06 已提醒过" in second.output
        hooks.received.clear()
        next_day = _run("remind", "--as-of", "2022-05-07", "--db", url)
        assert next_day.exit_code == 0, next_day.output
        assert not any("市卫生健康委" in body["markdown"]["content"] for _, _, body in hooks.received)
        assert len(hooks.received) == 4
    finally:
        hooks.stop()


def test_remind_skips_units_the_worker_told_that_day(ledger, monkeypatch):
    url, built = ledger
    hooks = FakeWebhooks()
    try:
        monkeypatch.setenv("TAIZHANG_WEBHOOK_URL", hooks.url("/plain"))
        morning = send_daily_reminders(built.engine, load_settings(database_url=url), date(2022, 5, 6))
        assert morning.sent == 4
        hooks.received.clear()
        by_hand = _run("remind", "--as-of", "2022-05-06", "--db", url)
    finally:
        hooks.stop()
    assert by_hand.exit_code == 0, by_hand.output
    assert hooks.received == []
    assert by_hand.output.count("已提醒过") == 4


def test_a_failed_remind_gives_its_claims_back(ledger, monkeypatch):
    url, _ = ledger
    hooks = FakeWebhooks()
    try:
        monkeypatch.setenv("TAIZHANG_WEBHOOK_URL", hooks.url("/plain"))
        hooks.answers["/plain"] = (500, {})
        assert _run("remind", "--as-of", "2022-05-06", "--db", url).exit_code == 1
        hooks.answers["/plain"] = (200, {})
        retry = _run("remind", "--as-of", "2022-05-06", "--db", url)
    finally:
        hooks.stop()
    assert retry.exit_code == 0, retry.output
    assert len(hooks.received) == 4 + 4  # the failed attempts reached the hook too, then the retry


def test_remind_exits_1_when_a_webhook_fails(ledger, monkeypatch):
    url, _ = ledger
    hooks = FakeWebhooks()
    hooks.answers["/plain"] = (500, {})
    try:
        monkeypatch.setenv("TAIZHANG_WEBHOOK_URL", hooks.url("/plain"))
        result = _run("remind", "--as-of", "2022-05-06", "--db", url)
    finally:
        hooks.stop()
    assert result.exit_code == 1


def test_bad_as_of_date(ledger):
    url, _ = ledger
    assert isinstance(_run("remind", "--as-of", "2022-13-01", "--db", url).exception, InvalidInput)


def test_audit_verify_detects_edits_and_deletions(db_url):
    engine = open_database(db_url)
    try:
        build_ledger(engine)
        ok = _run("audit", "verify", "--db", db_url)
        with engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(change_log)).scalar()
            rows = sum(
                conn.execute(sa.select(sa.func.count()).select_from(t)).scalar()
                for t in (tasks, parts, reports)
            )
        assert (ok.exit_code, ok.output.strip()) == (
            0,
            f"共 {count} 条记录，哈希链完整；{rows} 行任务、分工和报告与封存一致",
        )
        with unit_of_work(engine) as conn:
            conn.execute(change_log.update().where(change_log.c.id == 2).values(actor="mallory"))
            conn.execute(change_log.delete().where(change_log.c.id == 4))
        broken = _run("audit", "verify", "--db", db_url)
        assert broken.exit_code == 1
        lines = broken.output.strip().splitlines()
        assert lines[0].startswith("第 2 条：内容与其带密钥的哈希不符（该记录被修改")
        assert lines[1].startswith("第 5 条：与前一条的哈希链接断开")
        assert lines[-1] == f"共 {count - 1} 条记录、{rows} 行台账，2 处问题：变更记录或台账已被篡改"
    finally:
        engine.dispose()


def test_user_passwd_disable_and_enable(ledger):
    url, built = ledger
    assert _run("user", "passwd", "zn", "--db", url, input="another good password\n").exit_code == 0
    assert _run("user", "disable", "zn", "--db", url).output.strip() == "已停用 zn"
    listed = {u["name"]: u for u in json.loads(_run("user", "list", "--json", "--db", url).output)}
    assert listed["zn"]["active"] is False and listed["wjw"]["active"] is True
    assert isinstance(_run("token", "zn", "--db", url).exception, InvalidInput)
    assert _run("user", "enable", "zn", "--db", url).exit_code == 0
    user = accounts.authenticate(
        built.engine, "zn", "another good password", client="t", now=datetime.now(UTC)
    )
    assert user.active


def test_audit_verify_catches_a_cut_off_tail_with_a_noted_head(ledger):
    url, built = ledger
    shown = _run("audit", "verify", "--show-head", "--db", url)
    head_line = shown.output.strip().splitlines()[-1]
    assert head_line.startswith("链尾：第 ")
    noted = head_line.split()[-1]
    assert _run("audit", "verify", "--expect", noted, "--db", url).exit_code == 0
    with unit_of_work(built.engine) as conn:
        last = conn.execute(sa.select(sa.func.max(change_log.c.id))).scalar()
        conn.execute(change_log.delete().where(change_log.c.id == last))
    cut = _run("audit", "verify", "--db", url)  # the signed head tells, without a noted hash
    assert (
        cut.exit_code == 1
        and f"签名的链头是第 {last} 条，而日志只到第 {last - 1} 条：最新的记录被删除" in cut.output
    )
    cut = _run("audit", "verify", "--expect", noted, "--db", url)
    assert cut.exit_code == 1 and f"没有哈希为 {noted} 的记录" in cut.output


def test_audit_verify_names_a_task_edited_in_a_database_client_and_seal_covers_an_older_ledger(ledger):
    url, built = ledger
    client = sa.create_engine(url)  # outside the application: no seal follows this write
    with client.begin() as conn:
        conn.execute(tasks.update().where(tasks.c.id == built.tasks["health"]).values(status="已完成"))
    edited = _run("audit", "verify", "--db", url)
    assert edited.exit_code == 1
    assert edited.output.splitlines()[0] == f"任务 {built.tasks['health']}：内容与封存不符：不经本系统被修改"
    with client.begin() as conn:
        conn.execute(row_seals.delete())
        conn.execute(change_log_head.delete())
    assert _run("audit", "verify", "--db", url).exit_code == 1
    sealed = _run("audit", "seal", "--db", url)
    assert sealed.exit_code == 0 and sealed.output.startswith("封存了 ") and "并签名了链头" in sealed.output
    assert _run("audit", "verify", "--db", url).exit_code == 0
    client.dispose()

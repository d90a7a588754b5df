"""Administration commands: accounts (user add/list, token), reminders (remind), the audit chain and
the deployment's settings (settings issuer).

Each command parses its options, calls one service and prints the result. The database comes
from ``--db`` or ``TAIZHANG_DATABASE_URL`` (default sqlite:///taizhang.db).
"""

from __future__ import annotations

import json
import os
import socket
import sys
from datetime import date
from typing import Annotated

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from ..errors import InvalidInput
from ..ledger.permissions import ROLE_LABELS
from ..services.accounts import add_user, issue_token, list_users, set_active, set_password
from ..services.audit import sign_missing_head, verify_chain, verify_head
from ..services.daily_reminders import deliver_once, has_channel
from ..services.database import open_ledger, unit_of_work
from ..services.deployment import issuer_setting, set_issuer
from ..services.reminders import Digest, build_digests, deliverable, send_digests
from ..services.seals import SEALED, seal_unsealed, verify_seals
from ..settings import Settings, load_settings
from ..storage.tables import change_log
from .options import CLI_ACTOR, CLI_OFFICE, DbOption, ledger_engine

user_app = typer.Typer(help="账号：督查室、责任单位和领导用户。", no_args_is_help=True)
audit_app = typer.Typer(help="哈希链式变更记录（全过程留痕）。", no_args_is_help=True)
settings_app = typer.Typer(help="部署设置：督办函、通报和通知的发文机关。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the administration commands to the app."""
    user_app.command("add")(user_add_command)
    user_app.command("list")(user_list_command)
    user_app.command("passwd")(user_passwd_command)
    user_app.command("disable")(user_disable_command)
    user_app.command("enable")(user_enable_command)
    app.add_typer(user_app, name="user")
    app.command("token")(token_command)
    app.command("remind")(remind_command)
    audit_app.command("verify")(audit_verify_command)
    audit_app.command("seal")(audit_seal_command)
    app.add_typer(audit_app, name="audit")
    settings_app.command("issuer")(settings_issuer_command)
    app.add_typer(settings_app, name="settings")


def _out() -> Console:
    return Console(highlight=False, soft_wrap=True)  # long lines (hashes, titles) stay whole


def _read_password() -> str:
    """Prompt twice without echo on a terminal; otherwise read the first line of stdin."""
    if sys.stdin is not None and sys.stdin.isatty():
        # asked twice here, not by confirmation_prompt: Click would say the mismatch in English
        while True:
            password: str = typer.prompt("密码", hide_input=True)
            if typer.prompt("再输入一次密码", hide_input=True) == password:
                return password
            typer.echo("两次输入的密码不一致，请重新输入。", err=True)
    return (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")


def user_add_command(
    name: Annotated[str, typer.Argument(help="登录名。")],
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="角色：`office`（督查室）、`unit`（责任单位）、`leader`（领导）或 `group`（督查组）。",
        ),
    ],
    unit: Annotated[str | None, typer.Option("--unit", help="用户所属单位（责任单位用户必填）。")] = None,
    email: Annotated[str | None, typer.Option("--email", help="该单位提醒的接收邮箱。")] = None,
    group: Annotated[
        int | None,
        typer.Option("--group", help="督查组用户所属督查组的编号（见专项行动详情中的督查组编号）。"),
    ] = None,
    db: DbOption = None,
) -> None:
    """添加用户；密码在终端中提示输入（不回显，输两次），或从标准输入读取。

    示例：echo 's3cret-pass' | taizhang user add zhongning --role unit --unit 中宁县
    """
    password = _read_password()
    engine = ledger_engine(db)
    with unit_of_work(engine) as conn:
        user_id = add_user(conn, name, password, role, unit, email, actor=CLI_ACTOR, group_id=group)
    where = f"（{unit}）" if unit else ""
    _out().print(f"已添加{ROLE_LABELS.get(role, role)}用户 {name}{where}，编号 {user_id}", markup=False)


def user_list_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 而不是表格。")] = False,
    db: DbOption = None,
) -> None:
    """列出用户及其角色和单位。

    示例：taizhang user list --json
    """
    with unit_of_work(ledger_engine(db)) as conn:
        people = list_users(conn)
    if as_json:
        rows = [
            {
                "id": u.id,
                "name": u.name,
                "role": u.role,
                "unit": u.unit_name,
                "email": u.email,
                "active": u.active,
            }
            for u in people
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"共 {len(people)} 个用户")
    for column in ("编号", "用户名", "角色", "单位", "邮箱", "状态"):
        table.add_column(column)
    for u in people:
        table.add_row(
            str(u.id),
            u.name,
            ROLE_LABELS.get(u.role, u.role),
            u.unit_name or "",
            u.email or "",
            "启用" if u.active else "停用",
        )
    _out().print(table)


def user_passwd_command(
    name: Annotated[str, typer.Argument(help="要修改密码的用户。")],
    db: DbOption = None,
) -> None:
    """为用户设置新密码（提示输入两次，或从标准输入读取）。

    示例：echo 'n3w-password' | taizhang user passwd zhongning
    """
    password = _read_password()
    with unit_of_work(ledger_engine(db)) as conn:
        set_password(conn, name, password, actor=CLI_ACTOR)
    _out().print(f"已修改 {name} 的密码", markup=False)


def user_disable_command(
    name: Annotated[str, typer.Argument(help="要停用的用户。")],
    db: DbOption = None,
) -> None:
    """停用用户：不能登录，会话结束，API 令牌作废；历史记录保留。

    示例：taizhang user disable zhongning
    """
    with unit_of_work(ledger_engine(db)) as conn:
        set_active(conn, name, False, actor=CLI_ACTOR)
    _out().print(f"已停用 {name}", markup=False)


def user_enable_command(
    name: Annotated[str, typer.Argument(help="要重新启用的用户。")],
    db: DbOption = None,
) -> None:
    """重新启用已停用的用户（如需要，用 `taizhang token` 签发新令牌）。

    示例：taizhang user enable zhongning
    """
    with unit_of_work(ledger_engine(db)) as conn:
        set_active(conn, name, True, actor=CLI_ACTOR)
    _out().print(f"已启用 {name}", markup=False)


def token_command(
    name: Annotated[str, typer.Argument(help="API 令牌所属的用户。")],
    db: DbOption = None,
) -> None:
    """为用户签发新的 API 令牌并输出（只保存其哈希；旧令牌随即失效）。

    示例：taizhang token zhongning
    """
    with unit_of_work(ledger_engine(db)) as conn:
        token = issue_token(conn, name, actor=CLI_ACTOR)
    typer.echo(token)


def _parse_day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"--as-of 应为形如 2022-05-06 的日期，而不是 {text!r}") from None


def remind_command(
    as_of: Annotated[str | None, typer.Option("--as-of", help="按哪一天判断时限（默认今天）。")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只打印提醒内容，不发送。")] = False,
    warn_days: Annotated[
        int | None, typer.Option("--warn-days", help="在这么多个工作日内到期即为“临期”。")
    ] = None,
    db: DbOption = None,
) -> None:
    """给每个单位发送一份汇总：已逾期、即将到期、未报送或被催办的事项。

    没有事项的单位不发送。通过电子邮件（TAIZHANG_SMTP_*）和/或网络钩子发送
    （TAIZHANG_WEBHOOK_URL、TAIZHANG_DINGTALK_WEBHOOK_URL、TAIZHANG_WECOM_WEBHOOK_URL）。
    每个单位每天至多提醒一次：与后台任务进程共用当天的领取记录，已提醒过的单位跳过。
    有发送失败时退出码为 1。

    示例：taizhang remind --as-of 2022-05-06 --dry-run
    """
    day = _parse_day(as_of)
    settings = load_settings(database_url=db)
    engine = open_ledger(settings.database_url)
    with unit_of_work(engine) as conn:
        digests = build_digests(
            conn, as_of=day, warn_days=settings.warning_working_days if warn_days is None else warn_days
        )
    out = _out()
    if not digests:
        out.print(f"{day.isoformat()} 没有需要提醒的事项", markup=False)
        return
    if dry_run:
        for text in send_digests(digests, settings, dry_run=True):
            out.print(text, markup=False)
        out.print(f"共 {len(digests)} 份提醒（试运行：均未发送）", markup=False)
        return
    _send_and_record(out, engine, digests, settings, day)


def _send_and_record(
    out: Console, engine: Engine, digests: list[Digest], settings: Settings, day: date
) -> None:
    """Send through the daily claims the worker uses: a unit already told that day is skipped."""
    if not has_channel(settings):
        raise InvalidInput("未配置发送方式：请设置 TAIZHANG_SMTP_HOST 或一个 webhook 地址，或使用 --dry-run")
    lines = [f"跳过{d.unit_name}：没有邮箱，也没有 webhook" for d in digests if not deliverable(d, settings)]
    done = deliver_once(
        engine,
        settings,
        [d for d in digests if deliverable(d, settings)],
        day,
        claimer=f"cli:{socket.gethostname()}:{os.getpid()}",
        actor=CLI_ACTOR,
    )
    for line in lines + done.lines:
        out.print(line, markup=False)
    if done.errors:
        Console(stderr=True, soft_wrap=True).print(
            f"错误：{'；'.join(done.errors)}", markup=False, highlight=False
        )
        raise typer.Exit(1)


def audit_verify_command(
    show_head: Annotated[
        bool, typer.Option("--show-head", help="同时打印最后一条记录的哈希，以便在数据库之外记下。")
    ] = False,
    expect: Annotated[str | None, typer.Option("--expect", help="此前记下的哈希：它必须仍在链中。")] = None,
    unkeyed_before: Annotated[
        int | None,
        typer.Option("--unkeyed-before", help="编号小于此值的记录写于启用密钥之前。"),
    ] = None,
    db: DbOption = None,
) -> None:
    """重新计算变更日志的带密钥哈希链，核对签名的链头和任务、分工、报告的封存；发现问题时逐条列出并以退出码 1 结束。

    每个哈希都用本部署的密钥（TAIZHANG_SECRET_KEY）计算，没有密钥而追加或重算的条目会被发现；
    链头（最后一条的编号和哈希）随每条记录签名，最新的条目被截掉也会被发现。
    不经本系统修改、增加或删除的任务、分工和报告与其封存不符，也逐条列出。

    示例：taizhang audit verify --show-head
    """
    with unit_of_work(ledger_engine(db)) as conn:
        count, problems = verify_chain(conn, unkeyed_before=unkeyed_before)
        problems += verify_head(conn)
        rows, seal_problems = verify_seals(conn)
        head = conn.execute(
            sa.select(change_log.c.id, change_log.c.hash).order_by(change_log.c.id.desc())
        ).first()
        missing = (
            expect is not None
            and conn.execute(sa.select(change_log.c.id).where(change_log.c.hash == expect.strip())).first()
            is None
        )
    out = _out()
    for problem in problems:
        out.print(f"第 {problem.entry_id} 条：{problem.message}", markup=False)
    for seal in seal_problems:
        out.print(f"{SEALED[seal.table]} {seal.row_id}：{seal.message}", markup=False)
    if missing:
        out.print(f"没有哈希为 {expect} 的记录：其后的记录已被删除", markup=False)
    if problems or seal_problems or missing:
        found = len(problems) + len(seal_problems) + int(missing)
        out.print(f"共 {count} 条记录、{rows} 行台账，{found} 处问题：变更记录或台账已被篡改", markup=False)
        raise typer.Exit(1)
    out.print(f"共 {count} 条记录，哈希链完整；{rows} 行任务、分工和报告与封存一致", markup=False)
    if show_head and head is not None:
        out.print(f"链尾：第 {head.id} 条 {head.hash}", markup=False)


def audit_seal_command(db: DbOption = None) -> None:
    """为升级前写入、尚未封存的任务、分工和报告封存，并在链头尚未签名时签名。升级到有封存的版本后运行一次。

    已有封存的行不会被重新封存：被篡改的行仍由 `taizhang audit verify` 报告。

    示例：taizhang audit seal
    """
    with unit_of_work(ledger_engine(db)) as conn:
        sealed = seal_unsealed(conn)
        signed = sign_missing_head(conn)
    head = "，并签名了链头" if signed else ""
    _out().print(f"封存了 {sealed} 行任务、分工和报告{head}", markup=False)


def settings_issuer_command(
    name: Annotated[str | None, typer.Argument(help="新的发文机关；不给出则只显示当前的。")] = None,
    db: DbOption = None,
) -> None:
    """显示或修改督办函、通报和通知的发文机关（与网页 /admin 上的设置相同，修改记入变更日志）。

    示例：taizhang settings issuer "某市人民政府督查室"
    """
    settings = load_settings(database_url=db)
    with unit_of_work(ledger_engine(db)) as conn:
        if name is not None:
            set_issuer(conn, CLI_OFFICE, name)
        shown = issuer_setting(conn, CLI_OFFICE, settings)
    origin = "督查室设置" if shown["from_web"] else "部署配置"
    verb = "已设为" if name is not None else "当前为"
    _out().print(f"发文机关{verb}：{shown['issuer']}（来自{origin}）", markup=False)

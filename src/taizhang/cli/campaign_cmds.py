"""Campaigns on the command line: list them, import their objects, draw (双随机), export the
问题整改情况表 and the 通报.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..export.campaigns import write_campaign_notice, write_campaign_xlsx
from ..ledger.campaigns import Avoidance
from ..services import campaign_clocks, campaign_draws, campaign_work, campaigns
from ..services.database import unit_of_work
from ..services.deployment import issuer_of
from ..settings import load_settings
from . import inspector_cmds
from .options import CLI_OFFICE, DbOption, JsonOption, ledger_engine, parse_date, print_json

campaign_app = typer.Typer(help="单项专项行动：检查对象、导出和通报。", no_args_is_help=True)
objects_app = typer.Typer(help="检查对象。", no_args_is_help=True)


CampaignId = Annotated[int, typer.Argument(help="专项行动编号（见 `taizhang campaigns`）。")]


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("campaigns")(campaigns_command)
    app.command("draw")(draw_command)
    campaign_app.add_typer(objects_app, name="objects")
    objects_app.command("import")(objects_import_command)
    campaign_app.command("show")(show_command)
    campaign_app.command("export")(export_command)
    campaign_app.command("notice")(notice_command)
    campaign_app.command("event")(event_command)
    inspector_cmds.register(campaign_app)
    app.add_typer(campaign_app, name="campaign")


def _progress_text(p: dict[str, Any]) -> str:
    return f"对象{p['objects']} 已查{p['inspected']} 问题{p['findings']} 销号{p['closed']}（{p['close_rate'] * 100:.0f}%）"


def campaigns_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """专项行动及其工作组、节点和进度。

    示例：taizhang campaigns --json
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.list_campaigns(conn)
    if as_json:
        print_json(found)
        return
    table = Table(title=f"专项行动 {len(found)} 项")
    for column in ("编号", "名称", "文号", "类型", "督查组（组长）", "时间节点", "进展"):
        table.add_column(column, overflow="fold")
    for c in found:
        groups = "；".join(
            f"{g['name']}（{'、'.join(g['counties'])}，{g['leader'] or '未列明'}）" for g in c["groups"]
        )
        milestones = "；".join(f"{m['when']}{m['what']}" for m in c["milestones"])
        table.add_row(
            str(c["id"]),
            c["title"],
            c["doc_number"] or "",
            c["kind"],
            groups or _no_groups(c),
            milestones,
            _progress_text(c["progress"]["total"]),
        )
    Console().print(table)


def _no_groups(campaign: dict[str, Any]) -> str:
    declared = campaign["declared_groups"]
    covered = "、".join(campaign["counties"])
    text = f"文中称{declared}个组，名单未列" if declared else "未设督查组"
    return f"{text}；覆盖：{covered}" if covered else text


def show_command(campaign_id: CampaignId, db: DbOption = None, as_json: JsonOption = False) -> None:
    """一项专项行动及其检查事项、检查对象、发现问题和抽取记录。

    示例：taizhang campaign show 2 --json
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.get_campaign(conn, campaign_id)
    if as_json:
        print_json(found)
        return
    console = Console()
    console.print(f"[bold]{found['title']}[/bold]（{found['doc_number'] or ''}，{found['kind']}）")
    for group in found["groups"]:
        console.print(
            f"  督查组编号 {group['id']}：{group['name']}（{'、'.join(group['counties'])}）"
            f"组长 {group['leader'] or '未列明'}",
            markup=False,
        )
    for item in found["check_items"]:
        console.print(f"  {item['label']} {item['title']}")
    console.print(_progress_text(found["progress"]["total"]))


def objects_import_command(
    campaign_id: CampaignId,
    file: Annotated[
        Path,
        typer.Argument(help="工作簿（.xlsx）：名称、县(区)、类型、业主、统一社会信用代码、行业主管部门。"),
    ],
    db: DbOption = None,
) -> None:
    """从工作簿导入专项行动的检查对象。

    示例：taizhang campaign objects import 2 mines.xlsx
    """
    with unit_of_work(ledger_engine(db)) as conn:
        report = campaign_work.import_objects(conn, CLI_OFFICE, campaign_id, file, label=file.name)
    typer.echo(f"新增{report.created}个对象，已有{report.existing}个，跳过{len(report.skipped)}行")
    for reason in report.skipped:
        typer.echo(reason, err=True)


def draw_command(
    campaign_id: CampaignId,
    objects: Annotated[int, typer.Option("--objects", help="抽取的检查对象个数。")],
    inspectors: Annotated[int, typer.Option("--inspectors", help="抽取的检查人员人数。")],
    seed: Annotated[str, typer.Option("--seed", help="随机种子：种子和抽取范围相同，抽取结果就相同。")],
    period: Annotated[str, typer.Option("--period", help="抽取所属期间（2022-05）。")] = "",
    avoid_county: Annotated[
        bool, typer.Option("--avoid-county/--no-avoid-county", help="检查人员是否回避本县（区）的对象。")
    ] = True,
    avoid_unit: Annotated[
        bool, typer.Option("--avoid-unit/--no-avoid-unit", help="检查人员是否回避本单位的对象。")
    ] = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """随机抽取检查对象和检查人员（双随机），检查人员不查本县（区）；抽取结果留档。

    示例：taizhang draw 2 --objects 5 --inspectors 2 --seed 2022-05 --json
    """
    with unit_of_work(ledger_engine(db)) as conn:
        result = campaign_draws.make_draw(
            conn,
            CLI_OFFICE,
            campaign_id,
            n_objects=objects,
            n_inspectors=inspectors,
            seed=seed,
            period=period,
            avoid=Avoidance(county=avoid_county, unit=avoid_unit),
        )
    if as_json:
        print_json(result)
        return
    table = Table(title=f"抽取结果（种子 {seed}）")
    for column in ("检查对象", "县（区）", "检查人员", "所在单位"):
        table.add_column(column)
    for row in result["result"]:
        table.add_row(row["object"], row["county"], row["inspector"], row["inspector_unit"])
    Console().print(table)


def export_command(
    campaign_id: CampaignId,
    out: Annotated[Path, typer.Argument(help="要写入的 .xlsx 文件。")],
    db: DbOption = None,
) -> None:
    """把专项行动的问题整改情况表和排查表写入工作簿。

    示例：taizhang campaign export 2 整改情况表.xlsx
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.get_campaign(conn, campaign_id)
    rows = write_campaign_xlsx(found, out)
    typer.echo(f"已写出 {out}：问题{rows}个")


def notice_command(
    campaign_id: CampaignId,
    out: Annotated[Path, typer.Argument(help="要写入的 .docx 文件。")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="通报日期（YYYY-MM-DD）。")] = None,
    db: DbOption = None,
) -> None:
    """按公文格式写出专项行动进展通报。

    示例：taizhang campaign notice 2 通报.docx --as-of 2022-06-01
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.get_campaign(conn, campaign_id)
        issuer = issuer_of(conn, load_settings(database_url=db))  # set on /admin, else the configuration
    write_campaign_notice(found, out, as_of=parse_date(as_of, "--as-of") or date.today(), issuer=issuer)
    typer.echo(f"已写出 {out}")


def event_command(
    object_id: Annotated[int, typer.Argument(help="检查对象编号（见 `taizhang campaign show --json`）。")],
    event: Annotated[
        str, typer.Argument(help="事件：专项行动计时规则中列出的事件（收住老年人、备案、现场检查）。")
    ],
    day: Annotated[str, typer.Argument(help="发生日期（YYYY-MM-DD）。")],
    db: DbOption = None,
) -> None:
    """记录检查对象的一个事件，它开始或停止一个工作日计时。

    示例：taizhang campaign event 7 备案 2022-10-14
    """
    when = parse_date(day, "DAY")
    assert when is not None
    with unit_of_work(ledger_engine(db)) as conn:
        campaign_clocks.record_event(conn, CLI_OFFICE, object_id, event, when)
    typer.echo(f"已登记：{event} {when.isoformat()}")

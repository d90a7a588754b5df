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
from ..services import campaign_clocks, campaign_draws, campaign_work, campaigns
from ..services.accounts import UserInfo
from ..services.database import unit_of_work
from ..settings import issuing_office, load_settings
from .options import CLI_ACTOR, DbOption, JsonOption, ledger_engine, parse_date, print_json

campaign_app = typer.Typer(help="One campaign: its objects, export and 通报.", no_args_is_help=True)
objects_app = typer.Typer(help="Objects under inspection (检查对象).", no_args_is_help=True)

# Commands run by whoever holds the database file act as the office.
CLI_OFFICE = UserInfo(id=0, name=CLI_ACTOR, role="office", unit_id=None, unit_name=None, unit_ids=frozenset())

CampaignId = Annotated[int, typer.Argument(help="The campaign's id (see `taizhang campaigns`).")]


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
    app.add_typer(campaign_app, name="campaign")


def _progress_text(p: dict[str, Any]) -> str:
    return f"对象{p['objects']} 已查{p['inspected']} 问题{p['findings']} 销号{p['closed']}（{p['close_rate'] * 100:.0f}%）"


def campaigns_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Campaigns (专项行动) with their groups, milestones and progress.

    Example: taizhang campaigns --json
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
            groups or f"文中称{c['declared_groups'] or 0}个组，名单未列",
            milestones,
            _progress_text(c["progress"]["total"]),
        )
    Console().print(table)


def show_command(campaign_id: CampaignId, db: DbOption = None, as_json: JsonOption = False) -> None:
    """One campaign with its check items, objects, findings and draws.

    Example: taizhang campaign show 2 --json
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.get_campaign(conn, campaign_id)
    if as_json:
        print_json(found)
        return
    console = Console()
    console.print(f"[bold]{found['title']}[/bold]（{found['doc_number'] or ''}，{found['kind']}）")
    for item in found["check_items"]:
        console.print(f"  {item['label']} {item['title']}")
    console.print(_progress_text(found["progress"]["total"]))


def objects_import_command(
    campaign_id: CampaignId,
    file: Annotated[
        Path,
        typer.Argument(help="Workbook (.xlsx): 名称, 县(区), 类型, 业主, 统一社会信用代码, 行业主管部门."),
    ],
    db: DbOption = None,
) -> None:
    """Import the objects under inspection of a campaign from a workbook.

    Example: taizhang campaign objects import 2 mines.xlsx
    """
    with unit_of_work(ledger_engine(db)) as conn:
        report = campaign_work.import_objects(conn, CLI_OFFICE, campaign_id, file, label=file.name)
    typer.echo(f"新增{report.created}个对象，已有{report.existing}个，跳过{len(report.skipped)}行")
    for reason in report.skipped:
        typer.echo(reason, err=True)


def draw_command(
    campaign_id: CampaignId,
    objects: Annotated[int, typer.Option("--objects", help="How many objects to draw.")],
    inspectors: Annotated[int, typer.Option("--inspectors", help="How many inspectors to draw.")],
    seed: Annotated[
        str, typer.Option("--seed", help="The seed: the same seed and pools give the same draw.")
    ],
    period: Annotated[str, typer.Option("--period", help="The period the draw is for (2022-05).")] = "",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Draw objects and inspectors at random (双随机), never an inspector for their own county; recorded.

    Example: taizhang draw 2 --objects 5 --inspectors 2 --seed 2022-05 --json
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
        )
    if as_json:
        print_json(result)
        return
    table = Table(title=f"抽取结果（种子 {seed}）")
    for column in ("检查对象", "县（区）", "检查人员"):
        table.add_column(column)
    for row in result["result"]:
        table.add_row(row["object"], row["county"], row["inspector"])
    Console().print(table)


def export_command(
    campaign_id: CampaignId,
    out: Annotated[Path, typer.Argument(help="The .xlsx to write.")],
    db: DbOption = None,
) -> None:
    """Write the campaign's 问题整改情况表 and 排查表 to a workbook.

    Example: taizhang campaign export 2 整改情况表.xlsx
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.get_campaign(conn, campaign_id)
    rows = write_campaign_xlsx(found, out)
    typer.echo(f"已写出 {out}：问题{rows}个")


def notice_command(
    campaign_id: CampaignId,
    out: Annotated[Path, typer.Argument(help="The .docx to write.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day of the 通报 (YYYY-MM-DD).")] = None,
    db: DbOption = None,
) -> None:
    """Write a 通报 of the campaign's progress in 公文 layout.

    Example: taizhang campaign notice 2 通报.docx --as-of 2022-06-01
    """
    with ledger_engine(db).connect() as conn:
        found = campaigns.get_campaign(conn, campaign_id)
    issuer = issuing_office(load_settings(database_url=db))
    write_campaign_notice(found, out, as_of=parse_date(as_of, "--as-of") or date.today(), issuer=issuer)
    typer.echo(f"已写出 {out}")


def event_command(
    object_id: Annotated[int, typer.Argument(help="The object's id (see `taizhang campaign show --json`).")],
    event: Annotated[
        str, typer.Argument(help="The event: one the campaign's clocks name (收住老年人, 备案, 现场检查).")
    ],
    day: Annotated[str, typer.Argument(help="The day it happened (YYYY-MM-DD).")],
    db: DbOption = None,
) -> None:
    """Record an event of an object that starts or stops a working-day clock.

    Example: taizhang campaign event 7 备案 2022-10-14
    """
    when = parse_date(day, "DAY")
    assert when is not None
    with unit_of_work(ledger_engine(db)) as conn:
        campaign_clocks.record_event(conn, CLI_OFFICE, object_id, event, when)
    typer.echo(f"已登记：{event} {when.isoformat()}")

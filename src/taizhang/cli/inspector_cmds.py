"""The inspector pool (执法检查人员库) of a campaign on the command line: import it from a workbook,
add one inspector, list it. ``taizhang draw`` draws from it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..services import campaign_inspectors
from ..services.database import unit_of_work
from .options import CLI_OFFICE, DbOption, JsonOption, ledger_engine, print_json

inspectors_app = typer.Typer(help="执法检查人员库：双随机从中抽取检查人员。", no_args_is_help=True)

CampaignId = Annotated[int, typer.Argument(help="专项行动编号（见 `taizhang campaigns`）。")]


def register(campaign_app: typer.Typer) -> None:
    """Add ``campaign inspectors import|add|list``."""
    campaign_app.add_typer(inspectors_app, name="inspectors")
    inspectors_app.command("import")(import_command)
    inspectors_app.command("add")(add_command)
    inspectors_app.command("list")(list_command)


def import_command(
    campaign_id: CampaignId,
    file: Annotated[Path, typer.Argument(help="工作簿（.xlsx）：姓名、所在单位、县(区)。")],
    db: DbOption = None,
) -> None:
    """从工作簿导入专项行动的执法检查人员库。

    示例：taizhang campaign inspectors import 2 检查人员.xlsx
    """
    with unit_of_work(ledger_engine(db)) as conn:
        report = campaign_inspectors.import_inspectors(conn, CLI_OFFICE, campaign_id, file, label=file.name)
    typer.echo(f"新增{report.created}名检查人员，已有{report.existing}名，跳过{len(report.skipped)}行")
    for reason in report.skipped:
        typer.echo(reason, err=True)


def add_command(
    campaign_id: CampaignId,
    name: Annotated[str, typer.Argument(help="检查人员姓名。")],
    unit: Annotated[str, typer.Option("--unit", help="所在单位（抽取时回避本单位的对象）。")] = "",
    county: Annotated[
        str, typer.Option("--county", help="所在县（区）（抽取时回避本县（区）的对象）。")
    ] = "",
    db: DbOption = None,
) -> None:
    """向执法检查人员库添加一名检查人员。

    示例：taizhang campaign inspectors add 2 张三 --unit 市自然资源局 --county 沙坡头区
    """
    with unit_of_work(ledger_engine(db)) as conn:
        _, created = campaign_inspectors.add_inspector(
            conn, CLI_OFFICE, campaign_id, name=name, unit=unit, county=county
        )
    typer.echo(f"已添加检查人员 {name}" if created else f"检查人员 {name} 已在库中")


def list_command(campaign_id: CampaignId, db: DbOption = None, as_json: JsonOption = False) -> None:
    """列出专项行动的执法检查人员库。

    示例：taizhang campaign inspectors list 2 --json
    """
    with ledger_engine(db).connect() as conn:
        found = campaign_inspectors.list_inspectors(conn, campaign_id)
    if as_json:
        print_json(found)
        return
    table = Table(title=f"执法检查人员 {len(found)} 名")
    for column in ("编号", "姓名", "所在单位", "县（区）"):
        table.add_column(column)
    for i in found:
        table.add_row(str(i["id"]), i["name"], i["unit"], i["county"])
    Console().print(table)

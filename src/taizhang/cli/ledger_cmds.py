"""Ledger commands: import, documents, tasks, task, export xlsx, demo, units.

Each command parses its options, calls one service and renders the result (Rich or --json).
The database comes from ``--db`` or ``TAIZHANG_DATABASE_URL`` (default sqlite:///taizhang.db).
"""

from __future__ import annotations

import socket
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.engine import Engine

from ..errors import InvalidInput
from ..export.xlsx import write_ledger
from ..extract.model import flag_label
from ..extract.units import UnitDirectory, default_directory
from ..services.database import open_database, open_ledger, unit_of_work
from ..services.import_issue import ImportResult, import_file
from ..services.queries import TaskFilter, get_task, list_documents, list_tasks, review_items, summary
from ..services.units import add_alias, add_member, configured_directory, list_units
from ..settings import load_settings
from . import task_cmds
from .demo_data import add_demo_experts
from .options import BUNDLED_GAZETTE, CLI_ACTOR, DbOption, JsonOption, ledger_engine, parse_date, print_json

REVIEW_SHOWN = 10  # review items the demo summary lists before pointing to `tasks --review`


export_app = typer.Typer(help="把台账导出为办公用文件。", no_args_is_help=True)
units_app = typer.Typer()  # help comes from the callback docstring, with its example


def register(app: typer.Typer) -> None:
    """Add the ledger commands to the app."""
    app.command("import")(import_command)
    app.command("documents")(documents_command)
    app.command("tasks")(tasks_command)
    task_cmds.register(app, task_command)  # task ID, add, split, cancel
    app.command("demo")(demo_command)
    export_app.command("xlsx")(export_xlsx_command)
    app.add_typer(export_app, name="export")
    app.add_typer(units_app, name="units")


STAGE_NAMES = {
    "read": "读取文件",
    "extract": "提取（份）",
    "store documents": "保存文件（份）",
    "store tasks": "保存任务（项）",
}


class _StageBars:
    """A Rich progress bar per import stage; earlier stages are completed when a later one starts."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.bars: dict[str, TaskID] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.bars:
            for bar in self.bars.values():
                self.progress.update(bar, completed=self.progress.tasks[bar].total)
            self.bars[stage] = self.progress.add_task(STAGE_NAMES.get(stage, stage), total=max(total, 1))
        self.progress.update(self.bars[stage], completed=done if total else 0, total=max(total, 1))

    def finish(self) -> None:
        """Mark every stage complete (a stage with nothing to do still ends full)."""
        for bar in self.bars.values():
            self.progress.update(bar, completed=self.progress.tasks[bar].total)


DEMO_CITY = "中卫市"  # the bundled gazette's city: the demo's directory, whatever the settings say


def _run_import(engine: Engine, file: Path, directory: UnitDirectory) -> ImportResult:
    columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    # transient: the bars go away when the import ends, leaving its one-line result (or error)
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        bars = _StageBars(progress)
        result = import_file(engine, file, directory=directory, progress=bars)
        bars.finish()
    return result


def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="一期公报或单份文件：.txt、.pdf、.docx、.ofd（.doc、.wps 需装 LibreOffice）；或台账 .xlsx"
        ),
    ],
    db: DbOption = None,
) -> None:
    """把 FILE 导入台账，一次事务完成（重复导入不会改变任何内容）。

    工作簿（.xlsx）是督查室自己维护的台账：表头下每行一项任务，列如 序号、任务、牵头单位、
    责任单位、配合单位、完成时限；只要有一行有误，整个工作簿都不导入。

    示例：taizhang import gazette.txt --db sqlite:///ledger.db   （或：`taizhang import ledger.xlsx`）
    """
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        task_cmds.import_ledger_file(file, db)
        return
    settings = load_settings(database_url=db)
    directory = configured_directory(settings.city, settings.unit_directory)
    engine = open_ledger(settings.database_url, upgrade=settings.auto_upgrade, create=True)
    result = _run_import(engine, file, directory)
    if result.already_imported:
        typer.echo(f"已导入过：{file}（第 {result.issue_id} 期），未作改动")
        return
    typer.echo(
        f"已导入 {file}：第 {result.issue_id} 期，{result.documents} 份文件，{result.tasks} 项任务，"
        f"新增 {result.units_created} 个单位，{result.review_items} 项待审核"
    )
    if result.repeated_documents:
        typer.echo(f"输入中有 {result.repeated_documents} 份文件与前文重复，每份只导入一次")
    if result.repealed:
        typer.echo(f"已标记废止：{'、'.join(result.repealed)}")
    if result.review_items:
        typer.echo("查看待审核项：taizhang tasks --review")


def documents_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """列出台账中的文件及其状态和任务数。

    示例：taizhang documents --json
    """
    with ledger_engine(db).connect() as conn:
        docs = list_documents(conn)
    if as_json:
        print_json(docs)
        return
    table = Table(title=f"共 {len(docs)} 份文件")
    for column in ("ID", "发文字号", "标题", "成文日期", "状态", "公开", "任务", "待审核"):
        # the number must stay whole on a narrow terminal; the title wraps instead
        table.add_column(column, no_wrap=column in ("ID", "发文字号", "成文日期"), overflow="fold")
    for d in docs:
        table.add_row(
            str(d["id"]),
            d["doc_number"] or "",
            d["title"],
            str(d["signed_on"] or ""),
            d["status"],
            "是" if d["is_public"] else "",
            str(d["task_count"]),
            str(d["review_items"]),
        )
    Console().print(table)


def tasks_command(
    db: DbOption = None,
    as_json: JsonOption = False,
    unit: Annotated[
        str | None, typer.Option(help="单位名称或别名；县（区）也匹配其所属组（各县(区)）。")
    ] = None,
    role: Annotated[
        str | None, typer.Option(help="角色：`lead`（牵头）、`responsible`（责任）、`cooperating`（配合）")
    ] = None,
    document: Annotated[str | None, typer.Option(help="发文字号或文件编号。")] = None,
    due_before: Annotated[str | None, typer.Option(help="在 DATE 当天或之前到期（YYYY-MM-DD）。")] = None,
    due_after: Annotated[str | None, typer.Option(help="在 DATE 当天或之后到期（YYYY-MM-DD）。")] = None,
    overdue: Annotated[bool, typer.Option(help="在 --as-of 之前到期且未 已完成。")] = False,
    as_of: Annotated[str | None, typer.Option(help="判断 --overdue 的日期（默认今天）。")] = None,
    review: Annotated[bool, typer.Option("--review", help="只列抽取时标记待复核的任务。")] = False,
    status: Annotated[str | None, typer.Option(help="未开始 | 推进中 | 待审核 | 已完成 | 长期坚持")] = None,
    search: Annotated[str | None, typer.Option(help="在标题和正文中查找的词语。")] = None,
    sort: Annotated[
        str,
        typer.Option(
            help="排序：`document`（文件）、`due`（期限）、`-due`（期限倒序）、`status`（状态）、`updated`（更新时间）、`id`（编号）；"
            "默认按文件，给出 --due-before 或 --due-after 时按期限"
        ),
    ] = "",
    limit: Annotated[int | None, typer.Option(help="最多列出这么多条任务。")] = None,
) -> None:
    """列出任务，可按单位、角色、文件、日期、待复核标记、状态或关键词筛选。

    示例：taizhang tasks --unit 沙坡头区 --overdue --as-of 2022-06-01
    """
    overdue_day = (parse_date(as_of, "--as-of") or date.today()) if overdue else None
    wanted = TaskFilter(
        unit=unit,
        role=role,
        document=document,
        due_before=parse_date(due_before, "--due-before"),
        due_after=parse_date(due_after, "--due-after"),
        overdue_as_of=overdue_day,
        review=True if review else None,
        status=status,
        q=search,
        sort=sort,
        limit=limit,
    )
    with ledger_engine(db).connect() as conn:
        page = list_tasks(conn, wanted)
    if as_json:
        print_json({"total": page.total, "exact": page.exact, "items": page.items})
        return
    table = Table(
        title=f"共 {page.total} 项任务"
        if page.exact
        else f"超过 {page.total} 项任务，列出 {len(page.items)} 项"
    )
    for column in (
        "ID",
        "文件",
        "序号",
        "任务",
        "牵头单位",
        "责任单位",
        "配合单位",
        "截止日期",
        "状态",
        "审核",
    ):
        table.add_column(column, no_wrap=column in ("ID", "文件"), overflow="fold")
    for t in page.items:
        table.add_row(
            str(t["id"]),
            t["doc_number"] or "",
            t["label"] or "",
            t["title"],
            "、".join(t["lead"]),
            "、".join(t["responsible"]),
            "、".join(t["cooperating"]),
            str(t["due_on"] or t["deadline_text"] or ""),
            t["status"],
            "!" if t["needs_review"] else "",
        )
    Console().print(table)


def task_command(
    task_id: Annotated[int, typer.Argument(help="任务编号（见 `taizhang tasks`）。")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """显示单条任务：按角色列出单位、期限、状态、复核说明和原文出处。

    示例：taizhang task show 12   (or: taizhang task 12)
    """
    with ledger_engine(db).connect() as conn:
        task = get_task(conn, task_id)
    if as_json:
        print_json(task)
        return
    out = Console(highlight=False)
    out.print(f"[bold]#{task['id']} {task['label'] or ''} {task['title']}[/bold]")
    out.print(f"文件: {task['doc_number'] or ''} {task['document_title']}")
    for role, name in (("lead", "牵头单位"), ("responsible", "责任单位"), ("cooperating", "配合单位")):
        printed = [
            u["printed"] if u["printed"] == u["name"] else f"{u['printed']} (= {u['name']})"
            for u in task["units"]
            if u["role"] == role
        ]
        if printed:
            out.print(f"{name}: {'、'.join(printed)}")
    out.print(
        f"完成时限: {task['deadline_text'] or '无'}  截止日期: {task['due_on'] or '无'} ({task['deadline_kind']})"
    )
    out.print(f"状态: {task['status']}  进度: {task['percent']}%")
    for note in task["review_notes"]:
        out.print(
            f"[yellow]待审核·{flag_label(note.get('kind'))}[/yellow] 第 {note['line']} 行：{note['message']}"
        )
    out.print("来源:")
    for line in task["source_lines"]:  # plain echo: the gazette's text, never re-wrapped or styled
        typer.echo(f"  {line['line']:>5} │ {line['text']}")


def export_xlsx_command(
    out: Annotated[Path, typer.Argument(help="要写入的工作簿（.xlsx）。")],
    db: DbOption = None,
    unit: Annotated[str | None, typer.Option(help="只含该单位（及其所属组）的任务。")] = None,
    document: Annotated[str | None, typer.Option(help="只含该文件的任务（发文字号或编号）。")] = None,
) -> None:
    """把台账写成工作簿：先是“全部任务”表，再每个文件一张表。

    示例：taizhang export xlsx ledger.xlsx --unit 市卫生健康委
    """
    with ledger_engine(db).connect() as conn:
        result = write_ledger(conn, out, unit=unit, document=document)
    typer.echo(f"已写入 {result.path}：{result.tasks} 项任务，工作表 {'、'.join(result.sheets)}")


def _port_is_free(host: str, port: int) -> bool:
    """Whether a server could listen on ``host``:``port`` now (checked before the demo writes anything)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _fresh_demo_url(db: str | None) -> str:
    if db is None:
        path = Path.cwd() / "demo.db"
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    return db


def _print_summary(counts: dict[str, Any], review: list[dict[str, Any]]) -> None:
    out = Console(highlight=False)
    states = "，".join(f"{k} {v}" for k, v in counts["documents_by_status"].items())
    out.print(f"[bold]文件[/bold]：{counts['documents']} 份（{states}）")
    out.print(
        f"[bold]任务[/bold]：{counts['tasks']} 项 — "
        + "，".join(f"{k} {v}" for k, v in counts["tasks_by_status"].items())
    )
    table = Table(title="各单位任务数（前 15 位）")
    table.add_column("单位")
    table.add_column("任务", justify="right")
    for row in counts["tasks_by_unit"]:
        table.add_row(row["unit"], str(row["tasks"]))
    out.print(table)
    out.print(
        f"[bold]待审核[/bold]：{counts['tasks_to_review']} 项任务，{counts['documents_to_review']} 份文件；"
        f"名录中没有的单位：{'、'.join(counts['unverified_units']) or '无'}"
    )
    for item in review[:REVIEW_SHOWN]:
        entity = "任务" if item["entity"] == "task" else "文件"
        out.print(
            f"  第 {item['line']} 行 {item['doc_number'] or ''}（{entity} {item['id']}）{flag_label(item['kind'])}：{item['message']}",
            markup=False,
        )
    if len(review) > REVIEW_SHOWN:
        out.print(f"  … 另有 {len(review) - REVIEW_SHOWN} 项：taizhang tasks --review")


def demo_command(
    db: DbOption = None,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只载入并汇总，不启动网页应用。")] = False,
    host: Annotated[str, typer.Option(help="网页应用监听的地址。")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="网页应用监听的端口。")] = 8000,
) -> None:
    """把自带的公报载入新数据库（./demo.db），汇总，列出演示账号并启动网页应用。

    无论是否启动网页应用都会列出账号；端口被占用时不写入任何内容。

    示例：taizhang demo --no-serve
    """
    if not no_serve and not _port_is_free(host, port):
        raise InvalidInput(
            f"端口 {port} 已被占用，演示未改动任何数据库：请用 --port 换一个端口，或先停止占用它的程序"
        )
    url = _fresh_demo_url(db)
    engine = open_database(url)
    with engine.connect() as conn:
        if summary(conn)["documents"]:
            raise InvalidInput(f"{url} 中已有台账：演示需要一个新的数据库")
    with resources.as_file(resources.files("taizhang") / "data" / BUNDLED_GAZETTE) as gazette:
        _run_import(engine, gazette, default_directory(DEMO_CITY))
    add_demo_experts(engine)
    with engine.connect() as conn:
        _print_summary(summary(conn), review_items(conn))
    from ..web.server import print_demo_accounts, run_demo_server  # the web stack loads only for the demo

    if no_serve:
        print_demo_accounts(url, None)
        return
    run_demo_server(url, host, port)


@units_app.callback(invoke_without_command=True)
def units_command(ctx: typer.Context, db: DbOption = None, as_json: JsonOption = False) -> None:
    """列出单位名录：名称、类别、别名、组成员和任务数。

    示例：taizhang units --json
    """
    if ctx.invoked_subcommand is not None:
        return
    with ledger_engine(db).connect() as conn:
        rows = list_units(conn)
    if as_json:
        print_json(rows)
        return
    table = Table(title=f"共 {len(rows)} 个单位")
    for column in ("ID", "单位", "类别", "别名", "成员", "任务", "已核实"):
        table.add_column(column)
    for u in rows:
        table.add_row(
            str(u["id"]),
            u["name"],
            u["kind"],
            "、".join(u["aliases"]),
            "、".join(u["members"]),
            str(u["tasks"]),
            "是" if u["verified"] else "[yellow]否[/yellow]",
        )
    Console().print(table)


@units_app.command("alias")
def units_alias_command(
    alias: Annotated[str, typer.Argument(help="单位的另一名称（按文件中的写法）。")],
    unit: Annotated[str, typer.Argument(help="单位（名称或已有别名）。")],
    db: DbOption = None,
) -> None:
    """把 ALIAS 记为 UNIT 的另一名称（记入审计）。

    示例：taizhang units alias 市卫健委 市卫生健康委员会
    """
    with unit_of_work(ledger_engine(db)) as conn:
        result = add_alias(conn, alias, unit, actor=CLI_ACTOR)
    typer.echo(f"{alias} → 单位 {result['unit_id']}" + ("" if result["created"] else "（已有）"))


@units_app.command("member")
def units_member_command(
    group: Annotated[str, typer.Argument(help="组，例如 各县(区)。")],
    unit: Annotated[str, typer.Argument(help="该组包含的单位，例如 沙坡头区。")],
    db: DbOption = None,
) -> None:
    """记录 GROUP 包含 UNIT，使 `tasks --unit UNIT` 也列出 GROUP 的任务（记入审计）。

    示例：taizhang units member '各县(区)' 沙坡头区
    """
    with unit_of_work(ledger_engine(db)) as conn:
        result = add_member(conn, group, unit, actor=CLI_ACTOR)
    typer.echo(f"{group} 包含 {unit}" + ("" if result["created"] else "（已有）"))

"""The ``task`` group: show one task (``taizhang task 12``), create (立项), split and cancel (撤销).

``taizhang task 12`` stays the short form of ``taizhang task show 12``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from ..services import intake, ledger_import, workflow
from ..services.accounts import UserInfo, get_user_by_name
from ..services.database import unit_of_work
from .options import CLI_ACTOR, DbOption, JsonOption, ledger_engine, parse_date, print_json


class _ShowByDefault(TyperGroup):
    """A group whose first argument may be a task id: ``task 12`` runs ``task show 12``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["show", *args]
        return super().parse_args(ctx, args)


task_app = typer.Typer(
    cls=_ShowByDefault, no_args_is_help=True, help="One task: show it, create one (立项), split or cancel it."
)

AsOption = Annotated[
    str | None, typer.Option("--as", help="Act as this office user (default: the command line).")
]
TodayOption = Annotated[
    str | None, typer.Option("--today", help="The day of 交办 (default today), YYYY-MM-DD.")
]


def _actor(conn: Any, name: str | None) -> UserInfo:
    if name:
        return get_user_by_name(conn, name)
    return UserInfo(id=0, name=CLI_ACTOR, role="office", unit_id=None, unit_name=None, unit_ids=frozenset())


@task_app.command("add")
def task_add_command(
    title: Annotated[str, typer.Argument(help="The task (任务名称).")],
    source: Annotated[str, typer.Option(help=f"Where it comes from: {'、'.join(intake.SOURCE_KINDS)}.")],
    ref: Annotated[
        str, typer.Option(help="The document, meeting or instruction it comes from (文号 or name).")
    ],
    lead: Annotated[str, typer.Option(help="牵头单位, a list as documents print it.")] = "",
    responsible: Annotated[str, typer.Option(help="责任单位.")] = "",
    cooperating: Annotated[str, typer.Option(help="配合单位.")] = "",
    deadline: Annotated[
        str | None, typer.Option(help="完成时限: 2023年6月底前, 10个工作日内, 每月25日前, 长期坚持.")
    ] = None,
    body: Annotated[str, typer.Option(help="The task's full text.")] = "",
    public: Annotated[bool, typer.Option("--public", help="Show its progress on the public site.")] = False,
    as_user: AsOption = None,
    today: TodayOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a task by hand (立项) and print its id.

    Example: taizhang task add "完善行政执法协调监督工作体系" --source 领导批示 --ref "市长批示（2023年5月8日）" --lead 市司法局 --deadline 2023年6月底前
    """
    draft = intake.TaskDraft(
        source_kind=source,
        source_ref=ref,
        title=title,
        body=body,
        lead=(lead,),
        responsible=(responsible,),
        cooperating=(cooperating,),
        deadline_text=deadline,
        is_public=public,
    )
    with unit_of_work(ledger_engine(db)) as conn:
        task_id = intake.create_task(
            conn, _actor(conn, as_user), draft, today=parse_date(today, "--today") or date.today()
        )
    if as_json:
        print_json({"id": task_id})
    else:
        typer.echo(f"立项成功：任务 {task_id}")


@task_app.command("cancel")
def task_cancel_command(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    reason: Annotated[str, typer.Option(help="Why it is cancelled (recorded in the change log).")],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Cancel a task (撤销) with a reason; it stays in the ledger, greyed, with no action left.

    Example: taizhang task cancel 12 --reason "会议决定不再实施"
    """
    with unit_of_work(ledger_engine(db)) as conn:
        intake.cancel_task(conn, _actor(conn, as_user), task_id, reason=reason, today=date.today())
    typer.echo(f"任务 {task_id} 已撤销")


@task_app.command("split")
def task_split_command(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    titles: Annotated[list[str], typer.Argument(help="Two or more titles; the first stays on the task.")],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Split a task into several with the same units and deadline; prints their ids.

    Example: taizhang task split 12 "制定实施方案" "开展专项检查"
    """
    with unit_of_work(ledger_engine(db)) as conn:
        ids = workflow.split_task(conn, _actor(conn, as_user), task_id, titles)
    typer.echo("拆分为任务 " + "、".join(str(i) for i in ids))


def import_ledger_file(file: Path, db: str | None) -> None:
    """``taizhang import ledger.xlsx``: every task row of the workbook, or none."""
    with unit_of_work(ledger_engine(db)) as conn:
        result = ledger_import.import_ledger(
            conn,
            _actor(conn, None),
            file.read_bytes() if file.is_file() else file,
            today=date.today(),
            label=file.name,
        )
    typer.echo(f"已导入 {file.name}：新建任务 {result.created} 项，已在台账中 {result.skipped} 项")


def register(app: typer.Typer, show: Any) -> None:
    """Add the group, with ``show`` (the one-task view) as ``task show`` and ``task ID``."""
    task_app.command("show")(show)
    app.add_typer(task_app, name="task")

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

from ..export.letters import write_letter_docx
from ..services import escalation, evaluation, intake, ledger_import, workflow
from ..services.accounts import UserInfo, get_user_by_name
from ..services.database import unit_of_work
from ..settings import issuing_office, load_settings
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


@task_app.command("chase-late")
def task_chase_late_command(
    unit: Annotated[str | None, typer.Option(help="Only the late parts of this unit.")] = None,
    document: Annotated[
        str | None, typer.Option(help="Only the tasks of this document (发文字号 or title).")
    ] = None,
    message: Annotated[str, typer.Option(help="The chasing message (a standard one by default).")] = "",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day to judge lateness on (default today).")
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """催办 every late part (due before --as-of, not closed) of a unit, of a document, or all.

    Example: taizhang task chase-late --unit 市医保局 --as-of 2022-07-15
    """
    day = parse_date(as_of, "--as-of") or date.today()
    with unit_of_work(ledger_engine(db)) as conn:
        count = escalation.chase_late(
            conn, _actor(conn, as_user), day, unit=unit, document=document, message=message
        )
    typer.echo(f"已催办 {count} 个逾期承办事项")


@task_app.command("escalate")
def task_escalate_command(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    unit: Annotated[str, typer.Option(help="The unit whose part is escalated.")],
    step: Annotated[str, typer.Option(help="催办, 督办函 or 约谈 (each needs the one before).")],
    message: Annotated[str, typer.Option(help="What the office asks.")] = "",
    talk_with: Annotated[str, typer.Option(help="约谈: who was talked to.")] = "",
    outcome: Annotated[str, typer.Option(help="约谈: the outcome.")] = "",
    out: Annotated[Path | None, typer.Option(help="督办函: write the letter (.docx) here.")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="The day of the step (default today).")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """One escalation step on a unit's part of a task: 催办 → 督办函 (a numbered Word letter) → 约谈.

    Example: taizhang task escalate 12 --unit 市医保局 --step 督办函 --out letter.docx
    """
    day = parse_date(as_of, "--as-of") or date.today()
    settings = load_settings(database_url=db)
    talk = escalation.Talk(talk_with, outcome) if step == escalation.TALK else None
    with unit_of_work(ledger_engine(db)) as conn:
        escalation_id = escalation.escalate(
            conn, _actor(conn, as_user), task_id, unit, step, message=message, today=day, talk=talk
        )
        found = escalation.get_letter(conn, escalation_id) if step == escalation.LETTER else None
    if found is not None:
        typer.echo(f"督办函 {found['letter_number']}")
        if out is not None:
            write_letter_docx(found, out, issuer=issuing_office(settings), today=day)
            typer.echo(f"wrote {out}")
    else:
        typer.echo(f"已{step}：任务 {task_id} · {unit}")


@task_app.command("instruct")
def task_instruct_command(
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    text: Annotated[str, typer.Argument(help="The leader's words (批示).")],
    leader: Annotated[str, typer.Option(help="The leader who wrote it (the office records it for them).")],
    on: Annotated[str | None, typer.Option(help="The day of the 批示 (default today).")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """Record a leader's 批示 on a task; it goes on the task's timeline, where its units see it.

    Example: taizhang task instruct 12 "请加快推进，月底前报结果" --leader 张市长 --on 2022-07-15
    """
    day = parse_date(on, "--on") or date.today()
    with unit_of_work(ledger_engine(db)) as conn:
        escalation.add_instruction(
            conn, _actor(conn, as_user), task_id, text=text, given_on=day, leader=leader, today=day
        )
    typer.echo(f"已记录批示：任务 {task_id}")


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


def evaluate_command(
    period: Annotated[str, typer.Option(help="2022, 2022-06, 2022-Q2 or 2022-H1.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="The day of judgement (default today).")
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="A rules file (default: data/evaluation/default.json).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Also write the ranking to this workbook (.xlsx).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score and rank units on their own work: 按期办结率, 反馈及时率, 催办/督办函/约谈, days late.

    Example: taizhang evaluate --period 2022-Q2 --as-of 2022-07-15 --out ranking.xlsx
    """
    day = parse_date(as_of, "--as-of") or date.today()
    with ledger_engine(db).connect() as conn:
        result = evaluation.evaluate(conn, period, day, evaluation.read_rules(rules))
    if out is not None:
        evaluation.write_xlsx(result, out)
    if as_json:
        print_json(result)
        return
    typer.echo(f"{result['period']} 考评（{result['rules']}，截至 {day.isoformat()}）")
    for row in result["units"]:
        rates = "  ".join(
            "—" if row[k] is None else f"{row[k] * 100:.1f}%" for k in ("on_time_rate", "feedback_rate")
        )
        typer.echo(
            f"{row['rank']:>3}  {row['unit']}  {row['score']}  {rates}  催办{row['催办']} 督办函{row['督办函']} "
            f"约谈{row['约谈']} 逾期{row['days_late']}天"
        )
    if out is not None:
        typer.echo(f"wrote {out}")


def register(app: typer.Typer, show: Any) -> None:
    """Add the group, with ``show`` (the one-task view) as ``task show`` and ``task ID``; and ``evaluate``."""
    task_app.command("show")(show)
    app.add_typer(task_app, name="task")
    app.command("evaluate")(evaluate_command)

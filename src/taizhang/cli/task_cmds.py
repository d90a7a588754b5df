"""The ``task`` group: show one task (``taizhang task 12``), create (立项), edit, split and cancel (撤销).

``taizhang task 12`` stays the short form of ``taizhang task show 12``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from ..errors import InvalidInput
from ..export.letters import write_letter_docx
from ..services import escalation, evaluation, intake, ledger_import, workflow
from ..services.accounts import get_user_by_name
from ..services.attachments import MAX_UPLOAD_BYTES, Upload
from ..services.database import unit_of_work
from ..services.deployment import issuer_of
from ..services.user_info import UserInfo
from ..settings import load_settings
from .options import CLI_OFFICE, DbOption, JsonOption, ledger_engine, parse_date, print_json


class _ShowByDefault(TyperGroup):
    """A group whose first argument may be a task id: ``task 12`` runs ``task show 12``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0].isdigit():
            args = ["show", *args]
        return super().parse_args(ctx, args)


task_app = typer.Typer(
    cls=_ShowByDefault, no_args_is_help=True, help="单条任务：查看、立项、修改、拆分或撤销。"
)

AsOption = Annotated[str | None, typer.Option("--as", help="以该督查室用户身份操作（默认：命令行）。")]
TodayOption = Annotated[str | None, typer.Option("--today", help="交办日期（默认今天），YYYY-MM-DD。")]


def _actor(conn: Any, name: str | None) -> UserInfo:
    if name:
        return get_user_by_name(conn, name)
    return CLI_OFFICE


def _read_file(path: Path) -> Upload:
    """A file named on the command line, refused in Chinese when it cannot be read or is too large."""
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:
            raise InvalidInput(f"附件 {path} 超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB 的上限")
        return Upload(path.name, None, path.read_bytes())
    except FileNotFoundError:
        raise InvalidInput(f"找不到附件 {path}") from None
    except IsADirectoryError:
        raise InvalidInput(f"附件 {path} 是目录，不是文件") from None
    except OSError:
        raise InvalidInput(f"无法读取附件 {path}（请检查文件权限）") from None


@task_app.command("add")
def task_add_command(
    title: Annotated[str, typer.Argument(help="任务名称。")],
    source: Annotated[str, typer.Option(help=f"任务来源：{'、'.join(intake.SOURCE_KINDS)}。")],
    ref: Annotated[str, typer.Option(help="任务来源的文件、会议或批示（文号或名称）。")],
    lead: Annotated[str, typer.Option(help="牵头单位，按文件中的写法列出。")] = "",
    responsible: Annotated[str, typer.Option(help="责任单位.")] = "",
    cooperating: Annotated[str, typer.Option(help="配合单位.")] = "",
    deadline: Annotated[
        str | None, typer.Option(help="完成时限: 2023年6月底前, 10个工作日内, 每月25日前, 长期坚持.")
    ] = None,
    body: Annotated[str, typer.Option(help="任务全文。")] = "",
    public: Annotated[bool, typer.Option("--public", help="在公开网站显示其进展。")] = False,
    attachment: Annotated[
        list[Path] | None, typer.Option("--attachment", help="立项附件（批示件、会议纪要等），可多次给出。")
    ] = None,
    as_user: AsOption = None,
    today: TodayOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """手工立项并输出任务编号。

    示例：taizhang task add "完善行政执法协调监督工作体系" --source 领导批示 --ref "市长批示（2023年5月8日）" --lead 市司法局 --deadline 2023年6月底前 --attachment 批示件.pdf
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
    settings = load_settings()
    uploads = [_read_file(path) for path in attachment or ()]
    with unit_of_work(ledger_engine(db)) as conn:
        task_id = intake.create_task(
            conn,
            _actor(conn, as_user),
            draft,
            today=parse_date(today, "--today") or date.today(),
            uploads=uploads,
            upload_dir=settings.upload_dir,
            max_files=settings.max_attachments,
        )
    if as_json:
        print_json({"id": task_id})
    else:
        typer.echo(f"立项成功：任务 {task_id}")


@task_app.command("edit")
def task_edit_command(
    task_id: Annotated[int, typer.Argument(help="任务编号。")],
    reason: Annotated[str, typer.Option(help="修改理由（记入变更日志）。")],
    title: Annotated[str | None, typer.Option(help="新的任务名称。")] = None,
    body: Annotated[str | None, typer.Option(help="新的任务全文。")] = None,
    lead: Annotated[str | None, typer.Option(help="牵头单位（替换原有牵头单位；空字符串表示没有）。")] = None,
    responsible: Annotated[str | None, typer.Option(help="责任单位（替换原有责任单位）。")] = None,
    cooperating: Annotated[str | None, typer.Option(help="配合单位（替换原有配合单位）。")] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            help="新的完成时限：2023年6月底前、10个工作日内（自交办日起算）、每月25日前、长期坚持。"
        ),
    ] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """修改任务并注明理由：只改给出的项；单位和完成时限按文件的写法重新识别，每项修改连同理由记入变更日志。

    示例：taizhang task edit 12 --deadline 2023年9月底前 --cooperating 市财政局 --reason "会议决定延期"
    """
    with unit_of_work(ledger_engine(db)) as conn:
        intake.edit_task(
            conn,
            _actor(conn, as_user),
            task_id,
            title=title,
            body=body,
            lead=None if lead is None else (lead,),
            responsible=None if responsible is None else (responsible,),
            cooperating=None if cooperating is None else (cooperating,),
            deadline_text=deadline,
            reason=reason,
            today=date.today(),
        )
    typer.echo(f"任务 {task_id} 已修改")


@task_app.command("cancel")
def task_cancel_command(
    task_id: Annotated[int, typer.Argument(help="任务编号。")],
    reason: Annotated[str, typer.Option(help="撤销理由（记入变更日志）。")],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """撤销任务并注明理由；任务仍留在台账中，显示为灰色，不能再办理。

    示例：taizhang task cancel 12 --reason "会议决定不再实施"
    """
    with unit_of_work(ledger_engine(db)) as conn:
        intake.cancel_task(conn, _actor(conn, as_user), task_id, reason=reason, today=date.today())
    typer.echo(f"任务 {task_id} 已撤销")


@task_app.command("split")
def task_split_command(
    task_id: Annotated[int, typer.Argument(help="任务编号。")],
    titles: Annotated[list[str], typer.Argument(help="两个或更多标题；第一个留在原任务上。")],
    reason: Annotated[str, typer.Option(help="拆分理由（记入变更日志）。")],
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """把任务拆分为几条并注明理由，单位和期限相同；输出新任务编号。

    示例：taizhang task split 12 "制定实施方案" "开展专项检查" --reason "分两个阶段推进"
    """
    with unit_of_work(ledger_engine(db)) as conn:
        ids = workflow.split_task(conn, _actor(conn, as_user), task_id, titles, reason=reason)
    typer.echo("拆分为任务 " + "、".join(str(i) for i in ids))


@task_app.command("chase-late")
def task_chase_late_command(
    unit: Annotated[str | None, typer.Option(help="只催办该单位逾期的部分。")] = None,
    document: Annotated[str | None, typer.Option(help="只含该文件的任务（发文字号或标题）。")] = None,
    message: Annotated[str, typer.Option(help="催办内容（默认用标准措辞）。")] = "",
    as_of: Annotated[str | None, typer.Option("--as-of", help="判断逾期的日期（默认今天）。")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """催办某单位、某文件或全部逾期部分（在 --as-of 之前到期且未办结）。

    示例：taizhang task chase-late --unit 市医保局 --as-of 2022-07-15
    """
    day = parse_date(as_of, "--as-of") or date.today()
    with unit_of_work(ledger_engine(db)) as conn:
        count = escalation.chase_late(
            conn, _actor(conn, as_user), day, unit=unit, document=document, message=message
        )
    typer.echo(f"已催办 {count} 个逾期承办事项")


@task_app.command("escalate")
def task_escalate_command(
    task_id: Annotated[int, typer.Argument(help="任务编号。")],
    unit: Annotated[str, typer.Option(help="被升级督办的单位。")],
    step: Annotated[str, typer.Option(help="催办、督办函或约谈（每一步须先有前一步）。")],
    message: Annotated[str, typer.Option(help="督查室提出的要求。")] = "",
    talk_with: Annotated[str, typer.Option(help="约谈：约谈对象。")] = "",
    outcome: Annotated[str, typer.Option(help="约谈：结果。")] = "",
    out: Annotated[Path | None, typer.Option(help="督办函：把函件（.docx）写到这里。")] = None,
    reply_days: Annotated[
        int | None,
        typer.Option("--reply-days", help="督办函：答复时限（工作日；默认取部署设置，初始为5个工作日）。"),
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="该步骤的日期（默认今天）。")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """对某单位承担的任务部分升级一步：催办 → 督办函（编号的 .docx 函件）→ 约谈。

    示例：taizhang task escalate 12 --unit 市医保局 --step 督办函 --out letter.docx
    """
    day = parse_date(as_of, "--as-of") or date.today()
    settings = load_settings(database_url=db)
    talk = escalation.Talk(talk_with, outcome) if step == escalation.TALK else None
    with unit_of_work(ledger_engine(db)) as conn:
        escalation_id = escalation.escalate(
            conn,
            _actor(conn, as_user),
            task_id,
            unit,
            step,
            message=message,
            today=day,
            talk=talk,
            reply_days=reply_days if reply_days is not None else settings.letter_reply_working_days,
        )
        found = escalation.get_letter(conn, escalation_id) if step == escalation.LETTER else None
        issuer = issuer_of(conn, settings)  # set on /admin, else the configuration
    if found is not None:
        typer.echo(f"督办函 {found['letter_number']}")
        if out is not None:
            write_letter_docx(found, out, issuer=issuer, today=day)
            typer.echo(f"已写入 {out}")
    else:
        typer.echo(f"已{step}：任务 {task_id} · {unit}")


@task_app.command("instruct")
def task_instruct_command(
    task_id: Annotated[int, typer.Argument(help="任务编号。")],
    text: Annotated[str, typer.Argument(help="领导批示的内容。")],
    leader: Annotated[str, typer.Option(help="作出批示的领导（由督查室代为录入）。")],
    on: Annotated[str | None, typer.Option(help="批示日期（默认今天）。")] = None,
    as_user: AsOption = None,
    db: DbOption = None,
) -> None:
    """记录领导对任务的批示；批示进入任务的时间线，承办单位可以看到。

    示例：taizhang task instruct 12 "请加快推进，月底前报结果" --leader 张市长 --on 2022-07-15
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
    if result.unread_sheets:
        typer.echo(f"未读取的工作表（没有找到表头）：{'、'.join(result.unread_sheets)}")


def evaluate_command(
    period: Annotated[str, typer.Option(help="2022, 2022-06, 2022-Q2 or 2022-H1.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help="评价日期（默认今天）。")] = None,
    rules: Annotated[
        Path | None, typer.Option(help="评价规则文件（默认 `data/evaluation/default.json`）。")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="同时把排名写入该工作簿（.xlsx）。")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """按各单位自身工作评分排名：按期办结率、反馈及时率、催办/督办函/约谈、逾期天数。

    示例：taizhang evaluate --period 2022-Q2 --as-of 2022-07-15 --out ranking.xlsx
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
        typer.echo(f"已写入 {out}")


def register(app: typer.Typer, show: Any) -> None:
    """Add the group, with ``show`` (the one-task view) as ``task show`` and ``task ID``; and ``evaluate``."""
    task_app.command("show")(show)
    app.add_typer(task_app, name="task")
    app.command("evaluate")(evaluate_command)

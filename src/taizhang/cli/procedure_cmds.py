"""Procedures and people on the command line: the decision catalogue, people and posts, who covers
a unit, absences, the normative-document registry, the expert pool and consultation reports.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InvalidInput
from ..export.consultation_docx import write_consultation_report
from ..services import consultation_views, decisions, experts, people, registry
from ..services.database import unit_of_work
from .ledger_cmds import export_app
from .options import CLI_ACTOR, DbOption, JsonOption, ledger_engine, parse_date, print_json

experts_app = typer.Typer(help="专家库：导入工作簿、列出专家。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("decisions")(decisions_command)
    app.command("people")(people_command)
    app.command("who-covers")(who_covers_command)
    app.command("absence")(absence_command)
    app.command("registry")(registry_command)
    app.command("consultations")(consultations_command)
    app.add_typer(experts_app, name="experts")


def _table(title: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    table = Table(title=title)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


def _day(value: str | None, option: str) -> date:
    day = parse_date(value, option)
    if day is None:
        raise InvalidInput(f"请用 {option} 给出日期（YYYY-MM-DD）")
    return day


def _steps_done(steps: list[dict[str, Any]]) -> str:
    """已完成 2/5: steps done out of those that apply."""
    applying = [s for s in steps if s["state"] != "不适用"]
    return f"已完成 {sum(s['state'] == '已完成' for s in applying)}/{len(applying)}"


def decisions_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """重大行政决策事项目录：各项决策的承办单位、时间安排、程序和状态。

    示例：taizhang decisions --json
    """
    with ledger_engine(db).connect() as conn:
        found = decisions.list_decisions(conn)
    if as_json:
        print_json(found)
        return
    rows = [
        (
            d["label"],
            d["title"],
            "、".join(u["name"] for u in d["units"]),
            d["deadline_text"],
            d["stage"],
            _steps_done(d["steps"]),
        )
        for d in found
    ]
    _table(
        f"重大行政决策事项 {len(found)} 项",
        ("序号", "事项", "承办单位", "完成时间", "进展", "决策程序"),
        rows,
    )


def people_command(
    db: DbOption = None,
    as_json: JsonOption = False,
    on: Annotated[str | None, typer.Option("--on", help="标出这一天谁外出（YYYY-MM-DD）。")] = None,
) -> None:
    """分工中的人员：各自分管、联系或协助分管的事项，AB岗搭档，外出情况。

    示例：taizhang people --json
    """
    day = parse_date(on, "--on")
    with ledger_engine(db).connect() as conn:
        found = people.list_people(conn, today=day)
        pairs = people.backup_pairs(conn)
    if as_json:
        print_json({"people": found, "backup_pairs": [{"a": a, "b": b} for a, b in pairs]})
        return
    rows = []
    for p in found:
        by_kind: dict[str, list[str]] = {}
        for duty in p["duties"]:
            by_kind.setdefault(duty["kind"], []).append(duty["area"])
        division = "；".join(f"{k}：{'、'.join(dict.fromkeys(v))}" for k, v in by_kind.items())
        away = "；".join(f"{a['starts_on']}至{a['ends_on']}" for a in p["absences"])
        rows.append((p["name"], p["designation"], division, p["backup"], away))
    _table(f"人员 {len(found)} 人，AB岗 {len(pairs)} 对", ("姓名", "职级", "分工", "AB岗", "不在岗"), rows)


def who_covers_command(
    unit: Annotated[str, typer.Argument(help="名录中的单位或督查室的科室（督查科）。")],
    on: Annotated[str | None, typer.Option("--on", help="日期（YYYY-MM-DD）。")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """某天由谁负责 UNIT 的事务（分管或联系领导，外出时为 AB岗 搭档）及其依据。

    示例：taizhang who-covers 市生态环境局 --on 2022-05-10
    """
    day = _day(on, "--on")
    with ledger_engine(db).connect() as conn:
        found = people.coverage_dict(conn, unit, day)
    if as_json:
        print_json(found)
        return
    typer.echo(f"{found['target']} {day.isoformat()}：{found['person'] or '无人'}（{found['via']}）")
    typer.echo(f"理由：{found['reason']}")


def absence_command(
    name: Annotated[str, typer.Argument(help="人员姓名，与分工通知中一致。")],
    starts: Annotated[str, typer.Option("--from", help="外出第一天（YYYY-MM-DD）。")],
    ends: Annotated[str, typer.Option("--to", help="外出最后一天（YYYY-MM-DD）。")],
    reason: Annotated[str, typer.Option(help="原因（出差、休假 …）。")] = "",
    db: DbOption = None,
) -> None:
    """记录 NAME 外出：其单位的审批和通知转给 AB岗 搭档。

    示例：taizhang absence 雍跃斌 --from 2022-05-09 --to 2022-05-13 --reason 出差
    """
    first, last = _day(starts, "--from"), _day(ends, "--to")
    with unit_of_work(ledger_engine(db)) as conn:
        absence_id = people.add_absence(conn, CLI_ACTOR, name, first, last, reason)
    typer.echo(f"已记录 {name} {first.isoformat()}至{last.isoformat()}不在岗（编号 {absence_id}）")


def registry_command(
    db: DbOption = None,
    as_json: JsonOption = False,
    status: Annotated[str | None, typer.Option(help="只列该状态：有效、废止、失效或修订。")] = None,
    year: Annotated[int | None, typer.Option(help="只列该年度的文件。")] = None,
) -> None:
    """规范性文件登记：状态，以及废止或修订它们的文件。

    示例：taizhang registry --status 废止 --json
    """
    with ledger_engine(db).connect() as conn:
        found = registry.list_registry(conn, status=status, year=year)
    if as_json:
        print_json(found)
        return
    rows = [
        (
            r["doc_number"],
            r["title"],
            r["status"],
            "；".join(f"{link['doc_number']}{link['relation']}" for link in r["changed_by"]),
            "；".join(f"{link['relation']}{link['doc_number']}" for link in r["changes"]),
            r["open_tasks"] or "",
        )
        for r in found
    ]
    _table(
        f"规范性文件 {len(found)} 件", ("文号", "标题", "状态", "依据", "本文件废止/修订", "未办结任务"), rows
    )


def consultations_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """决策事项的专家咨询论证及其状态，最新的在前。

    示例：taizhang consultations --json
    """
    with ledger_engine(db).connect() as conn:
        found = consultation_views.list_consultations(conn)
    if as_json:
        print_json(found)
        return
    _table(
        f"咨询论证 {len(found)} 项",
        ("编号", "决策事项", "方式", "论证日期", "状态"),
        [(c["id"], c["decision_title"], c["form"], c["meeting_on"], c["status"]) for c in found],
    )


@experts_app.command("import")
def experts_import_command(
    path: Annotated[Path, typer.Argument(help="工作簿（.xlsx），表头为：姓名、专业领域、职称、工作单位 …")],
    db: DbOption = None,
) -> None:
    """从工作簿导入专家库；姓名和工作单位相同的行会更新原记录。

    示例：taizhang experts import experts.xlsx
    """
    with unit_of_work(ledger_engine(db)) as conn:
        report = experts.import_experts(conn, CLI_ACTOR, path, label=path.name)
    typer.echo(
        f"已导入 {path.name}：新增 {report.created} 人，更新 {report.updated} 人，跳过 {len(report.skipped)} 行"
    )
    for line in report.skipped:
        typer.echo(f"  {line}")


@experts_app.command("list")
def experts_list_command(db: DbOption = None, as_json: JsonOption = False) -> None:
    """列出专家库（库内专家在前）。

    示例：taizhang experts list --json
    """
    with ledger_engine(db).connect() as conn:
        found = experts.list_experts(conn)
    if as_json:
        print_json(found)
        return
    _table(
        f"专家 {len(found)} 人",
        ("编号", "姓名", "专业领域", "职称", "工作单位", "所属库"),
        [(e["id"], e["name"], e["field"], e["title"], e["affiliation"], e["pool"]) for e in found],
    )


@export_app.command("consultation")
def export_consultation_command(
    consultation_id: Annotated[int, typer.Argument(help="咨询论证的编号。")],
    out: Annotated[Path, typer.Argument(help="要写入的文档（.docx）。")],
    db: DbOption = None,
    as_of: Annotated[str | None, typer.Option(help="报告尚未发出时使用的日期（YYYY-MM-DD）。")] = None,
) -> None:
    """按公文格式写出专家咨询论证报告：专家组、意见、采纳情况及理由。

    示例：taizhang export consultation 1 report.docx
    """
    with ledger_engine(db).connect() as conn:
        report = consultation_views.report_draft(
            conn, consultation_id, parse_date(as_of, "--as-of") or date.today()
        )
    write_consultation_report(report, out)
    typer.echo(f"已写入 {out}：{report.title}，专家意见 {len(report.opinions)} 份")

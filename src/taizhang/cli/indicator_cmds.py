"""The quantitative commands: check, score, who, indicators (import, list, attainment).

Each command parses its options, calls one service or extraction function and renders the result.
The database comes from ``--db`` or ``TAIZHANG_DATABASE_URL`` (default sqlite:///taizhang.db).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ..errors import GazetteFormatError, InvalidInput, NotFound
from ..export.scorecard import write_scorecards
from ..extract import extract
from ..extract.check_notes import CHECK_KINDS
from ..extract.checks import run_checks
from ..extract.fiscal import find_fiscal_matters
from ..extract.fiscal import who as match_matters
from ..extract.model import Check
from ..extract.to_json import check_to_dict
from ..ledger.scoring import RULES, Scorecard
from ..services import indicators as svc
from ..services.database import unit_of_work
from ..sources import read_source
from .options import DbOption, JsonOption, ledger_engine, print_json

indicators_app = typer.Typer(help="指标及其目标值、报送值和完成情况。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the quantitative commands to the app."""
    app.command("check")(check_command)
    app.command("score")(score_command)
    app.command("who")(who_command)
    indicators_app.command("import")(indicators_import_command)
    indicators_app.command("list")(indicators_list_command)
    indicators_app.command("report")(indicators_report_command)
    indicators_app.command("attainment")(indicators_attainment_command)
    app.add_typer(indicators_app, name="indicators")


def _figure(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_figure(v) for v in value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def check_command(
    file: Annotated[Path, typer.Argument(help="一期公报或单份文件：.txt、.pdf、.docx、.ofd")],
    as_json: JsonOption = False,
) -> None:
    """报告 FILE 中每一处数字一致性核对结果（包括一致的），按文件分组。

    示例：taizhang check gazette.txt
    """
    source = read_source(file)
    try:
        checks = list(extract(source).checks)
    except GazetteFormatError:  # no 公文 found: the tables and sentences can still be checked
        checks = run_checks(source, [])
    if as_json:
        print_json([check_to_dict(c) for c in checks])
        return
    out = Console()
    for doc_number in dict.fromkeys(c.doc_number for c in checks):
        _print_checks(out, doc_number, [c for c in checks if c.doc_number == doc_number])
    bad = [c for c in checks if not c.consistent]
    required = sum(1 for c in bad if c.category == "required")
    out.print(
        f"共 {len(checks)} 项核对：一致 {len(checks) - len(bad)} 项，不一致 {len(bad)} 项"
        f"（其中必查类 {required} 项）",
        highlight=False,
    )


def _print_checks(out: Console, doc_number: str | None, checks: list[Check]) -> None:
    table = Table(title=doc_number or "（未识别文件）", show_lines=False, title_justify="left")
    for column in ("行", "文本行", "类别", "核对内容", "应为", "实为", "结论"):
        table.add_column(column, overflow="fold")
    for c in checks:
        verdict = "[green]一致[/green]" if c.consistent else "[bold red]不一致[/bold red]"
        table.add_row(
            str(c.line),
            str(c.text_line or ""),
            f"{CHECK_KINDS.get(c.kind, c.kind)}（{'必查' if c.category == 'required' else '附加'}）",
            c.what,
            _figure(c.expected),
            _figure(c.found),
            verdict,
        )
    out.print(table)


def score_command(
    scheme: Annotated[str, typer.Argument(help="方案标识或其中的词，例如 '28号 附件3' 或 '附件4'。")],
    period: Annotated[str, typer.Option("--period", help="评分的期间，例如 2022。")],
    db: DbOption = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="同时把评分表写入该 .xlsx 文件。")] = None,
    rule: Annotated[
        str, typer.Option("--rule", help=f"加权方案的计分规则：{'、'.join(f'`{r}`' for r in RULES)}。")
    ] = "threshold",
    subject: Annotated[list[str] | None, typer.Option("--subject", help="只评这些对象（可重复）。")] = None,
    as_json: JsonOption = False,
) -> None:
    """按 SCHEME 为各单位某期评分，显示原始分、满分和标准化系数。

    示例：taizhang score "28号 附件3" --period 2022 --xlsx scorecard.xlsx
    """
    if rule not in RULES:
        raise InvalidInput(f"--rule：{rule!r} 不在 {'、'.join(RULES)} 之中")
    engine = ledger_engine(db)
    with unit_of_work(engine) as conn:
        cards = svc.scorecards(conn, scheme, period, rule=rule, subjects=subject or None)
    if as_json:
        print_json(
            [{**c.__dict__, "items": [i.__dict__ for i in c.items], "explain": c.explain()} for c in cards]
        )
    else:
        _print_cards(Console(), cards, scheme, period)
    if xlsx:
        write_scorecards(cards, xlsx)
        typer.echo(f"已写入 {xlsx}")


def _print_cards(out: Console, cards: list[Scorecard], scheme: str, period: str) -> None:
    if not cards:
        out.print(f"{scheme} 在 {period} 期间没有报送数值或等次", highlight=False)
        return
    for card in cards:
        table = Table(title=f"{card.subject} · {card.scheme} · {card.period}", title_justify="left")
        for column in ("指标/项目", "满分", "目标/等次", "报送", "得分", "说明"):
            table.add_column(column, overflow="fold")
        for item in card.items:
            table.add_row(
                item.name,
                f"{item.maximum:g}",
                item.target or "",
                item.reported or "未报",
                f"{item.earned:g}",
                item.explanation,
            )
        out.print(table)
        out.print(card.explain(), highlight=False)
        if card.missing:
            out.print(f"缺报（计 0 分）：{'、'.join(card.missing)}", highlight=False)


def who_command(
    text: Annotated[str, typer.Argument(help="一项事务，例如 环境保护税征收复核。")],
    db: DbOption = None,
    file: Annotated[Path | None, typer.Option("--file", help="根据该公报文件作答，而不是台账。")] = None,
    as_json: JsonOption = False,
) -> None:
    """所问事项的事权/支出责任由谁承担，以及原文依据。

    由台账的事权矩阵作答（所配置的数据库或 --db）；用 --file 则改为读取公报文件。
    示例：taizhang who "环境保护税征收复核"
    """
    if file is not None:
        answers = _who_in_file(file, text)
    else:
        with unit_of_work(ledger_engine(db)) as conn:
            answers = svc.who(conn, text)
    if not answers:
        raise NotFound(f"没有与 {text!r} 相符的财政事项")
    if as_json:
        print_json(answers)
        return
    best = answers[0]
    typer.echo(f"{text} → {best['level']}（{best['doc_number'] or ''}，第 {best['line']} 行）")
    typer.echo(f"  {best['sentence']}")
    for other in answers[1:5]:
        typer.echo(
            f"  另见（相似度 {other['score']:.0%}）：{other['level']}，第 {other['line']} 行：{other['matter'][:60]}"
        )


def _who_in_file(file: Path, text: str) -> list[dict[str, Any]]:
    source = read_source(file)
    matters = find_fiscal_matters(source, list(extract(source).documents))
    return [{**m.__dict__, "items": list(m.items), "score": s} for m, s in match_matters(matters, text)]


def indicators_import_command(
    workbook: Annotated[
        Path, typer.Argument(help=".xlsx 工作簿，列为 指标、对象、期间、数值［、报送人、报送日期］。")
    ],
    db: DbOption = None,
) -> None:
    """从工作簿导入报送的指标值，要么全部导入，要么一行也不导入。

    示例：taizhang indicators import values.xlsx
    """
    if not workbook.is_file():
        raise InvalidInput(f"{workbook}：文件不存在")
    with unit_of_work(ledger_engine(db)) as conn:
        count = svc.import_values_xlsx(conn, workbook, actor="cli")
    typer.echo(f"已从 {workbook} 导入 {count} 个报送值")


def indicators_report_command(
    indicator_id: Annotated[int, typer.Argument(help="指标编号（见 `taizhang indicators list`）。")],
    subject: Annotated[str, typer.Argument(help="该值所属的单位或县（区），例如 中宁县。")],
    period: Annotated[str, typer.Argument(help="期间，例如 2022。")],
    value: Annotated[str, typer.Argument(help="按原文写法的实际值，例如 34% 或 44%、15%。")],
    reporter: Annotated[str, typer.Option("--reporter", help="报送人。")] = "cli",
    db: DbOption = None,
) -> None:
    """报送（或更正）指标的一个实际值。

    示例：taizhang indicators report 7 中宁县 2022 34%
    """
    with unit_of_work(ledger_engine(db)) as conn:
        value_id = svc.report_value(
            conn,
            indicator_id=indicator_id,
            subject=subject,
            period=period,
            value=value,
            reporter=reporter,
            reported_on=date.today(),
        )
    typer.echo(f"已记录报送值 {value_id}：指标 {indicator_id}，{subject}，{period} = {value}")


def indicators_list_command(
    db: DbOption = None,
    measures: Annotated[bool, typer.Option("--measures", help="改为列出规划措施表中的措施。")] = False,
    as_json: JsonOption = False,
) -> None:
    """列出已保存的指标及其单位、方向和各期目标值。

    示例：taizhang indicators list --json
    """
    with unit_of_work(ledger_engine(db)) as conn:
        rows = svc.list_indicators(conn, kind=svc.MEASURE if measures else "indicator")
    if as_json:
        print_json(rows)
        return
    table = Table(title="指标" if not measures else "措施")
    for column in ("id", "文件", "对象", "指标", "单位", "方向", "目标", "行"):
        table.add_column(column, overflow="fold")
    for r in rows:
        targets = "; ".join(f"{t['period']}: {t['text']}" for t in r["targets"]) or _measure_figures(r)
        table.add_row(
            str(r["id"]),
            r["doc_number"] or "",
            r["subject"] or "",
            r["name"],
            r["unit"] or "",
            r["direction"] or "",
            targets,
            str(r["line"]),
        )
    Console().print(table)


def _measure_figures(row: dict[str, Any]) -> str:
    """A measure's year and figures: 2021: 节耗水量 401 万m³, 折减取水量 799 万m³."""
    d = row.get("details") or {}
    figures = ", ".join(
        f"{q['name']} {q['value']:g} {q.get('unit') or ''}".rstrip() for q in d.get("quantities", [])
    )
    return f"{d.get('period')}: {figures}" if d else ""


def indicators_attainment_command(
    period: Annotated[str | None, typer.Option("--period", help="只列该期间。")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="只列该单位或县（区）。")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """按指标和单位对照报送值与目标值。

    示例：taizhang indicators attainment --period 2022
    """
    with unit_of_work(ledger_engine(db)) as conn:
        rows = svc.attainment(conn, period=period, subject=subject)
    if as_json:
        print_json(rows)
        return
    table = Table(title="达标情况")
    for column in ("对象", "指标", "期间", "目标", "实际", "达标"):
        table.add_column(column, overflow="fold")
    for r in rows:
        met = "—" if r["met"] is None else ("是" if r["met"] else "否")
        table.add_row(r["subject"], r["name"], r["period"], r["target"] or "", r["actual"], met)
    out = Console()
    out.print(table)
    for unit in dict.fromkeys(r["subject"] for r in rows):  # attainment per unit
        mine = [r for r in rows if r["subject"] == unit]
        out.print(
            f"{unit}：已报送的 {len(mine)} 项指标中达标 {sum(1 for r in mine if r['met'])} 项",
            highlight=False,
        )

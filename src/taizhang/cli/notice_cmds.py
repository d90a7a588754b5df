"""Notice commands: `export docx` writes a 通报 in 公文 layout, `notices` lists published ones.

``export docx`` hangs on the ``export`` group of ``ledger_cmds``; ``ledger_cmds.register`` calls
:func:`register` here for ``notices``, so the lead's app module stays untouched.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from ..errors import InvalidInput
from ..export.docx import write_notice_docx
from ..services.database import open_ledger, unit_of_work
from ..services.deployment import issuer_of
from ..services.notices import NoticeDraft, draft_progress_notice, get_notice, list_notices, publish_notice
from ..settings import load_settings
from .ledger_cmds import export_app
from .options import CLI_ACTOR, DbOption, JsonOption, ledger_engine, parse_date, print_json


def register(app: typer.Typer) -> None:
    """Add `notices` to the app (`export docx` is already on the export group)."""
    app.command("notices")(notices_command)


def _draft(
    db: str | None, as_of: str | None, document: str | None, unit: str | None, title: str | None
) -> NoticeDraft:
    day = parse_date(as_of, "--as-of")
    if day is None:
        raise InvalidInput("起草通报需要 --as-of（或用 --notice 编号 输出已保存的通报）")
    settings = load_settings(database_url=db)
    with open_ledger(settings.database_url).connect() as conn:
        return draft_progress_notice(
            conn,
            as_of=day,
            document=document,
            unit=unit,
            title=title,
            warn_days=settings.warning_working_days,
        )


@export_app.command("docx")
def export_docx_command(
    out: Annotated[Path, typer.Argument(help="要写入的文档（.docx）。")],
    as_of: Annotated[str | None, typer.Option(help="通报统计的截止日期（YYYY-MM-DD）。")] = None,
    db: DbOption = None,
    document: Annotated[str | None, typer.Option(help="只含该文件的任务（发文字号或编号）。")] = None,
    unit: Annotated[str | None, typer.Option(help="只含该单位（及其所属组）的任务。")] = None,
    publish: Annotated[bool, typer.Option("--publish", help="同时保存该通报（记入审计）。")] = False,
    public: Annotated[
        bool, typer.Option("--public", help="在公开网站发布；加附注（此件公开发布）。")
    ] = False,
    title: Annotated[str | None, typer.Option(help="通报标题（默认：关于…落实情况的通报）。")] = None,
    doc_number: Annotated[str | None, typer.Option(help="印在版头下的发文字号。")] = None,
    issuer: Annotated[
        str | None, typer.Option(help="版头和落款的发文机关（默认：配置中的发文机关）。")
    ] = None,
    notice: Annotated[
        int | None, typer.Option(help="写出已保存的编号为 ID 的通报，而不是起草新通报。")
    ] = None,
) -> None:
    """按公文格式写出进展通报：统计数、已逾期（红）、即将到期（黄）、未报送。

    示例：taizhang export docx notice.docx --as-of 2022-06-28 --publish --public
    """
    if not issuer:  # the issuer the office set on /admin, else the configuration
        with ledger_engine(db).connect() as conn:
            issuer = issuer_of(conn, load_settings(database_url=db))
    if notice is not None:
        with ledger_engine(db).connect() as conn:
            item = get_notice(conn, notice)
        result = write_notice_docx(item, out, issuer=issuer, doc_number=doc_number)
        typer.echo(f"已写入 {result.path}：通报 {item.id} {item.title}")
        return
    draft = replace(_draft(db, as_of, document, unit, title), is_public=public)
    if publish:
        with unit_of_work(ledger_engine(db)) as conn:
            notice_id = publish_notice(conn, CLI_ACTOR, draft, is_public=public)
        typer.echo(f"已发布通报 {notice_id}" + ("（公开）" if public else ""))
    result = write_notice_docx(draft, out, issuer=issuer, doc_number=doc_number)
    typer.echo(
        f"已写入 {result.path}：{draft.title}，逾期 {len(draft.overdue)} 项，临期 {len(draft.due_soon)} 项，"
        f"缺报 {len(draft.missing_reports)} 项"
    )


def notices_command(
    db: DbOption = None,
    as_json: JsonOption = False,
    public_only: Annotated[bool, typer.Option("--public", help="只列在公开网站发布的通报。")] = False,
) -> None:
    """列出已发布的通报，最新的在前。

    示例：taizhang notices --json
    """
    with ledger_engine(db).connect() as conn:
        found = list_notices(conn, public_only=public_only)
    if as_json:
        print_json(
            [
                {
                    "id": n.id,
                    "title": n.title,
                    "as_of": n.as_of,
                    "is_public": n.is_public,
                    "created_at": n.created_at,
                    "body": n.body,
                }
                for n in found
            ]
        )
        return
    table = Table(title=f"共 {len(found)} 份通报")
    for column in ("ID", "截至", "标题", "公开"):
        table.add_column(column, no_wrap=column in ("ID", "截至"), overflow="fold")
    for n in found:
        table.add_row(str(n.id), n.as_of.isoformat(), n.title, "是" if n.is_public else "")
    Console().print(table)

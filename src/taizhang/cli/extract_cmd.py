"""``taizhang extract``: print what the extractor finds in a file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..extract import extract
from ..extract.to_json import to_dict
from ..services.units import configured_directory
from ..settings import load_settings
from ..sources import read_source
from .render import console, no_task_line, print_extraction_summary


def register(app: typer.Typer) -> None:
    """Add the extract command to the app."""
    app.command("extract")(extract_command)


def extract_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="一期公报或单份文件：.txt（UTF-8/GB18030）、.pdf、.docx、.ofd（.doc、.wps 需装 LibreOffice）"
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="把全部抽取结果输出为一个 JSON 对象。")] = False,
) -> None:
    """从 FILE 中抽取文件、任务、人员和数字核对结果。

    单位按所配置城市的单位名录（TAIZHANG_CITY 或 TAIZHANG_UNIT_DIRECTORY 指定的文件）判断。
    没有找到任务时，在标准错误输出一行说明，并给出看到的类似交办语句的数目。

    示例：taizhang extract gazette.txt --json > out.json
    """
    source = read_source(file)
    settings = load_settings()
    extraction = extract(source, configured_directory(settings.city, settings.unit_directory))
    if as_json:
        typer.echo(json.dumps(to_dict(extraction), ensure_ascii=False, indent=1))
    else:
        print_extraction_summary(console(), extraction)
    if not extraction.tasks:
        typer.echo(no_task_line(source), err=True)

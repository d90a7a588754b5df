"""The Typer application: builds the app, registers each group of commands, maps errors to exit 2."""

from __future__ import annotations

import logging
import sys

import typer

from ..errors import TaizhangError
from . import (
    admin_cmds,
    campaign_cmds,
    extract_cmd,
    indicator_cmds,
    jobs_cmds,  # worker and jobs
    ledger_cmds,
    notice_cmds,  # export docx, notices (通报): after ledger_cmds, which makes the export group
    procedure_cmds,
    web_cmds,
)
from .errors import bug_line, user_error_line
from .frame import ChineseGroup, use_chinese_rich_strings

use_chinese_rich_strings()

app = typer.Typer(
    name="taizhang",
    cls=ChineseGroup,
    help="台账：把政府公报变成督查工作台账并据此督办。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (
    extract_cmd,
    ledger_cmds,
    notice_cmds,
    indicator_cmds,
    procedure_cmds,
    campaign_cmds,
    web_cmds,
    admin_cmds,
):
    module.register(app)
jobs_cmds.register(app)


@app.callback()
def root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="记录命令执行的详细日志。"),
) -> None:
    """台账：把政府公报变成督查工作台账并据此督办。"""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        force=True,
    )
    # pdfminer warns about every odd font descriptor in a gazette PDF; the text is fine
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def main() -> None:
    """Console-script entry point: a TaizhangError becomes one Chinese line on stderr and exit code 2.

    Anything else is a bug in Taizhang; it is reported as one line too (exit code 1), with the
    traceback only under --verbose, so a user never faces a wall of Python.
    """
    try:
        app()
    except TaizhangError as exc:
        typer.echo(user_error_line(exc), err=True)
        sys.exit(2)
    except Exception as exc:  # the last resort of the entry point: report, do not crash
        if "-v" in sys.argv[1:] or "--verbose" in sys.argv[1:]:
            raise
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        typer.echo(bug_line(exc), err=True)
        sys.exit(1)

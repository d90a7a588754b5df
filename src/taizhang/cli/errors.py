"""How the command line reports a problem: one Chinese line on stderr, ``错误：`` first.

A ``TaizhangError`` is the user's to act on (exit code 2); anything else is a bug in Taizhang
(exit code 1), reported in one line too, its traceback only under ``--verbose``.
"""

from __future__ import annotations

PREFIX = "错误："


def one_line(text: str) -> str:
    """``text`` on one line, whatever the terminal width: scripts and checks read it."""
    return " ".join(text.split())


def user_error_line(exc: Exception) -> str:
    """The line shown for a problem the user can act on."""
    return f"{PREFIX}{one_line(str(exc))}"


def bug_line(exc: Exception) -> str:
    """The line shown for a bug: what failed, and how to see more."""
    return (
        f"{PREFIX}程序内部错误（{exc.__class__.__name__}：{one_line(str(exc))}）；"
        "请加 --verbose 重新运行查看详情，并报告此问题"
    )

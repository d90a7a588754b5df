"""Without rich (``TYPER_USE_RICH=0``, a terminal rich cannot draw on) the CLI's frame is Chinese too.

Typer decides whether to draw with rich when it is imported, so each case runs in a fresh
interpreter: the real entry point for single misuses, and one interpreter that walks every
command's ``--help`` and misuses for the rest.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_chinese import CLICK_ENGLISH, _latin_words

ROOT = Path(__file__).resolve().parents[2]
PLAIN = {**os.environ, "TYPER_USE_RICH": "0", "NO_COLOR": "1", "COLUMNS": "200"}
# An English sentence of Click's frame: "Error: ...", "Try 'x --help' for help.", "Missing argument"
ENGLISH_SENTENCE = r"[A-Za-z]{3,} [a-z]{2,}"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    code = "import sys; from taizhang.cli.app import main; sys.argv = ['taizhang', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=PLAIN, cwd=ROOT, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "--bogus"], "错误：没有选项：--bogus"),
        (["extract"], "错误：缺少参数 'file'。"),
        (["no-such-command"], "错误：没有命令 'no-such-command'。"),
        (["tasks", "--limit", "abc"], "错误：'--limit' 的值无效：应为整数"),
    ],
)
def test_a_misuse_without_rich_is_explained_in_chinese(args, message):
    shown = _run(*args)
    assert shown.returncode == 2, shown
    assert message in shown.stderr and "用法：taizhang" in shown.stderr and "查看帮助。" in shown.stderr
    names = re.sub(r"'[^']*'|taizhang(?: [a-z][\w-]*)*", "", shown.stderr)  # names as typed stay Latin
    assert not re.search(ENGLISH_SENTENCE, names), shown.stderr
    assert not CLICK_ENGLISH.search(shown.stderr), shown.stderr


WALK = """
import json, typer
from typer.testing import CliRunner
from taizhang.cli.app import app
from tests.test_chinese import _command_at, _command_paths, _misuses, _names
root, runner, out = typer.main.get_command(app), CliRunner(), []
for path in _command_paths(root):
    command = _command_at(root, path)
    for args in [[*path, "--help"], *_misuses(command, path)]:
        result = runner.invoke(app, args, terminal_width=200)
        out.append({"args": args, "code": result.exit_code, "output": result.output,
                    "names": [*_names(command, path), "abc", "no-such-command"]})
print(json.dumps(out))
"""


def test_every_help_and_usage_error_without_rich_is_chinese():
    walked = subprocess.run(
        [sys.executable, "-c", WALK], capture_output=True, text=True, env=PLAIN, cwd=ROOT, timeout=300
    )
    assert walked.returncode == 0, walked.stderr
    shown = json.loads(walked.stdout)
    assert len(shown) > 100
    for each in shown:
        helping = each["args"][-1] == "--help"
        assert each["code"] == (0 if helping else 2), each
        assert ("选项：" if helping else "错误：") in each["output"], each
        assert not CLICK_ENGLISH.search(each["output"]), each
        assert not _latin_words(each["output"], each["names"]), each

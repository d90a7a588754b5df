"""What users see carries none of the English sentences the ledger used to print.

The word list is the strings users met before (command output, errors, pages); each must be gone
from the CLI's output and errors on a real ledger and from the office's pages.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taizhang.cli.app import app
from taizhang.extract.check_notes import KIND as CHECK_NOTE_KIND
from taizhang.extract.model import FLAG_LABELS, flag_label

from .conftest import GAZETTE

SRC = Path(__file__).resolve().parents[1] / "src" / "taizhang"

OLD_ENGLISH = re.compile(
    r"error:|internal error|unknown unit|no task \d|no notice|an empty report|Input should|Not Found|"
    r"already imported|\bimported\b|items to review|new units|marked repealed|\d+ tasks\b|\d+ documents\b|"
    r"\d+ units\b|\d+ notices\b|\bwrote\b|published notice|already known|\bincludes\b|tasks by unit|"
    r"to review|checks: |inconsistent|missing: |raw \d|maximum \d|not standardised|reported indicators|"
    r"is not a date|no such file|the file is empty|nothing changed|password:|differs from|is not in the|may not|office only|chain intact|\d+ entries|\d+ users|\bdigests\b|row \d+:|unknown indicator|\bdisabled\b"
)

runner = CliRunner()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('zh') / 'zh.db'}"
    result = runner.invoke(app, ["import", str(GAZETTE), "--db", url], env={"TAIZHANG_CITY": "中卫市"})
    assert result.exit_code == 0, result.output
    assert not OLD_ENGLISH.search(result.output), result.output
    return url


@pytest.mark.parametrize(
    "args",
    [
        ["documents"],
        ["tasks", "--limit", "5"],
        ["task", "1"],
        ["units"],
        ["notices"],
        ["tasks", "--due-before", "2022-02-30"],
        ["task", "99999"],
        ["tasks", "--unit", "市卫生健康委员"],
        ["units", "alias", "卫健委", "市卫生健康委"],
        ["units", "member", "各县(区)", "沙坡头区"],
        ["who", "环境保护税征收复核"],
    ],
)
def test_commands_on_a_ledger_speak_chinese(ledger, args):
    result = runner.invoke(app, [*args, "--db", ledger], terminal_width=200)
    shown = result.output + (str(result.exception) if result.exception else "")
    assert not OLD_ENGLISH.search(shown), shown


def test_check_and_a_missing_file_speak_chinese(tmp_path):
    checked = runner.invoke(app, ["check", str(GAZETTE)], terminal_width=200)
    assert checked.exit_code == 0 and not OLD_ENGLISH.search(checked.output)
    missing = runner.invoke(app, ["extract", str(tmp_path / "无此文件.txt")])
    assert "文件不存在" in str(missing.exception) and not OLD_ENGLISH.search(str(missing.exception))


def test_the_export_and_the_notice_speak_chinese(ledger, tmp_path):
    for args in (
        ["export", "xlsx", str(tmp_path / "l.xlsx")],
        ["export", "docx", str(tmp_path / "n.docx"), "--as-of", "2022-06-28", "--publish"],
    ):
        result = runner.invoke(app, [*args, "--db", ledger], env={"TAIZHANG_CITY": "中卫市"})
        assert result.exit_code == 0 and result.output.startswith("已"), result.output
        assert not OLD_ENGLISH.search(result.output), result.output


def test_every_check_finding_is_described_in_chinese():
    """What `check` says it compared (核对内容) and its notes carry no English words; m³ and JSON's null stay."""
    result = runner.invoke(app, ["check", str(GAZETTE), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)
    assert findings
    for finding in findings:
        for text in (finding["what"], finding.get("note") or ""):
            assert not re.search(r"[A-Za-z]{2,}", text), text


def test_review_flags_have_chinese_labels_and_messages(ledger):
    """Every flag the extractor raises on the gazette has a Chinese label; codes stay in JSON only."""
    extracted = runner.invoke(app, ["extract", str(GAZETTE), "--json"], env={"TAIZHANG_CITY": "中卫市"})
    flags = json.loads(extracted.output)["review"]
    assert flags
    for flag in flags:
        assert flag["kind"] in FLAG_LABELS, flag["kind"]
        assert not re.search(r"[A-Za-z]{3,}", flag["message"]), flag["message"]
    assert flag_label("no_such_code") == "待核对"
    tasks = json.loads(runner.invoke(app, ["tasks", "--review", "--json", "--db", ledger]).output)
    shown = runner.invoke(
        app, ["task", str(tasks["items"][0]["id"]), "--db", ledger], terminal_width=200
    ).output
    assert "待审核·" in shown
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", shown), shown


def test_every_flag_kind_the_code_raises_has_a_label():
    """A new kind of review flag without a Chinese label would show users nothing but 待核对."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    kinds = set(re.findall(r'(?:_flag|Flag)\(\s*(?:kind=)?"([a-z_]+)"', source)) | {CHECK_NOTE_KIND}
    assert len(kinds) > 10
    assert sorted(k for k in kinds if k not in FLAG_LABELS) == []


def test_accounts_and_the_audit_chain_speak_chinese(ledger):
    added = runner.invoke(
        app,
        ["user", "add", "zn", "--role", "unit", "--unit", "中宁县", "--db", ledger],
        input="long-enough-pass\n",
    )
    assert added.exit_code == 0 and added.output.startswith("已添加"), added.output
    listed = runner.invoke(app, ["user", "list", "--db", ledger], terminal_width=200)
    verified = runner.invoke(app, ["audit", "verify", "--show-head", "--db", ledger], terminal_width=200)
    for result in (listed, verified, runner.invoke(app, ["user", "disable", "zn", "--db", ledger])):
        assert result.exit_code == 0, result.output
        assert not OLD_ENGLISH.search(result.output), result.output
        assert not re.search(r"\b(?:yes|no|unit|name|role|email|active|entry|head)\b", result.output), (
            result.output
        )


@pytest.mark.parametrize("step", ["approve", "chase", "missing_task"])
def test_workflow_refusals_speak_chinese(ledger, step):
    from taizhang.errors import NotFound, PermissionDenied
    from taizhang.services import accounts, parts, workflow
    from taizhang.services.database import open_ledger, unit_of_work

    engine = open_ledger(ledger)
    with unit_of_work(engine) as conn:
        name = f"refused-{step}"
        user = accounts.get_user(
            conn, accounts.add_user(conn, name, "long-enough-pass", "unit", "中宁县", None)
        )
        with pytest.raises((PermissionDenied, NotFound)) as refused:
            if step == "approve":
                workflow.approve_completion(conn, user, 1, today=date(2022, 6, 1))
            elif step == "chase":
                workflow.chase(conn, user, 1, message="请报送", today=date(2022, 6, 1))
            else:
                parts.sync_parts(conn, 999999)
    assert re.search(r"[\u4e00-\u9fff]", str(refused.value)), refused.value
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,}", str(refused.value)), refused.value


def _command_paths(command, path=()):
    """Every command and subcommand of the app, as the argument lists that reach it."""
    yield list(path)
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _command_paths(sub, (*path, name))


# What may stay Latin in --help: option names, choices, code, file names, environment variables and examples;
# Typer's frame (usage line, panel titles, value types, the --help option) is Chinese like the rest
HELP_FRAME = re.compile(
    r"(?m)\[默认：[^\]]*\]|\[环境变量：[^\]]*\]|`[^`]*`|'[^']*'|(?<!\w)--?[A-Za-z][\w-]*|\b[A-Z][A-Z0-9_]+\b|"
    r"\S*\.(?:xlsx|docx|pdf|txt|json|db|env|ofd|doc|wps)\b|<[^>\s]*\|[^>\s]*>|\{[\w.]+\}|/\S*|\b(?:Redis|LibreOffice)\b|示例：.*$"
)
# Words Click and Typer print in English unless told otherwise: metavars, the frame, usage errors
CLICK_ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Show this message|Try |for help|Missing|No such|Invalid value|"
    r"Did you mean|Possible options|Got unexpected|requires an? |\b(?:TEXT|INTEGER|PATH|FLOAT|BOOLEAN|FILENAME)\b|"
    r"<(?:int|str|path|float|bool|file|dir|datetime)>|\[OPTIONS\]|COMMAND|ARGS|default:|required\]|env var"
)


def _latin_words(text: str, names: list[str]) -> list[str]:
    """The Latin words of ``text`` once the allowed Latin (names, code, examples) is taken out."""
    text = HELP_FRAME.sub(" ", text)
    for name in names:  # the names of the program, the command, its subcommands and its arguments
        text = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


def _command_at(root, path):
    command = root
    for name in path:
        command = command.commands[name]
    return command


def _names(command, path) -> list[str]:
    return ["taizhang", *path, *getattr(command, "commands", {}), *(p.name for p in command.params if p.name)]


def _shown(args: list[str]):
    return runner.invoke(app, args, terminal_width=200, env={"COLUMNS": "200", "NO_COLOR": "1"})


def test_every_help_text_is_chinese():
    """`--help` of every command and group is Chinese, frame included; only names and code stay Latin."""
    import typer

    root = typer.main.get_command(app)
    paths = list(_command_paths(root))
    assert len(paths) > 30
    for path in paths:
        result = _shown([*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "用法：taizhang" in result.output and "显示本帮助并退出。" in result.output, result.output
        assert not CLICK_ENGLISH.search(result.output), (path, result.output)
        words = _latin_words(result.output, _names(_command_at(root, path), path))
        assert not words, (path, words, result.output)


def _misuses(command, path):
    """Argument lists that each command refuses before it runs: an unknown option, a missing
    required value, a number option given a word, an unknown subcommand, an option without its value."""
    yield [*path, "--no-such-option"]
    if getattr(command, "commands", None):
        yield [*path, "no-such-command"]
        return
    params = [p for p in command.params if p.name]
    if any(p.required for p in params):
        yield list(path)
    for param in params:
        if param.param_type_name == "option" and not getattr(param, "is_flag", False):
            if "int" in param.display_type(None) or "整数" in param.display_type(None):
                yield [*path, param.opts[0], "abc"]
            if not any(p.required for p in params):
                yield [*path, param.opts[0]]


def test_every_usage_error_is_chinese():
    """Misusing any command (unknown option or command, missing or bad value) is explained in Chinese."""
    import typer

    root = typer.main.get_command(app)
    seen = 0
    for path in _command_paths(root):
        command = _command_at(root, path)
        for args in _misuses(command, path):
            result = _shown(args)
            assert result.exit_code == 2, (args, result.output)
            assert "错误" in result.output, (args, result.output)
            assert not CLICK_ENGLISH.search(result.output), (args, result.output)
            words = _latin_words(result.output, [*_names(command, path), "abc", "no-such-command"])
            assert not words, (args, words, result.output)
            seen += 1
    assert seen > 100


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract"], "缺少参数 'file'。"),
        (["tasks", "--limit", "abc"], "'--limit' 的值无效：应为整数"),
        (["tasks", "--limt", "3"], "没有选项：--limt（可用：--limit"),
        (["taks"], "没有命令 'taks'。是否想用 'tasks'、'task'？"),
        (["tasks", "--limit"], "选项 '--limit' 需要一个值。"),
        (["task", "show", "1", "2"], "多余的参数：2"),
    ],
)
def test_usage_errors_say_what_is_wrong(args, message):
    result = _shown(args)
    assert result.exit_code == 2 and message in result.output, result.output


# A message the code raises or prints: the string right after ``raise X(`` or ``echo(``
RAISED_OR_PRINTED = re.compile(r'(?:raise \w+|echo)\(\s*f?"((?:[^"\\]|\\.)*)"')
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{3,} [a-z]{2,}")
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_no_message_raised_or_printed_is_english():
    """Errors and printed lines reach users (CLI line, web page, worker output): each is Chinese."""
    found = {
        (path.relative_to(SRC).as_posix(), text)
        for path in SRC.rglob("*.py")
        for text in RAISED_OR_PRINTED.findall(path.read_text(encoding="utf-8"))
    }
    assert len(found) > 100
    english = sorted(
        (where, text) for where, text in found if ENGLISH_SENTENCE.search(text) and not HAN.search(text)
    )
    assert english == []

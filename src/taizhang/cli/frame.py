"""The frame Typer draws around our texts (usage line, panels, value types, usage errors), in Chinese.

Typer builds the command tree from the functions each module registers; :class:`ChineseGroup`, the
root group's class, walks that tree once it is built and gives every command a :class:`ChineseContext`
(usage line ``用法：``, the ``--help`` option's text) and every parameter a Chinese type label
(``<整数>``, ``<路径>``). Usage errors raised while parsing or invoking any command pass through the
root group, which re-raises them with a Chinese message: ``缺少参数 'file'。``, ``没有选项：--bogus``.
The English originals go to the log only.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

import typer
import typer.rich_utils
from pydantic import ValidationError
from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption

from ..errors import validation_text

log = logging.getLogger(__name__)

USAGE_PREFIX = "用法："
HELP_OPTION_TEXT = "显示本帮助并退出。"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."

# Typer's panel titles and markers: module constants Typer reads when it draws help and errors
RICH_STRINGS = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已停用）",
    "RANGE_STRING": " [范围：{}]",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
}

# Value types as Typer names them in help (<int>, <path>, int range) and as users read them
TYPE_WORDS = {
    "int": "整数",
    "float": "数值",
    "str": "文本",
    "bool": "是/否",
    "path": "路径",
    "file": "文件",
    "dir": "目录",
    "directory": "目录",
    "datetime": "日期时间",
    "date": "日期",
    "range": "范围",
    "list": "列表",
    "Path": "路径",
    "UUID": "编号",
}
_TYPE_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True)) + r")\b")

PARAM_KINDS = {"argument": "参数", "option": "选项", "parameter": "参数"}


def chinese_type_label(label: str | None) -> str | None:
    """``<int>`` → ``<整数>``, ``<int range>`` → ``<整数 范围>``; choices (``a|b``) stay as typed."""
    if label is None:
        return None
    return _TYPE_WORD.sub(lambda m: TYPE_WORDS[m.group(1)], label)


class ChineseArgument(TyperArgument):
    """An argument whose value type is shown in Chinese."""

    def display_type(self, ctx: _click.Context) -> str:
        return chinese_type_label(super().display_type(ctx)) or ""


class ChineseOption(TyperOption):
    """An option whose value type is shown in Chinese; an on/off flag shows none."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        if self.is_flag and self.metavar is None:
            return None
        return chinese_type_label(super().display_type_rich(ctx))

    def display_type(self, ctx: _click.Context) -> str:
        return chinese_type_label(super().display_type(ctx)) or ""


class ChineseHelpFormatter(_click.HelpFormatter):
    """Click's formatter with the usage line headed ``用法：`` and headings ending in a Chinese colon."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_PREFIX if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class ChineseContext(typer.Context):
    """A command's context: Chinese usage line and ``--help`` text."""

    formatter_class = ChineseHelpFormatter

    def __init__(self, command: _click.Command, *args: Any, **kwargs: Any) -> None:
        super().__init__(command, *args, **kwargs)
        help_option = command.get_help_option(self)
        if help_option is not None:
            help_option.help = HELP_OPTION_TEXT
            _dress_param(help_option)


def _commands(command: _click.Command) -> Iterator[_click.Command]:
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def dress(command: _click.Command) -> None:
    """Give ``command`` and everything under it the Chinese frame."""
    for each in _commands(command):
        each.context_class = ChineseContext
        if each.options_metavar == "[OPTIONS]":
            each.options_metavar = OPTIONS_METAVAR
        if getattr(each, "subcommand_metavar", None) == "COMMAND [ARGS]...":
            each.subcommand_metavar = SUBCOMMAND_METAVAR  # type: ignore[attr-defined]
        for param in each.params:
            _dress_param(param)


def _dress_param(param: _click.Parameter) -> None:
    """Show ``param``'s value type in Chinese (the subclasses add no state, only the label)."""
    if type(param) is TyperArgument:
        param.__class__ = ChineseArgument
    elif type(param) is TyperOption:
        param.__class__ = ChineseOption


def _hint(exc: _click.exceptions.BadParameter) -> str:
    hint: str | Sequence[str] | None = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if hint is None:
        return ""
    return hint if isinstance(hint, str) else " / ".join(hint)


# What Click and Typer say about a bad value (after "Invalid value for X:"), as users read it
VALUE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?P<v>'.*') is not one of (?P<c>.*)\.$", re.S), "{v} 不在可选值 {c} 之中"),
    (re.compile(r"(?P<v>.*) is not a valid (?P<t>\w+)\.?$", re.S), "{v} 不是有效的{t}"),
    (re.compile(r"(?P<k>File|Directory|Path) (?P<v>.*) does not exist\.$", re.S), "{k} {v} 不存在"),
    (re.compile(r"(?P<k>File|Directory|Path) (?P<v>.*) is a file\.$", re.S), "{k} {v} 是文件，不是目录"),
    (re.compile(r"(?P<k>File|Directory|Path) (?P<v>.*) is a directory\.$", re.S), "{k} {v} 是目录，不是文件"),
    (re.compile(r"(?P<k>File|Directory|Path) (?P<v>.*) is not readable\.$", re.S), "{k} {v} 不可读"),
    (re.compile(r"(?P<k>File|Directory|Path) (?P<v>.*) is not writable\.$", re.S), "{k} {v} 不可写"),
    (re.compile(r"(?P<v>.*) is not in the range (?P<r>.*)\.$", re.S), "{v} 不在范围 {r} 之内"),
    (re.compile(r"(?P<v>.*) does not match the formats? (?P<f>.*)\.$", re.S), "{v} 不符合格式 {f}"),
)
USAGE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"No such command (?P<n>'[^']*')\.(?: Did you mean (?P<s>.*)\?)?$", re.S), "没有命令 {n}。"),
    (re.compile(r"Missing command\.$"), "缺少命令。"),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<a>.*)\)$", re.S), "多余的参数：{a}"),
    (re.compile(r"Option (?P<o>'[^']*') requires an argument\.$"), "选项 {o} 需要一个值。"),
    (re.compile(r"Option (?P<o>'[^']*') requires (?P<n>\d+) arguments\.$"), "选项 {o} 需要 {n} 个值。"),
    (re.compile(r"Option (?P<o>'[^']*') does not take a value\.$"), "选项 {o} 不接受值。"),
    (re.compile(r"Argument (?P<o>'[^']*') takes (?P<n>\d+) values\.$"), "参数 {o} 需要 {n} 个值。"),
    (re.compile(r"Value (?P<v>.*) is not a valid (?P<t>\w+)\.$", re.S), "{v} 不是有效的{t}。"),
)


def _matched(table: Sequence[tuple[re.Pattern[str], str]], text: str) -> str | None:
    for pattern, template in table:
        found = pattern.match(text.strip())
        if found:
            values = {k: chinese_type_label(v) or "" for k, v in found.groupdict().items()}
            return _suggestion(template.format(**values), found.groupdict().get("s"))
    return None


_LISTED = re.compile(r",\s*")


def _suggestion(text: str, suggested: str | None) -> str:
    if not suggested:
        return text
    return f"{text}是否想用 {'、'.join(_LISTED.split(suggested))}？"


def _value_message(exc: _click.exceptions.BadParameter) -> str:
    """Why the value was refused, in Chinese: from the validator's error codes, or the known texts."""
    cause = exc.__cause__
    if isinstance(cause, ValidationError):
        return "；".join(validation_text(dict(e)) for e in cause.errors())
    found = _matched(VALUE_MESSAGES, exc.message)
    if found is not None:
        return found
    log.info("usage error without a Chinese text: %s", exc.message)
    return "格式不对"


def chinese_message(exc: _click.ClickException) -> str:
    """The message of a Click or Typer error, in Chinese."""
    if isinstance(exc, _click.exceptions.MissingParameter):
        kind = PARAM_KINDS.get(str(exc.param_type or getattr(exc.param, "param_type_name", "")), "参数")
        choices = exc.param.get_missing_message(exc.ctx) if exc.param is not None else ""
        listed = "、".join(re.split(r",\s*", choices.partition(":")[2].strip())) if choices else ""
        return f"缺少{kind} {_hint(exc)}。" + (f"可选：{listed}。" if listed else "")
    if isinstance(exc, _click.exceptions.BadParameter):
        hint = _hint(exc)
        return f"{hint} 的值无效：{_value_message(exc)}" if hint else f"值无效：{_value_message(exc)}"
    if isinstance(exc, _click.exceptions.NoSuchOption):
        shown = f"没有选项：{exc.option_name}"
        return shown + (f"（可用：{'、'.join(sorted(exc.possibilities))}）" if exc.possibilities else "")
    if isinstance(exc, _click.exceptions.FileError):
        return f"无法打开文件 {exc.ui_filename!r}"
    found = _matched(USAGE_MESSAGES, exc.message)
    if found is not None:
        return found
    log.info("usage error without a Chinese text: %s", exc.message)
    return "命令用法不对"


ERROR_PREFIX = "错误："


class ChineseClickException(_click.ClickException):
    """A Click error whose message is Chinese, shown as ``错误：…`` when rich does not draw it."""

    def show(self, file: IO[Any] | None = None) -> None:
        _click.echo(f"{ERROR_PREFIX}{self.format_message()}", file=file or sys.stderr, color=self.show_color)


class ChineseUsageError(_click.exceptions.UsageError):
    """A usage error in Chinese; without rich: the usage line, the help hint and ``错误：…``."""

    def show(self, file: IO[Any] | None = None) -> None:
        file = file or sys.stderr
        color = self.ctx.color if self.ctx is not None else None
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = f"运行 '{self.ctx.command_path} {self.ctx.help_option_names[0]}' 查看帮助。\n"
            _click.echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=color)
        _click.echo(f"{ERROR_PREFIX}{self.format_message()}", file=file, color=color)


def _in_chinese(exc: _click.ClickException) -> _click.ClickException:
    if exc.__class__.__name__ == "NoArgsIsHelpError":
        return exc
    log.info("%s", exc.format_message())
    text = chinese_message(exc)
    if isinstance(exc, _click.exceptions.UsageError):
        return ChineseUsageError(text, exc.ctx)
    translated = ChineseClickException(text)
    translated.exit_code = exc.exit_code
    return translated


class ChineseGroup(TyperGroup):
    """The root group: dresses the whole tree and re-raises usage errors in Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dress(self)

    def make_context(self, *args: Any, **kwargs: Any) -> _click.Context:
        made: _click.Context = _translating(lambda: super(ChineseGroup, self).make_context(*args, **kwargs))
        return made

    def invoke(self, ctx: _click.Context) -> Any:
        return _translating(lambda: super(ChineseGroup, self).invoke(ctx))


def _translating(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except _click.ClickException as exc:
        raise _in_chinese(exc) from exc


def use_chinese_rich_strings() -> None:
    """Set Typer's panel titles and markers (module constants it reads at draw time) to Chinese,
    and Click's and Typer's own texts (see :data:`CLICK_TEXTS`) in whichever way they draw."""
    for name, text in RICH_STRINGS.items():
        setattr(typer.rich_utils, name, text)
    for module in CLICK_TEXT_MODULES:
        module._ = chinese_text  # type: ignore[attr-defined]


# Typer marks the texts of its plain (non-rich) frame for gettext (``_("Options")``), but gettext
# picks a catalog by the terminal's locale, and a clerk's terminal may well say C or en_US: this is
# the catalog, always used. The Click that Typer carries prints its frame without gettext ("Usage:",
# "Try … for help.", "Error:"): ChineseHelpFormatter and the ChineseUsageError below draw those.
# Without rich (``TYPER_USE_RICH=0``, or no terminal rich can draw on) these texts are what users read.
CLICK_TEXTS = {
    "Aborted!": "已中止。",
    "Options": "选项",
    "Arguments": "参数",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
}
CLICK_TEXT_MODULES = (typer.core,)


def chinese_text(message: str) -> str:
    """gettext for Click and Typer: a text of the frame in Chinese, any other text as it is."""
    return CLICK_TEXTS.get(message, message)

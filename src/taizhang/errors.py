"""One error hierarchy for the whole project.

The CLI maps every ``TaizhangError`` to a one-line message and exit code 2; the web app maps
them to 4xx responses. Nothing below ``web/`` or ``cli/`` raises framework exceptions.
"""

from __future__ import annotations

from typing import Any


class TaizhangError(Exception):
    """Base class: a problem the user can act on, with a message that names the place."""


class SourceError(TaizhangError):
    """A file that cannot be read as a gazette: missing, empty, broken, or a PDF with no text."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class GazetteFormatError(TaizhangError):
    """Text that was read but holds nothing we can use (no document at all, say)."""

    def __init__(self, source: str, line: int | None, reason: str) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.line = line
        self.reason = reason


class UnknownUnit(TaizhangError):
    """A unit name that is not in the unit directory; ``suggestions`` are the closest names it holds."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        hint = f"（是否指：{'、'.join(suggestions)}？）" if suggestions else ""
        super().__init__(f"单位名录中没有“{name}”{hint}")
        self.name = name
        self.suggestions = suggestions


class NotFound(TaizhangError):
    """A record asked for by id or name does not exist."""


class InvalidTransition(TaizhangError):
    """A status change the ledger rules do not allow (e.g. approving a task nobody reported)."""


class PermissionDenied(TaizhangError):
    """The acting user may not do this (a unit writing to another unit's task)."""


class AuthenticationRequired(TaizhangError):
    """The action needs a logged-in user or a bearer token."""


class InvalidInput(TaizhangError):
    """A value given by a user is malformed (an impossible date, an empty report)."""


class InsecureConfiguration(TaizhangError):
    """Settings that would let anyone in (a public or short secret key) for the way the app is run."""


class LedgerNotReady(TaizhangError):
    """The ledger database is missing, or its schema is older than this version of Taizhang."""


class TooManyAttempts(TaizhangError):
    """Too many failed logins for one user name from one client in the last minute."""


class RuleViolation(InvalidInput):
    """A step breaks a rule of the ledger's rulesets (a panel of 4 where 5 are required).

    ``findings`` are the broken rules, each naming its article; the message lists them.
    """

    def __init__(self, message: str, findings: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


# What a validator's error codes (pydantic's ``type``) mean, for the web forms and the command line
VALIDATION_MESSAGES = {
    "missing": "必须填写",
    "less_than_equal": "不能大于 {le}",
    "less_than": "必须小于 {lt}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为是或否",
    "date_parsing": "应为日期（如 2022-06-30）",
    "date_from_datetime_parsing": "应为日期（如 2022-06-30）",
    "date_type": "应为日期（如 2022-06-30）",
    "datetime_parsing": "应为日期和时间",
    "string_too_long": "最多 {max_length} 个字符",
    "string_too_short": "至少 {min_length} 个字符",
    "string_type": "应为文字",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "list_type": "应为列表",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "格式不对",
    "dict_type": "格式不对",
}


def validation_text(error: dict[str, Any]) -> str:
    """Why a value was refused, in Chinese, from one validation error: ``不能大于 100``."""
    template = VALIDATION_MESSAGES.get(str(error.get("type", "")), "格式不对")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return "格式不对"

"""Extracted records as plain dicts: :func:`as_dict` gives what ``dataclasses.asdict`` gives, faster.

``asdict`` deep-copies every leaf through ``copy.deepcopy``; an extraction's leaves are strings,
numbers, dates and None, which are immutable and kept as they are here. Containers are rebuilt the
way ``asdict`` rebuilds them (a tuple stays a tuple, a named tuple stays one), so the result, and
its JSON, are the same.
"""

from __future__ import annotations

import copy
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

_IMMUTABLE = frozenset({str, int, float, bool, type(None), date, datetime})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def as_dict(record: Any) -> dict[str, Any]:
    """The dataclass instance ``record`` as a dict, recursively, like ``dataclasses.asdict``."""
    if not is_dataclass(record) or isinstance(record, type):
        raise TypeError("as_dict() 只接受数据类的实例")
    return _plain(record)  # type: ignore[no-any-return]


def _names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _IMMUTABLE:
        return value
    if kind is list:
        return [_plain(v) for v in value]
    if kind is tuple:
        return tuple(_plain(v) for v in value)
    if kind is dict:
        return {_plain(k): _plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _names(kind)}
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return kind(*[_plain(v) for v in value])
    if isinstance(value, (list, tuple)):
        return kind(_plain(v) for v in value)
    if isinstance(value, dict):
        return kind((_plain(k), _plain(v)) for k, v in value.items())
    return copy.deepcopy(value)

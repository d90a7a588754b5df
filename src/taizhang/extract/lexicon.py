"""The unit lexicon: standard names and short forms of public bodies, for any city.

Read from the package data file ``taizhang/data/unit_lexicon.json`` (edit it, not this module):
national ministries and commissions (国家发展改革委 = 国家发展和改革委员会 = 发展改革委), the
usual departments of a province (省教育厅) and of a city or county (市教育局), group names that
stay whole (各有关部门和单位), place names (济南, 山东), and the name shapes that decide whether a
dropped 市/省 prefix may be restored (a 局/委/办/厅 of that government, never a laboratory).

The lexicon knows shapes, not a city: ``standard_name('青岛市发展和改革委员会')`` is
'青岛市发展改革委' for any city; a city's own units live in its :class:`~.units.UnitDirectory`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

_LEVELS = ("自治区", "省", "市", "县", "区", "州", "盟", "旗")
_PROVINCE_LEVEL = ("自治区", "省")


@dataclass(frozen=True)
class Lexicon:
    """The lexicon's lists, ready for lookups."""

    national: dict[str, str]  # any national name or alias → standard name
    local: dict[str, tuple[str, str]]  # level-free stem or alias → (province form, city form)
    groups: frozenset[str]
    places: frozenset[str]
    department_suffixes: tuple[str, ...]
    unit_suffixes: tuple[str, ...]  # what ends a unit's name (局, 委, 政府 …): a unit, not a phrase
    non_government: tuple[str, ...]
    shared_suffixes: tuple[str, ...]

    @cached_property
    def non_government_marker(self) -> re.Pattern[str]:
        """A regex finding any ``non_government`` word in a name."""
        return re.compile("|".join(re.escape(w) for w in self.non_government) or "(?!)")

    def standard_name(self, name: str) -> str:
        """The standard form of ``name``: '市发展和改革委员会' → '市发展改革委'; unknown names as given."""
        name = name.strip()
        if name in self.national:
            return self.national[name]
        for cut in range(1, min(len(name), 12)):
            prefix, stem = name[:cut], name[cut:]
            forms = self.local.get(stem)
            if forms and is_level_prefix(prefix, self.places):
                province, city = forms
                return prefix + (province if prefix.endswith(_PROVINCE_LEVEL) else city)
        return name

    def is_known_body(self, name: str) -> bool:
        """True when ``name`` is a national body or a known department under a level prefix."""
        return name in self.national or self.standard_name(name) != name or self._local_form(name)

    def _local_form(self, name: str) -> bool:
        for cut in range(1, min(len(name), 12)):
            if name[cut:] in self.local and is_level_prefix(name[:cut], self.places):
                return True
        return False


def is_level_prefix(prefix: str, places: frozenset[str]) -> bool:
    """True for a level prefix: 省, 市, 省委, 市委, or a place with its level (青岛市, 山东省)."""
    bare = prefix[:-1] if prefix.endswith("委") else prefix
    if bare in _LEVELS:
        return True
    for level in _LEVELS:
        if bare.endswith(level) and bare[: -len(level)] in places:
            return True
    return False


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _build(data: dict[str, Any]) -> Lexicon:
    national: dict[str, str] = {}
    for entry in data.get("national", []):
        for alias in (entry["name"], *_strings(entry.get("aliases"))):
            national.setdefault(alias, entry["name"])
    local: dict[str, tuple[str, str]] = {}
    for entry in data.get("local", []):
        forms = (str(entry["province"]), str(entry["city"]))
        for alias in (*forms, *_strings(entry.get("aliases"))):
            local.setdefault(alias, forms)
    places = data.get("places", {})
    return Lexicon(
        national=national,
        local=local,
        groups=frozenset(_strings(data.get("groups"))),
        places=frozenset(_strings(places.get("provinces")) + _strings(places.get("cities"))),
        department_suffixes=tuple(_strings(data.get("department_suffixes"))),
        unit_suffixes=tuple(_strings(data.get("unit_suffixes"))),
        non_government=tuple(_strings(data.get("non_government"))),
        shared_suffixes=tuple(_strings(data.get("shared_suffixes"))),
    )


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The bundled lexicon (read once)."""
    text = (resources.files("taizhang") / "data" / "unit_lexicon.json").read_text(encoding="utf-8")
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("unit_lexicon.json 应为一个 JSON 对象")
    return _build(data)


def starts_with_place(name: str) -> bool:
    """True when ``name`` opens with a place name (济南…, 山东银保监局, 青岛海洋科技中心)."""
    places = lexicon().places
    return any(name[:n] in places for n in range(2, min(5, len(name))))


# Asked of every unit name a list prints without its level, and a document repeats its units.
@lru_cache(maxsize=4096)
def mentions_place(name: str) -> bool:
    """True when a place name stands anywhere in ``name`` (中铁济南局, 人民银行济南分行)."""
    places = lexicon().places
    return any(name[i : i + n] in places for i in range(len(name)) for n in (2, 3, 4) if i + n <= len(name))

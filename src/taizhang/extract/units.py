"""The unit directory: canonical unit names, aliases and groups (各县(区) → its counties).

Names are compared after folding full-width parentheses to ASCII, so 各县（区） and 各县(区) are
the same key, and through the lexicon's standard forms, so 市发展和改革委员会, 市发改委 and
市发展改革委 find the same unit in any city's directory. Unknown names are never an error here:
``resolve`` answers None and the caller keeps the name as printed and flags it.

The directory is configuration: :func:`default_directory` loads the one shipped for a city
(``taizhang/data/directories/*.json``) or starts an empty one; nothing here knows a city.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from .lexicon import lexicon

KINDS = ("department", "county", "external", "group")


def name_key(name: str) -> str:
    """The lookup key of a unit name: full-width brackets folded, spaces removed."""
    return name.replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "").strip()


@dataclass(frozen=True)
class Unit:
    """A unit (单位): a department, a county, an outside body, or a group of units.

    ``kind`` is ``department``, ``county``, ``external`` or ``group``; a group's ``members``
    are the canonical names it expands to.
    """

    name: str
    kind: str = "department"
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form (lists, not tuples) for JSON and the database."""
        out: dict[str, Any] = {"name": self.name, "kind": self.kind, "aliases": list(self.aliases)}
        if self.members:
            out["members"] = list(self.members)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        """The unit of a dict written by :meth:`to_dict`."""
        return cls(
            name=data["name"],
            kind=data.get("kind", "department"),
            aliases=tuple(data.get("aliases", ())),
            members=tuple(data.get("members", ())),
        )


@dataclass
class UnitDirectory:
    """Looks unit names up by canonical name or alias; expands groups to their members."""

    units: list[Unit] = field(default_factory=list)
    city: str | None = None
    _index: dict[str, Unit] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name = {unit.name: unit for unit in self.units}  # a later unit of the same name wins
        self.units = list(by_name.values())
        self._reindex()

    def add(self, unit: Unit) -> None:
        """Add a unit, or replace the unit of the same canonical name.

        Guarantees: afterwards the unit's name and each alias resolve to it (a later unit wins an
        alias two units claim).
        """
        self.units = [u for u in self.units if u.name != unit.name] + [unit]
        self._reindex()

    def _reindex(self) -> None:
        self._index = {}
        standard = lexicon().standard_name
        for unit in self.units:
            for name in (*unit.aliases, unit.name):  # the canonical name wins over an alias
                self._index.setdefault(name_key(standard(name)), unit)
            for name in (*unit.aliases, unit.name):
                self._index[name_key(name)] = unit

    def resolve(self, name: str) -> Unit | None:
        """The unit a name refers to (as printed, or by its standard form), or None when unknown."""
        found = self._index.get(name_key(name))
        if found is None:
            found = self._index.get(name_key(lexicon().standard_name(name)))
        return found

    def canonical(self, name: str) -> str:
        """The canonical name of ``name``, or ``name`` itself when unknown."""
        unit = self.resolve(name)
        return unit.name if unit else name

    def groups_of(self, name: str) -> list[str]:
        """Canonical names of the groups whose members include ``name``'s unit."""
        unit = self.resolve(name)
        if unit is None:
            return []
        return [g.name for g in self.units if g.kind == "group" and unit.name in g.members]

    def to_dict(self) -> dict[str, Any]:
        """Plain-dict form, the inverse of :meth:`from_dict`."""
        return {"city": self.city, "units": [u.to_dict() for u in self.units]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> UnitDirectory:
        """A directory from ``{"city": ..., "units": [...]}``."""
        return cls(units=[Unit.from_dict(u) for u in data.get("units", ())], city=data.get("city"))


def default_directory(city: str | None = None) -> UnitDirectory:
    """The directory shipped for ``city``; an empty one for a city we ship none for, or for None.

    The lexicon still resolves standard names and short forms in an empty directory's lookups.
    """
    data = _shipped_directories().get(city) if city else None
    if data is None:
        return UnitDirectory(city=city)
    return UnitDirectory.from_dict(data)


@lru_cache(maxsize=1)
def _shipped_directories() -> dict[str, dict[str, Any]]:
    """The directories in ``taizhang/data/directories``, by city."""
    found: dict[str, dict[str, Any]] = {}
    folder = resources.files("taizhang") / "data" / "directories"
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("city"), str):
                found[data["city"]] = data
    return found

"""The unit directory: canonical unit names, aliases and groups (各县(区) → its counties)."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class UnitDirectory:
    """Looks unit names up by canonical name or alias."""

    units: list[Unit] = field(default_factory=list)

    def resolve(self, name: str) -> Unit | None:
        """The unit a name refers to, or None when the directory does not know it."""
        for unit in self.units:
            if name == unit.name or name in unit.aliases:
                return unit
        return None


def default_directory(city: str = "中卫市") -> UnitDirectory:
    """The bundled directory for ``city``."""
    return UnitDirectory()

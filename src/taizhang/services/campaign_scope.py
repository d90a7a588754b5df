"""The counties (县(区)) a campaign covers when its document prints no group list: the county units
of the unit directory that its text names, by name or alias, where a group of counties (各县(区))
stands for each of its members. The directory is the data; no county name is written here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..storage.tables import unit_aliases, units
from .groups import group_members


def _fold(text: str) -> str:
    # gazettes print 各县(区) with ASCII or full-width brackets
    return text.replace("（", "(").replace("）", ")")


def _names(conn: Connection) -> dict[int, list[str]]:
    """Every unit's name and aliases, folded, longest first (so 各县(区)人民政府 is found before 县(区))."""
    names: dict[int, list[str]] = {}
    for unit_id, name in conn.execute(sa.select(units.c.id, units.c.name)):
        names.setdefault(int(unit_id), []).append(_fold(name))
    for unit_id, alias in conn.execute(sa.select(unit_aliases.c.unit_id, unit_aliases.c.alias)):
        names.setdefault(int(unit_id), []).append(_fold(alias))
    return {k: sorted(set(v), key=len, reverse=True) for k, v in names.items()}


def counties_named(conn: Connection, text: str) -> list[str]:
    """County units named in ``text`` (directly, or through a group of counties such as 各县(区)),
    in the order the text first names them; a group's members follow the directory's order."""
    return Counties.load(conn).named(text)


@dataclass(frozen=True)
class Counties:
    """The directory's county units, groups and names, read once for the campaigns of one import
    (four queries a campaign before; the import creates no unit while it stores campaigns)."""

    county_name: dict[int, str]
    members: dict[int, list[int]]
    names: dict[int, list[str]]

    @classmethod
    def load(cls, conn: Connection) -> Counties:
        county_rows = conn.execute(sa.select(units.c.id, units.c.name).where(units.c.kind == "county")).all()
        county_name = {int(r.id): r.name for r in county_rows}
        members = {g: [m for m in ms if m in county_name] for g, ms in group_members(conn).items()}
        return cls(county_name, members, _names(conn))

    def named(self, text: str) -> list[str]:
        """:func:`counties_named` of ``text`` in this directory."""
        folded = _fold(text)
        first: list[tuple[int, int, int]] = []  # (position, order within a group, county id)
        for unit_id, names in self.names.items():
            covered = [unit_id] if unit_id in self.county_name else sorted(self.members.get(unit_id, []))
            positions = [p for p in (folded.find(n) for n in names) if p >= 0]
            if covered and positions:
                first.extend((min(positions), n, c) for n, c in enumerate(covered))
        out: list[str] = []
        for _, _, county_id in sorted(first):
            if self.county_name[county_id] not in out:
                out.append(self.county_name[county_id])
        return out


class CountiesOnce:
    """:func:`counties_named` for the campaigns of one import: the directory read at the first
    campaign that needs it."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.loaded: Counties | None = None

    def named(self, text: str) -> list[str]:
        """The county units named in ``text``."""
        if self.loaded is None:
            self.loaded = Counties.load(self.conn)
        return self.loaded.named(text)

"""Who covers a unit on a day: the leader whose 分工 includes it, or their AB岗 partner when away.

Pure rules over plain data. The holders of a unit are ranked by how directly they answer for it
(分管 before 主持 before 联系 before 协助分管); the first present holder covers. When the first
holder is away their AB岗 partner covers in their place, so work never stops; when the partner is
away too, the next holder in rank does; when no one is left, the head of the office (who 主持 its
全面工作) does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

RANK = {"分管": 0, "主持": 1, "联系": 2, "协助分管": 3}


@dataclass(frozen=True)
class Holder:
    """A person whose division of work includes the unit, and how (分管, 联系 …)."""

    person: str
    kind: str
    area: str  # the area or unit as printed in the 分工: 督查科(政府督查室), 生态环境


@dataclass(frozen=True)
class Absence:
    """A person away from ``starts_on`` to ``ends_on`` inclusive."""

    person: str
    starts_on: date
    ends_on: date
    reason: str = ""

    def covers(self, day: date) -> bool:
        """True when ``day`` falls within the absence."""
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Coverage:
    """Who handles the unit's matters on the day, whose they are, and why, in Chinese."""

    person: str | None
    owner: str | None  # the first-ranked holder (None when nobody holds the unit)
    kind: str | None  # the owner's duty
    area: str | None
    via: str  # 本人, AB岗, 次位分工, 主持全面工作, 无人
    reason: str


DUTY_TEXT = {"联系": "{person}协调联系{area}方面工作", "主持": "{person}主持{area}工作"}


def duty_text(holder: Holder) -> str:
    """A holder's duty in words: 雍跃斌分管督查科(政府督查室), 雍跃斌协调联系生态环境方面工作."""
    return DUTY_TEXT.get(holder.kind, "{person}{kind}{area}").format(
        person=holder.person, kind=holder.kind, area=holder.area
    )


def _away(person: str, absences: Sequence[Absence], day: date) -> Absence | None:
    return next((a for a in absences if a.person == person and a.covers(day)), None)


def _absent_text(absence: Absence) -> str:
    why = f"（{absence.reason}）" if absence.reason else ""
    return f"{absence.person}{absence.starts_on.isoformat()}至{absence.ends_on.isoformat()}不在岗{why}"


def who_covers(
    holders: Sequence[Holder],
    backups: Mapping[str, str],
    absences: Sequence[Absence],
    day: date,
    *,
    head: str | None = None,
) -> Coverage:
    """The person who covers a unit held by ``holders`` on ``day``, with the reason."""
    ranked = sorted(holders, key=lambda h: (RANK.get(h.kind, len(RANK)), h.person))
    if not ranked:
        if head and not _away(head, absences, day):
            return Coverage(head, None, None, None, "主持全面工作", f"分工未列明，由主持全面工作的{head}处理")
        return Coverage(None, None, None, None, "无人", "分工中没有负责该单位的人员")
    owner = ranked[0]
    duty = duty_text(owner)
    away = _away(owner.person, absences, day)
    if away is None:
        return Coverage(owner.person, owner.person, owner.kind, owner.area, "本人", duty)
    notes = [duty, _absent_text(away)]
    partner = backups.get(owner.person)
    if partner:
        partner_away = _away(partner, absences, day)
        if partner_away is None:
            return Coverage(
                partner,
                owner.person,
                owner.kind,
                owner.area,
                "AB岗",
                "；".join([*notes, f"由AB岗{partner}代为处理"]),
            )
        notes.append(_absent_text(partner_away))
    for other in ranked[1:]:
        if other.person != partner and _away(other.person, absences, day) is None:
            return Coverage(
                other.person,
                owner.person,
                owner.kind,
                owner.area,
                "次位分工",
                "；".join([*notes, f"由{other.person}（{duty_text(other)}）代为处理"]),
            )
    if head and _away(head, absences, day) is None:
        return Coverage(
            head,
            owner.person,
            owner.kind,
            owner.area,
            "主持全面工作",
            "；".join([*notes, f"由主持全面工作的{head}处理"]),
        )
    return Coverage(None, owner.person, owner.kind, owner.area, "无人", "；".join([*notes, "无人可代"]))

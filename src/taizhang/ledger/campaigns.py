"""Campaign rules, pure: the rectification states of a finding (整改销号), the random draw
(双随机) with conflict-of-interest avoidance, working-day clocks on object events, and progress.

States: 待整改 (found) → 整改中 (the unit is rectifying) → 申请销号 (the unit asks to close, with
evidence) → 已销号 (the office or the group verifies) or 退回 (sent back; the unit rectifies again).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import InvalidInput, InvalidTransition
from ..workdays import add_workdays

FOUND = "待整改"
RECTIFYING = "整改中"
CLOSE_REQUESTED = "申请销号"
CLOSED = "已销号"
RETURNED = "退回"
FINDING_STATES = (FOUND, RECTIFYING, CLOSE_REQUESTED, CLOSED, RETURNED)
SEVERITIES = ("一般", "较大", "重大")

# action → (states it may start from, state it leads to)
FINDING_ACTIONS: dict[str, tuple[frozenset[str], str]] = {
    "rectify": (frozenset({FOUND, RECTIFYING, RETURNED}), RECTIFYING),
    "request_close": (frozenset({FOUND, RECTIFYING, RETURNED}), CLOSE_REQUESTED),
    "verify": (frozenset({CLOSE_REQUESTED}), CLOSED),
    "return": (frozenset({CLOSE_REQUESTED}), RETURNED),
}
_ACTION_NAMES = {"rectify": "报送整改", "request_close": "申请销号", "verify": "验收销号", "return": "退回"}


def next_finding_state(state: str, action: str) -> str:
    """The state ``action`` leads to from ``state``. Raises InvalidTransition with the reason in Chinese."""
    if action not in FINDING_ACTIONS:
        raise InvalidTransition(f"未知的整改操作：{action}")
    sources, target = FINDING_ACTIONS[action]
    if state not in sources:
        raise InvalidTransition(f"问题处于“{state}”状态，不能{_ACTION_NAMES[action]}")
    return target


def needs_supervision(severity: str) -> bool:
    """A major hazard (重大) is supervised by name (挂牌督办)."""
    return severity == "重大"


@dataclass(frozen=True)
class Candidate:
    """An object or an inspector in a draw pool: id, name, the counties it belongs to or covers, and
    the units it belongs to (an inspector's own unit; an object's owner and 行业 department)."""

    id: int
    name: str
    counties: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Avoidance:
    """回避: what an inspector may not be given — objects of their own county, of their own unit."""

    county: bool = True
    unit: bool = True


@dataclass(frozen=True)
class Pairing:
    """One inspector drawn for one object."""

    object_id: int
    object_name: str
    inspector_id: int
    inspector_name: str


def draw(
    objects: Sequence[Candidate],
    inspectors: Sequence[Candidate],
    *,
    n_objects: int,
    n_inspectors: int,
    seed: str,
    avoid: Avoidance = Avoidance(),
) -> list[Pairing]:
    """Draw ``n_objects`` objects and ``n_inspectors`` inspectors at random and pair them.

    The same pools (in any order), counts and seed give the same result. Each object gets one
    drawn inspector, never one of its own county or unit as far as ``avoid`` says; inspectors
    take turns so the work is spread. Raises InvalidInput when the pools are too small or an object
    has no inspector it may be given.
    """
    if n_objects < 1 or n_inspectors < 1:
        raise InvalidInput("抽取的对象数和检查人员数都至少为1")
    if n_objects > len(objects) or n_inspectors > len(inspectors):
        raise InvalidInput(f"库中只有{len(objects)}个对象、{len(inspectors)}名检查人员，不够抽取")
    rng = random.Random(seed)
    chosen_objects = rng.sample(sorted(objects, key=lambda c: c.id), n_objects)
    pool = sorted(inspectors, key=lambda c: c.id)
    for _ in range(_DRAW_ATTEMPTS):  # redraw the inspectors until every object has one it may get
        chosen = rng.sample(pool, n_inspectors)
        pairs = _pair(chosen_objects, chosen, avoid)
        if pairs is not None:
            return pairs
    raise InvalidInput("抽中的对象没有可回避本县（区）或本单位的检查人员，请增加检查人员或抽取人数")


_DRAW_ATTEMPTS = 200


def _pair(objects: list[Candidate], inspectors: list[Candidate], avoid: Avoidance) -> list[Pairing] | None:
    load = {i.id: 0 for i in inspectors}
    pairs: list[Pairing] = []
    for obj in objects:
        allowed = [i for i in inspectors if not conflict(obj, i, avoid)]
        if not allowed:
            return None
        inspector = min(allowed, key=lambda i: (load[i.id], inspectors.index(i)))
        load[inspector.id] += 1
        pairs.append(Pairing(obj.id, obj.name, inspector.id, inspector.name))
    return pairs


def conflict(obj: Candidate, inspector: Candidate, avoid: Avoidance = Avoidance()) -> bool:
    """True when the inspector covers the object's county or belongs to one of its units, as far
    as ``avoid`` asks."""
    same_county = bool(set(obj.counties) & set(inspector.counties))
    same_unit = bool({u for u in obj.units if u} & {u for u in inspector.units if u})
    return (avoid.county and same_county) or (avoid.unit and same_unit)


@dataclass(frozen=True)
class ClockRule:
    """``days`` working days from event ``after`` to the action ``name`` (备案, 现场检查)."""

    name: str
    after: str
    days: int


@dataclass(frozen=True)
class ClockDue:
    """When the action of a clock is due for one object, and whether it is late."""

    name: str
    after: str
    due: date
    done_on: date | None
    late: bool


def clock_dues(rules: Sequence[ClockRule], events: Mapping[str, date], today: date) -> list[ClockDue]:
    """For each rule whose starting event happened, the due day in working days and its state."""
    out: list[ClockDue] = []
    for rule in rules:
        start = events.get(rule.after)
        if start is None:
            continue
        due = add_workdays(start, rule.days)
        done = events.get(rule.name)
        late = (done > due) if done else today > due
        out.append(ClockDue(rule.name, rule.after, due, done, late))
    return out


@dataclass(frozen=True)
class Progress:
    """Counts for one campaign, county or group."""

    objects: int
    inspected: int
    findings: int
    rectified: int
    closed: int

    @property
    def close_rate(self) -> float:
        """销号率: closed findings over findings (0 when there is none)."""
        return self.closed / self.findings if self.findings else 0.0


def progress(objects: Sequence[tuple[int, bool]], findings: Sequence[tuple[int, str]]) -> Progress:
    """Progress over (object id, checked) and (object id, state) of findings.

    An object counts as inspected when it was checked or has a finding; rectified counts the
    findings under rectification or beyond (整改中, 申请销号, 已销号).
    """
    ids = {object_id for object_id, _ in objects}
    inspected = {object_id for object_id, checked in objects if checked} | {
        o for o, _ in findings if o in ids
    }
    rectified = sum(1 for _, s in findings if s in (RECTIFYING, CLOSE_REQUESTED, CLOSED))
    closed = sum(1 for _, s in findings if s == CLOSED)
    return Progress(len(ids), len(inspected), len(findings), rectified, closed)

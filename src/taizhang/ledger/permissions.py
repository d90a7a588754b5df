"""Who may do what: the permission matrix as data, and one predicate per action.

Roles: office (督查室) runs the ledger; unit users work on the tasks of their own unit (any
role on the task: lead, responsible, cooperating, or through a group such as 各县(区));
leaders read only; an inspection group's account (督查组) works only on the campaign objects of
the counties its group covers (``GROUP_AREAS``). Anonymous visitors see public tasks only.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Protocol

from ..errors import PermissionDenied

OFFICE = "office"  # 督查室
UNIT = "unit"  # 责任单位
LEADER = "leader"  # 领导
GROUP = "group"  # 督查组: an inspection group of one campaign, confined to the counties it covers
ROLES = (OFFICE, UNIT, LEADER, GROUP)
ROLE_LABELS = {
    OFFICE: "督查室",
    UNIT: "责任单位",
    LEADER: "领导",
    GROUP: "督查组",
}  # what users read for each role
# roles confined to part of the site: the paths (prefixes) they may open at all
CONFINED_PATHS: dict[str, tuple[str, ...]] = {
    GROUP: (
        "/campaigns",
        "/campaign-objects",
        "/findings",
        "/api/campaigns",
        "/account",
        "/login",
        "/logout",
        "/public",
        "/static",
    ),
}

# action → roles allowed. Actions in OWN_TASK_ACTIONS also need the actor's unit on the task.
MATRIX: dict[str, frozenset[str]] = {
    "view_task": frozenset({OFFICE, UNIT, LEADER}),
    "report": frozenset({UNIT}),
    "request_completion": frozenset({UNIT}),
    "request_extension": frozenset({UNIT}),
    "acknowledge": frozenset({UNIT}),  # 签收: a unit receives its own part of a task
    "read_notice": frozenset({UNIT}),  # mark a 通知 (交办, 批示, 催办) read: only a unit it concerns
    "approve": frozenset({OFFICE}),
    "return": frozenset({OFFICE}),
    "chase": frozenset({OFFICE}),
    "edit_task": frozenset({OFFICE}),
    "create_task": frozenset({OFFICE}),  # 立项 by hand, or from an Excel ledger
    "cancel_task": frozenset({OFFICE}),  # 撤销, with a reason
    "escalate": frozenset({OFFICE}),  # 催办 → 督办函 → 约谈 on a unit's part, one at a time or in a batch
    "read_letter": frozenset(
        {OFFICE, UNIT, LEADER}
    ),  # a 督办函: a unit reads only the letters addressed to it
    "write_instruction": frozenset({OFFICE, LEADER}),  # 批示: a leader's own, or recorded by the office
    "decide_extension": frozenset({OFFICE}),
    "reopen": frozenset({OFFICE}),
    "manage_users": frozenset({OFFICE}),
    "manage_units": frozenset({OFFICE}),  # the unit directory: add, alias, group membership, merge
    "manage_settings": frozenset({OFFICE}),  # the deployment's settings on the web: the issuer (发文机关)
    # per-unit tables of the 督办 cycle: the office and leaders read every row, a unit only its own
    "view_escalations": frozenset({OFFICE, UNIT, LEADER}),  # 催办, 督办函 and 约谈 counted per unit
    "view_evaluation": frozenset({OFFICE, UNIT, LEADER}),  # 考评 ranking, its chart and workbook
    # procedures and people: the office writes; units read their own decisions, leaders read all
    "view_decisions": frozenset({OFFICE, UNIT, LEADER}),
    "manage_decisions": frozenset({OFFICE}),  # procedure steps, complexity flags
    "manage_consultations": frozenset({OFFICE}),  # request, panel, opinions, adoption, report, archive
    "view_experts": frozenset({OFFICE, LEADER}),  # the pool holds personal data
    "manage_experts": frozenset({OFFICE}),
    "view_people": frozenset({OFFICE, UNIT, LEADER}),
    "manage_people": frozenset({OFFICE}),  # absences
    "route_request": frozenset({OFFICE}),  # 审批 / 通知 to the leader who covers a unit
    "decide_request": frozenset({OFFICE, LEADER}),
    "manage_registry": frozenset({OFFICE}),  # status of normative documents
    # campaigns: the office runs them; inspecting units (the groups' unit, the 属地 county) record and
    # verify findings; responsible units rectify their own findings and ask for 销号
    "view_campaigns": frozenset({OFFICE, UNIT, LEADER, GROUP}),
    "manage_campaigns": frozenset({OFFICE}),  # objects, inspector pool, draws, 挂牌督办, credit records
    "manage_findings": frozenset({OFFICE, UNIT, GROUP}),  # record, verify, return; clock events
    "manage_rectification": frozenset({UNIT}),
}
OWN_TASK_ACTIONS = frozenset({"report", "request_completion", "request_extension", "acknowledge"})
ALL_UNITS_ROLES = frozenset({OFFICE, LEADER})  # who reads every unit's rows of a per-unit table
# actions on something addressed to units (a 督办函): roles outside ALL_UNITS_ROLES need their unit among them
ADDRESSED_ACTIONS = frozenset({"read_letter", "read_notice"})


class HasRole(Protocol):
    """Anything with a role and unit ids: an :class:`Actor` or ``services.accounts.UserInfo``."""

    @property
    def role(self) -> str: ...

    @property
    def unit_ids(self) -> frozenset[int]: ...


@dataclass(frozen=True)
class Actor:
    """The acting user as the rules see it: a role and the units it speaks for."""

    role: str
    unit_ids: frozenset[int] = frozenset()


def is_allowed(actor: HasRole | None, action: str, task_unit_ids: Set[int] = frozenset()) -> bool:
    """True when ``actor`` may do ``action`` (on a task of ``task_unit_ids`` for own-task actions)."""
    if actor is None or action not in MATRIX or actor.role not in MATRIX[action]:
        return False
    if action in OWN_TASK_ACTIONS or (action in ADDRESSED_ACTIONS and actor.role not in ALL_UNITS_ROLES):
        return bool(actor.unit_ids & frozenset(task_unit_ids))
    return True


def can_view_task(actor: HasRole | None, *, is_public: bool = False) -> bool:
    """Every signed-in role reads the whole ledger; anonymous visitors only public tasks."""
    return is_public or is_allowed(actor, "view_task")


def can_report(actor: HasRole | None, task_unit_ids: Set[int]) -> bool:
    """Unit users of one of the task's units submit progress reports (进展报告)."""
    return is_allowed(actor, "report", task_unit_ids)


def can_request_completion(actor: HasRole | None, task_unit_ids: Set[int]) -> bool:
    """Unit users of one of the task's units ask for completion (申请办结)."""
    return is_allowed(actor, "request_completion", task_unit_ids)


def can_request_extension(actor: HasRole | None, task_unit_ids: Set[int]) -> bool:
    """Unit users of one of the task's units ask for more time (申请延期)."""
    return is_allowed(actor, "request_extension", task_unit_ids)


def can_read_notice(actor: HasRole | None, addressed_unit_ids: Set[int]) -> bool:
    """A unit user marks read (已读) a notice addressed to its unit (or a group of it), nobody else's."""
    return is_allowed(actor, "read_notice", addressed_unit_ids)


def can_acknowledge(actor: HasRole | None, part_unit_ids: Set[int]) -> bool:
    """A unit user signs for (签收) its own unit's part of a task, never another unit's."""
    return is_allowed(actor, "acknowledge", part_unit_ids)


def can_approve(actor: HasRole | None) -> bool:
    """The office approves completion (办结)."""
    return is_allowed(actor, "approve")


def can_return(actor: HasRole | None) -> bool:
    """The office returns a completion request (退回)."""
    return is_allowed(actor, "return")


def can_chase(actor: HasRole | None) -> bool:
    """The office chases a unit (催办)."""
    return is_allowed(actor, "chase")


def can_edit_task(actor: HasRole | None) -> bool:
    """The office corrects, splits and merges tasks during review."""
    return is_allowed(actor, "edit_task")


def can_create_task(actor: HasRole | None) -> bool:
    """The office creates tasks (立项) by hand or from a workbook."""
    return is_allowed(actor, "create_task")


def can_cancel_task(actor: HasRole | None) -> bool:
    """The office cancels a task (撤销) with a reason."""
    return is_allowed(actor, "cancel_task")


def can_escalate(actor: HasRole | None) -> bool:
    """The office chases, sends a 督办函 and holds a 约谈."""
    return is_allowed(actor, "escalate")


def can_write_instruction(actor: HasRole | None) -> bool:
    """A leader writes a 批示 on a task; the office records one on a leader's behalf."""
    return is_allowed(actor, "write_instruction")


def can_read_letter(actor: HasRole | None, addressed_unit_ids: Set[int]) -> bool:
    """The office and leaders read every 督办函; a unit user only those addressed to its unit (or its group)."""
    return is_allowed(actor, "read_letter", addressed_unit_ids)


def can_decide_extension(actor: HasRole | None) -> bool:
    """The office grants or refuses an extension."""
    return is_allowed(actor, "decide_extension")


def can_reopen(actor: HasRole | None) -> bool:
    """The office reopens a completed task (重开)."""
    return is_allowed(actor, "reopen")


def can_manage_users(actor: HasRole | None) -> bool:
    """The office adds users and issues tokens."""
    return is_allowed(actor, "manage_users")


def can(actor: HasRole | None, action: str) -> bool:
    """True when ``actor``'s role may do ``action`` (for actions that do not depend on a task)."""
    return action not in OWN_TASK_ACTIONS | ADDRESSED_ACTIONS and is_allowed(actor, action)


def sees_all_units(actor: HasRole | None) -> bool:
    """True when ``actor`` reads every unit's rows of a per-unit table; a unit user sees its own only."""
    return actor is not None and actor.role in ALL_UNITS_ROLES


def may_open(actor: HasRole | None, path: str) -> bool:
    """False when ``actor``'s role is confined to part of the site and ``path`` lies outside it."""
    areas = CONFINED_PATHS.get(actor.role) if actor is not None else None
    return areas is None or any(path == a or path.startswith(a + "/") for a in areas)


def require(allowed: bool, message: str) -> None:
    """Raise PermissionDenied(message) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)

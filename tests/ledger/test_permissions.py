"""The permission matrix: every action × every role, own unit, another unit, a group, anonymous."""

from __future__ import annotations

import pytest

from taizhang.errors import PermissionDenied
from taizhang.ledger import permissions as perm

TASK_UNITS = frozenset({10, 20})  # e.g. 市卫生健康委 (10) and the group 各县(区) (20)
OWN = {
    "office": perm.Actor("office"),
    "unit": perm.Actor("unit", frozenset({10})),
    "leader": perm.Actor("leader"),
    "group": perm.Actor("group"),
}
VIA_GROUP = perm.Actor("unit", frozenset({33, 20}))  # 中宁县 (33) is in 各县(区) (20)
OTHER_UNIT = perm.Actor("unit", frozenset({99}))

EXPECTED = {
    "view_task": {"office", "unit", "leader"},
    "report": {"unit"},
    "request_completion": {"unit"},
    "request_extension": {"unit"},
    "acknowledge": {"unit"},
    "read_notice": {"unit"},  # a 通知 addressed to the unit (or a group of it) only
    "approve": {"office"},
    "return": {"office"},
    "chase": {"office"},
    "edit_task": {"office"},
    "create_task": {"office"},
    "cancel_task": {"office"},
    "escalate": {"office"},
    "read_letter": {"office", "unit", "leader"},  # a unit user: the letters addressed to it only
    "write_instruction": {"office", "leader"},
    "decide_extension": {"office"},
    "reopen": {"office"},
    "manage_users": {"office"},
    "manage_units": {"office"},
    "manage_settings": {"office"},  # the issuer (发文机关) of letters and notices, set on /admin
    "view_decisions": {"office", "unit", "leader"},
    "manage_decisions": {"office"},
    "manage_consultations": {"office"},
    "view_experts": {"office", "leader"},
    "manage_experts": {"office"},
    "view_people": {"office", "unit", "leader"},
    "manage_people": {"office"},
    "route_request": {"office"},
    "decide_request": {"office", "leader"},
    "manage_registry": {"office"},
    "view_campaigns": {"office", "unit", "leader", "group"},
    "manage_campaigns": {"office"},
    "manage_findings": {"office", "unit", "group"},  # a 督查组 account: the counties its group covers
    "manage_rectification": {"unit"},
    "view_escalations": {"office", "unit", "leader"},  # a unit user: its own rows only
    "view_evaluation": {"office", "unit", "leader"},  # a unit user: its own row only
}
# actions of procedures and people, asked of the matrix with the one generic predicate perm.can
GENERIC = {
    action for action in EXPECTED if action.startswith(("view_", "manage_", "route_", "decide_request"))
} - {"view_task", "manage_users"}

PREDICATES = {
    "report": perm.can_report,
    "request_completion": perm.can_request_completion,
    "request_extension": perm.can_request_extension,
    "acknowledge": perm.can_acknowledge,
    "approve": perm.can_approve,
    "return": perm.can_return,
    "chase": perm.can_chase,
    "edit_task": perm.can_edit_task,
    "decide_extension": perm.can_decide_extension,
    "reopen": perm.can_reopen,
    "manage_users": perm.can_manage_users,
    "create_task": perm.can_create_task,
    "cancel_task": perm.can_cancel_task,
    "escalate": perm.can_escalate,
    "write_instruction": perm.can_write_instruction,
    "read_letter": perm.can_read_letter,
    "read_notice": perm.can_read_notice,
}


def test_matrix_covers_every_action_with_a_predicate():
    assert set(perm.MATRIX) == set(EXPECTED) == set(PREDICATES) | {"view_task"} | GENERIC


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", perm.ROLES)
def test_every_action_for_every_role(action, role):
    actor = OWN[role]
    expected = role in EXPECTED[action]
    assert perm.is_allowed(actor, action, TASK_UNITS) is expected
    if action in PREDICATES:
        fn = PREDICATES[action]
        needs_units = action in perm.OWN_TASK_ACTIONS | perm.ADDRESSED_ACTIONS
        result = fn(actor, TASK_UNITS) if needs_units else fn(actor)
        assert result is expected
    if action in GENERIC:
        assert perm.can(actor, action) is expected
        assert perm.can(None, action) is False


@pytest.mark.parametrize("action", sorted(perm.OWN_TASK_ACTIONS))
def test_unit_actions_need_the_unit_on_the_task(action):
    assert perm.is_allowed(VIA_GROUP, action, TASK_UNITS)
    assert not perm.is_allowed(OTHER_UNIT, action, TASK_UNITS)
    assert not perm.is_allowed(OWN["unit"], action, frozenset())


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_anonymous_may_do_nothing(action):
    assert not perm.is_allowed(None, action, TASK_UNITS)


def test_anonymous_sees_public_tasks_only():
    assert perm.can_view_task(None, is_public=True)
    assert not perm.can_view_task(None)
    assert perm.can_view_task(OWN["leader"])


def test_require_raises_with_the_message():
    perm.require(True, "fine")
    with pytest.raises(PermissionDenied, match="office only"):
        perm.require(False, "office only")


@pytest.mark.parametrize(
    ("actor", "sees_all"),
    [
        (OWN["office"], True),
        (OWN["leader"], True),
        (OWN["unit"], False),
        (VIA_GROUP, False),
        (OTHER_UNIT, False),
        (None, False),
    ],
)
def test_only_the_office_and_leaders_read_every_units_rows(actor, sees_all):
    assert perm.sees_all_units(actor) is sees_all


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (OWN["office"], True),
        (OWN["leader"], True),
        (OWN["unit"], True),
        (VIA_GROUP, True),
        (OTHER_UNIT, False),
        (None, False),
    ],
)
def test_a_letter_is_read_by_the_office_leaders_and_the_units_it_is_addressed_to(actor, allowed):
    assert perm.can_read_letter(actor, TASK_UNITS) is allowed
    # the office and leaders need no unit of their own; a unit needs its unit (or group) addressed
    assert perm.can_read_letter(actor, frozenset({77})) is (
        allowed and actor is not None and actor.role != "unit"
    )
    assert not perm.can(actor, "read_letter")  # never asked without the addressees


@pytest.mark.parametrize(
    ("path", "opens"),
    [
        ("/campaigns", True),
        ("/campaigns/2", True),
        ("/findings/3/verify", True),
        ("/api/campaigns/2", True),
        ("/public/campaigns", True),
        ("/", False),
        ("/ledger", False),
        ("/api/tasks", False),
        ("/campaignsx", False),
    ],
)
def test_a_group_account_opens_only_its_part_of_the_site(path, opens):
    assert perm.may_open(OWN["group"], path) is opens
    assert all(perm.may_open(OWN[role], path) for role in ("office", "unit", "leader"))


def test_a_notice_is_marked_read_only_by_a_unit_it_is_addressed_to():
    assert perm.can_read_notice(OWN["unit"], {10})
    assert perm.can_read_notice(VIA_GROUP, {20})  # a 催办 of a 各县(区) task reaches 中宁县
    assert not perm.can_read_notice(OTHER_UNIT, {10, 20})
    assert not perm.can_read_notice(OWN["office"], {10}) and not perm.can_read_notice(OWN["leader"], {10})

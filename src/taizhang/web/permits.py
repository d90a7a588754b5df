"""Dependencies that let a request through when the permission matrix allows its action.

``Allowed("manage_consultations")`` is a user whose role ``ledger.permissions.MATRIX`` lists for
that action; anonymous requests get 401, other roles 403. The matrix stays the one place that
says who may do what.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends

from ..ledger import permissions as perm
from .deps import CurrentUser, UserInfo


def allowed(action: str) -> Any:
    """A dependency returning the current user when the matrix allows ``action`` to their role."""
    if action not in perm.MATRIX:
        raise ValueError(f"权限表中没有此操作：{action}")

    async def dependency(user: CurrentUser) -> UserInfo:
        perm.require(perm.can(user, action), "无权执行此操作")
        return user

    dependency.__name__ = f"allowed_{action}"
    return Depends(dependency)


ViewDecisions = Annotated[UserInfo, allowed("view_decisions")]
ManageDecisions = Annotated[UserInfo, allowed("manage_decisions")]
ManageConsultations = Annotated[UserInfo, allowed("manage_consultations")]
ViewExperts = Annotated[UserInfo, allowed("view_experts")]
ManageExperts = Annotated[UserInfo, allowed("manage_experts")]
ViewPeople = Annotated[UserInfo, allowed("view_people")]
ManagePeople = Annotated[UserInfo, allowed("manage_people")]
RouteRequests = Annotated[UserInfo, allowed("route_request")]
DecideRequests = Annotated[UserInfo, allowed("decide_request")]
ManageRegistry = Annotated[UserInfo, allowed("manage_registry")]

"""The deployment's settings in the API: the issuer (发文机关) of letters and notices, as on /admin.

Reading and changing it are the matrix's ``manage_settings`` (the office's); every change is in
the change log.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ..backend import deployment
from ..deps import CurrentUser, DbConn, SettingsDep
from ..routing import CommitRoute
from ..schemas import IssuerPublic, IssuerUpdate

router = APIRouter(route_class=CommitRoute, prefix="/api/settings", tags=["settings"])


@router.get("/issuer", response_model=IssuerPublic)
def get_issuer(conn: DbConn, user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """The issuer letters and notices carry now, and whether the office set it."""
    return deployment.issuer_setting(conn, user, settings)


@router.put("/issuer", response_model=IssuerPublic)
def put_issuer(body: IssuerUpdate, conn: DbConn, user: CurrentUser, settings: SettingsDep) -> dict[str, Any]:
    """The office names the issuer (stored; overrides the configuration); 400 when empty or too long."""
    deployment.set_issuer(conn, user, body.issuer)
    return deployment.issuer_setting(conn, user, settings)

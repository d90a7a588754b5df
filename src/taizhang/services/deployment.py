"""Settings of the deployment the office changes on the web; each overrides the configuration."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import InvalidInput
from ..ledger import permissions as perm
from ..settings import Settings, issuing_office
from ..storage.tables import deployment_settings
from .audit import record_change
from .user_info import UserInfo

ISSUER = "issuer"  # 发文机关 of 督办函 and 通报
_LONGEST = 100


def stored_issuer(conn: Connection) -> str | None:
    """The issuer the office set on the web, or None."""
    return conn.execute(
        sa.select(deployment_settings.c.value).where(deployment_settings.c.key == ISSUER)
    ).scalar()


def issuer_of(conn: Connection, settings: Settings) -> str:
    """The 发文机关 letters and notices are headed and signed with: the web setting, else the configuration."""
    return stored_issuer(conn) or issuing_office(settings)


def issuer_setting(conn: Connection, actor: UserInfo, settings: Settings) -> dict[str, str | bool]:
    """The issuer in use and whether the office set it (``from_web``) or it comes from the configuration.

    Only those who may change the deployment's settings read it here (the matrix's ``manage_settings``).
    """
    perm.require(perm.can(actor, "manage_settings"), f"{actor.name} 无权查看发文机关设置：只有督查室可以查看")
    stored = stored_issuer(conn)
    return {"issuer": stored or issuing_office(settings), "from_web": stored is not None}


def set_issuer(conn: Connection, actor: UserInfo, name: str) -> None:
    """The office names the issuer; the change is in the change log."""
    perm.require(perm.can(actor, "manage_settings"), f"{actor.name} 无权修改发文机关：只有督查室可以修改")
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("发文机关不能为空")
    if len(name) > _LONGEST:
        raise InvalidInput(f"发文机关不能超过{_LONGEST}个字")
    before = stored_issuer(conn)
    if before == name:
        return
    now = datetime.now(UTC).replace(microsecond=0)
    if before is None:
        conn.execute(deployment_settings.insert().values(key=ISSUER, value=name, updated_at=now))
    else:
        conn.execute(
            deployment_settings.update()
            .where(deployment_settings.c.key == ISSUER)
            .values(value=name, updated_at=now)
        )
    record_change(
        conn,
        actor=actor.name,
        action="set_issuer",
        entity="deployment_setting",
        entity_id=None,
        before={"issuer": before},
        after={"issuer": name},
    )

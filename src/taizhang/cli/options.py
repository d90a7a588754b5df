"""What every command shares: the --db and --json options, opening the ledger, printing JSON, dates."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any

import typer
from sqlalchemy.engine import Engine

from ..errors import InvalidInput
from ..services.database import open_ledger
from ..services.user_info import UserInfo
from ..settings import load_settings

BUNDLED_GAZETTE = "zhongwei-gazette-2022-02.txt"  # shipped in taizhang/data, used by demo and who
CLI_ACTOR = "cli"  # the change log's actor for commands run without a user
# Commands run by whoever holds the database file act as the office.
CLI_OFFICE = UserInfo(id=0, name=CLI_ACTOR, role="office", unit_id=None, unit_name=None, unit_ids=frozenset())

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="数据库地址（默认：TAIZHANG_DATABASE_URL 或 `sqlite:///taizhang.db`）。"),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON 而不是表格。")]


def ledger_engine(db: str | None) -> Engine:
    """The ledger database named by --db, else by the settings; it must exist with the current schema
    (``taizhang init`` makes one, ``taizhang db upgrade`` brings an older one up to date)."""
    return open_ledger(load_settings(database_url=db).database_url)


def _json_default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def print_json(data: Any) -> None:
    """Print data as indented JSON with Chinese kept readable and dates in ISO form."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=1, default=_json_default))


def parse_date(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or None; anything else is a one-line InvalidInput naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}：{value!r} 不是日期（应为 YYYY-MM-DD）") from None

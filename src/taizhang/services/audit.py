"""全过程留痕: the append-only, hash-chained change log, keyed with the deployment's secret.

Every service that changes the ledger calls :func:`record_change` inside its transaction.
Each entry's hash is an HMAC-SHA256, under a key derived from ``Settings.secret_key``, of its own
content and the previous entry's hash: editing or deleting any entry breaks the chain from that
point, and without the key nobody can append an entry, or rehash an edited one, that
:func:`verify_chain` accepts.

The key comes from the connection's ``audit_key`` execution option (the web app sets it from its
settings), else from the settings of the environment, read once per transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..settings import load_settings
from ..storage.tables import change_log

GENESIS = "0" * 64
_HEAD = "taizhang.change_log_head"  # (transaction, hash of the last entry it appended)
_INSERT = change_log.insert()  # one statement, compiled once, for every entry


def _canonical(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def audit_key(secret_key: str) -> bytes:
    """The change log's key, derived from the deployment secret (never the secret itself)."""
    return hmac.new(secret_key.encode("utf-8"), b"taizhang change log", hashlib.sha256).digest()


def connection_key(conn: Connection) -> bytes:
    """The key for entries written or checked on ``conn`` (see the module docstring)."""
    key = conn.get_execution_options().get("audit_key")
    return key if isinstance(key, bytes) else audit_key(load_settings().secret_key)


def entry_hash(prev_hash: str, at: str, actor: str, action: str, entity: str, entity_id: int | None,
               before: Any, after: Any, key: bytes | None = None) -> str:
    """HMAC-SHA256 under ``key`` (plain SHA-256 without one) over one entry and the hash before it."""
    payload = json.dumps(
        [prev_hash, at, actor, action, entity, entity_id, _canonical(before), _canonical(after)],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


def _normalise_at(at: datetime) -> str:
    # Databases differ in how they give timestamps back (tz-aware or naive, microseconds);
    # the hash uses UTC at second precision so a round trip gives the same text.
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.replace(microsecond=0).isoformat()


def record_change(
    conn: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: Any = None,
    after: Any = None,
    at: datetime | None = None,
) -> int:
    """Append one entry to the change log; returns its id. Call inside the changing transaction.

    The chain's head is read once per transaction (or savepoint) and then kept on the connection: the first
    entry locks the log (PostgreSQL) or the database (SQLite's write lock) until the transaction
    ends, so no other writer can append in between, and an import's thousand entries cost one
    read of the head, not a thousand.
    """
    transaction = conn.get_nested_transaction() or conn.get_transaction()
    head = conn.info.get(_HEAD)
    if head is None or head[0] is not transaction:
        if conn.dialect.name == "postgresql":
            # serialise writers so two transactions never chain onto the same previous entry
            conn.execute(sa.text("LOCK TABLE change_log IN EXCLUSIVE MODE"))
        last = conn.execute(sa.select(change_log.c.hash).order_by(change_log.c.id.desc()).limit(1)).scalar()
        head = (transaction, last or GENESIS, connection_key(conn))
    prev, key = head[1], head[2]
    at = (at or datetime.now(UTC)).replace(microsecond=0)
    before, after = _canonical(before), _canonical(after)
    digest = entry_hash(prev, _normalise_at(at), actor, action, entity, entity_id, before, after, key)
    row = {"at": at, "actor": actor, "action": action, "entity": entity, "entity_id": entity_id,
           "before": before, "after": after, "prev_hash": prev, "hash": digest}
    result = conn.execute(_INSERT, row)
    conn.info[_HEAD] = (transaction, digest, key)
    return int(result.inserted_primary_key[0])


@dataclass(frozen=True)
class ChainProblem:
    """One broken link: the entry id and what is wrong with it."""

    entry_id: int
    message: str


def verify_chain(conn: Connection, *, unkeyed_before: int | None = None,
                 key: bytes | None = None) -> tuple[int, list[ChainProblem]]:
    """Recompute every hash; returns the number of entries checked and the problems found.

    Entries must carry this deployment's keyed hash; those with an id below ``unkeyed_before``
    (a ledger written before the log was keyed) may carry the plain SHA-256 instead.
    """
    key = key or connection_key(conn)
    problems: list[ChainProblem] = []
    prev = GENESIS
    count = 0
    rows = conn.execute(sa.select(change_log).order_by(change_log.c.id))
    for row in rows:
        count += 1
        if row.prev_hash != prev:
            problems.append(ChainProblem(row.id, "与前一条的哈希链接断开（之前的记录被删除或修改）"))
        fields = (row.prev_hash, _normalise_at(row.at), row.actor, row.action, row.entity, row.entity_id,
                  row.before, row.after)
        valid = {entry_hash(*fields, key=key)}
        if unkeyed_before is not None and row.id < unkeyed_before:
            valid.add(entry_hash(*fields))
        if row.hash not in valid:
            problems.append(ChainProblem(
                row.id, "内容与其带密钥的哈希不符（该记录被修改，或未用密钥写入）"))
        prev = row.hash
    return count, problems


def history(conn: Connection, entity: str, entity_id: int) -> list[dict[str, Any]]:
    """The change log of one record, oldest first, as plain dicts."""
    rows = conn.execute(
        sa.select(change_log)
        .where(change_log.c.entity == entity, change_log.c.entity_id == entity_id)
        .order_by(change_log.c.id)
    )
    return [dict(r._mapping) for r in rows]

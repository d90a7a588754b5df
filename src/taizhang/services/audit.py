"""全过程留痕: the append-only, hash-chained change log, keyed with the deployment's secret.

Every service that changes the ledger calls :func:`record_change` inside its transaction.
Each entry's hash is an HMAC-SHA256, under a key derived from ``Settings.secret_key``, of its own
content and the previous entry's hash: editing or deleting any entry breaks the chain from that
point, and without the key nobody can append an entry, or rehash an edited one, that
:func:`verify_chain` accepts. The chain's head (the last entry's id and hash) is signed with the
same key in ``change_log_head`` with every entry: a log whose newest entries were deleted no
longer ends where the signed head says (:func:`verify_head`).

The key comes from the connection's ``audit_key`` execution option (the web app sets it from its
settings), else from the settings of the environment, read once per transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql import visitors

from ..settings import load_settings
from ..storage.bulk import insert_rows, writing_rows
from ..storage.tables import change_log, change_log_head
from . import bulk_counts
from .tallies import counting_own_writes_alongside

GENESIS = "0" * 64
_HEAD = "taizhang.change_log_head"  # (transaction, hash of the last entry it appended)
_INSERT = change_log.insert()  # one statement, compiled once, for every entry
_COLUMNS = ("at", "actor", "action", "entity", "entity_id", "before", "after", "prev_hash", "hash")
_PENDING = "taizhang.change_log_pending"  # (transaction, entries of a batch not written yet)
# one encoder for every entry's hash: json.dumps with these options builds a new one per call
_PAYLOAD = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_PLAIN = frozenset((str, int, float, bool, type(None)))  # values an entry holds as they are
_WAITING = "taizhang.change_log_waiting"  # (transaction, entries it recorded, chained at its commit)
_AT_COMMIT = "taizhang_change_log_at_commit"  # an engine whose transactions append at commit
_KEY = "taizhang.audit_key"  # (transaction, the key read from the settings for it)
_UNSIGNED = "taizhang.change_log_unsigned"  # hash of the last entry a batch wrote without signing the head
# entries at a commit from which the server counts the transaction's writes while they are hashed:
# below it the statement's round trip costs about what the overlap saves
_HASHED_ALONGSIDE = 100


def _canonical(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    # a plain member is taken as it is without a call: entries are mostly such dicts and lists
    if isinstance(value, dict):
        return {str(k): v if type(v) in _PLAIN else _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN else _canonical(v) for v in value]
    return value


def audit_key(secret_key: str) -> bytes:
    """The change log's key, derived from the deployment secret (never the secret itself)."""
    return hmac.new(secret_key.encode("utf-8"), b"taizhang change log", hashlib.sha256).digest()


def connection_key(conn: Connection) -> bytes:
    """The key for entries written or checked on ``conn`` (see the module docstring)."""
    key = conn.get_execution_options().get("audit_key")
    if isinstance(key, bytes):
        return key
    # reading the settings takes milliseconds, and an import asks for the key at every batch it seals
    transaction = conn.get_transaction()
    known = conn.info.get(_KEY)
    if transaction is not None and known is not None and known[0] is transaction:
        return bytes(known[1])
    key = audit_key(load_settings().secret_key)
    if transaction is not None:
        conn.info[_KEY] = (transaction, key)
    return key


def entry_hash(
    prev_hash: str,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: Any,
    after: Any,
    key: bytes | None = None,
) -> str:
    """HMAC-SHA256 under ``key`` (plain SHA-256 without one) over one entry and the hash before it."""
    return _digest(
        [prev_hash, at, actor, action, entity, entity_id, _canonical(before), _canonical(after)], key
    )


def _digest(fields: list[Any], key: bytes | None) -> str:
    """:func:`entry_hash` of its fields (prev_hash, at, actor, action, entity, entity_id, before,
    after), ``before`` and ``after`` already in canonical form."""
    payload = _PAYLOAD.encode(fields).encode("utf-8")
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.digest(key, payload, "sha256").hex()  # one-shot: no HMAC object per entry


@lru_cache(maxsize=256)  # an import's thousands of entries fall in a few seconds
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
) -> None:
    """Append one entry to the change log. Call inside the changing transaction.

    On an engine given to :func:`append_at_commit` (every ledger engine), an entry recorded outside
    a savepoint waits in memory and the transaction's entries are chained and written when it
    commits (:func:`append_waiting`). Otherwise the chain's head is read at the first entry of a
    transaction (or savepoint) and then kept on the connection: that entry locks the log
    (PostgreSQL) or the database (SQLite's write lock) until the transaction ends, so no other
    writer can append in between, and an import's thousand entries cost one read of the head, not
    a thousand. Inside :func:`change_batch` the entry is written with the batch's others when the
    batch is flushed.
    """
    transaction = conn.get_nested_transaction() or conn.get_transaction()
    at = (at or datetime.now(UTC)).replace(microsecond=0)
    before, after = _canonical(before), _canonical(after)
    head = conn.info.get(_HEAD)
    if (head is None or head[0] is not transaction) and _waits_for_commit(conn, transaction):
        waiting = conn.info.get(_WAITING)
        if waiting is None or waiting[0] is not transaction:
            waiting = conn.info[_WAITING] = (transaction, [])
        waiting[1].append((at, actor, action, entity, entity_id, before, after))
        return
    pending = conn.info.get(_PENDING)
    if pending is not None and pending[0] is not transaction:
        pending = None  # inside a savepoint opened in the batch: written at once, to go with it
    if head is None or head[0] is not transaction:
        head = _take_head(conn, transaction)
    prev, key = head[1], head[2]
    digest = _digest([prev, _normalise_at(at), actor, action, entity, entity_id, before, after], key)
    row = _row(prev, digest, at, actor, action, entity, entity_id, before, after)
    if pending is not None:
        pending[1].append(row)
    else:
        entry_id = conn.execute(_INSERT, row).inserted_primary_key[0]
        _write_head(conn, int(entry_id), digest, key)
    conn.info[_HEAD] = (transaction, digest, key)


def _row(prev: str, digest: str, *fields: Any) -> dict[str, Any]:
    at, actor, action, entity, entity_id, before, after = fields
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before": before,
        "after": after,
        "prev_hash": prev,
        "hash": digest,
    }


def _take_head(conn: Connection, transaction: Any) -> tuple[Any, str, bytes]:
    """Lock the log for the rest of the transaction and read the chain's head (see record_change)."""
    _lock_log(conn)
    last = conn.execute(sa.select(change_log.c.hash).order_by(change_log.c.id.desc()).limit(1)).scalar()
    head = (transaction, last or GENESIS, connection_key(conn))
    conn.info[_HEAD] = head
    return head


def _lock_log(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # serialise appends so two transactions never chain onto the same previous entry
        conn.execute(sa.text("LOCK TABLE change_log IN EXCLUSIVE MODE"))


def append_at_commit(engine: Engine) -> Engine:
    """Let the transactions of ``engine`` append their change-log entries when they commit; returns it.

    Only the append is serialised then: the log's lock (PostgreSQL) is taken just before the
    commit, after every other write of the transaction, so two writers of different tasks no
    longer wait for each other's whole transaction, and the lock's holder waits for no row while
    it holds it. The chain is the same: entries are chained in the order their transactions
    commit. A statement that reads the log, or a savepoint, writes the waiting entries first, so a
    transaction still reads its own entries and a savepoint's rollback cannot take them along.
    """
    if not getattr(engine, _AT_COMMIT, False):
        sa.event.listen(engine, "before_execute", _before_reading_the_log)
        sa.event.listen(engine, "savepoint", _append_before_savepoint)
        sa.event.listen(engine, "commit", _append_at_commit)
        sa.event.listen(engine, "rollback", _drop_waiting)
        setattr(engine, _AT_COMMIT, True)
        setattr(engine, bulk_counts.AT_COMMIT, True)
    return engine


def _waits_for_commit(conn: Connection, transaction: Any) -> bool:
    return (
        transaction is not None
        and transaction is conn.get_transaction()  # not inside a savepoint
        and getattr(conn.engine, _AT_COMMIT, False)
    )


def _append_at_commit(conn: Connection) -> None:
    append_waiting(conn, committing=True)
    if bulk_counts.waiting(conn):  # rows written in bulk, not counted with the entries' append
        if conn.info.get(_HEAD, (None,))[0] is not conn.get_transaction():
            _lock_log(conn)  # the totals are counted by one writer at a time, the log's holder
        bulk_counts.count_waiting(conn)


def append_waiting(conn: Connection, *, committing: bool = False) -> None:
    """Chain and write the entries the open transaction recorded so far (``commit`` event).

    ``committing``: the transaction commits next. With many entries (an import's thousands) the
    server then runs the transaction's deferred counting triggers, which the commit would run
    after the append, while the entries are hashed here (``tallies.counting_own_writes_alongside``):
    on PostgreSQL each takes about as long. The log's lock is taken first, as before: the running
    totals are still counted only by the writer holding it.
    """
    waiting = conn.info.pop(_WAITING, None)
    if waiting is None or not waiting[1] or waiting[0] is not conn.get_transaction():
        return
    transaction, entries = waiting
    head = conn.info.get(_HEAD)
    if head is None or head[0] is not transaction:
        head = _take_head(conn, transaction)
    prev, key = head[1], head[2]
    if len(entries) == 1:
        at, actor, action, entity, entity_id, before, after = entries[0]
        digest = _digest([prev, _normalise_at(at), actor, action, entity, entity_id, before, after], key)
        row = _row(prev, digest, at, actor, action, entity, entity_id, before, after)
        _write_head(conn, int(conn.execute(_INSERT, row).inserted_primary_key[0]), digest, key)
        conn.info[_HEAD] = (transaction, digest, key)
        return
    if committing and len(entries) >= _HASHED_ALONGSIDE and conn.dialect.name == "postgresql":
        with counting_own_writes_alongside(conn):
            rows = list(_chained(entries, prev, key))
        insert_rows(conn, change_log, _COLUMNS, rows)
        prev = rows[-1]["hash"]
    else:
        # on PostgreSQL each entry is on its way to the server while the next is hashed
        # (storage.bulk.writing_rows), elsewhere one executemany
        with writing_rows(conn, change_log, _COLUMNS) as write:
            for row in _chained(entries, prev, key):
                write(row)
                prev = row["hash"]
    _sign_head(conn, prev, key)
    conn.info[_HEAD] = (transaction, prev, key)


def _chained(entries: list[tuple[Any, ...]], prev: str, key: bytes) -> Iterator[dict[str, Any]]:
    """The change-log rows of ``entries`` (as :func:`record_change` keeps them), chained onto ``prev``."""
    for at, actor, action, entity, entity_id, before, after in entries:
        digest = _digest([prev, _normalise_at(at), actor, action, entity, entity_id, before, after], key)
        yield _row(prev, digest, at, actor, action, entity, entity_id, before, after)
        prev = digest


def _append_before_savepoint(conn: Connection, name: str | None) -> None:
    append_waiting(conn)


def _drop_waiting(conn: Connection) -> None:
    conn.info.pop(_WAITING, None)


def _before_reading_the_log(conn: Connection, clause: Any, *_: Any) -> None:
    """A statement that reads the change log sees the transaction's own entries: they go in first."""
    if conn.info.get(_WAITING) is None:
        return
    if isinstance(clause, sa.TextClause):
        reads = "change_log" in clause.text
    elif isinstance(clause, sa.sql.ClauseElement):
        reads = any(element is change_log for element in visitors.iterate(clause))
    else:
        reads = "change_log" in str(clause)
    if reads:
        append_waiting(conn)


@contextmanager
def change_batch(conn: Connection) -> Iterator[None]:
    """Entries recorded inside the block are written together (one executemany per
    :func:`flush_changes` and at the end), not one INSERT each; the chain is the same.

    On an engine that appends at commit (:func:`append_at_commit`) the batch changes nothing but
    the entries of a savepoint inside it. Elsewhere, reads of the change log inside the block do
    not see entries not flushed yet. When the block
    raises, its unwritten entries are dropped with the head kept for them: the caller's transaction
    is rolling back. A batch inside a batch is the outer one.
    """
    if conn.info.get(_PENDING) is not None:
        yield
        return
    conn.info[_PENDING] = (conn.get_nested_transaction() or conn.get_transaction(), [])
    # entries before a savepoint are written before it, so rolling it back cannot take them along
    sa.event.listen(conn, "savepoint", _flush_before_savepoint)
    try:
        yield
        flush_changes(conn)
    except BaseException:
        conn.info.pop(_HEAD, None)
        raise
    finally:
        sa.event.remove(conn, "savepoint", _flush_before_savepoint)
        conn.info.pop(_PENDING, None)
        conn.info.pop(_UNSIGNED, None)


def _flush_before_savepoint(conn: Connection, name: str | None) -> None:
    flush_changes(conn)


def flush_changes(conn: Connection, *, sign: bool = True) -> None:
    """Write the entries of the current :func:`change_batch` recorded so far (nothing outside one).

    ``sign=False`` leaves the head's signature to a later flush (the batch's last one signs): an
    import flushing per document need not sign a head that the next document moves on.
    """
    pending = conn.info.get(_PENDING)
    if pending is None:
        return
    if pending[1]:
        insert_rows(conn, change_log, _COLUMNS, pending[1])
        conn.info[_UNSIGNED] = pending[1][-1]["hash"]
        pending[1].clear()
    unsigned = conn.info.get(_UNSIGNED)
    if sign and unsigned is not None:
        _sign_head(conn, unsigned, conn.info[_HEAD][2])
        del conn.info[_UNSIGNED]


def head_signature(key: bytes, entry_id: int, digest: str) -> str:
    """HMAC-SHA256 under ``key`` of the chain's head: the last entry's id and hash."""
    return hmac.new(key, f"head:{entry_id}:{digest}".encode("ascii"), hashlib.sha256).hexdigest()


def _sign_head(conn: Connection, digest: str, key: bytes) -> None:
    """Sign the entry with hash ``digest``, just written, as the chain's head."""
    entry_id = int(conn.execute(sa.select(change_log.c.id).where(change_log.c.hash == digest)).scalar_one())
    _write_head(conn, entry_id, digest, key)


def _write_head(conn: Connection, entry_id: int, digest: str, key: bytes) -> None:
    values = {"entry_id": entry_id, "hash": digest, "signature": head_signature(key, entry_id, digest)}
    if conn.execute(change_log_head.update().where(change_log_head.c.id == 1).values(**values)).rowcount == 0:
        conn.execute(change_log_head.insert().values(id=1, **values))


@dataclass(frozen=True)
class ChainProblem:
    """One broken link: the entry id and what is wrong with it."""

    entry_id: int
    message: str


def verify_chain(
    conn: Connection, *, unkeyed_before: int | None = None, key: bytes | None = None
) -> tuple[int, list[ChainProblem]]:
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
        fields = (
            row.prev_hash,
            _normalise_at(row.at),
            row.actor,
            row.action,
            row.entity,
            row.entity_id,
            row.before,
            row.after,
        )
        valid = {entry_hash(*fields, key=key)}
        if unkeyed_before is not None and row.id < unkeyed_before:
            valid.add(entry_hash(*fields))
        if row.hash not in valid:
            problems.append(ChainProblem(row.id, "内容与其带密钥的哈希不符（该记录被修改，或未用密钥写入）"))
        prev = row.hash
    return count, problems


def sign_missing_head(conn: Connection) -> bool:
    """Sign the head of a log written before heads were signed; False when it is signed already."""
    if conn.execute(sa.select(change_log_head.c.id)).first() is not None:
        return False
    last = conn.execute(
        sa.select(change_log.c.id, change_log.c.hash).order_by(change_log.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return False
    _write_head(conn, int(last.id), last.hash, connection_key(conn))
    return True


def verify_head(conn: Connection, *, key: bytes | None = None) -> list[ChainProblem]:
    """Problems of the signed head: missing, forged, or not where the log ends (entries cut off)."""
    key = key or connection_key(conn)
    last = conn.execute(
        sa.select(change_log.c.id, change_log.c.hash).order_by(change_log.c.id.desc()).limit(1)
    ).first()
    head = conn.execute(sa.select(change_log_head).where(change_log_head.c.id == 1)).first()
    if head is None:
        if last is None:
            return []
        return [ChainProblem(int(last.id), "链头签名缺失：无法确认最新的记录没有被删除")]
    if not hmac.compare_digest(head.signature, head_signature(key, int(head.entry_id), head.hash)):
        return [ChainProblem(int(head.entry_id), "链头签名不符（链头被改写，或未用密钥签名）")]
    if last is None or int(last.id) < int(head.entry_id):
        end = "日志为空" if last is None else f"日志只到第 {last.id} 条"
        return [
            ChainProblem(int(head.entry_id), f"签名的链头是第 {head.entry_id} 条，而{end}：最新的记录被删除")
        ]
    if int(last.id) > int(head.entry_id):
        return [ChainProblem(int(last.id), f"签名的链头是第 {head.entry_id} 条，其后的记录未经签名写入")]
    if last.hash != head.hash:
        return [ChainProblem(int(last.id), "最后一条记录的哈希与签名的链头不符（该记录被替换）")]
    return []


def history(conn: Connection, entity: str, entity_id: int) -> list[dict[str, Any]]:
    """The change log of one record, oldest first, as plain dicts."""
    rows = conn.execute(
        sa.select(change_log)
        .where(change_log.c.entity == entity, change_log.c.entity_id == entity_id)
        .order_by(change_log.c.id)
    )
    return [dict(r._mapping) for r in rows]

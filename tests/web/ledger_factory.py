"""Build a small real ledger for the web tests: the bundled gazette's documents and the gold tasks.

Rows are written straight into the tables (the web is tested on its own, apart from the import
service); the content is the real gazette text and its hand annotation.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from taizhang.services import parts
from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import assignments, documents, issues, tasks, unit_aliases, unit_members, units
from taizhang.web.backend import accounts

ROOT = Path(__file__).resolve().parents[2]
GAZETTE = ROOT / "src" / "taizhang" / "data" / "zhongwei-gazette-2022-02.txt"
GOLD = ROOT / "tests" / "fixtures" / "gold" / "zhongwei-gazette-2022-02.gold.json"

COUNTIES = ("沙坡头区", "中宁县", "海原县")
GROUPS = {"各县(区)": COUNTIES, "各县(区)人民政府": COUNTIES, "各县(区)政府": COUNTIES}
ALIASES = {"市卫生健康委员会": "市卫生健康委", "市医疗保障局": "市医保局", "市市场监管局": "市市场监督管理局"}
PASSWORD = "correct horse 台账"
# test accounts: name → (role, unit)
ACCOUNTS = {
    "office": ("office", None),
    "health": ("unit", "市卫生健康委"),  # 市卫生健康委: lead or responsible in many tasks
    "zhongning": ("unit", "中宁县"),  # 中宁县: only through the group 各县(区)
    "education": ("unit", "市教育局"),
    "leader": ("leader", None),
}
# the roles a permission test tries, and the account each signs in with (anonymous: none)
ROLES = ("anonymous", "office", "own_unit", "other_unit", "group_unit", "leader")
ROLE_ACCOUNT = {
    "office": "office",
    "own_unit": "health",  # the unit of the task tried
    "other_unit": "education",
    "group_unit": "zhongning",  # in the task through the group 各县(区)
    "leader": "leader",
}
GOLD_DATA = json.loads(GOLD.read_text(encoding="utf-8"))


@dataclass
class Ledger:
    """What a test needs to know about the built ledger."""

    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    task_ids: list[int] = field(default_factory=list)


def _unit(conn: sa.Connection, name: str, cache: dict[str, int]) -> int:
    name = ALIASES.get(name, name)
    if name not in cache:
        kind = "group" if name in GROUPS else "county" if name in COUNTIES else "department"
        cache[name] = conn.execute(units.insert().values(name=name, kind=kind)).inserted_primary_key[0]
    return cache[name]


def _documents(conn: sa.Connection, issue_id: int) -> dict[str, int]:
    ids = {}
    for position, doc in enumerate(GOLD_DATA["documents"]):
        ids[doc["doc_number"]] = conn.execute(
            documents.insert().values(
                issue_id=issue_id,
                doc_number=doc["doc_number"],
                title=doc["title"],
                issuer=doc["issuer"],
                doc_type=doc["type"],
                signed_on=date.fromisoformat(doc["date"]),
                publication=doc["publication"],
                line_start=doc["line_start"],
                line_end=doc["line_end"],
                is_public=bool(doc["publication"]),
                position=position,
            )
        ).inserted_primary_key[0]
    return ids


def _tasks(conn: sa.Connection, doc_ids: dict[str, int], unit_ids: dict[str, int]) -> list[int]:
    created = []
    for n, task in enumerate(GOLD_DATA["tasks"]):
        deadline = task["deadline"]
        due = date.fromisoformat(deadline["due"]) if deadline.get("due") else None
        flagged = deadline["kind"] in ("other", "phased")
        task_id = conn.execute(
            tasks.insert().values(
                document_id=doc_ids[task["doc_number"]],
                key=f"gold-{n}",
                source=task["source"],
                label=task["label"],
                title=task["title"],
                body=task["title"],
                line=task["line"],
                line_start=task["line"],
                line_end=task["line"],
                deadline_kind=deadline["kind"],
                deadline_text=task["deadline_text"],
                due_on=due,
                status="长期坚持" if deadline["kind"] == "ongoing" else "未开始",
                needs_review=flagged,
                review_notes=[
                    {"kind": "unreadable_deadline", "line": task["line"], "message": "完成时限需人工核对"}
                ]
                if flagged
                else [],
                is_public=task["doc_number"] == "卫政办发〔2022〕6号",
            )
        ).inserted_primary_key[0]
        position = 0
        for role in ("lead", "responsible", "cooperating"):
            for printed in dict.fromkeys(task[role]):
                unit_id = _unit(conn, printed, unit_ids)
                exists = conn.execute(
                    sa.select(assignments.c.id).where(
                        assignments.c.task_id == task_id,
                        assignments.c.unit_id == unit_id,
                        assignments.c.role == role,
                    )
                ).first()
                if exists is None:
                    conn.execute(
                        assignments.insert().values(
                            task_id=task_id, unit_id=unit_id, role=role, printed=printed, position=position
                        )
                    )
                    position += 1
        created.append(task_id)
    return created


def build_ledger(url: str) -> Ledger:
    """Write the gazette, its documents, units, gold tasks and the test accounts into ``url``."""
    text = GAZETTE.read_text(encoding="utf-8")
    engine = open_database(url)
    ledger = Ledger(url)
    with unit_of_work(engine) as conn:
        issue_id = conn.execute(
            issues.insert().values(
                title="中卫市人民政府公报",
                year=2022,
                number=2,
                cumulative_number=16,
                published=date(2022, 8, 21),
                source_name=GAZETTE.name,
                source_sha256=hashlib.sha256(text.encode()).hexdigest(),
                source_text=text,
                contents=[],
            )
        ).inserted_primary_key[0]
        unit_ids: dict[str, int] = {}
        for county in COUNTIES:
            _unit(conn, county, unit_ids)
        for group, members in GROUPS.items():
            group_id = _unit(conn, group, unit_ids)
            for member in members:
                conn.execute(unit_members.insert().values(group_id=group_id, member_id=unit_ids[member]))
        for alias, name in ALIASES.items():
            conn.execute(unit_aliases.insert().values(alias=alias, unit_id=_unit(conn, name, unit_ids)))
        ledger.task_ids = _tasks(conn, _documents(conn, issue_id), unit_ids)
        parts.sync_all(conn)  # each unit's part of each task, as the importer makes them
        for name, (role, unit) in ACCOUNTS.items():
            accounts.add_user(conn, name, PASSWORD, role, unit)
            ledger.tokens[name] = accounts.issue_token(conn, name)
    engine.dispose()
    return ledger


def task_where(ledger: Ledger, *, unit: str, role: str | None = None) -> int:
    """The id of the first gold task naming ``unit`` (as printed) in ``role`` (any role when None)."""
    for task_id, task in zip(ledger.task_ids, GOLD_DATA["tasks"], strict=True):
        roles = [role] if role else ["lead", "responsible", "cooperating"]
        if any(unit in task[r] for r in roles):
            return task_id
    raise LookupError(unit)

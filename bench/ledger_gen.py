"""Generate a province-sized ledger fast: N tasks over generated documents and units, in bulk.

No service is called per task: rows are built in Python and written in batches (SQLite:
``executemany`` on the driver's connection, PostgreSQL: ``COPY``), after the schema is made by
the migrations. Every column the generator does not fill takes its default from the table
definition, so new columns of the ledger keep working here. The shape follows a real ledger:
about 200 tasks per document, a lead unit and one or two responsible units per task (a tenth
given to the counties' group 各县(区)), due days spread over two years around ``AS_OF``, a mix of
statuses, ongoing work and monthly reporting cycles, and some progress reports.

Run from a checkout: ``python bench/ledger_gen.py --tasks 100000 --db sqlite:///bench.db``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from taizhang.ledger.parts import expected_parts
from taizhang.ledger.standing import late_from, part_late_from
from taizhang.services import accounts, tallies
from taizhang.services.database import open_database, unit_of_work
from taizhang.storage.tables import assignments, documents, issues, parts, reports, tasks, unit_members, units

AS_OF = date(2022, 6, 30)
TASKS_PER_DOCUMENT = 200
DEPARTMENTS = 240
COUNTIES = ("甲县", "乙县", "丙县", "丁区", "戊区")
BATCH = 20_000
PASSWORD = "bench-password-1"
STATUS_WEIGHTS = (
    ("未开始", 30),
    ("推进中", 35),
    ("待审核", 3),
    ("已完成", 25),
    ("长期坚持", 5),
    ("已撤销", 2),
)
VERBS = ("推进", "完善", "落实", "健全", "开展", "加强", "建立", "深化")
OBJECTS = (
    "医疗卫生服务体系",
    "水资源刚性约束制度",
    "行政执法监督",
    "养老服务质量",
    "矿山安全整治",
    "财政事权划分",
    "重大行政决策程序",
    "营商环境评价",
    "基层治理体系",
    "公立医院综合改革",
)


def _defaults(table: sa.Table, given: set[str]) -> dict[str, Any]:
    """Values of the columns the generator leaves out: the column's own default, else NULL."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name in given or column.server_default is not None:
            continue
        default = column.default
        if default is None:
            if not column.nullable and not column.primary_key:
                raise SystemExit(
                    f"{table.name}.{column.name} is NOT NULL without a default: teach ledger_gen it"
                )
            continue
        arg = getattr(default, "arg", None)
        values[column.name] = arg(None) if callable(arg) else arg  # type: ignore[misc]
    return values


def _encode(value: Any, sqlite: bool) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if sqlite and isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if sqlite and isinstance(value, date):
        return value.isoformat()
    if sqlite and isinstance(value, bool):
        return int(value)
    return value


BULK_TABLES = ("tasks", "assignments", "reports", "documents", "parts")


def _secondary_indexes(raw: Any, sqlite: bool) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes and triggers on the bulk tables that no constraint needs."""
    cursor = raw.cursor()
    if sqlite:
        cursor.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            f"AND tbl_name IN {BULK_TABLES} AND sql IS NOT NULL"
        )
        found = [(f"{kind} {name}", sql) for kind, name, sql in cursor.fetchall()]
    else:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
            [list(BULK_TABLES)],
        )
        found = [(f"index {name}", sql) for name, sql in cursor.fetchall()]
    cursor.close()
    return found


def _writer(engine: sa.Engine) -> Callable[[sa.Table, list[dict[str, Any]]], None]:
    """A function writing a batch of rows of one table: executemany on SQLite, COPY on PostgreSQL.

    While it writes, the bulk tables' secondary indexes and triggers (the SQLite full-text index's,
    the tallies') are dropped and foreign keys are not checked; ``write.close()`` makes them again
    in one pass each, which is several times faster than keeping them up to date row by row (the
    tallies are then counted once by ``tallies.rebuild``).
    """
    sqlite = engine.dialect.name == "sqlite"
    raw = engine.raw_connection()
    cursor = raw.cursor()
    if sqlite:  # a generated ledger is rebuilt, not recovered: no fsync, no journal
        for pragma in ("synchronous=OFF", "foreign_keys=OFF", "cache_size=-400000"):
            cursor.execute(f"PRAGMA {pragma}")
    else:
        cursor.execute("SET session_replication_role = replica")  # no foreign-key triggers while copying
    dropped = _secondary_indexes(raw, sqlite)
    for what, _ in dropped:
        cursor.execute(f"DROP {what}")
    raw.commit()

    def write(table: sa.Table, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        extra = _defaults(table, set(columns))
        names = columns + list(extra)
        tail = [_encode(v, sqlite) for v in extra.values()]
        cursor = raw.cursor()
        if sqlite:
            marks = ", ".join("?" for _ in names)
            cursor.executemany(
                f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})",
                [[_encode(row[c], sqlite) for c in columns] + tail for row in rows],
            )
        else:
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row([_encode(row[c], sqlite) for c in columns] + tail)
        cursor.close()
        raw.commit()

    def close() -> None:
        cursor = raw.cursor()
        for _, create in dropped:
            cursor.execute(create)
        if sqlite:
            cursor.execute("INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')")
        else:
            cursor.execute("SET session_replication_role = DEFAULT")
        raw.commit()
        cursor.close()
        raw.close()

    write.close = close  # type: ignore[attr-defined]
    return write


def _batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _units(conn: sa.Connection) -> tuple[list[int], int]:
    """Departments and counties (ids of the concrete units) and the counties' group."""
    concrete = []
    for n in range(DEPARTMENTS):
        concrete.append(
            conn.execute(
                units.insert().values(name=f"测试市第{n + 1}局", kind="department")
            ).inserted_primary_key[0]
        )
    counties = [
        conn.execute(units.insert().values(name=name, kind="county")).inserted_primary_key[0]
        for name in COUNTIES
    ]
    group = conn.execute(units.insert().values(name="各县(区)", kind="group")).inserted_primary_key[0]
    conn.execute(unit_members.insert(), [{"group_id": group, "member_id": c} for c in counties])
    return concrete + counties, group


def _task_rows(
    count: int, first_doc: int, documents_count: int, rng: random.Random, concrete: list[int], group: int
) -> tuple[Iterator[dict[str, Any]], Callable[[int], list[dict[str, Any]]]]:
    """The task rows (a generator) and a function giving one task's assignments."""
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]

    def rows() -> Iterator[dict[str, Any]]:
        for task_id in range(1, count + 1):
            kind_roll = rng.random()
            status = rng.choice(statuses)
            due: date | None = None
            recurrence = None
            if kind_roll < 0.75:
                kind = "date"
                due = AS_OF + timedelta(days=rng.randint(-365, 365))
            elif kind_roll < 0.85:
                kind, recurrence = "recurring", "monthly:25"
            elif kind_roll < 0.95:
                kind = "ongoing"
            else:
                kind = "none"
            title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}第{task_id}项工作"
            document_id = first_doc + (task_id - 1) // TASKS_PER_DOCUMENT % documents_count
            yield {
                "id": task_id,
                "document_id": document_id,
                "key": f"gen-{task_id}",
                "source": "text",
                "label": f"（{task_id % 50 + 1}）",
                "title": title,
                "body": "",
                "line": task_id % 5000 + 1,
                "line_start": task_id % 5000 + 1,
                "line_end": task_id % 5000 + 1,
                "deadline_kind": kind,
                "deadline_text": due.strftime("%Y年%m月%d日前")
                if due
                else ("每月25日前报送" if recurrence else None),
                "due_on": due,
                "recurrence": recurrence,
                "status": status,
                "late_on": late_from(status, kind, due),
                "percent": 100 if status == "已完成" else rng.randint(0, 90),
                "is_public": rng.random() < 0.3,
            }

    def assignments_of(task_id: int) -> list[dict[str, Any]]:
        lead = group if rng.random() < 0.1 else rng.choice(concrete)
        others = rng.sample(concrete, rng.randint(1, 3))
        roles = [(lead, "lead")] + [
            (u, "responsible" if i < 2 else "cooperating") for i, u in enumerate(others)
        ]
        seen: set[tuple[int, str]] = set()
        out = []
        for position, (unit_id, role) in enumerate(roles):
            if (unit_id, role) in seen:
                continue
            seen.add((unit_id, role))
            out.append(
                {"task_id": task_id, "unit_id": unit_id, "role": role, "printed": "", "position": position}
            )
        return out

    return rows(), assignments_of


def units_rows_by_task(rows: list[dict[str, Any]]) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = {}
    for a in rows:
        found.setdefault(a["task_id"], []).append((a["unit_id"], a["role"]))
    return found


def _parts_of(
    task: dict[str, Any], assigned: dict[int, list[tuple[int, str]]], members: dict[int, list[int]]
) -> list[dict[str, Any]]:
    """The task's parts (``ledger.parts.expected_parts``), each in the task's status, with its late day."""
    status = "推进中" if task["status"] == "已撤销" else task["status"]  # a part is never cancelled itself
    return [
        {
            "task_id": task["id"],
            "unit_id": unit_id,
            "role": role,
            "status": status,
            "percent": task["percent"],
            "done_at": AS_OF if status == "已完成" else None,
            "late_on": part_late_from(status, task["status"], task["deadline_kind"], task["due_on"]),
        }
        for unit_id, role in expected_parts(assigned.get(task["id"], []), members).items()
    ]


def generate(
    url: str, count: int, *, seed: int = 20220630, echo: Callable[[str], None] = print
) -> dict[str, Any]:
    """Build a fresh ledger of ``count`` tasks at ``url``; returns tokens and sizes."""
    began = time.perf_counter()
    engine = open_database(url)
    rng = random.Random(seed)
    documents_count = max(1, count // TASKS_PER_DOCUMENT)
    with unit_of_work(engine) as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar_one():
            raise SystemExit(f"{url} already holds tasks: give a fresh database")
        concrete, group = _units(conn)
        issue_id = conn.execute(
            issues.insert().values(
                title="生成的公报",
                source_name="generated",
                source_sha256=f"generated-{seed}-{count}",
                source_text="",
                contents=[],
                review_notes=[],
            )
        ).inserted_primary_key[0]
        office = accounts.add_user(conn, "bench-office", PASSWORD, "office")
        leader = accounts.add_user(conn, "bench-leader", PASSWORD, "leader")
        unit_user = accounts.add_user(conn, "bench-unit", PASSWORD, "unit", "测试市第1局")
        tokens = {
            name: accounts.issue_token(conn, name) for name in ("bench-office", "bench-leader", "bench-unit")
        }
        del office, leader, unit_user
    write = _writer(engine)
    doc_rows = [
        {
            "id": n + 1,
            "issue_id": issue_id,
            "doc_number": f"测政办发〔{2020 + n % 4}〕{n + 1}号",
            "title": f"关于{OBJECTS[n % len(OBJECTS)]}的实施方案（{n + 1}）",
            "is_public": n % 3 == 0,
            "position": n,
            "signed_on": AS_OF - timedelta(days=n % 700),
        }
        for n in range(documents_count)
    ]
    for batch in _batches(iter(doc_rows)):
        write(documents, batch)
    rows, assignments_of = _task_rows(count, 1, documents_count, rng, concrete, group)
    members = {group: concrete[DEPARTMENTS:]}  # the counties
    written = assigned = reported = 0
    for batch in _batches(rows):
        write(tasks, batch)
        units_rows = [
            {**a, "document_id": task["document_id"], "line": task["line"]}  # the task's place
            for task in batch
            for a in assignments_of(task["id"])
        ]
        write(assignments, units_rows)
        by_task = units_rows_by_task(units_rows)
        part_rows = [p for task in batch for p in _parts_of(task, by_task, members)]
        write(parts, part_rows)
        report_rows = [
            {
                "task_id": t["id"],
                "unit_id": concrete[0],
                "kind": "progress",
                "percent": t["percent"],
                "period": None,
                "practice": "按计划推进",
                "submitted_on": AS_OF - timedelta(days=rng.randint(0, 60)),
            }
            for t in batch
            if t["status"] in ("推进中", "长期坚持") and rng.random() < 0.2
        ]
        write(reports, report_rows)
        written, assigned, reported = (
            written + len(batch),
            assigned + len(units_rows),
            reported + len(report_rows),
        )
        echo(f"  {written:>9,} tasks written ({time.perf_counter() - began:6.1f} s)")
    write.close()  # type: ignore[attr-defined]
    with unit_of_work(engine) as conn:  # the triggers keeping the tallies were off while writing
        tallies.rebuild(conn)
    echo(f"  indexes and tallies made again ({time.perf_counter() - began:6.1f} s)")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            for table in ("tasks", "assignments", "parts", "documents", "reports", "units"):
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
            conn.commit()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))  # the visibility map too: index-only scans
    else:
        with engine.connect() as conn:
            conn.execute(sa.text("ANALYZE"))
            conn.commit()
    engine.dispose()
    seconds = time.perf_counter() - began
    echo(
        f"generated {written:,} tasks, {assigned:,} assignments, {reported:,} reports, {documents_count:,} documents "
        f"in {seconds:.1f} s"
    )
    return {
        "tokens": tokens,
        "tasks": written,
        "assignments": assigned,
        "documents": documents_count,
        "seconds": seconds,
        "generated_at": datetime.now(UTC).isoformat(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--db", required=True, help="a fresh database URL (SQLite file or PostgreSQL)")
    args = parser.parse_args()
    result = generate(args.db, args.tasks)
    print(f"tokens: {json.dumps(result['tokens'])}")


if __name__ == "__main__":
    main()

"""The ledger's read side: documents, tasks with filters and paging, one task, summary counts.

Everything returns plain dicts (dates as ``datetime.date``), never rows. A page of tasks costs
three queries whatever its size: the count, the page, and the units and latest reports of the
page's tasks.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import operators

from ..errors import InvalidInput, NotFound
from ..extract.model import ROLES
from ..ledger.status import STATUSES
from ..storage.tables import (
    actions,
    assignments,
    documents,
    issues,
    reporting_cycles,
    reports,
    tasks,
    units,
)
from . import unit_pages
from .paging import (
    COUNT_LIMIT,
    MAX_OFFSET,
    SEARCH_COUNT_LIMIT,
    SORT_KEYS,
    after_clause,
    cursor_of,
    leading_bound,
    order_by,
    read_cursor,
)
from .standing import late_clause
from .units import units_matching

MAX_SEARCH_TERMS = 20  # each word is one more full-text subquery
# FTS5's trigram tokenizer cannot match fewer than 3 characters; shorter terms use LIKE.
MIN_FTS_CHARS = 3

SORTS = tuple(SORT_KEYS)
# Above this many matching tasks a unit filter walks tasks in page order (EXISTS) instead of
# collecting and sorting every match (IN); measured on 100,000 tasks.
MANY_MATCHES = 1000
# Sorts an index walks in order (``ix_tasks_document_line``, the primary key): when a filter
# matches many tasks the page is read by walking that index and stopping after one page, which
# costs the same at 100,000 tasks as at 1,000,000.
WALKED_SORTS = ("document", "id", "-id")


@dataclass
class TaskFilter:
    """What ``list_tasks`` selects; every field is optional and they combine with AND.

    ``unit`` is a name or alias and also matches the groups containing it (沙坡头区 → 各县(区));
    ``document`` a 发文字号 or a document id; ``due_before``/``due_after`` are inclusive;
    ``overdue_as_of`` keeps tasks late on that day (``ledger.standing``: due before it, not closed,
    not 长期坚持); ``review`` keeps tasks the
    extractor flagged; ``q`` searches titles and bodies; ``sort`` is one of :data:`SORTS`, or empty
    for the filter's own order (:func:`natural_sort`).
    """

    unit: str | None = None
    role: str | None = None  # lead / responsible / cooperating
    document: str | int | None = None
    due_before: date | None = None
    due_after: date | None = None
    overdue_as_of: date | None = None
    review: bool | None = None
    status: str | None = None
    q: str | None = None
    sort: str = ""
    limit: int | None = 50
    offset: int = 0
    ids: tuple[int, ...] | None = None  # only these tasks (an export of what a page shows)
    after: str | None = None  # a page's ``next`` cursor: start after that page's last task

    def __post_init__(self) -> None:
        if not self.sort:
            self.sort = natural_sort(self.due_before, self.due_after)

    def to_params(self) -> dict[str, Any]:
        """The filter as JSON-ready values (a background export carries it in its job)."""
        return {
            k: v.isoformat() if isinstance(v, date) else list(v) if isinstance(v, tuple) else v
            for k, v in asdict(self).items()
        }

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> TaskFilter:
        """The filter :meth:`to_params` wrote."""
        values = dict(params)
        for name in ("due_before", "due_after", "overdue_as_of"):
            if values.get(name):
                values[name] = date.fromisoformat(values[name])
        if values.get("ids") is not None:
            values["ids"] = tuple(values["ids"])
        return cls(**{k: v for k, v in values.items() if k in cls.__dataclass_fields__})


def natural_sort(due_before: date | None, due_after: date | None) -> str:
    """The order of a listing that names none: by due day when it asks for a range of due days (the
    page is then the first rows of that range in the due-day index, whatever the ledger's size,
    where document order had to gather and sort every task in the range), else by document."""
    return "due" if due_before is not None or due_after is not None else "document"


@dataclass
class TaskPage:
    """One page of tasks and the number of tasks the filter matches in all.

    ``total`` is exact when ``exact``; otherwise more than :func:`count_limit` tasks match
    and ``total`` is that limit. ``next`` is the cursor of the following page (None on the last).
    """

    items: list[dict[str, Any]]
    total: int
    limit: int | None
    offset: int
    filter: TaskFilter = field(default_factory=TaskFilter)
    exact: bool = True
    next: str | None = None


def resolve_document(conn: Connection, document: str | int) -> int:
    """The id of a document given by id or 发文字号.

    Raises:
        NotFound: no such document.
    """
    text = str(document).strip()
    column = documents.c.id if text.isdigit() else documents.c.doc_number
    value: int | str = int(text) if text.isdigit() else text
    found = conn.execute(sa.select(documents.c.id).where(column == value)).scalar()
    if found is None:
        raise NotFound(f"没有文件 {text}")
    return int(found)


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_terms(q: str | None) -> list[str]:
    """The words of a search box. Raises InvalidInput on control characters or too many words."""
    terms = (q or "").split()
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in (q or "") if not ch.isspace()):
        raise InvalidInput("搜索词含有控制字符，请删去后重试")
    if len(terms) > MAX_SEARCH_TERMS:
        raise InvalidInput(f"搜索词过多：最多 {MAX_SEARCH_TERMS} 个，收到 {len(terms)} 个")
    return terms


def _search_term(conn: Connection, term: str, walk: bool = False) -> sa.ColumnElement[bool]:
    """Tasks whose title or body holds ``term``: the full-text index on SQLite, gathering every
    match; ``walk`` (many matches, read in index order) tests each row instead (LIKE, which the
    trigram index of PostgreSQL also answers)."""
    if conn.dialect.name == "sqlite" and len(term) >= MIN_FTS_CHARS and not walk:
        matches = sa.text("SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH :fts").bindparams(
            sa.bindparam("fts", _fts_phrase(term), unique=True)
        )
        return tasks.c.id.in_(matches.columns(sa.column("rowid", sa.Integer)))
    pattern = _like_pattern(term)
    if term.lower() == term.upper():  # no letter with a case (Chinese): LIKE finds what ILIKE does, faster
        return sa.or_(tasks.c.title.like(pattern, escape="\\"), tasks.c.body.like(pattern, escape="\\"))
    return sa.or_(tasks.c.title.ilike(pattern, escape="\\"), tasks.c.body.ilike(pattern, escape="\\"))


@dataclass(frozen=True)
class UnitMatch:
    """Tasks assigned to any of ``unit_ids`` (in ``role`` when given), in two equivalent SQL forms.

    ``IN (subquery)`` is fastest when few tasks match; ``EXISTS`` lets the database walk tasks in
    the page's order and stop after one page, which wins when many match (a county's groups).
    """

    unit_ids: tuple[int, ...] | None
    role: str | None

    def _assigned(self, query: sa.Select) -> sa.Select:
        if self.unit_ids is not None:
            query = query.where(assignments.c.unit_id.in_(self.unit_ids))
        if self.role is not None:
            query = query.where(assignments.c.role == self.role)
        return query

    def in_form(self) -> sa.ColumnElement[bool]:
        """tasks.id IN (matching assignments)."""
        return tasks.c.id.in_(self._assigned(sa.select(assignments.c.task_id)))

    def listed_form(self, conn: Connection) -> sa.ColumnElement[bool]:
        """The IN form; on PostgreSQL ``tasks.id = ANY(ARRAY(matching ids))``: given the subquery
        the planner hashes it against a scan of every task, given the array it looks each id up."""
        if conn.dialect.name != "postgresql":
            return self.in_form()
        ids = sa.func.array(self._assigned(sa.select(assignments.c.task_id)).scalar_subquery())
        return tasks.c.id == sa.any_(ids)

    def exists_form(self, conn: Connection | None = None) -> sa.ColumnElement[bool]:
        """EXISTS (an assignment of this task that matches). On PostgreSQL with ``OFFSET 0``, which
        keeps the planner from turning it into a semi-join over every task: it stays a probe per
        task while the ledger's order index is walked, and LIMIT stops the walk after one page."""
        probe = self._assigned(sa.select(sa.literal(1)).where(assignments.c.task_id == tasks.c.id))
        if conn is not None and conn.dialect.name == "postgresql":
            probe = probe.offset(0)
        return probe.exists()

    def count_query(self, limit: int) -> tuple[sa.Select, dict[str, Any]]:
        """The SELECT counting the tasks matched on the assignments index alone, no further than
        ``limit``, and its values."""
        statement = unit_pages.count_statement(self.unit_ids is not None, self.role is not None)
        params: dict[str, Any] = {"count_limit": limit, "role": self.role}
        if self.unit_ids is not None:
            params["unit_ids"] = list(self.unit_ids)
        return statement, params


def unit_match(conn: Connection, unit: str | None, role: str | None) -> UnitMatch | None:
    """The unit/role part of a filter, or None when it has none.

    Raises:
        UnknownUnit: the unit does not exist.
        InvalidInput: an unknown role.
    """
    if role is not None and role not in ROLES:
        raise InvalidInput(f"未知的角色 {role!r}：应为 {'、'.join(ROLES)} 之一")
    if unit is None and role is None:
        return None
    ids = tuple(units_matching(conn, unit)) if unit is not None else None
    return UnitMatch(ids, role)


def task_conditions(conn: Connection, f: TaskFilter, walk: bool = False) -> list[sa.ColumnElement[bool]]:
    """The WHERE clauses of a filter other than its unit and role (see :func:`unit_match`).

    ``walk``: the page will be read by walking the sort's index, so each clause is a test of one
    row rather than a set to gather (see :func:`list_tasks`).

    Raises:
        NotFound: the document does not exist.
        InvalidInput: an unknown status.
    """
    conds: list[sa.ColumnElement[bool]] = []
    if f.document is not None and str(f.document).strip():
        conds.append(tasks.c.document_id == resolve_document(conn, f.document))
    if f.due_before is not None:
        conds.append(tasks.c.due_on <= f.due_before)
    if f.due_after is not None:
        conds.append(tasks.c.due_on >= f.due_after)
    if f.overdue_as_of is not None:
        conds.append(late_clause(f.overdue_as_of))  # the one definition of late (services/standing.py)
    if f.review is not None:
        conds.append(tasks.c.needs_review.is_(bool(f.review)))
    if f.ids is not None:
        conds.append(tasks.c.id.in_(list(f.ids)))
    if f.status is not None:
        if f.status not in STATUSES:
            raise InvalidInput(f"未知的状态 {f.status!r}：应为 {'、'.join(STATUSES)} 之一")
        conds.append(tasks.c.status == f.status)
    for term in search_terms(f.q):
        conds.append(_search_term(conn, term, walk))
    return conds


_TASK_COLUMNS = (
    tasks.c.id,
    tasks.c.document_id,
    documents.c.doc_number,
    documents.c.title.label("document_title"),
    tasks.c.source,
    tasks.c.label,
    tasks.c.title,
    tasks.c.line,
    tasks.c.line_start,
    tasks.c.line_end,
    tasks.c.deadline_kind,
    tasks.c.deadline_text,
    tasks.c.due_on,
    tasks.c.recurrence,
    tasks.c.working_days,
    tasks.c.status,
    tasks.c.percent,
    tasks.c.needs_review,
    tasks.c.review_notes,
    tasks.c.is_public,
    tasks.c.updated_at,
)


def _of_document(column: sa.Column[Any], name: str) -> sa.Label[Any]:
    return sa.select(column).where(documents.c.id == tasks.c.document_id).scalar_subquery().label(name)


# A page reads its documents' number and title per row (two primary-key lookups) rather than by a
# join: with ``tasks`` alone in FROM the planner walks the order index, where a join let SQLite
# start from the documents and sort every task of the filter.
_TASKS_WITH_DOCUMENT = sa.select(
    *(
        _of_document(documents.c.doc_number, "doc_number")
        if c is documents.c.doc_number
        else _of_document(documents.c.title, "document_title")
        if c.name == "document_title"
        else c
        for c in _TASK_COLUMNS
    )
)


def _dicts(result: sa.CursorResult) -> list[dict[str, Any]]:
    """Rows as dicts, zipping each tuple with the keys read once (``row._mapping`` is per row)."""
    keys = list(result.keys())
    return [dict(zip(keys, row, strict=True)) for row in result]


# Built once: a page's units and latest reports are fetched with the page's ids as one expanding
# parameter, so each request skips rebuilding the statement and its cache key.
_PAGE_IDS = sa.bindparam("task_ids", expanding=True)
_UNITS_OF_TASKS = (
    sa.select(
        assignments.c.task_id,
        assignments.c.unit_id,
        assignments.c.role,
        assignments.c.printed,
        units.c.name,
        units.c.kind,
        units.c.verified,
    )
    .join(units, units.c.id == assignments.c.unit_id)
    .where(assignments.c.task_id.in_(_PAGE_IDS))
    .order_by(assignments.c.task_id, assignments.c.position)
)


def _units_by_task(conn: Connection, task_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in task_ids}
    if not task_ids:
        return found
    # tuples, not row attributes: a page has ~150 assignments and attribute access was half the cost
    for task_id, unit_id, role, printed, name, kind, verified in conn.execute(
        _UNITS_OF_TASKS, {"task_ids": task_ids}
    ):
        found[task_id].append(
            {
                "unit_id": unit_id,
                "name": name,
                "role": role,
                "printed": printed,
                "kind": kind,
                "verified": bool(verified),
            }
        )
    return found


def report_summary(row: Any) -> str:
    """One line for a report: its 成效, else 主要做法, else 存在问题, with the percent done."""
    text = next((t for t in (row.results, row.practice, row.problems, row.next_steps) if t and t.strip()), "")
    return f"{row.submitted_on.isoformat()} {text.strip()} ({row.percent}%)".replace("  ", " ")


_NEWEST_IDS = (
    sa.select(sa.func.max(reports.c.id))
    .where(reports.c.task_id.in_(_PAGE_IDS), reports.c.kind == "progress")
    .group_by(reports.c.task_id)
)
_NEWEST_PROGRESS = sa.select(reports).where(reports.c.id.in_(_NEWEST_IDS))
# PostgreSQL hashed ``IN (subquery)`` against a scan of every report; given an array it looks each
# id up by the primary key (the same as ``UnitMatch.listed_form``)
_NEWEST_PROGRESS_PG = sa.select(reports).where(
    reports.c.id == sa.any_(sa.func.array(_NEWEST_IDS.scalar_subquery()))
)


def latest_reports(conn: Connection, task_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The newest progress report of each task that has one."""
    if not task_ids:
        return {}
    query = _NEWEST_PROGRESS_PG if conn.dialect.name == "postgresql" else _NEWEST_PROGRESS
    rows = conn.execute(query, {"task_ids": task_ids})
    return {r.task_id: _latest(r) for r in rows}


def _latest(row: Any) -> dict[str, Any]:
    """A task's newest progress report as listings show it."""
    return {
        "id": row.id,
        "submitted_on": row.submitted_on,
        "percent": row.percent,
        "summary": report_summary(row),
    }


def _with_units(item: dict[str, Any], unit_rows: list[dict[str, Any]]) -> dict[str, Any]:
    item["units"] = unit_rows
    for role in ROLES:
        item[role] = [u["name"] for u in unit_rows if u["role"] == role]
    return item


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def count_limit(f: TaskFilter) -> int:
    """How far a filter's matches are counted: a search's (which reads tasks one by one) stops sooner."""
    return min(COUNT_LIMIT, SEARCH_COUNT_LIMIT) if search_terms(f.q) else COUNT_LIMIT


def count_query(
    conn: Connection, f: TaskFilter, by_unit: UnitMatch | None
) -> tuple[sa.Select, dict[str, Any]]:
    """The SELECT counting the tasks a filter matches, no further than :func:`count_limit` + 1, and
    its values."""
    conds = task_conditions(conn, f)
    if by_unit is not None and not conds:
        return by_unit.count_query(COUNT_LIMIT + 1)
    terms = search_terms(f.q)
    if (
        by_unit is None
        and len(conds) == 1
        and len(terms) == 1
        and conn.dialect.name == "sqlite"
        and len(terms[0]) >= MIN_FTS_CHARS
    ):  # one word alone: count on the full-text index, stopping early
        matches = sa.text("SELECT rowid FROM tasks_fts WHERE tasks_fts MATCH :fts LIMIT :n")
        counted = sa.select(sa.func.count()).select_from(matches.columns(sa.column("rowid")).subquery())
        return counted, {"fts": _fts_phrase(terms[0]), "n": count_limit(f) + 1}
    where = [*conds, by_unit.in_form()] if by_unit is not None else conds
    matches = sa.select(sa.literal(1)).select_from(tasks).where(*where).limit(count_limit(f) + 1).subquery()
    return sa.select(sa.func.count()).select_from(matches), {}


def _counted(conn: Connection, f: TaskFilter, by_unit: UnitMatch | None) -> int:
    """How many tasks match, counting no further than :func:`count_limit` + 1."""
    return int(conn.execute(*count_query(conn, f, by_unit)).scalar_one())


def _row_tests(conn: Connection, conds: list[sa.ColumnElement[bool]]) -> list[sa.ColumnElement[bool]]:
    """The clauses marked as likely true on SQLite, whose planner then walks the sort's index
    instead of gathering a column index's matches and sorting them (PostgreSQL weighs LIMIT itself)."""
    if conn.dialect.name != "sqlite":
        return conds
    out: list[sa.ColumnElement[bool]] = []
    for cond in conds:
        parts = (
            cond.clauses
            if isinstance(cond, sa.BooleanClauseList) and cond.operator is operators.and_
            else [cond]
        )
        out.extend(sa.func.likely(part, type_=sa.Boolean) for part in parts)
    return out


def _unit_only(f: TaskFilter) -> bool:
    """Whether a filter is a unit (and role) alone, listed in ledger order a page at a time."""
    return (
        f.sort == "document"
        and f.limit is not None
        and (f.document is None or not str(f.document).strip())
        and f.due_before is None
        and f.due_after is None
        and f.overdue_as_of is None
        and f.review is None
        and f.ids is None
        and f.status is None
        and not (f.q or "").split()
    )


def page_needs_total(f: TaskFilter, by_unit: UnitMatch | None) -> bool:
    """Whether the page's plan depends on how many tasks match (walk an index or gather the
    matches, probe a unit's assignments or list them), so the count has to be read first."""
    if by_unit is not None:
        return not (by_unit.unit_ids and _unit_only(f))
    return f.sort in WALKED_SORTS


def page_query(
    conn: Connection,
    f: TaskFilter,
    total: int | None,
    by_unit: UnitMatch | None,
    columns: sa.Select | None = None,
) -> tuple[sa.Select, dict[str, Any]]:
    """The SELECT of one page and its values: gather and sort the matches when few, walk the sort's
    index when many; a unit's listing in ledger order reads its page from the unit's own index.

    ``columns``: a select of ``tasks`` columns alone to read instead of the listing's (the task
    API reads the page's keys here and its fields for the page's rows only)."""
    columns = _TASKS_WITH_DOCUMENT if columns is None else columns
    walk = total is not None and total > count_limit(f) and f.sort in WALKED_SORTS
    conds = task_conditions(conn, f, walk=walk)
    if by_unit is not None and by_unit.unit_ids and f.limit is not None and _unit_only(f):
        cursor = read_cursor(f.sort, f.after) if f.after else None
        statement = unit_pages.page_statement(
            columns, len(by_unit.unit_ids), by_unit.role, cursor is not None
        )
        return statement, unit_pages.page_params(by_unit.unit_ids, cursor, f.offset, f.limit + 1)
    if walk:
        conds = _row_tests(conn, conds)
    if by_unit is not None:
        many = total is not None and total > MANY_MATCHES
        conds.append(by_unit.exists_form(conn) if many else by_unit.listed_form(conn))
    if f.after:
        after = read_cursor(f.sort, f.after)
        conds.append(after_clause(f.sort, after, conn.dialect.name))
        if f.due_before is not None or f.due_after is not None:  # no task without a due day is listed
            conds.extend(leading_bound(f.sort, after))
    query = columns.where(*conds).order_by(*order_by(f.sort)).offset(f.offset)
    return (query if f.limit is None else query.limit(f.limit + 1)), {}  # one more: is there a next page?


def check_paging(f: TaskFilter) -> None:
    if f.sort not in SORT_KEYS:
        raise InvalidInput(f"未知的排序 {f.sort!r}：应为 {'、'.join(SORT_KEYS)} 之一")
    if (f.limit is not None and f.limit < 0) or f.offset < 0:
        raise InvalidInput("条数和偏移不能为负数")
    if f.offset > MAX_OFFSET:
        raise InvalidInput(f"偏移不能超过 {MAX_OFFSET}：更后面的页请用上一页返回的 next 翻页标记（after）")
    if f.after:
        read_cursor(f.sort, f.after)


def list_tasks(conn: Connection, f: TaskFilter | None = None) -> TaskPage:
    """A page of the tasks a filter matches, with their units by role and latest report, and the total.

    Each item has the task's columns, ``doc_number``, ``document_title``, ``units`` (dicts with
    unit_id, name, role, printed), ``lead``/``responsible``/``cooperating`` (names) and
    ``latest_report`` (None or {id, submitted_on, percent, summary}). A page (``limit``) counts
    its matches up to :func:`count_limit`; ``limit=None`` reads every match and counts them all.
    """
    f = f or TaskFilter()
    check_paging(f)
    by_unit = unit_match(conn, f.unit, f.role)
    total = None if f.limit is None else _counted(conn, f, by_unit)
    items = _dicts(conn.execute(*page_query(conn, f, total, by_unit)))
    following = None
    if f.limit is not None and len(items) > f.limit:
        items = items[: f.limit]
        following = cursor_of(f.sort, items[-1])
    ids = [i["id"] for i in items]
    by_task, reported = _units_by_task(conn, ids), latest_reports(conn, ids)
    for item in items:
        _with_units(item, by_task[item["id"]])
        item["latest_report"] = reported.get(item["id"])
    if total is None:
        total = f.offset + len(items)
    most = count_limit(f)
    exact = total <= most
    return TaskPage(
        items=items,
        total=min(int(total), most) if not exact else int(total),
        limit=f.limit,
        offset=f.offset,
        filter=f,
        exact=exact or f.limit is None,
        next=following,
    )


def source_lines(
    conn: Connection, issue_id: int | None, start: int, end: int, *, digest: str | None = None
) -> list[dict[str, Any]]:
    """Lines ``start``..``end`` of an issue's stored text, as [{line, text}].

    ``digest``: the issue's ``source_sha256`` when the caller read it; the issue's lines are then
    kept for the next page of the same issue (see :func:`_issue_lines`).
    """
    if issue_id is None:
        return []
    lines = _issue_lines(conn, issue_id, digest) if digest else _read_lines(conn, issue_id)
    return [{"line": n, "text": lines[n - 1]} for n in range(max(1, start), min(end, len(lines)) + 1)]


def _read_lines(conn: Connection, issue_id: int) -> list[str]:
    text = conn.execute(sa.select(issues.c.source_text).where(issues.c.id == issue_id)).scalar() or ""
    return text.split("\n")


# issue text digest → its lines, for the last few issues shown. A task page shows a few lines of its
# issue, and reading and splitting the whole stored text (200 KB for a gazette) was a sixth of its
# work. The digest names the text (``source_sha256`` is the SHA-256 of exactly these lines joined,
# import_issue.source_sha256), and an issue's text is never rewritten, so a kept copy cannot go stale.
_LINES: dict[str, list[str]] = {}
_LINES_KEPT = 8
_LINES_LOCK = threading.Lock()


def _issue_lines(conn: Connection, issue_id: int, digest: str) -> list[str]:
    with _LINES_LOCK:
        lines = _LINES.get(digest)
    if lines is None:
        lines = _read_lines(conn, issue_id)
        with _LINES_LOCK:
            while len(_LINES) >= _LINES_KEPT:
                del _LINES[next(iter(_LINES))]
            _LINES[digest] = lines
    return lines


def get_task(conn: Connection, task_id: int) -> dict[str, Any]:
    """One task with its document, units by role, source lines, reports, actions and reporting cycles.

    Raises:
        NotFound: no task has that id.
    """
    row = conn.execute(
        sa.select(
            *_TASK_COLUMNS,
            tasks.c.body,
            tasks.c.key,
            tasks.c.created_at,
            documents.c.issue_id,
            documents.c.status.label("document_status"),
            issues.c.source_sha256,
        )
        .join(documents, documents.c.id == tasks.c.document_id)
        .outerjoin(issues, issues.c.id == documents.c.issue_id)
        .where(tasks.c.id == task_id)
    ).first()
    if row is None:
        raise NotFound(f"没有编号为 {task_id} 的任务")
    item = _with_units(dict(row._mapping), _units_by_task(conn, [task_id])[task_id])
    del item["source_sha256"]
    start, end = min(row.line_start, row.line), max(row.line_end, row.line)
    item["source_lines"] = source_lines(conn, row.issue_id, start, end, digest=row.source_sha256)
    rows = conn.execute(
        sa.select(reports, units.c.name.label("unit_name"))
        .join(units, units.c.id == reports.c.unit_id)
        .where(reports.c.task_id == task_id)
        .order_by(reports.c.id.desc())
    ).all()
    item["reports"] = [dict(r._mapping) for r in rows]
    # what latest_reports gives for this task, from the rows just read (newest first)
    newest = next((r for r in rows if r.kind == "progress"), None)
    item["latest_report"] = None if newest is None else _latest(newest)
    item["actions"] = [
        dict(r._mapping)
        for r in conn.execute(sa.select(actions).where(actions.c.task_id == task_id).order_by(actions.c.id))
    ]
    item["reporting_cycles"] = [
        dict(r._mapping)
        for r in conn.execute(
            sa.select(reporting_cycles)
            .where(reporting_cycles.c.task_id == task_id)
            .order_by(reporting_cycles.c.id)
        )
    ]
    return item


_DOCUMENT_COLUMNS = tuple(c for c in documents.c)


def list_documents(
    conn: Connection, *, status: str | None = None, public_only: bool = False
) -> list[dict[str, Any]]:
    """Every document (imported ones in gazette order, then those known only by citation) with task counts."""
    task_count = sa.select(sa.func.count()).where(tasks.c.document_id == documents.c.id).scalar_subquery()
    review_count = (
        sa.select(sa.func.count())
        .where(tasks.c.document_id == documents.c.id, tasks.c.needs_review.is_(True))
        .scalar_subquery()
    )
    query = (
        sa.select(
            *_DOCUMENT_COLUMNS,
            issues.c.title.label("issue_title"),
            issues.c.year.label("issue_year"),
            issues.c.number.label("issue_number"),
            task_count.label("task_count"),
            review_count.label("tasks_to_review"),
        )
        .outerjoin(issues, issues.c.id == documents.c.issue_id)
        .order_by(documents.c.issue_id.is_(None), documents.c.issue_id, documents.c.position, documents.c.id)
    )
    if status is not None:
        query = query.where(documents.c.status == status)
    if public_only:
        query = query.where(documents.c.is_public.is_(True))
    counts = review_counts(conn)
    return [{**r._mapping, "review_items": counts.get(r.id, 0)} for r in conn.execute(query)]


def review_counts(conn: Connection) -> dict[int, int]:
    """Review items (待审核) per document id: the document's own notes and its tasks' notes."""
    counts: dict[int, int] = {}
    for item in review_items(conn):
        counts[item["document_id"]] = counts.get(item["document_id"], 0) + 1
    return counts


def document_numbers(conn: Connection) -> list[dict[str, Any]]:
    """Every document's id and 发文字号 in :func:`list_documents`' order, without counting tasks
    (a filter form's list: at a million tasks the counts cost seconds)."""
    query = sa.select(documents.c.id, documents.c.doc_number).order_by(
        documents.c.issue_id.is_(None), documents.c.issue_id, documents.c.position, documents.c.id
    )
    return [{"id": row.id, "doc_number": row.doc_number} for row in conn.execute(query)]


def get_document(conn: Connection, document: str | int) -> dict[str, Any]:
    """One document (by id or 发文字号) with its source lines and its tasks' ids and lines.

    Raises:
        NotFound: no such document.
    """
    doc_id = resolve_document(conn, document)
    row = conn.execute(sa.select(documents).where(documents.c.id == doc_id)).one()
    item = dict(row._mapping)
    item["source_lines"] = source_lines(conn, row.issue_id, row.line_start or 1, row.line_end or 0)
    item["tasks"] = [
        dict(r._mapping)
        for r in conn.execute(
            sa.select(
                tasks.c.id,
                tasks.c.label,
                tasks.c.title,
                tasks.c.line,
                tasks.c.line_start,
                tasks.c.line_end,
                tasks.c.status,
            )
            .where(tasks.c.document_id == doc_id)
            .order_by(tasks.c.line, tasks.c.id)
        )
    ]
    return item


def review_items(conn: Connection, *, limit: int | None = None) -> list[dict[str, Any]]:
    """What the extractor was unsure of, in source order: each note of a document or task.

    Items: {entity ("document"/"task"), id, document_id, doc_number, line, kind, message, sides}.
    ``import`` counts the same notes, and the documents list counts them per document.
    """
    found: list[dict[str, Any]] = []
    flagged_docs = sa.select(
        documents.c.id, documents.c.id.label("document_id"), documents.c.doc_number, documents.c.review_notes
    ).where(documents.c.needs_review.is_(True))
    flagged_tasks = (
        sa.select(tasks.c.id, tasks.c.document_id, documents.c.doc_number, tasks.c.review_notes)
        .join(documents, documents.c.id == tasks.c.document_id)
        .where(tasks.c.needs_review.is_(True))
    )
    for entity, query in (("document", flagged_docs), ("task", flagged_tasks)):
        for row in conn.execute(query):
            found.extend(
                {
                    "entity": entity,
                    "id": row.id,
                    "document_id": row.document_id,
                    "doc_number": row.doc_number,
                    "line": note.get("line"),
                    "kind": note.get("kind"),
                    "message": note.get("message"),
                    "sides": note.get("sides") or [],
                }
                for note in row.review_notes
            )
    found.sort(key=lambda item: (item["line"] or 0, item["entity"], item["id"]))
    return found[:limit] if limit is not None else found


def summary(conn: Connection, *, as_of: date | None = None, top_units: int = 15) -> dict[str, Any]:
    """Counts for a dashboard or the demo: documents by status, tasks by status and by unit, review, overdue."""
    docs = dict(
        conn.execute(sa.select(documents.c.status, sa.func.count()).group_by(documents.c.status)).all()
    )
    by_status = dict(conn.execute(sa.select(tasks.c.status, sa.func.count()).group_by(tasks.c.status)).all())
    count = sa.func.count(sa.distinct(assignments.c.task_id))
    by_unit = conn.execute(
        sa.select(units.c.name, count)
        .join(assignments, assignments.c.unit_id == units.c.id)
        .group_by(units.c.name)
        .order_by(count.desc(), units.c.name)
        .limit(top_units)
    ).all()
    review_docs = conn.execute(
        sa.select(sa.func.count()).where(documents.c.needs_review.is_(True))
    ).scalar_one()
    review_tasks = conn.execute(sa.select(sa.func.count()).where(tasks.c.needs_review.is_(True))).scalar_one()
    unverified = conn.execute(
        sa.select(units.c.name).where(units.c.verified.is_(False)).order_by(units.c.name)
    )
    out: dict[str, Any] = {
        "documents": sum(docs.values()),
        "documents_by_status": docs,
        "tasks": sum(by_status.values()),
        "tasks_by_status": {s: by_status.get(s, 0) for s in STATUSES if by_status.get(s)},
        "tasks_by_unit": [{"unit": name, "tasks": n} for name, n in by_unit],
        "documents_to_review": review_docs,
        "tasks_to_review": review_tasks,
        "unverified_units": list(unverified.scalars()),
    }
    if as_of is not None:
        out["overdue"] = conn.execute(
            sa.select(sa.func.count()).select_from(tasks).where(late_clause(as_of))
        ).scalar_one()
    return out

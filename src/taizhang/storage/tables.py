"""The ledger's tables (SQLAlchemy Core), shared by SQLite and PostgreSQL.

One ``metadata`` for the whole schema; Alembic migrations are generated from it. Indicator and
scorecard tables live in ``tables_indicators.py`` on the same metadata.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _now() -> sa.ColumnElement:
    return sa.func.current_timestamp()


# 公报 issues. ``source_sha256`` makes imports idempotent: the same file imports once.
issues = sa.Table(
    "issues",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(200)),
    sa.Column("year", sa.Integer),
    sa.Column("number", sa.Integer),
    sa.Column("cumulative_number", sa.Integer),
    sa.Column("published", sa.Date),
    sa.Column("source_name", sa.String(500), nullable=False),
    sa.Column("source_sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("source_text", sa.Text, nullable=False),
    sa.Column("contents", sa.JSON, nullable=False, default=list),
    # flags of the extraction that belong to no document: [{kind, line, message, doc_number}]
    sa.Column("review_notes", sa.JSON, nullable=False, default=list),
    sa.Column("imported_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
)

# 公文. A document may be known only by citation (a repealed one): then issue_id is NULL.
documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("issue_id", sa.ForeignKey("issues.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("doc_number", sa.String(100), nullable=True, unique=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("issuer", sa.String(200)),
    sa.Column("doc_type", sa.String(50)),
    sa.Column("signed_on", sa.Date),
    sa.Column("publication", sa.String(100)),
    sa.Column("addressees", sa.JSON, nullable=False, default=list),
    sa.Column("enclosed", sa.JSON, nullable=False, default=list),
    sa.Column("attachments", sa.JSON, nullable=False, default=list),
    sa.Column("cited_doc_numbers", sa.JSON, nullable=False, default=list),
    sa.Column("section", sa.String(100)),
    sa.Column("line_start", sa.Integer),
    sa.Column("line_end", sa.Integer),
    sa.Column("date_line", sa.Integer),
    sa.Column("status", sa.String(20), nullable=False, default="有效"),  # 有效 / 废止 / 失效
    sa.Column("status_reason", sa.Text),  # e.g. 卫政规发〔2022〕1号 决定废止
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),  # 此件公开发布
    sa.Column("position", sa.Integer, nullable=False, default=0),  # order within its issue
    # what the extractor was unsure of in the document's elements (a missing 成文日期 ...)
    sa.Column("needs_review", sa.Boolean, nullable=False, default=False),
    sa.Column("review_notes", sa.JSON, nullable=False, default=list),  # [{kind, line, message}]
)

# 单位 directory. ``verified`` is false for names the import did not recognise (flagged).
units = sa.Table(
    "units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column(
        "kind", sa.String(20), nullable=False, default="department"
    ),  # department/county/external/group
    sa.Column("verified", sa.Boolean, nullable=False, default=True),
)

unit_aliases = sa.Table(
    "unit_aliases",
    metadata,
    sa.Column("alias", sa.String(200), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False, index=True),
)

# 各县(区) → 沙坡头区, 中宁县, 海原县
unit_members = sa.Table(
    "unit_members",
    metadata,
    sa.Column("group_id", sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("member_id", sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)

# 任务. ``key`` identifies an extracted task across imports: document number, source, label and
# a digest of the title (not the line, so the same document printed in another issue matches).
tasks = sa.Table(
    "tasks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("source", sa.String(10), nullable=False),  # text / table
    sa.Column("label", sa.String(50)),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False, default=""),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("line_start", sa.Integer, nullable=False),
    sa.Column("line_end", sa.Integer, nullable=False),
    sa.Column("deadline_kind", sa.String(20), nullable=False, default="none"),
    sa.Column("deadline_text", sa.Text),
    sa.Column("due_on", sa.Date),
    sa.Column("recurrence", sa.String(50)),  # monthly:25, quarterly ...
    sa.Column("working_days", sa.Integer),
    # 未开始 / 推进中 / 待审核 (completion asked) / 已完成 (办结) / 长期坚持
    sa.Column("status", sa.String(20), nullable=False, default="未开始", index=True),
    sa.Column("percent", sa.Integer, nullable=False, default=0),
    sa.Column("needs_review", sa.Boolean, nullable=False, default=False, index=True),
    sa.Column("review_notes", sa.JSON, nullable=False, default=list),  # [{kind, line, message}]
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    # the first day the task is late by ``ledger.standing.late_from`` (None: it cannot be late as it
    # stands); kept by ``services.standing.refresh_late_on`` whenever status or deadline change
    sa.Column("late_on", sa.Date),
    # the ledger's default order is the gazette's: document, then line
    sa.Index("ix_tasks_document_line", "document_id", "line"),
    # a listing by due day (and a range of due days) reads its page in this index's order
    sa.Index("ix_tasks_due_id", "due_on", "id"),
    # the overdue and due-date filters and their counts, from the index alone
    sa.Index("ix_tasks_due_status_kind", "due_on", "status", "deadline_kind"),
    # the dashboard: red is ``late_on <= as_of``; the month of ``as_of`` is counted per document from
    # this index alone, the months before it come from ``tally_late``
    sa.Index("ix_tasks_late_document", "late_on", "document_id"),
    # the dashboard's tasks owing a cycle's report, from this index alone
    # (the id too: the "no report for this period" test reads it, and PostgreSQL's index lacks it)
    sa.Index("ix_tasks_recurrence_owing", "recurrence", "status", "late_on", "document_id", "id"),
    # the dashboard's first tasks owing a report: each cycle's tasks walked by due day; the columns
    # after the id let the count of tasks owing read it alone too (SQLite chose it over the one above)
    sa.Index("ix_tasks_recurrence_due", "recurrence", "due_on", "id", "status", "late_on", "document_id"),
)

# Units by role: lead (牵头), responsible (责任), cooperating (配合). ``printed`` keeps the
# name as the gazette spells it, so a reviewer sees the source and the resolution side by side.
assignments = sa.Table(
    "assignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("printed", sa.String(200), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    # the task's place in the ledger (its document and line), copied by triggers (migration
    # 0022_assignment_order) so a unit's page walks ``ix_assignments_unit_role_order`` alone
    sa.Column("document_id", sa.Integer),
    sa.Column("line", sa.Integer),
    sa.UniqueConstraint("task_id", "unit_id", "role", name="uq_assignments_task_role_unit"),
    # ``tasks --unit X [--role R]`` looks tasks up by unit first: keep it an index-only scan
    sa.Index("ix_assignments_unit_role_task", "unit_id", "role", "task_id"),
    # ``tasks --unit X`` without a role: task ids come out in order, so counting the distinct
    # tasks and probing "is this task X's" need no temporary b-tree (3x faster on 100,000 tasks)
    sa.Index("ix_assignments_unit_task", "unit_id", "task_id"),
    # a unit's tasks in ledger order, one role at a time: a page is a range of this index
    sa.Index("ix_assignments_unit_role_order", "unit_id", "role", "document_id", "line", "task_id"),
)

# 账户. role: office (督查室), unit, leader. Unit users belong to one unit.
users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=True),
    sa.Column("token_hash", sa.String(128), nullable=True, unique=True),
    sa.Column("email", sa.String(200)),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    # raised by logout, a new password or disabling: every session signed with an older one ends
    sa.Column("session_version", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    # a 督查组 account sees and writes the objects of the counties its campaign group covers (no
    # foreign key: on SQLite one would rebuild users; services.accounts checks the group)
    sa.Column("campaign_group_id", sa.Integer, nullable=True),
)

# 进展报告 (and requests for completion or extension, which are reports with a kind).
reports = sa.Table(
    "reports",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False, index=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False, default="progress"),  # progress/completion/extension
    sa.Column("period", sa.String(10)),  # reporting cycle it answers, e.g. 2022-05
    sa.Column("practice", sa.Text, nullable=False, default=""),  # 主要做法
    sa.Column("results", sa.Text, nullable=False, default=""),  # 成效
    sa.Column("problems", sa.Text, nullable=False, default=""),  # 存在问题
    sa.Column("next_steps", sa.Text, nullable=False, default=""),  # 下步打算
    sa.Column("percent", sa.Integer, nullable=False, default=0),
    sa.Column("requested_due", sa.Date),  # for extension requests
    sa.Column("decision", sa.String(20)),  # approved / refused / returned, for requests
    sa.Column("decision_reason", sa.Text),
    sa.Column("submitted_on", sa.Date, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    # a client's key for one report: a retried POST with the same key returns the stored report
    sa.Column("idempotency_key", sa.String(64)),
    sa.Index("uq_reports_user_idempotency_key", "user_id", "idempotency_key", unique=True),
    # reports by day: the dashboard asks which tasks were answered in the owed period
    sa.Index("ix_reports_submitted_on", "submitted_on"),
)

# Files of a report, or of a task itself (立项附件: the instruction or minutes it was created from):
# each row has one of report_id and task_id.
attachments = sa.Table(
    "attachments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("report_id", sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("filename", sa.String(300), nullable=False),
    sa.Column("content_type", sa.String(100)),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("stored_path", sa.String(500), nullable=False),
)

# Office actions on a task, shown on its timeline: 催办, 办结, 退回, 延期, 重开, 分派, 修改.
actions = sa.Table(
    "actions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("message", sa.Text, nullable=False, default=""),
    sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    # the unit whose part the action concerns (催办 one county of a 各县(区) task); NULL: the whole task
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=True),
)

# Read state of a user's 通知 (the 交办, 批示 and 催办 actions that concern the user's units): every
# action up to ``read_through`` is read (全部标为已读), and each one opened above it has a row here.
notice_marks = sa.Table(
    "notice_marks",
    metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("read_through", sa.Integer, nullable=False),  # an actions.id
    sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
)

# Deployment settings the office changes on the web (/admin); each one overrides the configuration.
deployment_settings = sa.Table(
    "deployment_settings",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),  # issuer: 发文机关
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

notice_reads = sa.Table(
    "notice_reads",
    metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("action_id", sa.ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
)

# Parts of a task: one per unit that answers for it (lead, responsible, each member of a group),
# with its own state. ``tasks.status`` and ``tasks.percent`` are derived from them by
# ``ledger.parts.task_state`` (services/parts.py settles them after every change).
parts = sa.Table(
    "parts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("unit_id", sa.ForeignKey("units.id"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),  # lead / responsible
    sa.Column("status", sa.String(20), nullable=False, default="未开始"),
    sa.Column("percent", sa.Integer, nullable=False, default=0),
    sa.Column("acknowledged_at", sa.DateTime(timezone=True)),  # 签收
    sa.Column("acknowledged_by", sa.String(100)),
    sa.Column("done_at", sa.Date),  # the day the office approved the part (办结)
    sa.Column("assigned_on", sa.Date),  # 交办: the day the unit was given its part
    sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    # the first day this part is late by ``ledger.standing.part_late_from`` (None: it cannot be)
    sa.Column("late_on", sa.Date),
    sa.UniqueConstraint("task_id", "unit_id", name="uq_parts_task_unit"),
    sa.Index("ix_parts_unit_task", "unit_id", "task_id"),
    # the dashboard's per-unit count of the month of ``as_of`` (the months before it: ``tally_late``)
    sa.Index("ix_parts_late_unit", "late_on", "unit_id"),
)

# 汇总: running totals the dashboard reads instead of every task, part and report. Database triggers
# on tasks, parts and reports keep them (migration ``0027_running_totals``), so every writer does, in
# its own transaction. A scope is "document" (its tasks) or "unit" (its parts).
# how many, 办结, closed (办结 or 撤销)
tally_totals = sa.Table(
    "tally_totals",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),
    sa.Column("scope_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("closed", sa.Integer, nullable=False),
    sqlite_with_rowid=False,  # the rows are the key's index: counting reads nothing else
)
# the ledger's tasks by status
tally_statuses = sa.Table(
    "tally_statuses",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),
    sa.Column("status", sa.String(20), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)
# open rows with a late day, by month of that day (``late_month`` = year * 12 + month - 1): ``n`` in
# the month, ``upto`` in it or before, so what is late before a month is one row per scope
tally_late = sa.Table(
    "tally_late",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),
    sa.Column("scope_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("late_month", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("upto", sa.Integer, nullable=False),
    # every document's (or unit's) row of one month in one range: the dashboard's running counts
    sa.Index("ix_tally_late_month", "scope", "late_month", "scope_id"),
    sqlite_with_rowid=False,
)
# open tasks under a reporting cycle, per document, cycle and month of late day (0 when none)
tally_owing = sa.Table(
    "tally_owing",
    metadata,
    sa.Column("document_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("recurrence", sa.String(50), primary_key=True),
    sa.Column("late_month", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)
# per unit, its open parts by late day: the month of ``as_of`` and the yellow window a row per day
# (first by day, so a range of days is one stretch of the key)
tally_late_days = sa.Table(
    "tally_late_days",
    metadata,
    sa.Column("scope", sa.String(10), primary_key=True),
    sa.Column("late_on", sa.Date, primary_key=True),
    sa.Column("scope_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)
# reports by day sent, and the sum of the percents they state (the weekly progress series)
tally_reports = sa.Table(
    "tally_reports",
    metadata,
    sa.Column("submitted_on", sa.Date, primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("percent_sum", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)
# per task and period label (2022-05, 2022-Q2, 2022-H1, 2022, 2022-W18), its progress reports that
# answer that period: the one a report names, else the period of each frequency its day falls in
# (migration ``0030_answered_periods``)
tally_answers = sa.Table(
    "tally_answers",
    metadata,
    sa.Column("task_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("period", sa.String(10), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    # the tasks owing a report, walked by id, probe one period: its rows alone, in task order
    sa.Index("ix_tally_answers_period_task", "period", "task_id"),
    sqlite_with_rowid=False,
)
# open tasks under a reporting cycle answered for a period, per document and month of late day
# (0 when none): the tasks owing a cycle's report are ``tally_owing`` less these
tally_answered = sa.Table(
    "tally_answered",
    metadata,
    sa.Column("recurrence", sa.String(50), primary_key=True),
    sa.Column("period", sa.String(10), primary_key=True),
    sa.Column("document_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("late_month", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)

# a unit's tasks in each role (assignments are unique per task, unit and role) and, as role ``*``, in
# any role, kept by triggers on ``assignments`` (migration ``0034_assigned_by_unit``): a unit's
# listing reads its count here instead of counting the unit's index entries
tally_assigned = sa.Table(
    "tally_assigned",
    metadata,
    sa.Column("unit_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("role", sa.String(20), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)
ANY_ROLE = "*"  # the role of the row counting a unit's tasks in any role
# the roles a unit holds in a task: the unit's ``*`` count moves when a pair comes or goes
tally_unit_tasks = sa.Table(
    "tally_unit_tasks",
    metadata,
    sa.Column("unit_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("task_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("n", sa.Integer, nullable=False),
    sqlite_with_rowid=False,
)

# Periodic reporting duties (每月25日前报送): per document or per task.
reporting_cycles = sa.Table(
    "reporting_cycles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=True),
    sa.Column("task_id", sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=True),
    sa.Column("rule", sa.String(50), nullable=False),  # monthly:25, quarterly:5 ...
    sa.Column("starts_on", sa.Date),
    sa.Column("ends_on", sa.Date),
    sa.Column("line", sa.Integer),
    sa.Index("ix_reporting_cycles_document", "document_id"),
    sa.Index("ix_reporting_cycles_task", "task_id"),
)

# 全过程留痕: append-only, hash-chained change log. Each row's ``hash`` covers its content and
# ``prev_hash``; `taizhang audit verify` recomputes the chain.
change_log = sa.Table(
    "change_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(100), nullable=False),  # user name, or "import", "system"
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("entity", sa.String(50), nullable=False),  # task, document, unit, user ...
    sa.Column("entity_id", sa.Integer),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False, unique=True),
)

# The change log's signed head: the id and hash of its last entry with an HMAC over both, rewritten
# with every entry, so a log whose newest entries were deleted no longer matches it. One row (id 1).
change_log_head = sa.Table(
    "change_log_head",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("entry_id", sa.Integer, nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("signature", sa.String(64), nullable=False),
)

# 封存: an HMAC of each ledger row's content (tasks, parts, reports) under the change log's key,
# rewritten whenever the application changes the row; an edit behind its back no longer matches.
row_seals = sa.Table(
    "row_seals",
    metadata,
    sa.Column("table_name", sa.String(50), primary_key=True),
    sa.Column("row_id", sa.Integer, primary_key=True),
    sa.Column("seal", sa.String(64), nullable=False),
)

# 通报 notices published by the office.
notices = sa.Table(
    "notices",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
)

# Login rate limiting survives restarts and works across worker processes.
login_attempts = sa.Table(
    "login_attempts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, index=True),
    sa.Column("client", sa.String(100), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)

# The working-day calendar (工作日历) of ``taizhang.workdays``, one row per day: SQL finds "N
# working days after X" as the working day whose ordinal is X's plus N, one index lookup for
# any X. Filled by the migration over the days a dashboard may be asked about.
workdays = sa.Table(
    "workdays",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("is_workday", sa.Boolean, nullable=False),
    # working days from the calendar's origin through this day
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Index("ix_workdays_ordinal", "ordinal", "day"),
)

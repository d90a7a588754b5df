"""Tables of procedures and people (SQLAlchemy Core), on the ledger's metadata.

Decision catalogues and their procedure steps, expert consultation (pool, requests, panels,
opinions), people with their 分工, AB岗 and absences, requests routed to them, and the registry
of normative documents with the links that change their status. Created by migration 0005.
"""

from __future__ import annotations

import sqlalchemy as sa

from .tables import documents, metadata, tasks, units


def _now() -> sa.ColumnElement:
    return sa.func.current_timestamp()


# 重大行政决策事项: one row of a catalogue. ``flags`` marks what makes it need the larger panel:
# wide (涉及面较广), contested (争议性较强), sensitive (内容特别复杂、敏感).
decision_items = sa.Table(
    "decision_items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(200), nullable=False, unique=True),
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("task_id", sa.ForeignKey(tasks.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("catalogue", sa.Text, nullable=False),
    sa.Column("label", sa.String(50)),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("units_printed", sa.JSON, nullable=False, default=list),  # 承办单位 as printed
    sa.Column("deadline_text", sa.Text),
    sa.Column("due_on", sa.Date),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("procedures_source", sa.String(10), nullable=False, default="law"),  # column / text / law
    sa.Column("flags", sa.JSON, nullable=False, default=list),
    sa.Column("decided_on", sa.Date),  # the day the decision was taken (集体讨论决定)
    sa.Column("note", sa.Text, nullable=False, default=""),
)

decision_units = sa.Table(
    "decision_units",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "decision_id", sa.ForeignKey(decision_items.c.id, ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("unit_id", sa.ForeignKey(units.c.id), nullable=False, index=True),
    sa.Column("printed", sa.String(200), nullable=False),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.UniqueConstraint("decision_id", "unit_id", name="uq_decision_units_decision_unit"),
)

# 决策程序: 公众参与, 专家论证, 风险评估, 合法性审查, 集体讨论决定, each with its state and day.
decision_steps = sa.Table(
    "decision_steps",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "decision_id", sa.ForeignKey(decision_items.c.id, ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("procedure", sa.String(20), nullable=False),
    sa.Column("article", sa.String(20)),  # of the 条例
    sa.Column("required", sa.Boolean, nullable=False, default=True),
    sa.Column("state", sa.String(10), nullable=False, default="未开始"),  # 未开始/进行中/已完成/不适用
    sa.Column("done_on", sa.Date),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.UniqueConstraint("decision_id", "procedure", name="uq_decision_steps_decision_procedure"),
)

# The consultation rules a rules document states (第十三条 单数, 不少于5人 …).
consultation_rules = sa.Table(
    "consultation_rules",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("doc_number", sa.String(100)),
    sa.Column("rule", sa.String(40), nullable=False),
    sa.Column("article", sa.String(20)),
    sa.Column("params", sa.JSON, nullable=False, default=dict),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("line", sa.Integer),
    sa.UniqueConstraint("document_id", "rule", name="uq_consultation_rules_document_rule"),
)

# 专家库: ``unit_id`` when the expert works for a unit of the directory (回避 is checked on it).
experts = sa.Table(
    "experts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("field", sa.String(100), nullable=False, default=""),  # 专业领域
    sa.Column("title", sa.String(50), nullable=False, default=""),  # 职称
    sa.Column("affiliation", sa.String(200), nullable=False, default=""),  # 工作单位
    sa.Column("unit_id", sa.ForeignKey(units.c.id), nullable=True),
    sa.Column("pool", sa.String(10), nullable=False, default="库内"),  # 库内 / 库外
    sa.Column("conflicts", sa.JSON, nullable=False, default=list),  # units with a 利害关系
    sa.Column("phone", sa.String(50), nullable=False, default=""),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
    sa.UniqueConstraint("name", "affiliation", name="uq_experts_name_affiliation"),
)

# 咨询论证申请: for one decision item; status 已申请 → 专家已确定 → 意见征集 → 已报送 → 已归档.
consultations = sa.Table(
    "consultations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "decision_id", sa.ForeignKey(decision_items.c.id, ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("topic", sa.Text, nullable=False),  # 咨询论证事项
    sa.Column("form", sa.String(20), nullable=False),  # 专家个人论证 / 专家小组论证 / 集体论证 / 函审咨询论证
    sa.Column("requested_on", sa.Date, nullable=False),  # the written application
    sa.Column("meeting_on", sa.Date, nullable=False),  # the day of the 论证 (or the 函审 deadline)
    sa.Column("opinion_due", sa.Date),
    sa.Column("status", sa.String(10), nullable=False, default="已申请"),
    sa.Column("findings", sa.JSON, nullable=False, default=list),  # warnings accepted with the application
    sa.Column("summary", sa.Text, nullable=False, default=""),  # 专家组综合意见
    sa.Column("reported_on", sa.Date),  # 报送 with the decision
    sa.Column("archived_on", sa.Date),
    sa.Column("archive_number", sa.String(50)),  # 档号
    sa.Column("is_public", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
)

# 专家组成员, with the opinion, its adoption (采纳 / 部分采纳 / 未采纳) and the feedback (反馈).
consultation_members = sa.Table(
    "consultation_members",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "consultation_id", sa.ForeignKey(consultations.c.id, ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("expert_id", sa.ForeignKey(experts.c.id), nullable=False, index=True),
    sa.Column("side", sa.String(10)),  # 支持 / 反对 / 中立
    sa.Column("role", sa.String(10), nullable=False, default="成员"),  # 组长 / 成员
    sa.Column("pledge_signed", sa.Boolean, nullable=False, default=False),  # 诚信承诺书
    sa.Column("opinion", sa.Text),
    sa.Column("signed", sa.Boolean, nullable=False, default=False),  # 署名
    sa.Column("submitted_on", sa.Date),
    sa.Column("adoption", sa.String(10)),
    sa.Column("adoption_reason", sa.Text),
    sa.Column("feedback_on", sa.Date),
    sa.Column("feedback_note", sa.Text),
    sa.UniqueConstraint("consultation_id", "expert_id", name="uq_consultation_members_consultation_expert"),
)

# 人员 of a division-of-work notice; ``backup_id`` is the AB岗 partner.
people = sa.Table(
    "people",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
    sa.Column("role", sa.Text, nullable=False, default=""),  # the duty paragraph
    sa.Column("designation", sa.String(50)),
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("line", sa.Integer),
    sa.Column("backup_id", sa.ForeignKey("people.id", ondelete="SET NULL"), nullable=True),
    sa.Column("backup_line", sa.Integer),  # the AB岗 sentence
    sa.Column("position", sa.Integer, nullable=False, default=0),
)

# 分工: one area or unit per row; ``unit_id`` when the area names a unit of the directory.
person_duties = sa.Table(
    "person_duties",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey(people.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("kind", sa.String(10), nullable=False),  # 分管 / 协助分管 / 联系 / 主持
    sa.Column("verb", sa.String(50), nullable=False, default=""),
    sa.Column("area", sa.String(200), nullable=False),
    sa.Column("unit_id", sa.ForeignKey(units.c.id), nullable=True, index=True),
    sa.Column("line", sa.Integer),
)

absences = sa.Table(
    "absences",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey(people.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("starts_on", sa.Date, nullable=False),
    sa.Column("ends_on", sa.Date, nullable=False),
    sa.Column("reason", sa.String(200), nullable=False, default=""),
    sa.Column("created_by", sa.String(100), nullable=False),
)

# Approvals (审批) and notifications (通知) for a unit or section, routed to the person who covers
# it that day: ``owner_id`` is whose it is, ``person_id`` who received it (the B post when away).
routed_requests = sa.Table(
    "routed_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),  # 审批 / 通知
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("target", sa.String(200), nullable=False),  # the unit or section as asked
    sa.Column("unit_id", sa.ForeignKey(units.c.id), nullable=True),
    sa.Column("person_id", sa.ForeignKey(people.c.id, ondelete="SET NULL"), nullable=True, index=True),
    sa.Column("owner_id", sa.ForeignKey(people.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("via", sa.String(20), nullable=False),  # 本人 / AB岗 / 次位分工 / 主持全面工作 / 无人
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("consultation_id", sa.ForeignKey(consultations.c.id, ondelete="SET NULL"), nullable=True),
    sa.Column("requested_by", sa.String(100), nullable=False),
    sa.Column("requested_on", sa.Date, nullable=False),
    sa.Column("status", sa.String(10), nullable=False, default="待处理"),  # 待处理 / 已同意 / 已退回 / 已阅
    sa.Column("decided_on", sa.Date),
    sa.Column("decision_note", sa.Text),
)

# 规范性文件 registry: which documents are normative, and why (文号含“规”字, 列入…目录, 制定规则, 人工认定).
normative_documents = sa.Table(
    "normative_documents",
    metadata,
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), primary_key=True),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("line", sa.Integer),
)

# ``by_document_id`` repealed (废止), voided (失效) or revised (修订) ``document_id``.
document_links = sa.Table(
    "document_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("by_document_id", sa.ForeignKey(documents.c.id, ondelete="CASCADE"), nullable=True, index=True),
    sa.Column("relation", sa.String(10), nullable=False),
    sa.Column("line", sa.Integer),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.UniqueConstraint(
        "document_id", "by_document_id", "relation", name="uq_document_links_target_by_relation"
    ),
)

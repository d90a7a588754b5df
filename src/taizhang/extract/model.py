"""What the extractor produces: frozen, plain data with source lines.

These classes are the contract between the pure extraction core and everything around it
(storage, CLI, web). ``extraction.Extraction`` gathers them for one source; ``to_json.py`` turns
them into the gold-file JSON shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .spans import Span

# Deadline kinds, as in the gold annotation.
DEADLINE_KINDS = ("date", "date+ongoing", "ongoing", "phased", "recurring", "relative", "none", "other")

ROLES = ("lead", "responsible", "cooperating")  # 牵头单位, 责任单位, 配合单位


@dataclass(frozen=True)
class Flag:
    """Something the extractor is unsure of, for a reviewer to settle.

    ``kind`` is a short machine name (``unknown_unit``, ``unreadable_deadline``,
    ``no_assignment``, ``unsplit_units``, ``missing_field`` ...); ``message`` says it in words.
    """

    kind: str
    line: int
    message: str
    doc_number: str | None = None


# What a reviewer reads for each flag kind; the codes stay in JSON and storage.
FLAG_LABELS = {
    "unknown_unit": "单位不在单位库",
    "unsplit_units": "单位未能拆分",
    "etc_units": "单位列表不全",
    "unreadable_deadline": "时限无法解析",
    "no_units": "未列单位",
    "no_assignment": "未读出分工",
    "bare_units": "只列单位无任务",
    "sentence_assignment": "分工写在句中",
    "unreadable_table": "表格无法读取",
    "no_header": "未找到文件头",
    "missing_field": "文件要素缺失",
    "uncertain_title": "标题不确定",
    "attachment_mismatch": "附件标题不符",
    "contents_mismatch": "与目录不符",
    "repeated_document": "重复文件",
    "unknown_procedure": "未识别的程序",
    "campaign_groups": "专项行动分组不符",
    "campaign_checklist": "专项行动缺检查项",
    "document_repealed": "所属文件已废止",
    "document_void": "所属文件已失效",
    "document_revised": "所属文件已修订",
    "document_changed": "所属文件有变动",
    "check_conflict": "数字前后不一致",
    "units_from_context": "单位取自上下文",
    "units_to_fill": "单位待补录",
}


def flag_label(kind: str | None) -> str:
    """The Chinese name of a review flag kind; an unknown kind reads as 待核对, never as its code."""
    return FLAG_LABELS.get(kind or "", "待核对")


@dataclass(frozen=True)
class Deadline:
    """A deadline as data (完成时限).

    ``kind`` is one of :data:`DEADLINE_KINDS`. ``due`` is the last day the work may be done on,
    when the text gives or implies one. ``recurrence`` describes a cycle (``monthly:25`` = by the
    25th of every month, ``quarterly``, ``yearly:12-31``); ``working_days`` a relative deadline
    (``10个工作日内``) counted from an event named in ``anchor``.
    """

    kind: str = "none"
    due: date | None = None
    text: str | None = None
    recurrence: str | None = None
    working_days: int | None = None
    anchor: str | None = None
    phases: tuple[tuple[str, date | None], ...] = ()


@dataclass(frozen=True)
class Task:
    """One assigned item of work (任务) with its units by role and its deadline.

    Unit names are as printed, with a dropped 市 prefix restored (``市人力资源社会保障局``);
    resolving them to directory units is the ledger's job. ``line`` is the line where the
    assignment is stated (the bracket, the 牵头单位 line, the table row) and ``column`` where on it;
    ``span`` covers the item, starting at ``column_start`` of its first line (a table row printed
    over several lines spans them all).
    """

    doc_number: str | None
    source: str  # "text" or "table"
    label: str | None  # "(一)", "1.", "1" for table rows
    title: str
    lead: tuple[str, ...] = ()  # 牵头单位
    responsible: tuple[str, ...] = ()  # 责任单位 / 承办部门
    cooperating: tuple[str, ...] = ()  # 配合单位 / 参与
    deadline_text: str | None = None
    deadline: Deadline = field(default_factory=Deadline)
    line: int = 0
    span: Span | None = None
    body: str = ""
    flags: tuple[Flag, ...] = ()
    page: int | None = None  # the printed page of ``line``, when the source had pages (a PDF)
    column: int = 1  # 1-based character position of the assignment on ``line``
    column_start: int = 1  # the same for the item's first line (a body flattened onto one line)


@dataclass(frozen=True)
class ContentsEntry:
    """One line of the issue's table of contents (目录)."""

    title: str
    doc_number: str | None
    page: int | None
    section: str | None  # 【中卫市政府文件】
    line: int


@dataclass(frozen=True)
class Issue:
    """The gazette issue (期): title, year, number, cumulative number (总第N期), publication date."""

    title: str | None = None
    year: int | None = None
    number: int | None = None
    cumulative_number: int | None = None
    published: date | None = None
    contents: tuple[ContentsEntry, ...] = ()
    editors: tuple[tuple[str, str], ...] = ()  # (post, name) of the 编辑委员会
    span: Span | None = None


@dataclass(frozen=True)
class Document:
    """One official document (公文) with its elements.

    ``doc_number`` is normalised to 〔〕 brackets. ``type`` is the 公文 type (通知, 决定, 意见,
    令, 函, 批复, 纪要 ...). ``enclosed`` lists the titles a cover note issues (印发/转发);
    ``attachments`` its 附件. ``cited_doc_numbers`` are other documents it cites, normalised.
    """

    doc_number: str | None
    title: str
    issuer: str | None = None
    type: str | None = None
    date: date | None = None
    publication: str | None = None  # 附注, e.g. 此件公开发布
    addressees: tuple[str, ...] = ()  # 主送机关
    enclosed: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    cited_doc_numbers: tuple[str, ...] = ()
    span: Span = field(default_factory=lambda: Span(1, 1))
    date_line: int | None = None
    section: str | None = None  # the 目录 heading it is filed under
    flags: tuple[Flag, ...] = ()

    @property
    def issuers(self) -> tuple[str, ...]:
        """Each organ of the 发文机关: one, or every signer of a joint document (joined by 、 in ``issuer``)."""
        return tuple(name for name in (self.issuer or "").split("、") if name)


@dataclass(frozen=True)
class Person:
    """A person named in a division-of-work notice, with duties and A/B backup post (AB岗)."""

    name: str
    role: str
    duties: str | None = None
    backup: str | None = None
    designation: str | None = None  # 挂职, 四级调研员 ...
    line: int = 0


@dataclass(frozen=True)
class Check:
    """A numeric or cross-reference consistency finding (consistent or not)."""

    doc_number: str | None
    what: str
    expected: Any
    found: Any
    consistent: bool
    line: int
    text_line: int | None = None
    category: str = "required"
    confidence: str = "high"
    note: str | None = None
    kind: str | None = None  # column_sum, target_vs_annex, weights_total, text_vs_annex ...

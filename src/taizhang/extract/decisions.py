"""Decision catalogues (重大行政决策事项目录): each row a decision item with its procedures.

A catalogue is a document whose title, enclosed title or table heading names a 重大行政决策事项
目录 (or 清单, 计划). Its rows are already tasks (the table reader gives each row's 承办单位 and
完成时间); this stage adds what makes a row a *decision*: the statutory procedures it must go
through before the decision is taken (决策程序), each a step the ledger tracks.

Where the procedures come from, in order:

1. a column of the row (``履行程序``, ``决策程序``: 公众参与、专家论证…), or one column per
   procedure with a mark (√ ✓ ● 是);
2. a sentence of the document stating the procedures for every item (严格履行公众参与、专家论证、
   风险评估、合法性审查和集体讨论决定等法定程序);
3. otherwise the five procedures of the State Council's 《重大行政决策程序暂行条例》, with
   ``procedures_source = "law"`` so a reviewer knows nobody printed them.

The next stage may rely on: one :class:`DecisionItem` per row task, in row order, carrying the
task's line (which finds the task again), and ``procedures`` naming only :data:`PROCEDURES`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Deadline, Document, Flag, Task
from .spans import SourceText

LAW = "《重大行政决策程序暂行条例》"  # 国务院令第713号


@dataclass(frozen=True)
class Procedure:
    """A statutory decision procedure: its name, other names printed for it, the article, and
    whether the law requires it of every decision (``required``) or only where it applies."""

    name: str
    aliases: tuple[str, ...]
    article: str
    required: bool


# The five procedures of the 条例, in the order a decision goes through them. Aliases are the
# other names catalogues print: 征求意见/听证 (public participation), 专家咨询/咨询论证,
# 社会稳定风险评估/稳评, 合法性审核/法制审核, 常务会议讨论.
PROCEDURES: tuple[Procedure, ...] = (
    Procedure("公众参与", ("征求意见", "征求公众意见", "听证", "听证会"), "第十四条", True),
    Procedure("专家论证", ("专家咨询", "咨询论证", "专家评审"), "第十九条", False),
    Procedure("风险评估", ("社会稳定风险评估", "稳评", "风险评估"), "第二十二条", False),
    Procedure("合法性审查", ("合法性审核", "法制审核", "合法性审查"), "第二十五条", True),
    Procedure("集体讨论决定", ("集体讨论", "集体决策", "常务会议讨论", "集体讨论决定"), "第三十条", True),
)

# '中卫市2022年度重大行政决策事项目录' (gazette line 127); other cities print 清单 or 计划, and
# some drop 行政 ('重大决策事项目录').
_CATALOGUE = re.compile(r"重大(?:行政)?决策(?:事项)?(?:年度)?(?:目录|清单|计划)")
# A header cell naming the procedures column: '履行程序', '决策程序', '法定程序', '程序环节'.
_PROCEDURE_HEADER = re.compile(r"程序|环节")
# Marks in per-procedure columns: √ ✓ ● ○(no) 是/否, 需要/不需要.
_YES = re.compile(r"^(?:√|✓|✔|●|■|是|需要|有|要)$")
_NO = re.compile(r"^(?:×|✗|○|否|不需要|无|—|-|/)?$")
# A sentence that states the procedures for every item of the catalogue.
_PROCEDURE_SENTENCE = re.compile(r"[^。；;]*程序[^。；;]*")


@dataclass(frozen=True)
class DecisionItem:
    """One row of a decision catalogue: the decision, its 承办单位, timing and procedures."""

    doc_number: str | None
    catalogue: str  # the catalogue's title as printed
    label: str | None
    title: str
    units: tuple[str, ...]  # 承办单位, as printed (市 prefix restored)
    deadline_text: str | None
    deadline: Deadline
    procedures: tuple[str, ...]  # names from PROCEDURES, in their order
    procedures_source: str  # "column", "text" or "law"
    procedures_line: int | None  # where the procedures are printed (None for "law")
    line: int  # the row's line: the task of the same document and line is this item's task
    flags: tuple[Flag, ...] = ()


def procedure_names(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Procedures named in ``text`` (in statutory order) and the words of a list that name none."""
    found = {p.name for p in PROCEDURES if any(word in text for word in (p.name, *p.aliases))}
    unknown = tuple(
        part
        for part in (p.strip(" 等程序。") for p in re.split(r"[、,，;；和及/\s]+", text))
        if part and not any(word in part or part in word for p in PROCEDURES for word in (p.name, *p.aliases))
    )
    return tuple(p.name for p in PROCEDURES if p.name in found), unknown


def catalogue_title(source: SourceText, document: Document) -> str | None:
    """The catalogue's title when ``document`` is (or issues) a decision catalogue, else None."""
    for title in (*document.enclosed, document.title):
        match = _CATALOGUE.search(title)
        if match:
            return title.strip("《》")
    if "重大" not in source.text(document.span):
        return None  # every catalogue title opens with 重大
    for _, text in source.numbered(document.span):
        stripped = text.strip()
        # the pattern last: most lines are long, table rows or without 重大
        if (
            len(stripped) <= 40
            and "\t" not in stripped
            and "重大" in stripped
            and _CATALOGUE.search(stripped)
        ):
            return stripped
    return None


def _header(source: SourceText, document: Document, first_row: int) -> tuple[int, list[str]] | None:
    """The table header above the first row: its line and cells (a line of tab-separated cells)."""
    for number in range(first_row - 1, document.span.start - 1, -1):
        text = source.line(number)
        if "\t" in text:
            cells = [c.strip() for c in text.split("\t")]
            if not any(c.isdigit() for c in cells[:1]):
                return number, cells
        elif text.strip():
            return None
    return None


def _from_columns(header: list[str], row: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Procedures read from the row's cells, when the header has a procedures column or columns."""
    cells = [c.strip() for c in row.split("\t")]
    if len(cells) != len(header):
        return None
    column = next((i for i, h in enumerate(header) if _PROCEDURE_HEADER.search(h)), None)
    if column is not None:
        return procedure_names(cells[column])
    marked: list[str] = []
    named = False
    for head, cell in zip(header, cells, strict=True):
        names, _ = procedure_names(head)
        if len(names) != 1:
            continue
        named = True
        if _YES.match(cell):
            marked.append(names[0])
        elif not _NO.match(cell):
            return None
    if not named:
        return None
    return tuple(p.name for p in PROCEDURES if p.name in marked), ()


def _from_text(source: SourceText, document: Document) -> tuple[tuple[str, ...], int] | None:
    """Procedures a sentence of the document states for all items (two or more named)."""
    for number, text in source.numbered(document.span):
        if "\t" in text:
            continue
        for sentence in _PROCEDURE_SENTENCE.findall(text):
            names, _ = procedure_names(sentence)
            if len(names) >= 2:
                return names, number
    return None


def _item(
    source: SourceText,
    document: Document,
    catalogue: str,
    task: Task,
    header: tuple[int, list[str]] | None,
    stated: tuple[tuple[str, ...], int] | None,
) -> DecisionItem:
    flags: list[Flag] = []
    procedures: tuple[str, ...] = tuple(p.name for p in PROCEDURES)
    origin, where = "law", None
    read = _from_columns(header[1], source.line(task.line)) if header and task.source == "table" else None
    if read is not None:
        procedures, unknown = read
        origin, where = "column", task.line
        if unknown:
            flags.append(
                Flag(
                    "unknown_procedure",
                    task.line,
                    f"未识别的决策程序：{'、'.join(unknown)}",
                    document.doc_number,
                )
            )
    elif stated is not None:
        (procedures, where), origin = stated, "text"
    return DecisionItem(
        doc_number=document.doc_number,
        catalogue=catalogue,
        label=task.label,
        title=task.title,
        units=tuple(dict.fromkeys((*task.lead, *task.responsible, *task.cooperating))),
        deadline_text=task.deadline_text,
        deadline=task.deadline,
        procedures=procedures,
        procedures_source=origin,
        procedures_line=where,
        line=task.line,
        flags=tuple(flags),
    )


def find_decisions(
    source: SourceText, documents: list[Document] | tuple[Document, ...], tasks: list[Task] | tuple[Task, ...]
) -> list[DecisionItem]:
    """Decision items of every catalogue among ``documents``, from the tasks read from its rows."""
    found: list[DecisionItem] = []
    for document in documents:
        catalogue = catalogue_title(source, document)
        if catalogue is None:
            continue
        rows = [t for t in tasks if t.doc_number == document.doc_number and t.line in document.span]
        if not rows:
            continue
        header = _header(source, document, min(t.line for t in rows))
        stated = _from_text(source, document)
        found.extend(_item(source, document, catalogue, task, header, stated) for task in rows)
    return found

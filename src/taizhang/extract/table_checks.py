"""Checks inside one table: 小计/合计 sums, 实际−压减=保留 rows, village totals, weights and grades.

Split from checks.py (which runs them all); the finding helpers here are shared with text_checks.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .indicators import CJK
from .model import Check
from .spans import SourceText, Span
from .tables import YEAR_CELL, Row, Table, decimals, fold, folded_lines, parse_number

REQUIRED_KINDS = {"column_sum", "target_vs_annex", "weights_total", "grade_total"}
GRADE_WORDS = ("优秀", "优", "良好", "良", "好", "较好", "中", "一般", "合格", "较差", "差", "不合格")
# '沙坡头区2021年…' in an annex title: the county and year a table is for
TITLE_SUBJECT_YEAR = re.compile(rf"(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))\s*(?P<year>\d{{4}})\s*年")


def make_check(
    doc_number: str | None,
    kind: str,
    what: str,
    expected: Any,
    found: Any,
    consistent: bool,
    line: int,
    **extra: Any,
) -> Check:
    """A Check whose category follows from its kind (the kinds every reader must find are ``required``)."""
    category = "required" if kind in REQUIRED_KINDS else "extra"
    return Check(doc_number, what, expected, found, consistent, line, kind=kind, category=category, **extra)


def table_label(table: Table) -> str:
    """How a finding names its table: the annex label, else the title, else its first line."""
    return table.annex or (table.title or f"第{table.span.start}行的表格")


# -- 小计 / 合计 ------------------------------------------------------------------------------


def row_figures(row: Row, table: Table) -> list[float]:
    """The figures of a row, without its leading year cell or row number."""
    return row.numbers(skip_first_year=True, skip_first=table.has_row_numbers and row.kind == "data")


def _close(total: float, printed: str) -> bool:
    """A recomputed sum equals a printed figure rounded to the figure's own precision."""
    tolerance = 0.5 * 10 ** -decimals(printed) + 1e-9
    return bool(abs(total - float(printed.replace(",", "").rstrip("%"))) <= tolerance)


def sum_checks(table: Table, doc_number: str | None) -> list[Check]:
    """Each 小计 row against the rows since the previous 小计/合计; each 合计 against the rows since the previous 合计."""
    found = []
    since_total: list[Row] = []
    since_block: list[Row] = []
    for row in table.body:
        if row.kind == "data":
            if row_figures(row, table):
                since_total.append(row)
                since_block.append(row)
            continue
        candidates = [since_block] if row.kind == "subtotal" else [since_total, since_block]
        check = _sum_check(table, row, candidates, doc_number)
        if check:
            found.append(check)
        since_block = []
        if row.kind == "total":
            since_total = []
    return found


RATE_WORDS = re.compile(r"率|比例|占比|比重|平均|均价|单价|人均|指数")


def _rate_columns(table: Table, row: Row, width: int) -> set[int]:
    """Positions among the first ``width`` figures of a total row that are rates or averages, which do not add up."""
    cells = [
        i
        for i, c in enumerate(row.cells)
        if parse_number(c) is not None and not (i == 0 and YEAR_CELL.match(c))
    ]
    rates = set()
    for position, index in enumerate(cells[:width]):
        header = " ".join(h.cell(index) for h in table.header)
        if row.cells[index].endswith("%") or RATE_WORDS.search(header):
            rates.add(position)
    return rates


def _sum_check(table: Table, row: Row, candidates: list[list[Row]], doc_number: str | None) -> Check | None:
    printed = row.number_texts(skip_first_year=True)
    if not printed or not candidates[0]:
        return None
    widths = Counter(len(row_figures(r, table)) for r in candidates[0])
    width = min(len(printed), widths.most_common(1)[0][0])
    rates = _rate_columns(table, row, width)
    keep = [j for j in range(width) if j not in rates]
    if not keep:
        return None
    results = []
    for rows in (c for c in candidates if c):
        figured = [(r, f) for r in rows if len(f := row_figures(r, table)) >= width]
        used = [r for r, _ in figured]
        sums = [round(sum(f[j] for _, f in figured), 6) for j in keep]
        ok = all(_close(s, printed[j]) for s, j in zip(sums, keep, strict=True))
        results.append((sums, used, rows, ok))
    # the whole table first; a 合计 that closes only the last block is accepted too
    sums, used, rows, ok = next((r for r in results if r[3]), results[0])
    word = "小计" if row.kind == "subtotal" else "合计"
    group = _group_of(table, rows[0]) if row.kind == "subtotal" else ""
    skipped = len(rows) - len(used)
    note = f"合计了 {len(used)} 行" + (f"；{skipped} 行数字较少，未计入" if skipped else "")
    if len(keep) < width:
        note += f"；{width - len(keep)} 列为比率或平均值，不可相加，未计入"
    found = [printed_number(printed[j]) for j in keep]
    if ok and any(f != s for f, s in zip(found, sums, strict=True)):
        note += "；印出的数字是合计按其印出精度取舍后的结果"
    what = f"{table_label(table)} {group}{word}行：逐列重新求和，对照印出的{word}"
    single = len(keep) == 1
    return make_check(
        doc_number,
        "column_sum",
        what,
        sums[0] if single else sums,
        found[0] if single else found,
        ok,
        row.line,
        note=note,
        confidence="high" if not skipped else "medium",
    )


def printed_number(text: str) -> float | int:
    """A printed figure as a number, an int when it is whole (3224, not 3224.0)."""
    value = float(text.replace(",", "").rstrip("%"))
    return int(value) if value.is_integer() else value


def _group_of(table: Table, first: Row) -> str:
    """The group label of a block (the 乡镇 of a village block), inherited by its continuation rows."""
    label = table.groups.get(first.line, "")
    return f"{label} " if label and not YEAR_CELL.match(label) else ""


# -- 实际 − 压减 = 保留 ---------------------------------------------------------------------------

IDENTITY = (("实际", "现状"), ("压减", "减少", "调减"), ("保留", "剩余"))


def identity_checks(table: Table, doc_number: str | None) -> list[Check]:
    """Village rows of a 实际/压减/保留 table: each triple adds up, and a year's 实际 is the year before's 保留."""
    if not table.header:
        return []
    names = [c for c in table.header[-1].cells if c]
    triples = [i for i in range(len(names) - 2) if all(names[i + k] in IDENTITY[k] for k in range(3))]
    if not triples:
        return []
    bad, checked = [], 0
    for row in table.body:
        figures = row.numbers()[-len(names) :]
        if row.kind != "data" or len(figures) != len(names):
            continue
        checked += 1
        ok = all(abs(figures[i] - figures[i + 1] - figures[i + 2]) < 1e-9 for i in triples)
        ok = ok and all(
            abs(figures[b + 2] - figures[a]) < 1e-9 for b, a in zip(triples, triples[1:], strict=False)
        )
        if not ok:
            bad.append(row.line)
    if not checked:  # a header with no data rows under it (a table cut at a page break)
        return []
    what = f"{table_label(table)}：每行应满足 实际−压减=保留，且下一年实际=上一年保留；不符的行数"
    note = f"核对了 {checked} 行" + (f"；不符的行：{bad}" if bad else "")
    return [make_check(doc_number, "row_identity", what, 0, len(bad), not bad, table.body[0].line, note=note)]


YEAR_GROUP = re.compile(r"(?P<year>(?:19|20)\d\d)年")
# "2021年压减0.5万亩,2022压减0.5万亩" (卫政办发〔2022〕19号 四(一)1): a yearly cut stated in the text
CUT_STATED = re.compile(r"(?P<year>(?:19|20)\d\d)年?压减(?P<value>\d+(?:\.\d+)?)(?P<unit>万亩|亩)")
TITLE_TOPIC = re.compile(
    rf"^(?P<subject>[{CJK}]{{1,10}}?(?:区|县|旗))压减(?P<topic>[{CJK}]{{1,4}}?)(?:改|面积|范围)"
)


@dataclass(frozen=True)
class VillageTotals:
    """The 合计 of a county's 实际/压减/保留 table per year: what is cut and what is kept."""

    subject: str
    topic: str  # 水稻
    cut: dict[str, float]
    kept: dict[str, float]
    in_mu: bool  # figures in 亩 (the text states 万亩)
    line: int


def village_totals(table: Table) -> VillageTotals | None:
    """The per-year 合计 of a table titled '<county>压减<topic>…' with 实际/压减/保留 columns per year."""
    title = TITLE_TOPIC.match(fold(table.title or "").replace(" ", ""))
    total = next((r for r in table.body if r.kind == "total"), None)
    if not title or not total or not table.header:
        return None
    names = [c for c in table.header[-1].cells if c]
    triples = [i for i in range(len(names) - 2) if all(names[i + k] in IDENTITY[k] for k in range(3))]
    years = [m["year"] for c in table.header[0].cells if (m := YEAR_GROUP.search(c))]
    figures = total.numbers()[-len(names) :]
    if not triples or len(years) != len(triples) or len(figures) != len(names):
        return None
    in_mu = any("(亩)" in c or "（亩）" in c for c in table.header[0].cells)
    pairs = list(zip(years, triples, strict=True))
    return VillageTotals(
        title["subject"],
        title["topic"],
        {y: figures[i + 1] for y, i in pairs},
        {y: figures[i + 2] for y, i in pairs},
        in_mu,
        total.line,
    )


def _mu(value: str, unit: str, in_mu: bool) -> float:
    return round(float(value) * (10000 if unit == "万亩" and in_mu else 1), 6)


def cuts_vs_text_checks(source: SourceText, span: Span, table: Table, doc_number: str | None) -> list[Check]:
    """The yearly 压减 a text sentence states for a county against the 合计 row of that county's 实际/压减/保留 table."""
    totals = village_totals(table)
    if totals is None:
        return []
    found = []
    for number, line in folded_lines(source, span):
        if "\t" in line or totals.subject not in line or totals.topic not in line:
            continue
        stated = [
            (m["year"], _mu(m["value"], m["unit"], totals.in_mu))
            for m in CUT_STATED.finditer(line)
            if m["year"] in totals.cut
            and line[max(m.start() - 1, 0)] not in "—–-~至"  # not the end of a range
        ]
        if not stated:
            continue
        expected = [printed_number(str(v)) for _, v in stated]
        printed = [printed_number(str(totals.cut[y])) for y, _ in stated]
        what = (
            f"{table_label(table)} 合计行的压减数，对照正文（{totals.subject}{totals.topic}逐年压减 "
            f"{'/'.join(y for y, _ in stated)}{'；亩' if totals.in_mu else ''}）"
        )
        found.append(
            make_check(
                doc_number,
                "text_vs_annex",
                what,
                expected,
                printed,
                expected == printed,
                totals.line,
                text_line=number,
            )
        )
    return found


# "压减后剩余2万亩水稻" (19号 附件1 备注): what a county keeps after the year's cut
REMAINING = re.compile(
    r"剩余\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>万亩|亩)\s*(?P<topic>[\u4e00-\u9fff]{1,4})"
)


def remaining_checks(tables: list[Table], doc_number: str | None) -> list[Check]:
    """'剩余N万亩<topic>' in a county's yearly annex against the 保留 合计 of its village table for that year."""
    villages = [v for t in tables if (v := village_totals(t))]
    found = []
    for table in tables:
        title = TITLE_SUBJECT_YEAR.search(fold(table.title or "").replace(" ", ""))
        if not title:
            continue
        for row in table.body:
            for match in REMAINING.finditer(fold(" ".join(row.cells))):
                village = next(
                    (
                        v
                        for v in villages
                        if v.subject == title["subject"]
                        and match["topic"].startswith(v.topic)
                        and title["year"] in v.kept
                    ),
                    None,
                )
                if village is None:
                    continue
                stated = printed_number(str(_mu(match["value"], match["unit"], village.in_mu)))
                kept = printed_number(str(village.kept[title["year"]]))
                what = (
                    f"{table_label(table)} 备注“剩余{match['value']}{match['unit']}{village.topic}”，"
                    f"对照村级表{title['year']}年保留合计"
                )
                found.append(
                    make_check(
                        doc_number,
                        "text_vs_annex",
                        what,
                        stated,
                        kept,
                        stated == kept,
                        row.line,
                        note=f"村级表合计在第{village.line}行",
                    )
                )
    return found


# -- weights and grades -----------------------------------------------------------------------

WEIGHT_WORDS = ("权重", "分值", "权数", "分数")


def weight_checks(table: Table, doc_number: str | None) -> list[Check]:
    """A weight column sums to its printed total (or 100); a graded scheme's best grade sums to 100."""
    grades = _grade_columns(table)
    if grades:
        check = _grade_check(table, grades, doc_number)
        return [check] if check else []
    column = table.column(*WEIGHT_WORDS)
    if column is None:
        return []
    rows = [r for r in table.body if r.kind == "data" and parse_number(r.cell(column)) is not None]
    if not rows:
        return []
    weights = [printed_number(r.cell(column)) for r in rows]
    total_row = next((r for r in table.body if r.kind == "total"), None)
    total_cell = total_row.cell(column) if total_row else ""
    printed = printed_number(total_cell) if parse_number(total_cell) is not None else None
    expected = printed if printed is not None else 100
    found = sum(weights)
    basis = "印出的合计" if printed is not None else "100（未印合计，权重按惯例合计为 100）"
    note = f"权重 {weights} 合计 {found:g}；应为{basis}；第{rows[0].line}-{rows[-1].line}行"
    if table.note:
        note += f"。表中注明{table.note}（第{table.note_line}行），故原始总分按比例折算"
    what = f"{table_label(table)} {table.header[0].cell(column)}列：{len(weights)} 项权重之和"
    return [
        make_check(
            doc_number,
            "weights_total",
            what,
            expected,
            found,
            abs(found - expected) < 1e-9,
            table.header[0].line,
            note=note,
        )
    ]


def _grade_columns(table: Table) -> list[str]:
    for row in table.header:
        labels = [c for c in row.cells if c]
        if len(labels) >= 2 and all(c in GRADE_WORDS for c in labels):
            return labels
    return []


def _grade_check(table: Table, grades: list[str], doc_number: str | None) -> Check | None:
    rows = [r for r in table.body if r.kind == "data" and len(row_figures(r, table)) >= len(grades)]
    if not rows:
        return None
    columns = [[row_figures(r, table)[-len(grades) + i] for r in rows] for i in range(len(grades))]
    sums = [sum(col) for col in columns]
    best = sums[0]
    sums_text = "，".join(f"{g}列 = {s:g}" for g, s in zip(grades, sums, strict=True))
    note = f"{grades[0]} {[printed_number(str(v)) for v in columns[0]]} = {best:g}；{sums_text}；第{rows[0].line}-{rows[-1].line}行"
    if table.note:
        note += f"。表中注明{table.note}"
    what = f"{table_label(table)} {grades[0]}列：{len(rows)} 项的{grades[0]}分值之和（原始满分）"
    return make_check(
        doc_number,
        "grade_total",
        what,
        100,
        printed_number(str(best)),
        abs(best - 100) < 1e-9,
        table.header[0].line,
        note=note,
    )

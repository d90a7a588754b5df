"""Numeric consistency checks: table sums, targets against annexes, weights against totals, counts.

Every check is reported, consistent or not, so a reader knows what was verified. Kinds:

- ``column_sum``        a 小计/合计 row against the rows it closes (rounding to the printed precision;
                        rate and average columns left out)
- ``target_vs_annex``   a target stated in the text against '满足…要求' in the annex for that county and year
- ``weights_total``     a 权重 column against its printed total, or 100 when none is printed
- ``grade_total``       the best grade column (好) of a graded scheme against 100
- ``text_vs_annex``     the same figure in the text and an annex: a numbered item's deadline, a county's
                        water volumes, yearly cuts, the area kept after a cut
- ``total_meets_target`` the annex 合计 saving reaches the text's target
- ``row_identity``      every row of a 实际/压减/保留 table adds up
- ``annex_year``        the 阶段 year of an annex table against the year in its title
- ``text_sum``          'A,B,共计C' and 'C,其中:a,b' in the text and in annex remarks
- ``points_total``      '(30分)…(70分)' parts of an evaluation against the whole
- ``scheme_link``       a weighted scheme names the indicators its document lists
- ``stated_count``, ``list_count``  '废止…4件', '成立3个…组', '…等6厅局' against what is listed

The first four are the kinds issue #4 requires (category ``required``); the others are ``extra``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from .indicators import (
    CJK,
    Indicator,
    document_spans,
    section_figures,
    stated_totals,
    table_indicators,
    yearly_targets,
)
from .model import Check, Document
from .schemes import scheme_from_table
from .spans import SourceText, Span
from .tables import YEAR_CELL, Row, Table, decimals, find_tables, fold, folded_lines, parse_number

REQUIRED_KINDS = {"column_sum", "target_vs_annex", "weights_total", "grade_total"}
GRADE_WORDS = ("优秀", "优", "良好", "良", "好", "较好", "中", "一般", "合格", "较差", "差", "不合格")
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def run_checks(source: SourceText, documents: list[Document]) -> list[Check]:
    """Every consistency finding of the source (consistent ones too), in line order."""
    found: list[Check] = []
    for doc_number, span in document_spans(source, documents):
        tables = find_tables(source, span)
        targets = yearly_targets(source, span, doc_number)
        for table in tables:
            found.extend(sum_checks(table, doc_number))
            found.extend(identity_checks(table, doc_number))
            found.extend(cuts_vs_text_checks(source, span, table, doc_number))
            found.extend(weight_checks(table, doc_number))
            found.extend(annex_target_checks(source, table, targets, doc_number))
        found.extend(count_checks(source, span, tables, doc_number))
        found.extend(text_sum_checks(source, span, doc_number))
        found.extend(scheme_link_checks(tables, doc_number))
        found.extend(deadline_checks(source, span, tables, doc_number))
        found.extend(figures_in_annex_checks(source, span, tables, doc_number))
        found.extend(remaining_checks(tables, doc_number))
        found.extend(stated_target_checks(source, span, tables, doc_number))
    return sorted(found, key=lambda c: (c.line, c.kind or ""))


def _check(doc_number: str | None, kind: str, what: str, expected, found, consistent: bool, line: int, **extra) -> Check:  # type: ignore[no-untyped-def]
    category = "required" if kind in REQUIRED_KINDS else "extra"
    return Check(doc_number, what, expected, found, consistent, line, kind=kind, category=category, **extra)


def _label(table: Table) -> str:
    return table.annex or (table.title or f"table at line {table.span.start}")


# -- 小计 / 合计 ------------------------------------------------------------------------------


def _figures(row: Row, table: Table) -> list[float]:
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
            if _figures(row, table):
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
    cells = [i for i, c in enumerate(row.cells) if parse_number(c) is not None and not (i == 0 and YEAR_CELL.match(c))]
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
    widths = Counter(len(_figures(r, table)) for r in candidates[0])
    width = min(len(printed), widths.most_common(1)[0][0])
    keep = [j for j in range(width) if j not in _rate_columns(table, row, width)]
    if not keep:
        return None
    results = []
    for rows in (c for c in candidates if c):
        used = [r for r in rows if len(_figures(r, table)) >= width]
        sums = [round(sum(_figures(r, table)[j] for r in used), 6) for j in keep]
        ok = all(_close(s, printed[j]) for s, j in zip(sums, keep, strict=True))
        results.append((sums, used, rows, ok))
    # the whole table first; a 合计 that closes only the last block is accepted too
    sums, used, rows, ok = next((r for r in results if r[3]), results[0])
    word = "小计" if row.kind == "subtotal" else "合计"
    group = _group_of(table, rows[0]) if row.kind == "subtotal" else ""
    skipped = len(rows) - len(used)
    note = f"{len(used)} rows summed" + (f"; {skipped} rows with fewer figures left out" if skipped else "")
    if len(keep) < width:
        note += f"; {width - len(keep)} rate or average columns left out (they do not add up)"
    found = [_number(printed[j]) for j in keep]
    if ok and any(f != s for f, s in zip(found, sums, strict=True)):
        note += "; the printed figures are the sums rounded to their printed precision"
    what = f"{_label(table)} {group}{word} row: recomputed column sums vs. printed {word}"
    single = len(keep) == 1
    return _check(doc_number, "column_sum", what, sums[0] if single else sums, found[0] if single else found,
                  ok, row.line, note=note, confidence="high" if not skipped else "medium")


def _number(text: str) -> float | int:
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
        figures = row.numbers()[-len(names):]
        if row.kind != "data" or len(figures) != len(names):
            continue
        checked += 1
        ok = all(abs(figures[i] - figures[i + 1] - figures[i + 2]) < 1e-9 for i in triples)
        ok = ok and all(abs(figures[b + 2] - figures[a]) < 1e-9 for b, a in zip(triples, triples[1:], strict=False))
        if not ok:
            bad.append(row.line)
    if not checked:  # a header with no data rows under it (a table cut at a page break)
        return []
    what = f"{_label(table)}: every row satisfies 实际−压减=保留 and next 实际 = previous 保留; count of violating rows"
    note = f"{checked} rows checked" + (f"; violating lines {bad}" if bad else "")
    return [_check(doc_number, "row_identity", what, 0, len(bad), not bad, table.body[0].line, note=note)]


YEAR_GROUP = re.compile(r"(?P<year>(?:19|20)\d\d)年")
# "2021年压减0.5万亩,2022压减0.5万亩" (卫政办发〔2022〕19号 四(一)1): a yearly cut stated in the text
CUT_STATED = re.compile(r"(?P<year>(?:19|20)\d\d)年?压减(?P<value>\d+(?:\.\d+)?)(?P<unit>万亩|亩)")
TITLE_TOPIC = re.compile(rf"^(?P<subject>[{CJK}]{{1,10}}?(?:区|县|旗))压减(?P<topic>[{CJK}]{{1,4}}?)(?:改|面积|范围)")


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
    figures = total.numbers()[-len(names):]
    if not triples or len(years) != len(triples) or len(figures) != len(names):
        return None
    in_mu = any("(亩)" in c or "（亩）" in c for c in table.header[0].cells)
    pairs = list(zip(years, triples, strict=True))
    return VillageTotals(title["subject"], title["topic"], {y: figures[i + 1] for y, i in pairs},
                         {y: figures[i + 2] for y, i in pairs}, in_mu, total.line)


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
            if m["year"] in totals.cut and line[max(m.start() - 1, 0)] not in "—–-~至"  # not the end of a range
        ]
        if not stated:
            continue
        expected = [_number(str(v)) for _, v in stated]
        printed = [_number(str(totals.cut[y])) for y, _ in stated]
        what = (f"{_label(table)} 合计 压减 vs. text ({totals.subject} {totals.topic} cut per year "
                f"{'/'.join(y for y, _ in stated)}; {'亩' if totals.in_mu else ''})")
        found.append(_check(doc_number, "text_vs_annex", what, expected, printed, expected == printed, totals.line,
                            text_line=number))
    return found


# "压减后剩余2万亩水稻" (19号 附件1 备注): what a county keeps after the year's cut
REMAINING = re.compile(r"剩余\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>万亩|亩)\s*(?P<topic>[\u4e00-\u9fff]{1,4})")


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
                village = next((v for v in villages if v.subject == title["subject"] and
                                match["topic"].startswith(v.topic) and title["year"] in v.kept), None)
                if village is None:
                    continue
                stated = _number(str(_mu(match["value"], match["unit"], village.in_mu)))
                kept = _number(str(village.kept[title["year"]]))
                what = (f"{_label(table)} remark '剩余{match['value']}{match['unit']}{village.topic}' vs. "
                        f"保留 合计 {title['year']} of the village table")
                found.append(_check(doc_number, "text_vs_annex", what, stated, kept, stated == kept, row.line,
                                    note=f"village table 合计 on line {village.line}"))
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
    weights = [_number(r.cell(column)) for r in rows]
    total_row = next((r for r in table.body if r.kind == "total"), None)
    total_cell = total_row.cell(column) if total_row else ""
    printed = _number(total_cell) if parse_number(total_cell) is not None else None
    expected = printed if printed is not None else 100
    found = sum(weights)
    basis = "the printed 合计" if printed is not None else "100 (no total printed; weights conventionally sum to 100)"
    note = f"Weights {weights} sum to {found:g}; expected {basis}; rows {rows[0].line}-{rows[-1].line}"
    if table.note:
        note += f". The table says {table.note} (line {table.note_line}), so the raw total is rescaled"
    what = f"{_label(table)} {table.header[0].cell(column)} column: sum of the {len(weights)} weights"
    return [_check(doc_number, "weights_total", what, expected, found, abs(found - expected) < 1e-9,
                   table.header[0].line, note=note)]


def _grade_columns(table: Table) -> list[str]:
    for row in table.header:
        labels = [c for c in row.cells if c]
        if len(labels) >= 2 and all(c in GRADE_WORDS for c in labels):
            return labels
    return []


def _grade_check(table: Table, grades: list[str], doc_number: str | None) -> Check | None:
    rows = [r for r in table.body if r.kind == "data" and len(_figures(r, table)) >= len(grades)]
    if not rows:
        return None
    columns = [[_figures(r, table)[-len(grades) + i] for r in rows] for i in range(len(grades))]
    sums = [sum(col) for col in columns]
    best = sums[0]
    sums_text = ", ".join(f"{g} column = {s:g}" for g, s in zip(grades, sums, strict=True))
    note = f"{grades[0]} {[_number(str(v)) for v in columns[0]]} = {best:g}; {sums_text}; rows {rows[0].line}-{rows[-1].line}"
    if table.note:
        note += f". The table says {table.note}"
    what = f"{_label(table)} {grades[0]} column: sum of the {len(rows)} items' {grades[0]} ratings (maximum raw score)"
    return _check(doc_number, "grade_total", what, 100, _number(str(best)), abs(best - 100) < 1e-9,
                  table.header[0].line, note=note)


# -- targets in the text against the annexes --------------------------------------------------

# "满足压减耗水量3324万m ³ 要求" (卫政办发〔2022〕19号 附件1-6 合计 rows)
MEETS = re.compile(
    rf"""满足(?P<measure>[{CJK}]{{2,20}}?)(?P<value>\d+(?:\.\d+)?)
    (?P<unit>[万亿]?(?:m\^?[³3]|立方米|m)?|万亩|亩|万元|元)?的?要求""",
    re.VERBOSE,
)
TITLE_SUBJECT_YEAR = re.compile(rf"(?P<subject>[{CJK}]{{1,10}}?(?:区|县|市|旗))\s*(?P<year>\d{{4}})\s*年")


def _subsequence(short: str, long: str) -> bool:
    """'压减耗水量' is a subsequence of '压减黄河耗水量': the annex abbreviates the text's measure."""
    chars = iter(long)
    return all(ch in chars for ch in short)


def annex_target_checks(source: SourceText, table: Table, targets: list[Indicator], doc_number: str | None) -> list[Check]:
    """The '满足…N…要求' figure of an annex table against the text's target for the county and year of its title."""
    title = TITLE_SUBJECT_YEAR.search(fold(table.title or "").replace(" ", ""))
    if not title:
        return []
    subject, year = title["subject"], title["year"]
    found = [*_year_label_check(table, year, doc_number)]
    for number in table.span.lines():
        for match in MEETS.finditer(fold(source.line(number)).replace(" ", "")):
            target = _target_for(targets, subject, year, match["measure"])
            if target is None:
                continue
            indicator, value, text_line = target
            printed = _number(match["value"])
            what = (f"{subject} {year}年{indicator.name}目标 (text, line {text_line}) vs. "
                    f"'满足{match['measure']}…要求' in {_label(table)} ({indicator.unit or ''})")
            found.append(_check(doc_number, "target_vs_annex", what, _number(str(value)), printed,
                                abs(printed - value) < 1e-9, number, text_line=text_line))
            found.extend(_total_meets(table, subject, year, value, text_line, doc_number))
    return found


def _target_for(targets: list[Indicator], subject: str, year: str, measure: str) -> tuple[Indicator, float, int] | None:
    for indicator in targets:
        if indicator.subject == subject and _subsequence(measure, indicator.name):
            for target in indicator.targets:
                if target.period == year and target.value is not None:
                    return indicator, target.value, target.line
    return None


def _total_meets(table: Table, subject: str, year: str, value: float, text_line: int, doc_number: str | None) -> list[Check]:
    total = next((r for r in table.body if r.kind == "total"), None)
    figures = _figures(total, table) if total else []
    if not figures:
        return []
    what = f"{_label(table)}: printed 合计 saving is at least the text's target for {subject} {year} (万m³)"
    return [_check(doc_number, "total_meets_target", what, _number(str(value)), _number(str(figures[0])),
                   figures[0] >= value, total.line, text_line=text_line)]  # type: ignore[union-attr]


def _year_label_check(table: Table, year: str, doc_number: str | None) -> list[Check]:
    first = next((r for r in table.body if YEAR_CELL.match(r.cell(0))), None)
    if first is None or first is not table.body[0]:
        return []
    printed = first.cell(0)[:4]
    what = f"{_label(table)} ({table.title}) 阶段 column year vs. annex title year"
    return [_check(doc_number, "annex_year", what, int(year), int(printed), printed == year, first.line,
                   confidence="medium")]


# -- stated counts ----------------------------------------------------------------------------

COUNT_NUMBER = r"(?P<n>\d+|[一二两三四五六七八九十]+)"
# "决定废止市人民政府行政规范性文件4件" (卫政规发〔2022〕1号): the list of repealed documents follows
REPEALED = re.compile(rf"(?:废止|宣布失效)[^。]{{0,40}}?{COUNT_NUMBER}(?:件|部|个|项)")
GROUPS = re.compile(rf"成立{COUNT_NUMBER}个(?P<name>[^,,。;;]{{0,30}}?(?P<suffix>[{CJK}]{{1,2}}组))")
LISTED = re.compile(rf"(?P<list>[^,,。;;《(]+?)等{COUNT_NUMBER}(?:个)?(?P<what>厅局|部门|单位|家)")


COUNT_HINT = re.compile(r"[\d一二两三四五六七八九十](?:件|部|个|项|厅局|部门|单位|家)")


def _count(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + CN_DIGITS.get(text[1:], 0)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return CN_DIGITS[tens] * 10 + CN_DIGITS.get(ones, 0)
    return CN_DIGITS.get(text, 0)


def count_checks(source: SourceText, span: Span, tables: list[Table], doc_number: str | None) -> list[Check]:
    """'废止…4件' against the rows of the list that follows; '成立3个…组' against the groups listed; '…等6厅局'."""
    found = []
    for number, line in folded_lines(source, span):
        if "\t" in line or not COUNT_HINT.search(line):
            continue
        for match in REPEALED.finditer(line):
            table = next((t for t in tables if t.span.start > number and t.has_row_numbers), None)
            if table and table.column("文件", "文号", "名称", "规章") is None:
                table = None  # the next numbered table is not a list of documents
            if table:
                rows = [r for r in table.body if r.kind == "data"]
                what = f"Number stated in the text ('{match.group(0)[-12:]}') vs. rows in the attached list"
                note = f"rows {rows[0].line}-{rows[-1].line}" if rows else None
                found.append(_check(doc_number, "stated_count", what, _count(match["n"]), len(rows),
                                    _count(match["n"]) == len(rows), number, note=note))
        for match in GROUPS.finditer(line):
            found.extend(_group_count(source, span, number, match, doc_number))
        for match in LISTED.finditer(line):
            items = [p for p in match["list"].split("、") if p]
            # "A、B、C等5部门" names only some of the five (等 abbreviates): nothing to verify then
            if len(items) >= 2 and len(items) >= _count(match["n"]):
                what = f"'{match.group(0)[-20:]}' vs. number of bodies listed"
                found.append(_check(doc_number, "list_count", what, _count(match["n"]), len(items),
                                    _count(match["n"]) == len(items), number, note="、".join(items)))
    return found


def _group_count(source: SourceText, span: Span, number: int, match: re.Match[str], doc_number: str | None) -> list[Check]:
    heading = re.compile(rf"^第(?P<ordinal>[一二三四五六七八九十]+){match['suffix']}")
    ordinals: list[str] = []
    lines = []
    after = folded_lines(source, Span(number + 1, span.end)) if number < span.end else []
    for later, text in after:
        head = heading.match(text.strip())
        if head and head["ordinal"] not in ordinals:
            ordinals.append(head["ordinal"])
            lines.append(later)
    if not ordinals:
        return []
    what = f"'成立{match['n']}个{match['name']}' vs. groups listed"
    return [_check(doc_number, "stated_count", what, _count(match["n"]), len(ordinals),
                   _count(match["n"]) == len(ordinals), number, note=f"groups at lines {lines}")]


# -- deadlines in the text against the annex table --------------------------------------------

ITEM = re.compile(r"^\s*(?P<n>\d{1,2})\s*[.、.]\s*(?P<title>[^。]{2,40})。")
DATE = re.compile(r"(?P<year>20\d\d)年(?:(?P<month>\d{1,2})月)?(?P<end>底|末)?(?P<before>前)?")
DATE_CELL = re.compile(r"^20\d\d年(\d{1,2}月)?(底|末)?(前)?$")


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _similar(a: str, b: str) -> bool:
    x, y = _bigrams(a), _bigrams(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.5


def _text_items(source: SourceText, span: Span) -> list[tuple[int, str, str, int]]:
    """Numbered items of the text with the deadline of their closing bracket: (n, title, deadline, line)."""
    items: list[list[Any]] = []
    current: list[Any] = []
    for number, line in folded_lines(source, span):
        if "\t" in line:
            continue
        head = ITEM.match(line)
        if head:
            current = [int(head["n"]), head["title"].strip(), None, number]
            items.append(current)
        if current and "〔" in line:
            bracket = line[line.rfind("〔") :]
            dates = list(DATE.finditer(bracket))
            if dates:
                current[2], current[3] = dates[-1].group(0), number
    return [tuple(i) for i in items if i[2]]


def deadline_checks(source: SourceText, span: Span, tables: list[Table], doc_number: str | None) -> list[Check]:
    """A numbered item's deadline in the text against the 完成时限 of the same item in the annex table."""
    rows = [
        (int(r.cell(0)), r.cell(1), cell, r.line)
        for t in tables if t.column("完成时限", "时限") is not None
        for r in t.body if r.cell(0).isdigit()
        for cell in [next((c for c in reversed(r.cells) if DATE_CELL.match(c)), None)] if cell
    ]
    found = []
    for n, title, deadline, text_line in _text_items(source, span):
        exact = next((r for r in rows if r[1] == title), None)
        row = exact or next((r for r in rows if r[0] == n and _similar(r[1], title)), None)
        if row is None:
            continue
        same = _date_key(deadline) == _date_key(row[2])
        what = f"Item {n} ({title}) deadline: text '{deadline}' vs. annex table 完成时限"
        how = None if exact else f"matched by number and a similar title ('{row[1]}')"
        found.append(_check(doc_number, "text_vs_annex", what, deadline, row[2], same, row[3], text_line=text_line,
                            confidence="high" if exact else "medium", note=how))
    return found


def _date_key(text: str) -> tuple[str | None, str | None]:
    match = DATE.search(text)
    return (match["year"], match["month"]) if match else (None, None)


# -- totals stated in the text; schemes against their indicator list --------------------------

POINTS = re.compile(r"[((](?P<points>\d+(?:\.\d+)?)\s*分[))]")
FULL_MARKS = re.compile(r"(?:满分|总分)\s*(?P<points>\d+)\s*分")


def text_sum_checks(source: SourceText, span: Span, doc_number: str | None) -> list[Check]:
    """'A,B,共计C' and 'C,其中:a,b' in the text; '(30分)…(70分)' parts of an evaluation against 100."""
    found = []
    for stated in stated_totals(source, span):
        total = round(sum(stated.parts), 6)
        if stated.form == "其中" and total < stated.total - 1e-9:
            continue  # a breakdown may name only some of the parts: nothing to verify
        what = (f"Stated total {_number(str(stated.total))}{stated.unit} ({stated.form}) vs. the sum of the "
                f"{len(stated.parts)} figures it totals")
        found.append(_check(doc_number, "text_sum", what, _number(str(stated.total)), _number(str(total)),
                            abs(total - stated.total) < 1e-6, stated.line,
                            note=" + ".join(f"{p:g}" for p in stated.parts)))
    for number, line in folded_lines(source, span):
        points = [float(m["points"]) for m in POINTS.finditer(line)] if "分" in line and "\t" not in line else []
        if len(points) >= 2 and re.search(r"考评|考核|评分", line):
            full = FULL_MARKS.search(line)
            expected = float(full["points"]) if full else 100.0
            what = f"Text: evaluation parts ({' + '.join(f'{p:g}分' for p in points)}) vs. {'stated' if full else 'a'} total of {expected:g}"
            found.append(_check(doc_number, "points_total", what, _number(str(expected)), _number(str(sum(points))),
                                abs(sum(points) - expected) < 1e-9, number))
    return found


def scheme_link_checks(tables: list[Table], doc_number: str | None) -> list[Check]:
    """A weighted scheme's indicators against the document's indicator table: same list, same wording."""
    listed = [(t, table_indicators(t, doc_number)) for t in tables]
    listed = [(t, found) for t, found in listed if found]
    found = []
    for table in tables:
        scheme = scheme_from_table(table, doc_number, [])
        if scheme is None or scheme.kind != "weighted" or not listed:
            continue
        source_table, indicators = listed[0]
        names = {i.name for i in indicators}
        matched = sum(1 for item in scheme.items if item.name in names)
        what = (f"{_label(table)} vs. {_label(source_table)}: scheme items found with the same wording in the "
                f"indicator list ({len(indicators)} indicators)")
        found.append(_check(doc_number, "scheme_link", what, len(scheme.items), matched,
                            matched == len(scheme.items) == len(indicators), source_table.header[0].line))
    return found


def figures_in_annex_checks(source: SourceText, span: Span, tables: list[Table], doc_number: str | None) -> list[Check]:
    """Each 万m³ figure a county's section of the text states appears in a row of that county's annex tables."""
    found = []
    for section in section_figures(source, span):
        mine = [t for t in tables if (m := TITLE_SUBJECT_YEAR.search(fold(t.title or "").replace(" ", "")))
                and m["subject"] == section.subject]
        if not mine:
            continue
        cells = {v for t in mine for r in t.body if r.kind == "data" for v in r.numbers()}
        expected = [_number(str(v)) for v, _ in section.figures]
        present = [v if v in cells else None for v, _ in section.figures]
        annexes = "、".join(dict.fromkeys(_label(t) for t in mine))
        what = f"{section.subject}: figures (万m³) stated in the text (lines {section.figures[0][1]}-{section.figures[-1][1]}) vs. rows of {annexes}"
        found.append(_check(doc_number, "text_vs_annex", what, expected, [_number(str(v)) if v is not None else None for v in present],
                            None not in present, section.figures[0][1],
                            note="a figure missing from every annex row is shown as null"))
    return found


# -- a target stated in the text against the indicator table ----------------------------------

# "力争到2023年6月底,全市公立医院医疗服务收入(…)占比 $\geq 35\%$" (卫政办发〔2022〕28号 一(三))
STATED_TARGET = re.compile(
    r"""(?P<name>[^,,。;;:]{4,80}?)\s*(?P<op>≥|≤|不低于|不高于|不超过)\s*
    (?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|元|天)?""",
    re.VERBOSE,
)
LATEX = str.maketrans({"$": " "})


def _plain(line: str) -> str:
    """PDF-to-text leaves LaTeX in figures: '$\\geq 35\\%$' → '≥ 35%'."""
    return line.translate(LATEX).replace("\\geq", "≥").replace("\\leq", "≤").replace("\\%", "%")


def stated_target_checks(source: SourceText, span: Span, tables: list[Table], doc_number: str | None) -> list[Check]:
    """'<indicator> ≥ N%' with a year in the text against the same indicator's target for that year in its table."""
    indicators = [i for t in tables for i in table_indicators(t, doc_number)]
    if not indicators:
        return []
    found = []
    for number, line in folded_lines(source, span):
        if "\t" in line or not re.search(r"≥|≤|geq|leq|不低于|不高于|不超过", line):
            continue
        text = _plain(line)
        for match in STATED_TARGET.finditer(text):
            years = re.findall(r"(\d{4})年", text[: match.start()])
            indicator = _same_indicator(match["name"], indicators)
            target = next((t for t in indicator.targets if years and t.period == years[-1]), None) if indicator else None
            if target is None or target.value is None:
                continue
            stated = _number(match["value"])
            phrase = re.sub(r"\s+", " ", match.group(0).strip())[-30:]
            what = f"Text target '{phrase}' ({years[-1]}) vs. {indicator.annex or 'indicator table'} row {indicator.label or ''} {years[-1]} target"  # type: ignore[union-attr]
            found.append(_check(doc_number, "text_vs_annex", what, f"{stated}{match['unit'] or ''}", target.text,
                                stated == _number(str(target.value)), indicator.line, text_line=number))  # type: ignore[union-attr]
    return found


def _same_indicator(name: str, indicators: list[Indicator]) -> Indicator | None:
    """The indicator sharing a run of at least 10 characters with ``name`` (the text abbreviates the table's wording)."""
    best, length = None, 9
    for indicator in indicators:
        match = SequenceMatcher(None, name, indicator.name, autojunk=False).find_longest_match()
        if match.size > length:
            best, length = indicator, match.size
    return best

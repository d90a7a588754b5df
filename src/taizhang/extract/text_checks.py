"""Checks between the text and its tables: targets, stated counts, deadlines, totals, schemes.

Split from checks.py (which runs them all).
"""

from __future__ import annotations

import re
from typing import Any

from .indicators import CJK, Indicator, table_indicators
from .model import Check
from .numerals import chinese_int
from .schemes import scheme_from_table
from .spans import SourceText, Span
from .stated_figures import section_figures, stated_totals
from .table_checks import TITLE_SUBJECT_YEAR, make_check, printed_number, row_figures, table_label
from .tables import YEAR_CELL, Table, fold, folded_lines

# -- targets in the text against the annexes --------------------------------------------------

# "满足压减耗水量3324万m ³ 要求" (卫政办发〔2022〕19号 附件1-6 合计 rows)
MEETS = re.compile(
    rf"""满足(?P<measure>[{CJK}]{{2,20}}?)(?P<value>\d+(?:\.\d+)?)
    (?P<unit>[万亿]?(?:m[³3]|立方米|m)?|万亩|亩|万元|元)?的?要求""",
    re.VERBOSE,
)


def _subsequence(short: str, long: str) -> bool:
    """'压减耗水量' is a subsequence of '压减黄河耗水量': the annex abbreviates the text's measure."""
    chars = iter(long)
    return all(ch in chars for ch in short)


def annex_target_checks(
    source: SourceText, table: Table, targets: list[Indicator], doc_number: str | None
) -> list[Check]:
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
            printed = printed_number(match["value"])
            what = (
                f"{subject}{year}年{indicator.name}目标（正文第{text_line}行），对照"
                f"{table_label(table)}中的“满足{match['measure']}…要求”（{indicator.unit or ''}）"
            )
            found.append(
                make_check(
                    doc_number,
                    "target_vs_annex",
                    what,
                    printed_number(str(value)),
                    printed,
                    abs(printed - value) < 1e-9,
                    number,
                    text_line=text_line,
                )
            )
            found.extend(_total_meets(table, subject, year, value, text_line, doc_number))
    return found


def _target_for(
    targets: list[Indicator], subject: str, year: str, measure: str
) -> tuple[Indicator, float, int] | None:
    for indicator in targets:
        if indicator.subject == subject and _subsequence(measure, indicator.name):
            for target in indicator.targets:
                if target.period == year and target.value is not None:
                    return indicator, target.value, target.line
    return None


def _total_meets(
    table: Table, subject: str, year: str, value: float, text_line: int, doc_number: str | None
) -> list[Check]:
    total = next((r for r in table.body if r.kind == "total"), None)
    figures = row_figures(total, table) if total else []
    if total is None or not figures:
        return []
    what = f"{table_label(table)}：印出的合计节水量不低于正文{subject}{year}年的目标（万m³）"
    return [
        make_check(
            doc_number,
            "total_meets_target",
            what,
            printed_number(str(value)),
            printed_number(str(figures[0])),
            figures[0] >= value,
            total.line,
            text_line=text_line,
        )
    ]


def _year_label_check(table: Table, year: str, doc_number: str | None) -> list[Check]:
    first = next((r for r in table.body if YEAR_CELL.match(r.cell(0))), None)
    if first is None or first is not table.body[0]:
        return []
    printed = first.cell(0)[:4]
    what = f"{table_label(table)}（{table.title}）阶段列的年份，对照附件标题的年份"
    return [
        make_check(
            doc_number,
            "annex_year",
            what,
            int(year),
            int(printed),
            printed == year,
            first.line,
            confidence="medium",
        )
    ]


# -- stated counts ----------------------------------------------------------------------------

COUNT_NUMBER = r"(?P<n>\d+|[一二两三四五六七八九十]+)"
# "决定废止市人民政府行政规范性文件4件" (卫政规发〔2022〕1号): the list of repealed documents follows
REPEALED = re.compile(rf"(?:废止|宣布失效)[^。]{{0,40}}?{COUNT_NUMBER}(?:件|部|个|项)")
GROUPS = re.compile(rf"成立{COUNT_NUMBER}个(?P<name>[^,,。;;]{{0,30}}?(?P<suffix>[{CJK}]{{1,2}}组))")
LISTED = re.compile(rf"(?P<list>[^,,。;;《(]+?)等{COUNT_NUMBER}(?:个)?(?P<what>厅局|部门|单位|家)")
# LISTED's end alone: LISTED's lazy list is tried from every offset of a clause (quadratic in its
# length), so a line is searched with it only when the '等6厅局' it ends with is there at all.
LISTED_END = re.compile(rf"等{COUNT_NUMBER}(?:个)?(?:厅局|部门|单位|家)")


COUNT_HINT = re.compile(r"[\d一二两三四五六七八九十](?:件|部|个|项|厅局|部门|单位|家)")


def _count(text: str) -> int:
    return chinese_int(text) or 0


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
                what = f"正文所述数量（“{match.group(0)[-12:]}”），对照所附清单的行数"
                note = f"第{rows[0].line}-{rows[-1].line}行" if rows else None
                found.append(
                    make_check(
                        doc_number,
                        "stated_count",
                        what,
                        _count(match["n"]),
                        len(rows),
                        _count(match["n"]) == len(rows),
                        number,
                        note=note,
                    )
                )
        for match in GROUPS.finditer(line):
            found.extend(_group_count(source, span, number, match, doc_number))
        for match in LISTED.finditer(line) if LISTED_END.search(line) else ():
            items = [p for p in match["list"].split("、") if p]
            # "A、B、C等5部门" names only some of the five (等 abbreviates): nothing to verify then
            if len(items) >= 2 and len(items) >= _count(match["n"]):
                what = f"“{match.group(0)[-20:]}”，对照列出的单位数"
                found.append(
                    make_check(
                        doc_number,
                        "list_count",
                        what,
                        _count(match["n"]),
                        len(items),
                        _count(match["n"]) == len(items),
                        number,
                        note="、".join(items),
                    )
                )
    return found


def _group_count(
    source: SourceText, span: Span, number: int, match: re.Match[str], doc_number: str | None
) -> list[Check]:
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
    what = f"“成立{match['n']}个{match['name']}”，对照列出的组数"
    return [
        make_check(
            doc_number,
            "stated_count",
            what,
            _count(match["n"]),
            len(ordinals),
            _count(match["n"]) == len(ordinals),
            number,
            note=f"各组所在行：{lines}",
        )
    ]


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
    if "〔" not in source.text(span):
        return []  # an item's deadline is read from its closing 〔…〕 bracket: none, no item is kept
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


def deadline_checks(
    source: SourceText, span: Span, tables: list[Table], doc_number: str | None
) -> list[Check]:
    """A numbered item's deadline in the text against the 完成时限 of the same item in the annex table."""
    rows = [
        (int(r.cell(0)), r.cell(1), cell, r.line)
        for t in tables
        if t.column("完成时限", "时限") is not None
        for r in t.body
        if r.cell(0).isdigit()
        for cell in [next((c for c in reversed(r.cells) if DATE_CELL.match(c)), None)]
        if cell
    ]
    found = []
    for n, title, deadline, text_line in _text_items(source, span):
        exact = next((r for r in rows if r[1] == title), None)
        row = exact or next((r for r in rows if r[0] == n and _similar(r[1], title)), None)
        if row is None:
            continue
        same = _date_key(deadline) == _date_key(row[2])
        what = f"第{n}项（{title}）时限：正文“{deadline}”，对照附表完成时限"
        how = None if exact else f"按序号和相近标题（“{row[1]}”）对应"
        found.append(
            make_check(
                doc_number,
                "text_vs_annex",
                what,
                deadline,
                row[2],
                same,
                row[3],
                text_line=text_line,
                confidence="high" if exact else "medium",
                note=how,
            )
        )
    return found


def _date_key(text: str) -> tuple[str | None, str | None]:
    match = DATE.search(text)
    return (match["year"], match["month"]) if match else (None, None)


# -- totals stated in the text; schemes against their indicator list --------------------------

POINTS = re.compile(r"[((](?P<points>\d+(?:\.\d+)?)\s*分[))]")
FULL_MARKS = re.compile(r"(?:满分|总分)\s*(?P<points>\d+)\s*分")


_EVALUATION_WORDS = ("考评", "考核", "评分")
_EVALUATION = re.compile("|".join(_EVALUATION_WORDS))


def text_sum_checks(source: SourceText, span: Span, doc_number: str | None) -> list[Check]:
    """'A,B,共计C' and 'C,其中:a,b' in the text; '(30分)…(70分)' parts of an evaluation against 100."""
    found = []
    for stated in stated_totals(source, span):
        total = round(sum(stated.parts), 6)
        if stated.form == "其中" and total < stated.total - 1e-9:
            continue  # a breakdown may name only some of the parts: nothing to verify
        what = (
            f"正文所述总数 {printed_number(str(stated.total))}{stated.unit}（{stated.form}），对照其所含 "
            f"{len(stated.parts)} 个数之和"
        )
        found.append(
            make_check(
                doc_number,
                "text_sum",
                what,
                printed_number(str(stated.total)),
                printed_number(str(total)),
                abs(total - stated.total) < 1e-6,
                stated.line,
                note=" + ".join(f"{p:g}" for p in stated.parts),
            )
        )
    # the parts of an evaluation are summed on lines naming 考评, 考核 or 评分: none, nothing to add
    # (three substring tests scan a whole document faster than the pattern does)
    text = source.text(span)
    lines = folded_lines(source, span) if any(word in text for word in _EVALUATION_WORDS) else []
    for number, line in lines:
        points = (
            [float(m["points"]) for m in POINTS.finditer(line)] if "分" in line and "\t" not in line else []
        )
        if len(points) >= 2 and _EVALUATION.search(line):
            full = FULL_MARKS.search(line)
            expected = float(full["points"]) if full else 100.0
            what = f"正文考评各部分（{' + '.join(f'{p:g}分' for p in points)}），对照{'所述' if full else ''}总分 {expected:g}分"
            found.append(
                make_check(
                    doc_number,
                    "points_total",
                    what,
                    printed_number(str(expected)),
                    printed_number(str(sum(points))),
                    abs(sum(points) - expected) < 1e-9,
                    number,
                )
            )
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
        what = (
            f"{table_label(table)} 对照 {table_label(source_table)}：考核方案中与指标表（共 {len(indicators)} 项指标）"
            f"措辞相同的项数"
        )
        found.append(
            make_check(
                doc_number,
                "scheme_link",
                what,
                len(scheme.items),
                matched,
                matched == len(scheme.items) == len(indicators),
                source_table.header[0].line,
            )
        )
    return found


def figures_in_annex_checks(
    source: SourceText, span: Span, tables: list[Table], doc_number: str | None
) -> list[Check]:
    """Each 万m³ figure a county's section of the text states appears in a row of that county's annex tables."""
    found = []
    for section in section_figures(source, span):
        mine = [
            t
            for t in tables
            if (m := TITLE_SUBJECT_YEAR.search(fold(t.title or "").replace(" ", "")))
            and m["subject"] == section.subject
        ]
        if not mine:
            continue
        cells = {v for t in mine for r in t.body if r.kind == "data" for v in r.numbers()}
        expected = [printed_number(str(v)) for v, _ in section.figures]
        present = [v if v in cells else None for v, _ in section.figures]
        annexes = "、".join(dict.fromkeys(table_label(t) for t in mine))
        what = f"{section.subject}：正文（第{section.figures[0][1]}-{section.figures[-1][1]}行）所述数字（万m³），对照{annexes}各行"
        found.append(
            make_check(
                doc_number,
                "text_vs_annex",
                what,
                expected,
                [printed_number(str(v)) if v is not None else None for v in present],
                None not in present,
                section.figures[0][1],
                note="附件各行都没有的数字记为空值",
            )
        )
    return found


# -- a target stated in the text against the indicator table ----------------------------------

# "力争到2023年6月底,全市公立医院医疗服务收入(…)占比 ≥ 35%" (卫政办发〔2022〕28号 一(三))
STATED_TARGET = re.compile(
    r"""(?P<name>[^,,。;;:]{4,80}?)\s*(?P<op>≥|≤|不低于|不高于|不超过)\s*
    (?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|元|天)?""",
    re.VERBOSE,
)


def stated_target_checks(
    source: SourceText, span: Span, tables: list[Table], doc_number: str | None
) -> list[Check]:
    """'<indicator> ≥ N%' with a year in the text against the same indicator's target for that year in its table."""
    indicators = [i for t in tables for i in table_indicators(t, doc_number)]
    if not indicators:
        return []
    found = []
    for number, line in folded_lines(source, span):
        if "\t" in line or not re.search(r"≥|≤|不低于|不高于|不超过", line):
            continue
        for match in STATED_TARGET.finditer(line):
            years = re.findall(r"(\d{4})年", line[: match.start()])
            indicator = _same_indicator(match["name"], indicators)
            target = (
                next((t for t in indicator.targets if years and t.period == years[-1]), None)
                if indicator
                else None
            )
            if indicator is None or target is None or target.value is None:
                continue
            stated = printed_number(match["value"])
            phrase = re.sub(r"\s+", " ", match.group(0).strip())[-30:]
            what = f"正文目标“{phrase}”（{years[-1]}年），对照{indicator.annex or '指标表'} {indicator.label or ''} 行{years[-1]}年目标"
            found.append(
                make_check(
                    doc_number,
                    "text_vs_annex",
                    what,
                    f"{stated}{match['unit'] or ''}",
                    target.text,
                    stated == printed_number(str(target.value)),
                    indicator.line,
                    text_line=number,
                )
            )
    return found


def _same_indicator(name: str, indicators: list[Indicator]) -> Indicator | None:
    """The indicator sharing a run of at least 10 characters with ``name`` (the text abbreviates the table's wording)."""
    best, length = None, 9
    for indicator in indicators:
        size = _longest_common_run(name, indicator.name, longer_than=length)
        if size > length:
            best, length = indicator, size
    return best


def _longest_common_run(a: str, b: str, longer_than: int = 0) -> int:
    """Length of the longest run of characters ``a`` and ``b`` share (difflib's longest match without
    junk, found with ``in``), or ``longer_than`` when no shared run is longer. A shared run of n + 1
    characters holds one of n, so from each start only a run longer than the best so far is tried:
    one pass over ``a``, not one per length."""
    size = longer_than
    for start in range(len(a)):
        while start + size < len(a) and a[start : start + size + 1] in b:
            size += 1
    return size

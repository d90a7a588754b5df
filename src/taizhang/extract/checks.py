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

The first four are the kinds every gazette reader must find (category ``required``); the others are ``extra``.
"""

from __future__ import annotations

from .document_spans import document_spans
from .indicators import yearly_targets
from .model import Check, Document
from .spans import SourceText
from .table_checks import (
    cuts_vs_text_checks,
    identity_checks,
    remaining_checks,
    sum_checks,
    weight_checks,
)
from .tables import find_tables
from .text_checks import (
    annex_target_checks,
    count_checks,
    deadline_checks,
    figures_in_annex_checks,
    scheme_link_checks,
    stated_target_checks,
    text_sum_checks,
)


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

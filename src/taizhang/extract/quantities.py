"""The quantitative stage: indicators, measure rows, evaluation schemes and the fiscal matrix of a source.

Each job has its module (``indicators``, ``measures``, ``schemes``, ``fiscal``); this one runs them
and holds what they found in one typed record. The dependencies run one way: ``schemes`` links its
items to ``indicators``, and all of them find their documents through ``document_spans``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .cleanup import ParagraphReader
from .fiscal import FiscalMatter, find_fiscal_matters
from .indicators import Indicator, find_indicators
from .measures import Measure, find_measures
from .model import Document
from .schemes import Scheme, find_schemes
from .spans import SourceText


@dataclass(frozen=True)
class Quantities:
    """What the quantitative stage read from one source."""

    indicators: tuple[Indicator, ...] = ()
    measures: tuple[Measure, ...] = ()  # rows of a plan's measure tables (措施)
    schemes: tuple[Scheme, ...] = ()  # 考评方案
    fiscal: tuple[FiscalMatter, ...] = ()  # 事权/支出责任


def read_quantities(
    source: SourceText, documents: Sequence[Document], read: ParagraphReader | None = None
) -> Quantities:
    """Indicators, measure rows, evaluation schemes and fiscal matters, document by document;
    ``read`` gives the paragraphs (see :class:`ParagraphReader`)."""
    return Quantities(
        indicators=tuple(find_indicators(source, documents)),
        measures=tuple(find_measures(source, documents)),
        schemes=tuple(find_schemes(source, documents)),
        fiscal=tuple(find_fiscal_matters(source, documents, read)),
    )

"""The pure extraction core: gazette text in, documents, tasks, people and checks out.

Stdlib only (plus ``chinesecalendar`` through ``taizhang.workdays``): no database, no web.
The stages, each a plain function over plain data:

1. ``issue.parse_issue``       issue header and 目录
2. ``segment.segment``         document boundaries (``headers``), every 公文 element (``documents``),
                               and a document for text with no header; ``duplicates`` sets aside
                               later copies of a document repeated in the input
3. ``tasks.extract_tasks``     per document: paragraphs (``cleanup``), items (``outline``), stated
                               assignments (``statements``, ``assignments``, ``roles``, ``grammar``
                               over ``grammar_data``), conventions stated once (``conventions``),
                               units (``unit_lists``, ``unit_names``, ``lexicon``), deadlines
4. ``people.extract_people``   division-of-work notices (AB岗)
5. ``checks.run_checks``       numeric consistency findings
6. ``indicators.extract_quantitative`` indicators, evaluation schemes, the fiscal matrix
7. ``procedures.read_procedures`` decision catalogues, posts and AB岗, normative documents, consultation rules
8. ``campaigns.find_campaigns`` inspection campaigns; ``supervision.find_supervision`` working-day clocks,
                               三个清单, 双随机 and credit rules
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from .campaigns import campaign_to_dict, find_campaigns
from .checks import run_checks
from .duplicates import set_aside_repeats
from .indicators import extract_quantitative
from .issue import parse_issue
from .model import Extraction
from .people import extract_people
from .procedures import procedures_to_dict, read_procedures
from .segment import segment
from .spans import SourceText
from .supervision import find_supervision, supervision_to_dict
from .task_tables import table_flags
from .tasks import extract_tasks
from .units import UnitDirectory, default_directory

log = logging.getLogger(__name__)

__all__ = ["extract", "Extraction", "SourceText", "UnitDirectory", "default_directory"]


def extract(
    source: SourceText,
    directory: UnitDirectory | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Extraction:
    """Extract everything from one gazette issue or single document.

    ``directory`` is the deployment's unit directory (default: an empty one, which judges no unit
    unknown). ``progress(done, total)`` is called as each document's tasks have been read. Guarantees: every object carries source lines; unsure results carry Flags; a file
    with any text yields at least one document; nothing raises on odd text.
    """
    directory = directory or default_directory()
    issue = parse_issue(source)
    source, documents, flags = set_aside_repeats(source, segment(source, issue))
    tasks = []
    for done, document in enumerate(documents, start=1):
        tasks.extend(extract_tasks(source, document, directory))
        if progress:
            progress(done, len(documents))
        flags.extend(table_flags(source, document))
    if source.page_starts:
        tasks = [t if t.page else replace(t, page=source.page_of(t.line)) for t in tasks]
    people = extract_people(source, documents)
    checks = run_checks(source, documents)
    quantitative = extract_quantitative(source, documents)
    procedures = read_procedures(source, documents, tasks, people)
    quantitative.update(procedures_to_dict(procedures))
    quantitative["campaigns"] = [campaign_to_dict(c) for c in find_campaigns(source, documents)]
    quantitative["supervision"] = [supervision_to_dict(r) for r in find_supervision(source, documents)]
    log.info("extracted %d documents, %d tasks from %s", len(documents), len(tasks), source.name)
    return Extraction(
        source=source.name,
        issue=issue,
        documents=tuple(documents),
        tasks=tuple(tasks),
        people=tuple(people),
        checks=tuple(checks),
        flags=tuple(flags),
        extras=quantitative,
        procedures=(source.lines, procedures),
    )

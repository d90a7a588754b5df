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
6. ``extraction.read_after_tasks`` the later stages, each a typed record in ``Extraction.readings``:
   ``quantities.read_quantities``  indicators, measure rows, evaluation schemes, the fiscal matrix
   ``procedures.read_procedures``  decision catalogues, posts and AB岗, normative documents and their
                                   status links (废止, 失效), consultation rules
   ``campaigns.find_campaigns``    inspection campaigns; ``supervision.find_supervision`` working-day
                                   clocks, 三个清单, 双随机 and credit rules
   ``duties.find_reporting_duties`` periodic reporting duties a document lays on its units
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from .checks import run_checks
from .cleanup import ParagraphReader
from .duplicates import set_aside_repeats
from .extraction import Extraction, Readings, read_after_tasks
from .issue import parse_issue
from .people import extract_people
from .segment import segment
from .spans import SourceText
from .task_tables import table_flags
from .tasks import extract_tasks
from .units import UnitDirectory, default_directory

log = logging.getLogger(__name__)

__all__ = ["extract", "Extraction", "Readings", "SourceText", "UnitDirectory", "default_directory"]


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
    read = ParagraphReader(source)  # each document's paragraphs, repaired once for every stage
    tasks = []
    for done, document in enumerate(documents, start=1):
        tasks.extend(extract_tasks(source, document, directory, read))
        if progress:
            progress(done, len(documents))
        flags.extend(table_flags(source, document))
    if source.page_starts:
        tasks = [t if t.page else replace(t, page=source.page_of(t.line)) for t in tasks]
    people = extract_people(source, documents)
    checks = run_checks(source, documents)
    readings = read_after_tasks(source, tuple(documents), tuple(tasks), tuple(people), read)
    log.info("extracted %d documents, %d tasks from %s", len(documents), len(tasks), source.name)
    return Extraction(
        source=source.name,
        issue=issue,
        documents=tuple(documents),
        tasks=tuple(tasks),
        people=tuple(people),
        checks=tuple(checks),
        flags=tuple(flags),
        readings=readings,
    )

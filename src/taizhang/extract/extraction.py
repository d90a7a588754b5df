"""The whole result of extracting one source: the records of ``model`` and what the later stages read.

The stages after the tasks (quantities, procedures, campaigns, supervision rules, reporting duties)
each give typed records; :class:`Readings` holds them, so that ``extract --json`` and the import
see the same records and the import never reads the text a second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .campaigns import Campaign, find_campaigns
from .cleanup import ParagraphReader
from .duties import ReportingDuty, find_reporting_duties
from .model import Check, Document, Flag, Issue, Person, Task
from .procedures import Procedures, read_procedures
from .quantities import Quantities, read_quantities
from .spans import SourceText
from .supervision import SupervisionRules, find_supervision


@dataclass(frozen=True)
class Readings:
    """What the stages after the tasks read from one source."""

    quantities: Quantities = field(default_factory=Quantities)  # indicators, measures, schemes, fiscal
    procedures: Procedures = field(default_factory=Procedures)  # decisions, posts, normative, repeals ...
    campaigns: tuple[Campaign, ...] = ()  # 专项行动
    supervision: tuple[SupervisionRules, ...] = ()  # working-day clocks, 三个清单, 双随机
    reporting_duties: tuple[ReportingDuty, ...] = ()  # 每月25日前…报送, for a document's units


def read_after_tasks(
    source: SourceText,
    documents: tuple[Document, ...],
    tasks: tuple[Task, ...],
    people: tuple[Person, ...],
    read: ParagraphReader | None = None,
) -> Readings:
    """Run the stages that read after the tasks over ``source``; ``read`` gives the paragraphs the
    task stage already repaired."""
    recurring = {(t.doc_number, t.line) for t in tasks if t.deadline.kind == "recurring"}
    return Readings(
        quantities=read_quantities(source, documents, read),
        procedures=read_procedures(source, documents, tasks, people),
        campaigns=tuple(find_campaigns(source, documents)),
        supervision=tuple(find_supervision(source, documents)),
        reporting_duties=tuple(find_reporting_duties(source, documents, recurring)),
    )


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one source file.

    ``readings`` is None for an extraction assembled by hand (from a gold file, in a test): whoever
    stores it reads the later stages from the text with :func:`read_after_tasks`.
    """

    source: str
    issue: Issue | None
    documents: tuple[Document, ...]
    tasks: tuple[Task, ...] = ()
    people: tuple[Person, ...] = ()
    checks: tuple[Check, ...] = ()
    flags: tuple[Flag, ...] = ()
    readings: Readings | None = None

    def all_flags(self) -> list[Flag]:
        """Flags of the extraction, its documents and its tasks, in line order."""
        found = list(self.flags)
        for doc in self.documents:
            found.extend(doc.flags)
        for task in self.tasks:
            found.extend(task.flags)
        return sorted(found, key=lambda f: f.line)

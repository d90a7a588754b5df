"""Division of work (分工): what each person 分管, 联系 or 协助分管, and the AB岗 pairs.

``people.extract_people`` finds each person's duty paragraph; this stage reads the paragraph's
sentences into duties. A duty is a kind, the verb as printed and one area or unit:

- ``分管``: units and sections the person is in charge of (分管秘书三科);
- ``协助分管``: the same, assisting another leader (协助分管研究室、秘书一科;
  协助副秘书长分管督查科(政府督查室)工作);
- ``联系``: fields of work the person coordinates (协调、联系、处理自然资源、住房城乡建设…等方面的
  工作; 主抓云计算和大数据发展…等方面的工作);
- ``主持``: a unit whose whole work the person runs (主持市信访局全面工作).

Areas are kept as printed, one per duty; matching them to the unit directory is the ledger's
job (a field such as 生态环境 names no unit by itself). The AB岗 pairs carry the line of the
sentence that makes them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from .model import Document, Person
from .people import _AB_PAIR, ab_sentences
from .spans import SourceText

DUTY_KINDS = ("分管", "协助分管", "联系", "主持")

# Each alternative cites the 卫政办发〔2022〕30号 sentence it was written for (gazette lines 1321-1349).
_DUTY_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # '协助分管研究室、秘书一科' (王立明), '协助副秘书长分管督查科(政府督查室)工作' (何伟成)
    ("协助分管", re.compile(r"协助[^，,。；;]{0,8}?分管(?P<areas>[^。；;]+)")),
    # '分管文电信息科、综合科、行政事务科' (王秀娟)
    ("分管", re.compile(r"(?<!协助)分管(?P<areas>[^。；;]+)")),
    # '协调、联系、处理公安、司法、信访等方面的工作' (马宏全); '协调联系' without the 、
    (
        "联系",
        re.compile(
            r"(?:协调|联系|处理)(?:[、和]?(?:协调|联系|处理))*(?P<areas>[^。；;]+?)等?(?:方面|领域)的?工作"
        ),
    ),
    # '主抓云计算和大数据发展、军民融合产业等方面的工作' (刘明)
    ("联系", re.compile(r"主抓(?P<areas>[^。；;]+?)等?(?:方面|领域)的?工作")),
    # '主持市信访局全面工作' (马宏全), '主持市地方志编审委员会办公室工作' (李福祥)
    ("主持", re.compile(r"主持(?P<areas>[^。；;]+?)(?:的)?(?:全面|日常)?工作")),
)
_SENTENCES = re.compile(r"[^。；;]+")
_TAIL = re.compile(r"(?:等)?(?:方面)?(?:的)?(?:工作)?$")


@dataclass(frozen=True)
class Duty:
    """One area or unit of a person's division of work."""

    kind: str  # one of DUTY_KINDS
    verb: str  # as printed: 分管, 协助分管, 协调、联系、处理, 主抓, 主持
    area: str  # as printed: 生态环境, 秘书三科, 督查科(政府督查室), 市信访局
    line: int


@dataclass(frozen=True)
class Post:
    """A person's post: name, the duties read from the paragraph, and the AB岗 partner."""

    name: str
    duties: tuple[Duty, ...]
    backup: str | None
    line: int


@dataclass(frozen=True)
class BackupPair:
    """Two people who cover for each other (互为AB岗), with the line that says so."""

    a: str
    b: str
    doc_number: str | None
    line: int


def split_areas(text: str) -> list[str]:
    """A list of areas cut on 、 (never on 和: 云计算和大数据发展 is one area), tails removed."""
    areas = []
    for part in re.split(r"[、,，]", text):
        area = _TAIL.sub("", part.strip()).strip()
        if area:
            areas.append(area)
    return areas


def _verb(sentence: str, start: int) -> str:
    before = sentence[:start]
    for verb in ("协调、联系、处理", "主抓", "主持"):
        if before.endswith(verb):
            return verb
    return re.sub(r".*?(协助|分管|联系|协调|主持)", r"\1", before) or before


def duties_of(paragraph: str, line: int) -> tuple[Duty, ...]:
    """Every duty stated in one person's paragraph, in order; the same area twice is kept once."""
    duties: list[Duty] = []
    seen: set[tuple[str, str]] = set()
    for sentence in _SENTENCES.findall(paragraph):
        taken: list[tuple[int, int]] = []
        for kind, pattern in _DUTY_PATTERNS:
            for match in pattern.finditer(sentence):
                if any(s <= match.start() < e for s, e in taken):
                    continue
                taken.append(match.span())
                verb = _verb(sentence, match.start("areas"))
                for area in split_areas(match.group("areas")):
                    if (kind, area) not in seen:
                        seen.add((kind, area))
                        duties.append(Duty(kind, verb, area, line))
    return tuple(duties)


def _joined(source: SourceText, document: Document) -> tuple[str, list[tuple[int, int]]]:
    """The document's lines joined (a sentence wraps over page breaks) and (offset, line) starts."""
    numbered = source.numbered(document.span)
    pieces = [line.strip() for _, line in numbered]
    offsets = accumulate((len(piece) for piece in pieces), initial=0)  # where each line's text starts
    starts = list(zip(offsets, (number for number, _ in numbered), strict=False))
    return "".join(pieces), starts


def find_backup_pairs(
    source: SourceText, documents: list[Document] | tuple[Document, ...]
) -> list[BackupPair]:
    """AB岗 pairs of every document, each with the line where its sentence's list of pairs begins."""
    pairs: list[BackupPair] = []
    for document in documents:
        if "互" not in source.text(document.span):
            continue  # every pair is stated '…互为AB岗'
        text, starts = _joined(source, document)
        offsets = [offset for offset, _ in starts]
        for start, clause in ab_sentences(text):
            line = starts[bisect_right(offsets, start) - 1][1]
            for part in re.split(r"[、；;]", clause):
                match = _AB_PAIR.search(part.strip())
                if match:
                    pair = BackupPair(match.group("a"), match.group("b"), document.doc_number, line)
                    if pair not in pairs:
                        pairs.append(pair)
    return pairs


def find_posts(people: list[Person] | tuple[Person, ...]) -> list[Post]:
    """Each person's post: the duties of their paragraph and their AB岗 partner."""
    return [Post(p.name, duties_of(p.role, p.line), p.backup, p.line) for p in people]

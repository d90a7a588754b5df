"""Supervision rules a document lays on the objects it regulates.

- clocks in working days: "在收住老年人后10个工作日内…提出备案申请", "自备案之日起20个工作日内进行现场检查":
  an event, a count of working days, and the action due; a clock whose event is the action of an
  earlier clock is chained to it (现场检查 runs from 备案);
- the "三个清单" a document requires (建立隐患、整改、责任“三个清单”);
- 双随机、一公开 random inspections;
- credit records (信用记录, 信用监管) and whether they are disclosed to the public (向社会公开).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .campaigns import plain_json
from .model import Document
from .records import as_dict
from .spans import SourceText

_CLOCK = re.compile(
    r"(?:在|自|于)(?P<event>[^,，。;；在自于]{1,20}?)(?:之日起|之日后|后|起)"
    r"(?P<days>\d{1,3})个工作日内(?P<action>[^,，。;；]{2,40})"
)
_LISTS = re.compile(r"建立(?P<names>[\u4e00-\u9fff、]{2,30}?)[“\"]?(?P<count>[两二三四五])个清单")
_RANDOM = re.compile(r"双随机[、,，]?\s*一公开")
_CREDIT = re.compile(r"信用记录|信用监管|信用档案")
_PUBLIC = re.compile(r"向社会公开|向社会公布|公示")
_ACTION_WORDS = ("备案", "现场检查", "检查", "登记", "审核", "告知", "整改", "核查")


@dataclass(frozen=True)
class Clock:
    """``days`` working days from ``event`` to ``action``; ``after`` names the earlier clock's action."""

    doc_number: str | None
    event: str
    days: int
    action: str
    name: str
    after: str | None
    line: int


@dataclass(frozen=True)
class SupervisionRules:
    """What one document requires of the supervision of its objects."""

    doc_number: str | None
    clocks: tuple[Clock, ...]
    lists: tuple[str, ...]
    lists_line: int | None
    random_inspection_line: int | None
    credit_line: int | None
    credit_public: bool


def _name(action: str) -> str:
    """The short name of what is due: the first action word the text uses."""
    return next((w for w in _ACTION_WORDS if w in action), action[:10])


def _clocks(document: Document, lines: list[tuple[int, str]]) -> list[Clock]:
    clocks: list[Clock] = []
    for number, text in lines:
        if "个工作日内" not in text:
            continue  # every clock states its days so; _CLOCK's lazy event is tried at every 在/自/于
        for match in _CLOCK.finditer(text):
            event, action = match.group("event").strip(), match.group("action").strip()
            name = _name(action)
            if any((c.event, c.days, c.name) == (event, int(match.group("days")), name) for c in clocks):
                continue  # an annex repeating the body's clause
            after = next((c.name for c in clocks if c.name in event), None)
            clocks.append(
                Clock(document.doc_number, event, int(match.group("days")), action, name, after, number)
            )
    return clocks


def read_supervision(source: SourceText, document: Document) -> SupervisionRules | None:
    """The document's supervision rules, or None when it lays none."""
    text = source.text(document.span)
    if not any(word in text for word in ("个工作日内", "清单", "双随机", "信用")):
        return None  # a clock states 个工作日内; the other three rules need one of the other words
    lines = source.numbered(document.span)
    clocks = _clocks(document, lines)
    names: tuple[str, ...] = ()
    lists_line = random_line = credit_line = None
    credit_public = False
    for number, text in lines:
        if "清单" not in text and "双随机" not in text and "信用" not in text:
            continue  # each of the three patterns needs one of these words: most lines have none
        found = _LISTS.search(text)
        if found and not names:
            names = tuple(n for n in found.group("names").split("、") if n)
            lists_line = number
        if random_line is None and _RANDOM.search(text):
            random_line = number
        credit = _CREDIT.search(text)
        if credit and credit_line is None:
            credit_line = number
            credit_public = bool(_PUBLIC.search(text[credit.start() :]))
    if not (clocks or names or random_line or credit_line):
        return None
    return SupervisionRules(
        document.doc_number, tuple(clocks), names, lists_line, random_line, credit_line, credit_public
    )


def find_supervision(
    source: SourceText, documents: list[Document] | tuple[Document, ...]
) -> list[SupervisionRules]:
    """The supervision rules of every document that lays some."""
    found = (read_supervision(source, d) for d in documents)
    return [rules for rules in found if rules is not None]


def supervision_to_dict(rules: SupervisionRules) -> dict[str, Any]:
    """One document's rules as JSON (docs/extraction-format.md, ``supervision``)."""
    out: dict[str, Any] = plain_json(as_dict(rules))
    return out

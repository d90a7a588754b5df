"""The one seam between table reading and the document's assignment and deadline grammar.

Tables say the same things text does, in cells: '市交通运输局（牵头）、市财政局' in a 责任单位 cell,
'2023年12月底前' in a 完成时限 cell, '列第一位者为牵头单位' in a note. Table code reads them only
through the functions here, so that the text grammar (roles, unit lists, conventions, deadlines)
is applied to cells unchanged, and a change of grammar is made in this one module.

Guarantees: a unit cell is read as if printed after its column's label ('责任单位：…'), so a
(牵头) mark, a dropped 市 prefix, '等' and the first-listed-leads convention work as in text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from .assignments import Assignment, parse_labelled
from .deadlines import parse_deadline
from .grammar import states_first_leads as grammar_states_first_leads
from .model import Deadline
from .unit_names import ends_like_unit_name, split_top_level

__all__ = [
    "Assignment",
    "cell_deadline",
    "cells_assignment",
    "ends_like_unit",
    "starts_like_unit",
    "states_first_leads",
]

# The label a unit column's role is printed with in text.
_LABEL_OF_ROLE = {"lead": "牵头单位", "responsible": "责任单位", "cooperating": "配合单位"}


def cells_assignment(cells: Sequence[tuple[str, str]], *, level: str | None, first_leads: bool) -> Assignment:
    """Units by role from a row's unit cells, given as (role, text) pairs in column order.

    ``level`` is the issuer's level (市, 省 …) for restoring a dropped prefix; ``first_leads``
    is the convention that the first unit of a list leads.
    """
    labelled = ";".join(f"{_LABEL_OF_ROLE[role]}:{text}" for role, text in cells if text.strip())
    return parse_labelled(labelled, level=level, first_leads=first_leads)


def states_first_leads(text: str) -> bool:
    """True when ``text`` states that the first unit of a list leads (列第一位者为牵头单位)."""
    return grammar_states_first_leads(text)


def cell_deadline(text: str | None, signed: date | None) -> Deadline:
    """A deadline cell read like a deadline in text, in the year the document was signed."""
    return parse_deadline(text, year=signed.year if signed else None, signed=signed)


def ends_like_unit(text: str) -> bool:
    """True when ``text`` ends like a unit name (局, 委, 厅, 政府 …)."""
    return len(text) >= 2 and ends_like_unit_name(text)


# How a unit name starts when it carries its level or place: 市财政局, 省教育厅, 国家医保局, 各县（区）.
_UNIT_START = re.compile(r"^(?:市|省|县|区|自治区|国家|国务院|中央|全国|各)")


def starts_like_unit(text: str) -> bool:
    """True when ``text`` starts with a unit name: a level word, or a first list item ending like one."""
    parts = split_top_level(text)
    return (
        _UNIT_START.match(text) is not None or bool(parts) and ends_like_unit(parts[0]) and len(parts[0]) >= 3
    )

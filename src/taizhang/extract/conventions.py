"""Conventions a document states once for what follows: standing notes that add a unit to every task.

'各区（市）政府为各项任务的责任单位，不再一一列出' before the tasks, '以下任务均需各县（市、区）
落实' under a chapter heading, '以上任务各区市均为配合单位' after them: the note's units join
every task it covers, in the role it names. A note in the text before the first numbered item
covers the whole document; one inside a chapter (一、…) covers that chapter, forward from the note,
or backward for 以上/上述. ('列第一位者为牵头单位，下同' is read where tasks are read.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .assignments import read_assignment
from .grammar import StandingNote, standing_note, states_first_leads
from .grammar_data import NOTE_OMISSIONS
from .model import Task
from .outline import Item, style_ranks
from .unit_lists import split_units
from .unit_names import looks_like_unit


@dataclass(frozen=True)
class NoteScope:
    """Where a task stands: its item's position in the document and its line."""

    item: int
    line: int


@dataclass(frozen=True)
class Note:
    """A standing note found in a document and the item range it covers."""

    note: StandingNote
    line: int
    first_item: int  # items covered: first_item ..= last_item
    last_item: int


# The first character every omission phrase shares ('不再列出'…): most paragraphs lack it, and then
# the phrases need not be looked for one by one. Empty when the grammar's phrases share none.
_OMISSION_HEAD = NOTE_OMISSIONS[0][:1] if all(w[:1] == NOTE_OMISSIONS[0][:1] for w in NOTE_OMISSIONS) else ""
_SENTENCE = re.compile(r"[。；;！？!?（）()]")


def standing_notes(found: list[Item]) -> list[Note]:
    """Every standing note of a document's items, with the items it covers."""
    chapters = _chapters(found)
    notes: list[Note] = []
    for index, item in enumerate(found):
        for para in item.paragraphs:
            text = para.text
            if not (
                "均" in text or (_OMISSION_HEAD in text and any(word in text for word in NOTE_OMISSIONS))
            ):
                continue
            offset = 0
            for sentence in _SENTENCE.split(text):
                note = None if states_first_leads(sentence) else standing_note(sentence)
                if note is not None and _units_are_clean(note.units):
                    first, last = _cover(index, note, chapters)
                    notes.append(Note(note, para.line_at(offset), first, last))
                offset += len(sentence) + 1
    return notes


def _units_are_clean(units: str) -> bool:
    names = split_units(units).names
    return bool(names) and all(looks_like_unit(n) and len(n) <= 25 and "的" not in n for n in names)


def _chapters(found: list[Item]) -> list[int]:
    """The chapter (top-level item) number of each item; -1 before the first one."""
    ranks = style_ranks(found)
    chapter = -1
    out: list[int] = []
    for item in found:
        if item.style and ranks[item.style] == 0:
            chapter += 1
        out.append(chapter)
    return out


def _cover(index: int, note: StandingNote, chapters: list[int]) -> tuple[int, int]:
    """The items a note in item ``index`` covers."""
    chapter = chapters[index]
    if chapter < 0:
        return 0, len(chapters) - 1
    same = [i for i, c in enumerate(chapters) if c == chapter]
    return (same[0], index) if note.backwards else (index, same[-1])


def apply_notes(task: Task, scope: NoteScope, notes: list[Note], level: str | None) -> Task:
    """``task`` with the units of every note that covers it added in the note's role."""
    for note in notes:
        if not note.first_item <= scope.item <= note.last_item:
            continue
        if (scope.line > note.line) if note.note.backwards else (scope.line < note.line):
            continue
        added = read_assignment(note.note.units, role=note.note.role, level=level)
        named = {*task.lead, *task.responsible, *task.cooperating}
        task = replace(
            task,
            lead=_merge(task.lead, added.lead, named),
            responsible=_merge(task.responsible, added.responsible, named),
            cooperating=_merge(task.cooperating, added.cooperating, named),
        )
    return task


def _merge(names: tuple[str, ...], more: tuple[str, ...], named: set[str]) -> tuple[str, ...]:
    """``names`` and the units of ``more`` the task does not name in any role yet."""
    return names + tuple(n for n in more if n not in named)

"""The assignment grammar, compiled from ``grammar_data``: labels, closing verbs, conventions.

Everything here reads a short piece of text (a bracket, a clause, a sentence, a cell) and is
linear in its length: suffixes are stripped word by word, never matched with a trailing ``$``
regex from every position, so a 32,000-character line costs no more than its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grammar_data import (
    CONJOINT,
    DEADLINE_LABELS,
    FIRST_LEADS_OPENERS,
    FIRST_LEADS_PLACES,
    IGNORED_LABELS,
    LEADING_WORDS,
    NOTE_FILLERS,
    NOTE_OMISSIONS,
    NOTE_SCOPES,
    QUALIFIERS,
    ROLE_LABELS,
    ROLE_PRIORITY,
    VERBS,
)


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


ROLE_OF_LABEL = dict(ROLE_LABELS)
LABEL_WORDS = _alternation([*ROLE_LABELS, *DEADLINE_LABELS, *IGNORED_LABELS])
ROLE_WORDS = _alternation(list(ROLE_LABELS))

# The characters a label can open with: a bracket or the first character of a label word.
_LABEL_FIRST = "".join(
    sorted({"【", "[", "［", "〔"} | {w[0] for w in [*ROLE_LABELS, *DEADLINE_LABELS, *IGNORED_LABELS]})
)

# A label: '牵头单位：', '【牵头单位】', '[责任单位]：' (colon optional after a bracketed label). The
# lookahead on the first character lets the regex engine pass over other text without trying both
# alternatives at every offset.
LABEL = re.compile(
    rf"(?=[{re.escape(_LABEL_FIRST)}])"
    rf"(?:[【\[［〔]\s*(?P<bracketed>{LABEL_WORDS})\s*[】\]］〕]\s*[:：]?|(?P<label>{LABEL_WORDS})\s*[:：])"
)

# A label at the start of a line, for the separate-lines style (卫政办发〔2022〕6号 lines 216-220):
# with a colon, in 【】, or followed by spaces ('责任单位　市财政局').
LINE_LABEL = re.compile(
    rf"""^\s*(?:[【\[［]\s*(?P<bracketed>{LABEL_WORDS})\s*[】\]］]\s*[:：]?
        |(?P<label>{LABEL_WORDS})\s*(?:[:：]|[ \u3000]+(?=\S)))\s*(?P<rest>.*)$""",
    re.VERBOSE,
)

# '列第一位者为牵头单位' and its variants ('排在首位的为牵头部门', '列第一位的部门牵头').
_OPENERS = _alternation(FIRST_LEADS_OPENERS)
_PLACES = _alternation(FIRST_LEADS_PLACES)
# With no opener ('第一个单位为牵头单位') the copula before 牵头 is required.
_FIRST_LEADS = (
    rf"(?:(?:{_OPENERS})(?:在|于)?(?:{_PLACES})(?:的|者|位)?(?:单位|部门)?(?:为|是)?"
    rf"|(?:{_PLACES})(?:个|位)?(?:的|者)?(?:单位|部门)?(?:为|是))牵头"
)
FIRST_LEADS = re.compile(_FIRST_LEADS)
# The clause that states it, dropped before the units are read: '，列第一位者为牵头部门，下同'.
CONVENTION_CLAUSE = re.compile(rf"[，,；;]?\s*{_FIRST_LEADS}(?:单位|部门)?(?:[，,]?\s*下同)?")


def states_first_leads(text: str) -> bool:
    """True when ``text`` states '列第一位者为牵头单位'. Every such statement ends in 牵头: a plain
    substring test rules out most text before the pattern is tried at every offset."""
    return "牵头" in text and FIRST_LEADS.search(text) is not None


def drop_convention(text: str) -> str:
    """``text`` without the clause stating '列第一位者为牵头单位' (unchanged, and fast, without 牵头)."""
    return CONVENTION_CLAUSE.sub("", text) if "牵头" in text else text


_VERB_WORDS = tuple(sorted(VERBS, key=len, reverse=True))

# A bracket that states duty words and no unit: '（按职责分工负责）', '（各自按职能分工落实）'. The
# units come from the context (the parent heading's units, the document's 主送机关) or are asked for.
_RESPONSIBLE_VERBS = _alternation([v for v, role in VERBS.items() if role == "responsible"])
UNITLESS_DUTY = re.compile(
    rf"^(?:{_alternation(LEADING_WORDS)})?(?:{_alternation(QUALIFIERS)})+(?:{_RESPONSIBLE_VERBS})$"
)


_SPACES = re.compile(r"\s+")


def unitless_duty(text: str) -> bool:
    """True for duty words naming no unit: '按职责分工负责', '按职能分别落实' (not '认真落实')."""
    body = _SPACES.sub("", text).rstrip("。；;")
    return (
        len(body) <= 20
        and ("职责" in body or "职能" in body or "分工" in body)
        and UNITLESS_DUTY.match(body) is not None
    )


_QUALIFIER_WORDS = tuple(sorted(QUALIFIERS, key=len, reverse=True))


@dataclass(frozen=True)
class Clause:
    """A clause read as units + verb: the units' text and the role the verb gives."""

    units: str
    role: str


def split_verb(part: str) -> Clause | None:
    """'A、B按职责分工负责' → Clause('A、B', 'responsible'); None when ``part`` ends with no verb.

    Guarantees: qualifiers before the verb ('按职责分工', '分别', '具体') are never left in the units;
    a part that is only a verb gives empty units.
    """
    text = part.strip().rstrip("。；;，,")
    roles: list[str] = []
    while True:
        if text.endswith(_VERB_WORDS):
            verb = next(v for v in _VERB_WORDS if text.endswith(v))
            roles.append(VERBS[verb])
            text = text[: -len(verb)]
        elif roles and text.endswith(_QUALIFIER_WORDS):
            text = text[: -len(next(q for q in _QUALIFIER_WORDS if text.endswith(q)))]
        else:
            break
    if not roles:
        return None
    role = next(r for r in ROLE_PRIORITY if r in roles)
    return Clause(strip_leading_words(text).strip(), role)


def ends_with_verb(part: str) -> bool:
    """True when ``part`` ends with a closing verb ('…负责', '…牵头', '…配合')."""
    return part.strip().rstrip("。；;，,").endswith(_VERB_WORDS)


_ANY_VERB = re.compile(_alternation(list(VERBS)))


def has_verb(text: str) -> bool:
    """True when a closing verb stands anywhere in ``text`` (a cheap test before parsing it)."""
    return _ANY_VERB.search(text) is not None


def strip_leading_words(text: str) -> str:
    """``text`` without a leading '由' or '请' ('由市政府办公室负责')."""
    text = text.strip()
    for word in LEADING_WORDS:
        if text.startswith(word) and len(text) > len(word) + 1:
            return text[len(word) :]
    return text


def conjoint(units: str) -> tuple[str, str] | None:
    """'A会同B' → ('A', 'B'); None when no conjoining word is in ``units``."""
    for word in CONJOINT:
        index = units.find(word)
        if index > 0:
            return units[:index], units[index + len(word) :]
    return None


# Words that signal an assignment, for telling a user what was seen where no task was found.
# (参加, 落实 and the like are too common in any text to count.)
_PHRASE_HINT = re.compile(rf"{ROLE_WORDS}|牵头|负责|配合|会同")


def count_assignment_phrases(text: str) -> int:
    """How many assignment-like words (牵头, 负责, 责任单位 …) ``text`` holds."""
    return len(_PHRASE_HINT.findall(text))


# A standing note: scope word, unit list, role word, and a '不再列出' or 均.
_NOTE_SCOPE = re.compile(_alternation(NOTE_SCOPES))
_NOTE_OMISSION = re.compile(_alternation(NOTE_OMISSIONS))
_NOTE_ROLE = re.compile(rf"(?P<label>{ROLE_WORDS})|(?P<verb>{_alternation(list(VERBS))})")
_EDGE_WORDS = sorted({*NOTE_FILLERS, *ROLE_LABELS, *VERBS, *QUALIFIERS}, key=len, reverse=True)


@dataclass(frozen=True)
class StandingNote:
    """A note that adds units to every task it covers: the units' text, their role, the direction."""

    units: str
    role: str
    backwards: bool  # '以上任务…', '上述任务…': the tasks before the note


def standing_note(sentence: str) -> StandingNote | None:
    """The standing note a sentence states, or None.

    '各区（市）政府为各项任务的责任单位，不再一一列出' → (各区（市）政府, responsible);
    '以下任务均需各县（市、区）人民政府落实，不再列出' → (各县（市、区）人民政府, responsible).
    Only words at the edges of the unit list are stripped, so names keep every character.
    """
    if len(sentence) > 160 or not (_NOTE_OMISSION.search(sentence) or "均" in sentence):
        return None
    for clause in re.split(r"[，,；;。：:]", sentence):
        scope = _NOTE_SCOPE.search(clause)
        role_match = _NOTE_ROLE.search(clause)
        if scope is None or role_match is None:
            continue
        label = role_match.group("label")
        role = ROLE_OF_LABEL[label] if label else VERBS[role_match.group("verb")]
        for side in (clause[: scope.start()], clause[scope.end() :]):
            units = _strip_edges(side)
            if units:
                return StandingNote(units, role, scope.group().startswith(("以上", "上述")))
    return None


def _strip_edges(text: str) -> str:
    """``text`` without filler, role and verb words at either end ('均需A落实' → 'A')."""
    text = text.strip()
    changed = True
    while text and changed:
        changed = False
        for word in _EDGE_WORDS:
            if text.startswith(word):
                text, changed = text[len(word) :].strip(), True
            if text.endswith(word):
                text, changed = text[: -len(word)].strip(), True
    return text

"""Document titles: which lines form one, how they re-join, and the issuer and type they name."""

from __future__ import annotations

import re

# Organ names as they open a title or sign a document. Alternatives by source:
#   人民政府 / 人民政府办公室 (gazette lines 121, 184), 国务院办公厅 (State Council file line 99),
#   国务院、中央军委 (line 1758), 国务院办公厅、中央军委办公厅 (line 433), 中华人民共和国国务院 (line 820),
#   办 for the offices that sign joint ministry documents ('教育部 中央网信办 国家发展改革委').
_ORGAN_SUFFIX = r"(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府|国务院办公厅|国务院|中央军委办公厅|中央军委|办公厅|办公室|委员会|总局|部|委|局|厅|署|院|会|办)"
# Joint organs must be separated (、 or a space): with no separator the ways to cut a run of
# 部/局/委 into organs explode, so a run without one reads as a single longer name.
_ORGAN = rf"(?:(?!关于)[\u4e00-\u9fff]){{0,24}}?{_ORGAN_SUFFIX}"
ORGANS = re.compile(rf"^(?:{_ORGAN})(?:[、\s\u3000]+(?:{_ORGAN}))*$")

# Where the issuer ends inside a title: 关于 (gazette line 121), 转发/批转 (State Council file line 455),
# 对 (答复 letters, line 679), 印发 without 关于 (rare national style).
_ISSUER_IN_TITLE = re.compile(
    rf"^(?P<issuer>(?:{_ORGAN})(?:[、\s\u3000]+(?:{_ORGAN}))*?)[\s\u3000]*(?=关于|转发|批转|印发|对)"
)

# How a title line begins: with an organ, with 关于, or as an order header (中华人民共和国国务院令, line 820).
_TITLE_OPENING = re.compile(
    rf"^(?:关于|(?:{_ORGAN})(?:[、\s\u3000]+(?:{_ORGAN}))*(?:关于|转发|批转|印发|对|令|$))"
)

# The red header (版头) of a single document: organ name(s) + 文件 (GB/T 9704 layout).
_RED_HEADER = re.compile(rf"^(?:{_ORGAN})(?:[、\s\u3000]+(?:{_ORGAN}))*文件$")

# 公文 types of the 党政机关公文处理工作条例, by title ending; longer endings first so 复函 → 函 and
# 命令 → 令 read right. Enclosure types (方案 规则 要点 目录 清单) count when a document is one.
_TYPE_ENDINGS = (
    ("复函", "函"),
    ("命令", "令"),
    ("决议", "决议"),
    ("决定", "决定"),
    ("公报", "公报"),
    ("公告", "公告"),
    ("通告", "通告"),
    ("意见", "意见"),
    ("通知", "通知"),
    ("通报", "通报"),
    ("报告", "报告"),
    ("请示", "请示"),
    ("批复", "批复"),
    ("议案", "议案"),
    ("纪要", "纪要"),
    ("函", "函"),
    ("令", "令"),
    ("方案", "方案"),
    ("规则", "规则"),
    ("要点", "要点"),
    ("目录", "目录"),
    ("清单", "清单"),
)

# A line that can never be part of a title: a sentence end, a colon (addressee or 'key: value'
# masthead, gazette line 119), a table row (tab or '|', State Council line 2401), a parenthesised
# note, an enumerated item, an attachment label.
_NOT_TITLE = re.compile(
    r"""
    [。；;！？!?]
    | [，,]             # 公文 titles carry no commas; body lines do
    | [:：]
    | \t | \|
    | ^\s*[(（].*[)）]\s*$
    | ^\s*(?:[一二三四五六七八九十]+、|\d+[.、．]|第[一二三四五六七八九十百]+[条章]|[(（][一二三四五六七八九十\d]+[)）])
    | ^\s*附件
    | ^\s*【.*】\s*$     # a section heading of the gazette body ('【中卫市政府文件】')
    """,
    re.VERBOSE,
)

_TITLE_LINE_MAX = 120  # gazette title lines run to ~70 characters (line 1618); a one-line title may be longer

_SECTION_HEADING = re.compile(r"^【[^】]+】$")

# A stray page number left by the PDF text ('12', '- 12 -', '— 12 —') is no part of a title.
_PAGE_NUMBER = re.compile(r"^[\s\-—–－]*\d{1,4}[\s\-—–－]*$")


def join_title(parts: list[str]) -> str:
    """Title lines re-joined: spaces between printed lines and letter-spacing ('几 个 问 题') removed,
    but one space kept between the issuers of a joint title ('教育部 财政部关于…', GB/T 9704)."""
    text = " ".join(part.strip() for part in parts)
    issuers, rest = _joint_issuers(text)
    return " ".join(issuers) + _squeeze(rest) if issuers else _squeeze(text)


# Spaces in a title go, except a run between two Latin letters or digits ('Wi Fi').
_TITLE_SPACES = re.compile(r"(?<![A-Za-z0-9])[\s\u3000]+|[\s\u3000]+(?![A-Za-z0-9])")


def _squeeze(text: str) -> str:
    return _TITLE_SPACES.sub("", text)


def _joint_issuers(text: str) -> tuple[list[str], str]:
    """The organs that open a title when several stand apart by spaces, and the rest of the title."""
    found = _ISSUER_IN_TITLE.match(text) if _SPACE_RUN.search(text) else None
    if not found:
        return [], text
    organs = _SPACE_RUN.split(found.group("issuer").strip())
    # a name wrapped before its suffix ('某市人民政府' / '办公室关于…') is one organ, not two
    if len(organs) < 2 or any(not ORGANS.match(o) or _BARE_SUFFIX.match(o) for o in organs):
        return [], text
    return organs, text[found.end() :]


_SPACE_RUN = re.compile(r"[\s\u3000]+")
_BARE_SUFFIX = re.compile(
    r"^(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府|办公厅|办公室|委员会|总局|部|委|局|厅|署|院|会|办)$"
)


def could_be_title_line(line: str) -> bool:
    """True when a non-blank line may be (part of) a document title."""
    text = line.strip()
    return bool(text) and len(text) <= _TITLE_LINE_MAX and not _NOT_TITLE.search(text)


def is_page_number(line: str) -> bool:
    """True for a line holding nothing but a page number."""
    return bool(_PAGE_NUMBER.match(line))


def is_filler_line(line: str) -> bool:
    """True for a blank line, a stray page number or a section heading: none ends a document."""
    text = line.strip()
    return not text or bool(_PAGE_NUMBER.match(text) or _SECTION_HEADING.match(text))


def is_organ_line(line: str) -> bool:
    """True for a line that is only organ names (an issuer line above 关于…, or a signature)."""
    return bool(ORGANS.match(join_title([line])))


def opens_title(line: str) -> bool:
    """True when a line can be the first line of a title: an organ name, 关于…, or an order header."""
    return bool(_TITLE_OPENING.match(join_title([line])))


def is_red_header(text: str) -> bool:
    """True for a red-header organ line ('中卫市人民政府文件') that stands above the number, not a title."""
    return bool(_RED_HEADER.match(join_title([text])))


def issuer_of_title(title: str) -> str | None:
    """The organ(s) a title names before 关于/转发/对 ('国务院办公厅、中央军委办公厅'), or None."""
    match = _ISSUER_IN_TITLE.match(title)
    if match:
        return _joint(match.group("issuer"))
    if title.endswith("令"):
        head = title[:-1].removeprefix("中华人民共和国")
        return head or None
    return None


def issuer_of_signature(line: str) -> str | None:
    """The organ(s) of a signature line; joint signatures printed with spaces ('国务院　中央军委') get 、."""
    text = line.strip()
    if not ORGANS.match(text):
        return None
    return _joint(text)


def type_of_title(title: str, doc_number: str | None) -> str | None:
    """The 公文 type from the title ending; a 函-numbered letter (答复, 复函) is a 函."""
    # a trailing '(试行)' / '(草案)' does not change the type ('…的规定(试行)')
    bare = re.sub(r"[(（][^()（）]{1,8}[)）]$", "", title)
    for ending, kind in _TYPE_ENDINGS:
        if bare.endswith(ending):
            return kind
    if doc_number and "函" in doc_number:
        return "函"
    return None


def _joint(text: str) -> str:
    parts = [part for part in re.split(r"[、\s\u3000]+", text.strip()) if part]
    return "、".join(parts)

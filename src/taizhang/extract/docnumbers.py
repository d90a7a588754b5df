"""Document numbers (发文字号): recognise, normalise to 〔〕, and find the ones a text cites.

A number is an issuing organ's abbreviation, a year in brackets and a serial number:
``卫政办发〔2022〕6号``. Printed brackets vary, so every form normalises to 〔〕. Orders (令) are
numbered ``第707号`` under a ``中华人民共和国国务院令`` header; they normalise to the short form
people cite, ``国务院令第707号`` (the ``中华人民共和国`` prefix is dropped).
"""

from __future__ import annotations

import re

# Opening and closing year brackets as printed:
#   〔〕 document headers (gazette line 125), [] the 目录 (line 38) and citations (line 1281 '国卫办医函[2021]547号'),
#   () and （） State Council citations ('国办发（2019）6号'), 【】 seen in scanned gazettes.
_OPEN = "〔[(（【［"
_CLOSE = "〕])）】］"

_NUMBER_CORE = rf"""
    (?P<org>[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z\u3000\x20]{{0,15}}?)  # organ abbreviation, 卫政办发
    \s*[{re.escape(_OPEN)}]\s*
    (?P<year>(?:19|20)\d{{2}})                # 2022
    \s*[{re.escape(_CLOSE)}]\s*
    (?:第\s*)?(?P<serial>\d{{1,5}})\s*号        # 6号; '第0079号' in the masthead (line 117)
"""

# A whole line that is a document number, as under a document title (gazette line 125); some
# gazettes print it in brackets under the title ('（宁政发〔2022〕1号）'), and upward documents
# (请示, 报告) print the signer beside it ('签发人：张三', GB/T 9704 layout).
_NUMBER_LINE = re.compile(
    rf"""
    ^\s*(?P<paren>[(（])?\s*
    {_NUMBER_CORE}
    \s*(?(paren)[)）])
    (?:\s+签\s*发\s*人\s*[:：].*)?
    \s*$
    """,
    re.VERBOSE,
)

# An order number line under a '…令' title (State Council file line 822 '第707号').
_ORDER_SERIAL_LINE = re.compile(r"^\s*[(（]?\s*第\s*(?P<serial>\d{1,6})\s*号\s*[)）]?\s*$")

# An order header and number on one line: '中卫市人民政府令 第5号', '中华人民共和国国务院令（第707号）'.
_ORDER_LINE = re.compile(
    r"^\s*(?P<title>[\u4e00-\u9fff]{2,24}令)\s*[(（]?\s*第\s*(?P<serial>\d{1,6})\s*号\s*[)）]?\s*$"
)

# Citations inside running text and table cells: found by their bracketed year first (cheap),
# then the organ abbreviation is read backwards from the bracket.
_CITED = re.compile(_NUMBER_CORE, re.VERBOSE)
_YEAR_AND_SERIAL = re.compile(
    rf"[{re.escape(_OPEN)}]\s*(?P<year>(?:19|20)\d{{2}})\s*[{re.escape(_CLOSE)}]\s*(?:第\s*)?(?P<serial>\d{{1,5}})\s*号"
)
_ORG_BEFORE = re.compile(r"[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z\u3000\x20]{0,15}$")

# Cited orders: '中华人民共和国国务院令第142号' (State Council file line 832).
_CITED_ORDER = re.compile(
    r"(?:中华人民共和国)?(?P<org>国务院|[\u4e00-\u9fff]{1,6}?(?:部|委员会|总局|局|署|行))令\s*第\s*(?P<serial>\d{1,6})\s*号"
)

# Characters that never belong to an organ abbreviation: whatever precedes the last of them in
# the run before a bracket is running text ('按照国办发〔1993〕71号文件', State Council line 2331).
_NOT_ABBREVIATION = re.compile(
    r".*(?:落实|贯彻|结合|对照|通过|出台|制定|发布|下发|实施|废止|修订|印发|转发|批转|"
    r"[的要照据按依及和与是在为经见即以将对了等号文件于由从把被向自])"
)


def normalise(text: str) -> str | None:
    """The document number in ``text`` with 〔〕 brackets and no spaces, or None if it holds none."""
    match = _CITED.search(text)
    if not match:
        return None
    return _build(_clean_org(match.group("org")), match.group("year"), match.group("serial"))


def number_of_line(line: str) -> str | None:
    """The normalised number when the whole line is a document number, else None."""
    match = _NUMBER_LINE.match(line)
    if not match:
        return None
    return _build(match.group("org"), match.group("year"), match.group("serial"))


def order_serial_of_line(line: str) -> int | None:
    """The serial of an order number line ('第707号'), else None."""
    match = _ORDER_SERIAL_LINE.match(line)
    return int(match.group("serial")) if match else None


def order_of_line(line: str) -> tuple[str, int] | None:
    """(header title, serial) when a line holds both an order header and its number, else None."""
    match = _ORDER_LINE.match(line)
    return (match.group("title"), int(match.group("serial"))) if match else None


def order_number(title: str, serial: int) -> str:
    """The number of an order (令) from its header title: '中华人民共和国国务院令', 707 → '国务院令第707号'."""
    head = re.sub(r"\s+", "", title)
    head = head.removeprefix("中华人民共和国")
    if not head.endswith("令"):
        head += "令"
    return f"{head}第{serial}号"


def find_cited(text: str) -> list[tuple[str, int]]:
    """Every document number in ``text`` as ``(normalised, offset)``, in order of appearance."""
    found: list[tuple[str, int]] = []
    if "号" not in text:
        return found
    for match in _YEAR_AND_SERIAL.finditer(text):
        before = _ORG_BEFORE.search(text, max(0, match.start() - 16), match.start())
        org = _clean_org(before.group().strip()) if before else ""
        if org:
            found.append((_build(org, match.group("year"), match.group("serial")), match.start("year")))
    if "令" not in text:
        return found
    for match in _CITED_ORDER.finditer(text):
        org = _clean_org(match.group("org"))
        if org:
            found.append((f"{org}令第{match.group('serial')}号", match.start()))
    found.sort(key=lambda item: item[1])
    return found


def _clean_org(org: str) -> str:
    """Cut running text off the front of an abbreviation run ('要按照国办发' → '国办发')."""
    cut = _NOT_ABBREVIATION.match(org)
    return org[cut.end() :] if cut else org


def _build(org: str, year: str, serial: str) -> str:
    org = re.sub(r"\s+", "", org)
    return f"{org}〔{year}〕{serial}号"
